// The matrix product shared by the AssemblyScript kernels (dense-kernel.ts, winograd.ts).

/**
 * c[m×n] = init + a[m×k] · b[k×n], where row i of init is the n floats at init + i·initRowBytes
 * (init = 0: zeros; initRowBytes = 0: one bias row for every row; init = c, initRowBytes = 4n:
 * accumulate into c). a is read through byte strides (aRowBytes between rows, aColBytes between
 * columns), so a transposed operand costs nothing; b and c are contiguous. Tiles of 2 rows × 16
 * columns keep 8 accumulators in registers; the inner sum runs over p in order, from init.
 */
export function gemm(
  a: usize,
  aRowBytes: usize,
  aColBytes: usize,
  b: usize,
  init: usize,
  initRowBytes: usize,
  c: usize,
  m: i32,
  k: i32,
  n: i32,
): void {
  const rowBytes = (<usize>n) << 2;
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    const jBytes = (<usize>j) << 2;
    let i = 0;
    for (; i + 2 <= m; i += 2) {
      let c00 = zero,
        c01 = zero,
        c02 = zero,
        c03 = zero,
        c10 = zero,
        c11 = zero,
        c12 = zero,
        c13 = zero;
      if (init) {
        const p0 = init + <usize>i * initRowBytes + jBytes;
        const p1 = p0 + initRowBytes;
        c00 = v128.load(p0);
        c01 = v128.load(p0, 16);
        c02 = v128.load(p0, 32);
        c03 = v128.load(p0, 48);
        c10 = v128.load(p1);
        c11 = v128.load(p1, 16);
        c12 = v128.load(p1, 32);
        c13 = v128.load(p1, 48);
      }
      let pa = a + <usize>i * aRowBytes;
      let pb = b + jBytes;
      for (let p = 0; p < k; p++) {
        const a0 = f32x4.splat(load<f32>(pa));
        const a1 = f32x4.splat(load<f32>(pa + aRowBytes));
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const b2 = v128.load(pb, 32);
        const b3 = v128.load(pb, 48);
        c00 = f32x4.add(c00, f32x4.mul(a0, b0));
        c01 = f32x4.add(c01, f32x4.mul(a0, b1));
        c02 = f32x4.add(c02, f32x4.mul(a0, b2));
        c03 = f32x4.add(c03, f32x4.mul(a0, b3));
        c10 = f32x4.add(c10, f32x4.mul(a1, b0));
        c11 = f32x4.add(c11, f32x4.mul(a1, b1));
        c12 = f32x4.add(c12, f32x4.mul(a1, b2));
        c13 = f32x4.add(c13, f32x4.mul(a1, b3));
        pa += aColBytes;
        pb += rowBytes;
      }
      const pc = c + <usize>i * rowBytes + jBytes;
      v128.store(pc, c00);
      v128.store(pc, c01, 16);
      v128.store(pc, c02, 32);
      v128.store(pc, c03, 48);
      v128.store(pc + rowBytes, c10);
      v128.store(pc + rowBytes, c11, 16);
      v128.store(pc + rowBytes, c12, 32);
      v128.store(pc + rowBytes, c13, 48);
    }
    if (i < m) {
      let c00 = zero,
        c01 = zero,
        c02 = zero,
        c03 = zero;
      if (init) {
        const p0 = init + <usize>i * initRowBytes + jBytes;
        c00 = v128.load(p0);
        c01 = v128.load(p0, 16);
        c02 = v128.load(p0, 32);
        c03 = v128.load(p0, 48);
      }
      let pa = a + <usize>i * aRowBytes;
      let pb = b + jBytes;
      for (let p = 0; p < k; p++) {
        const a0 = f32x4.splat(load<f32>(pa));
        c00 = f32x4.add(c00, f32x4.mul(a0, v128.load(pb)));
        c01 = f32x4.add(c01, f32x4.mul(a0, v128.load(pb, 16)));
        c02 = f32x4.add(c02, f32x4.mul(a0, v128.load(pb, 32)));
        c03 = f32x4.add(c03, f32x4.mul(a0, v128.load(pb, 48)));
        pa += aColBytes;
        pb += rowBytes;
      }
      const pc = c + <usize>i * rowBytes + jBytes;
      v128.store(pc, c00);
      v128.store(pc, c01, 16);
      v128.store(pc, c02, 32);
      v128.store(pc, c03, 48);
    }
  }
  for (; j + 4 <= n; j += 4) {
    const jBytes = (<usize>j) << 2;
    for (let i = 0; i < m; i++) {
      let acc = init ? v128.load(init + <usize>i * initRowBytes + jBytes) : zero;
      let pa = a + <usize>i * aRowBytes;
      let pb = b + jBytes;
      for (let p = 0; p < k; p++) {
        acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(pa)), v128.load(pb)));
        pa += aColBytes;
        pb += rowBytes;
      }
      v128.store(c + <usize>i * rowBytes + jBytes, acc);
    }
  }
  for (; j < n; j++) {
    const jBytes = (<usize>j) << 2;
    for (let i = 0; i < m; i++) {
      let acc: f32 = init ? load<f32>(init + <usize>i * initRowBytes + jBytes) : 0;
      let pa = a + <usize>i * aRowBytes;
      let pb = b + jBytes;
      for (let p = 0; p < k; p++) {
        acc += load<f32>(pa) * load<f32>(pb);
        pa += aColBytes;
        pb += rowBytes;
      }
      store<f32>(c + <usize>i * rowBytes + jBytes, acc);
    }
  }
}
