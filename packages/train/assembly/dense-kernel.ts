// AssemblyScript source of the dense engine's WebAssembly SIMD kernels (src/dense-engine.ts drives
// them). Built to committed bytes by bin/build-dense-kernel.ts; not part of the TypeScript build.
// All arrays are f32, row-major, addressed by byte offsets into the module's memory, which the
// engine lays out and grows from JS.

export { gemm } from './gemm';

/** dst[cols×rows] = src[rows×cols]ᵀ. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = src + ((<usize>(r * cols)) << 2);
    for (let c = 0; c < cols; c++)
      store<f32>(dst + ((<usize>(c * rows + r)) << 2), load<f32>(row + ((<usize>c) << 2)));
  }
}

/** dst[cols] = Σ over rows of src[rows×cols] (the bias gradient), summed in row order. */
export function columnSums(src: usize, dst: usize, rows: i32, cols: i32): void {
  const rowBytes = (<usize>cols) << 2;
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    let acc = f32x4.splat(0);
    let p = src + ((<usize>j) << 2);
    for (let r = 0; r < rows; r++) {
      acc = f32x4.add(acc, v128.load(p));
      p += rowBytes;
    }
    v128.store(dst + ((<usize>j) << 2), acc);
  }
  for (; j < cols; j++) {
    let acc: f32 = 0;
    let p = src + ((<usize>j) << 2);
    for (let r = 0; r < rows; r++) {
      acc += load<f32>(p);
      p += rowBytes;
    }
    store<f32>(dst + ((<usize>j) << 2), acc);
  }
}

/** x = x > 0 ? x : 0 in place (NaN → 0, as tfjs's ReLU). */
export function reluForward(x: usize, count: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const p = x + ((<usize>i) << 2);
    const v = v128.load(p);
    v128.store(p, v128.and(v, f32x4.gt(v, zero)));
  }
  for (; i < count; i++) {
    const p = x + ((<usize>i) << 2);
    const v = load<f32>(p);
    store<f32>(p, v > 0 ? v : 0);
  }
}

/** dy = y > 0 ? dy : 0 in place: ReLU's gradient from its output. */
export function reluBackward(y: usize, dy: usize, count: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(dy + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(y + o), zero)));
  }
  for (; i < count; i++) {
    const o = (<usize>i) << 2;
    if (!(load<f32>(y + o) > 0)) store<f32>(dy + o, 0);
  }
}

/** y += alpha · x (the L2 penalty's gradient, alpha = 2·l2). */
export function axpy(x: usize, y: usize, count: i32, alpha: f32): void {
  const va = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  for (; i < count; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
  }
}

/**
 * One Adam step over `count` parameters, in tfjs's AdamOptimizer order of operations:
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w ← (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε) · (−lr) + w.
 */
export function adam(
  w: usize,
  g: usize,
  m: usize,
  v: usize,
  count: i32,
  negLearningRate: f32,
  beta1: f32,
  oneMinusBeta1: f32,
  beta2: f32,
  oneMinusBeta2: f32,
  oneMinusAccBeta1: f32,
  oneMinusAccBeta2: f32,
  epsilon: f32,
): void {
  const vb1 = f32x4.splat(beta1);
  const vc1 = f32x4.splat(oneMinusBeta1);
  const vb2 = f32x4.splat(beta2);
  const vc2 = f32x4.splat(oneMinusBeta2);
  const va1 = f32x4.splat(oneMinusAccBeta1);
  const va2 = f32x4.splat(oneMinusAccBeta2);
  const ve = f32x4.splat(epsilon);
  const vlr = f32x4.splat(negLearningRate);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = (<usize>i) << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(gi, vc1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(gi, gi), vc2));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.div(mi, va1), f32x4.add(f32x4.sqrt(f32x4.div(vi, va2)), ve));
    v128.store(w + o, f32x4.add(f32x4.mul(step, vlr), v128.load(w + o)));
  }
  for (; i < count; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o) * beta1 + gi * oneMinusBeta1;
    const vi = load<f32>(v + o) * beta2 + gi * gi * oneMinusBeta2;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const step = mi / oneMinusAccBeta1 / (Mathf.sqrt(vi / oneMinusAccBeta2) + epsilon);
    store<f32>(w + o, step * negLearningRate + load<f32>(w + o));
  }
}

/**
 * One RMSprop step (tfjs's RMSPropOptimizer, not centred): s ← s·ρ + g²·(1−ρ);
 * u ← u·momentum + (g·lr) / √(s + ε); w ← w − u.
 */
export function rmsprop(
  w: usize,
  g: usize,
  s: usize,
  u: usize,
  count: i32,
  learningRate: f32,
  decay: f32,
  oneMinusDecay: f32,
  momentum: f32,
  epsilon: f32,
): void {
  const vd = f32x4.splat(decay);
  const vc = f32x4.splat(oneMinusDecay);
  const vm = f32x4.splat(momentum);
  const ve = f32x4.splat(epsilon);
  const vlr = f32x4.splat(learningRate);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const o = (<usize>i) << 2;
    const gi = v128.load(g + o);
    const si = f32x4.add(f32x4.mul(v128.load(s + o), vd), f32x4.mul(f32x4.mul(gi, gi), vc));
    const ui = f32x4.add(
      f32x4.mul(v128.load(u + o), vm),
      f32x4.div(f32x4.mul(gi, vlr), f32x4.sqrt(f32x4.add(si, ve))),
    );
    v128.store(s + o, si);
    v128.store(u + o, ui);
    v128.store(w + o, f32x4.sub(v128.load(w + o), ui));
  }
  for (; i < count; i++) {
    const o = (<usize>i) << 2;
    const gi = load<f32>(g + o);
    const si = load<f32>(s + o) * decay + gi * gi * oneMinusDecay;
    const ui = load<f32>(u + o) * momentum + (gi * learningRate) / Mathf.sqrt(si + epsilon);
    store<f32>(s + o, si);
    store<f32>(u + o, ui);
    store<f32>(w + o, load<f32>(w + o) - ui);
  }
}

/** w ← (−lr)·g + w, as tfjs's SGDOptimizer. */
export function sgd(w: usize, g: usize, count: i32, negLearningRate: f32): void {
  axpy(g, w, count, negLearningRate);
}

/** dst row r = src row idx[r] (rows of `width` f32; idx i32), the batch gather. */
export function gatherRows(src: usize, idx: usize, dst: usize, count: i32, width: i32): void {
  const rowBytes = (<usize>width) << 2;
  for (let r = 0; r < count; r++) {
    const from = src + <usize>load<i32>(idx + ((<usize>r) << 2)) * rowBytes;
    const to = dst + <usize>r * rowBytes;
    for (let b: usize = 0; b < rowBytes; b += 4) store<f32>(to + b, load<f32>(from + b));
  }
}

/** Σ x² in order (the L2 penalty's value). */
export function sumSquares(x: usize, count: i32): f32 {
  let acc: f32 = 0;
  for (let i = 0; i < count; i++) {
    const v = load<f32>(x + ((<usize>i) << 2));
    acc += v * v;
  }
  return acc;
}
