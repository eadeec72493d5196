/**
 * Seeded PRNG (xoshiro128**, seeded through splitmix32). Every stage draws from one of these,
 * never from Math.random, so the same seed gives byte-identical outputs.
 */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform in [0, 1) with 53 bits of resolution. */
  float(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal draw. */
  normal(): number;
  /** Fills `out` with standard normal draws (the bulk path: same law as normal(), ~3× faster). */
  fillNormal(out: Float64Array): void;
  /** An independent generator derived from this one and a label (for per-item streams). */
  fork(label: string | number): Rng;
}

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashLabel(label: string | number): number {
  // FNV-1a over the label's text: stable across platforms and runs.
  const text = String(label);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
  const init = splitmix32(seed);
  let a = init(),
    b = init(),
    c = init(),
    d = init();
  if ((a | b | c | d) === 0) a = 1;
  let spare = 0;
  let hasSpare = false;

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const float = (): number => ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992;
  return {
    uint32,
    float,
    int: (n) => {
      if (!(n > 0) || !Number.isInteger(n)) throw new RangeError(`int(n) needs a positive integer, got ${n}`);
      // Beyond 2^21 the product below would exceed 2^53; 53-bit floats keep the bias below 2^-32.
      if (n > 0x200000) return Math.floor(float() * n);
      // Lemire's multiply-shift with rejection: exactly uniform, one 32-bit draw almost always.
      const threshold = (0x100000000 - n) % n;
      for (;;) {
        const x = uint32();
        const product = x * n;
        const low = product % 0x100000000;
        if (low >= threshold) return Math.floor(product / 0x100000000);
      }
    },
    normal: () => {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      // Marsaglia's polar method: two normals per accepted pair, no trig calls.
      let u: number, v: number, s: number;
      // 32-bit uniforms are ample here (spacing 2^-31) and halve the generator calls.
      do {
        u = uint32() * 4.656612873077393e-10 - 1;
        v = uint32() * 4.656612873077393e-10 - 1;
        s = u * u + v * v;
      } while (s >= 1 || s === 0);
      const m = Math.sqrt((-2 * Math.log(s)) / s);
      spare = v * m;
      hasSpare = true;
      return u * m;
    },
    fillNormal(out) {
      // The generator inlined on local state: no per-draw call or heap-number boxing.
      let s0 = a,
        s1 = b,
        s2 = c,
        s3 = d;
      const SCALE = 4.656612873077393e-10;
      for (let i = 0; i < out.length;) {
        const r1 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        let t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = rotl(s3, 11);
        const r2 = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = rotl(s3, 11);
        const u = r1 * SCALE - 1;
        const v = r2 * SCALE - 1;
        const q = u * u + v * v;
        if (q >= 1 || q === 0) continue;
        const m = Math.sqrt((-2 * Math.log(q)) / q);
        out[i++] = u * m;
        if (i < out.length) out[i++] = v * m;
      }
      a = s0;
      b = s1;
      c = s2;
      d = s3;
    },
    fork: (label) => createRng((uint32() ^ hashLabel(label)) >>> 0),
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Fisher–Yates shuffle in place, driven by `rng`. */
export function shuffleInPlace<T>(items: T[] | Int32Array | Uint32Array, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
}
