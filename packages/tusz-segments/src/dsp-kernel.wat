;; The DSP kernels of the EEG path in WebAssembly (SIMD128): V8 runs these loops in JavaScript as
;; bounds-checked scalar float64 with overflow-checked index arithmetic; here two electrodes travel
;; together, interleaved (sample i of the pair at byte x + 16·i: lane 0, lane 1), so each f64x2
;; instruction does the work of two and no checks are paid (the engine's guard pages bound memory
;; access). Per lane the arithmetic is the scalar one, operation for operation. Rebuild
;; dsp-kernel-wasm.ts after editing:
;;   node --import tsx packages/tusz-segments/bin/build-dsp-kernel.ts
(module
  (import "env" "memory" (memory 1))

  ;; cascade4 / cascade1: sosfilt of four (one) second-order sections, direct form II transposed as
  ;; in sosfiltfilt.ts, in place over the pairs from byte p up to (not including) byte end, stepping
  ;; stepBytes (+16 forward, −16 backward). coef: b0 b1 b2 a1 a2 per section (f64, normalised by
  ;; a0), z: the states z0 z1 per section as f64x2 (both lanes).
  (func (export "cascade4") (param $coef i32) (param $z i32) (param $p i32) (param $end i32) (param $stepBytes i32)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128) (local $c04 v128) (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128) (local $c14 v128) (local $c20 v128) (local $c21 v128) (local $c22 v128) (local $c23 v128) (local $c24 v128) (local $c30 v128) (local $c31 v128) (local $c32 v128) (local $c33 v128) (local $c34 v128) (local $z00 v128) (local $z01 v128) (local $z10 v128) (local $z11 v128) (local $z20 v128) (local $z21 v128) (local $z30 v128) (local $z31 v128) (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $v4 v128)
    (local.set $c00 (v128.load64_splat offset=0 (local.get $coef)))
    (local.set $c01 (v128.load64_splat offset=8 (local.get $coef)))
    (local.set $c02 (v128.load64_splat offset=16 (local.get $coef)))
    (local.set $c03 (v128.load64_splat offset=24 (local.get $coef)))
    (local.set $c04 (v128.load64_splat offset=32 (local.get $coef)))
    (local.set $z00 (v128.load offset=0 (local.get $z)))
    (local.set $z01 (v128.load offset=16 (local.get $z)))
    (local.set $c10 (v128.load64_splat offset=40 (local.get $coef)))
    (local.set $c11 (v128.load64_splat offset=48 (local.get $coef)))
    (local.set $c12 (v128.load64_splat offset=56 (local.get $coef)))
    (local.set $c13 (v128.load64_splat offset=64 (local.get $coef)))
    (local.set $c14 (v128.load64_splat offset=72 (local.get $coef)))
    (local.set $z10 (v128.load offset=32 (local.get $z)))
    (local.set $z11 (v128.load offset=48 (local.get $z)))
    (local.set $c20 (v128.load64_splat offset=80 (local.get $coef)))
    (local.set $c21 (v128.load64_splat offset=88 (local.get $coef)))
    (local.set $c22 (v128.load64_splat offset=96 (local.get $coef)))
    (local.set $c23 (v128.load64_splat offset=104 (local.get $coef)))
    (local.set $c24 (v128.load64_splat offset=112 (local.get $coef)))
    (local.set $z20 (v128.load offset=64 (local.get $z)))
    (local.set $z21 (v128.load offset=80 (local.get $z)))
    (local.set $c30 (v128.load64_splat offset=120 (local.get $coef)))
    (local.set $c31 (v128.load64_splat offset=128 (local.get $coef)))
    (local.set $c32 (v128.load64_splat offset=136 (local.get $coef)))
    (local.set $c33 (v128.load64_splat offset=144 (local.get $coef)))
    (local.set $c34 (v128.load64_splat offset=152 (local.get $coef)))
    (local.set $z30 (v128.load offset=96 (local.get $z)))
    (local.set $z31 (v128.load offset=112 (local.get $z)))
    (block $done
      (loop $samples
        (br_if $done (i32.eq (local.get $p) (local.get $end)))
            (local.set $v0 (v128.load (local.get $p)))
            (local.set $v1 (f64x2.add (f64x2.mul (local.get $c00) (local.get $v0)) (local.get $z00)))
            (local.set $z00
              (f64x2.add
                (f64x2.sub (f64x2.mul (local.get $c01) (local.get $v0)) (f64x2.mul (local.get $c03) (local.get $v1)))
                (local.get $z01)))
            (local.set $z01
              (f64x2.sub (f64x2.mul (local.get $c02) (local.get $v0)) (f64x2.mul (local.get $c04) (local.get $v1))))
            (local.set $v2 (f64x2.add (f64x2.mul (local.get $c10) (local.get $v1)) (local.get $z10)))
            (local.set $z10
              (f64x2.add
                (f64x2.sub (f64x2.mul (local.get $c11) (local.get $v1)) (f64x2.mul (local.get $c13) (local.get $v2)))
                (local.get $z11)))
            (local.set $z11
              (f64x2.sub (f64x2.mul (local.get $c12) (local.get $v1)) (f64x2.mul (local.get $c14) (local.get $v2))))
            (local.set $v3 (f64x2.add (f64x2.mul (local.get $c20) (local.get $v2)) (local.get $z20)))
            (local.set $z20
              (f64x2.add
                (f64x2.sub (f64x2.mul (local.get $c21) (local.get $v2)) (f64x2.mul (local.get $c23) (local.get $v3)))
                (local.get $z21)))
            (local.set $z21
              (f64x2.sub (f64x2.mul (local.get $c22) (local.get $v2)) (f64x2.mul (local.get $c24) (local.get $v3))))
            (local.set $v4 (f64x2.add (f64x2.mul (local.get $c30) (local.get $v3)) (local.get $z30)))
            (local.set $z30
              (f64x2.add
                (f64x2.sub (f64x2.mul (local.get $c31) (local.get $v3)) (f64x2.mul (local.get $c33) (local.get $v4)))
                (local.get $z31)))
            (local.set $z31
              (f64x2.sub (f64x2.mul (local.get $c32) (local.get $v3)) (f64x2.mul (local.get $c34) (local.get $v4))))
            (v128.store (local.get $p) (local.get $v4))
        (local.set $p (i32.add (local.get $p) (local.get $stepBytes)))
        (br $samples))))
  (func (export "cascade1") (param $coef i32) (param $z i32) (param $p i32) (param $end i32) (param $stepBytes i32)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128) (local $c04 v128) (local $z00 v128) (local $z01 v128) (local $v0 v128) (local $v1 v128)
    (local.set $c00 (v128.load64_splat offset=0 (local.get $coef)))
    (local.set $c01 (v128.load64_splat offset=8 (local.get $coef)))
    (local.set $c02 (v128.load64_splat offset=16 (local.get $coef)))
    (local.set $c03 (v128.load64_splat offset=24 (local.get $coef)))
    (local.set $c04 (v128.load64_splat offset=32 (local.get $coef)))
    (local.set $z00 (v128.load offset=0 (local.get $z)))
    (local.set $z01 (v128.load offset=16 (local.get $z)))
    (block $done
      (loop $samples
        (br_if $done (i32.eq (local.get $p) (local.get $end)))
            (local.set $v0 (v128.load (local.get $p)))
            (local.set $v1 (f64x2.add (f64x2.mul (local.get $c00) (local.get $v0)) (local.get $z00)))
            (local.set $z00
              (f64x2.add
                (f64x2.sub (f64x2.mul (local.get $c01) (local.get $v0)) (f64x2.mul (local.get $c03) (local.get $v1)))
                (local.get $z01)))
            (local.set $z01
              (f64x2.sub (f64x2.mul (local.get $c02) (local.get $v0)) (f64x2.mul (local.get $c04) (local.get $v1))))
            (v128.store (local.get $p) (local.get $v1))
        (local.set $p (i32.add (local.get $p) (local.get $stepBytes)))
        (br $samples))))

  ;; resamplePairs: outputs j = 0 … nOut − 1 of scipy's resample_poly for an interleaved pair of
  ;; nIn samples at byte x, written interleaved to byte y. Output j is centred on the zero-stuffed
  ;; input position j·down (scipy's kept slice): c = j·down + halfLen, phase p = c mod up,
  ;; n0 = ⌊c / up⌋; phase p's taps are stored reversed at coef + 8·phaseStart[p] (phaseLen[p] of
  ;; them), tap t multiplying x[n0 − t], clipped to 0 ≤ n0 − t < nIn (zero padding outside).
  (func (export "resamplePairs")
    (param $coef i32) (param $phaseStart i32) (param $phaseLen i32)
    (param $up i32) (param $down i32) (param $halfLen i32)
    (param $x i32) (param $nIn i32) (param $y i32) (param $nOut i32)
    (local $j i32) (local $c i32) (local $p i32) (local $n0 i32) (local $len i32)
    (local $tMin i32) (local $tMax i32) (local $count i32) (local $k i32)
    (local $pc i32) (local $px i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (block $done
      (loop $outputs
        (br_if $done (i32.ge_s (local.get $j) (local.get $nOut)))
        (local.set $c (i32.add (i32.mul (local.get $j) (local.get $down)) (local.get $halfLen)))
        (local.set $p (i32.rem_u (local.get $c) (local.get $up)))
        (local.set $n0 (i32.div_u (i32.sub (local.get $c) (local.get $p)) (local.get $up)))
        (local.set $len
          (i32.load (i32.add (local.get $phaseLen) (i32.shl (local.get $p) (i32.const 2)))))
        ;; tMin = max(0, n0 − nIn + 1), tMax = min(len − 1, n0)
        (local.set $tMin (i32.sub (i32.add (local.get $n0) (i32.const 1)) (local.get $nIn)))
        (if (i32.lt_s (local.get $tMin) (i32.const 0)) (then (local.set $tMin (i32.const 0))))
        (local.set $tMax (i32.sub (local.get $len) (i32.const 1)))
        (if (i32.gt_s (local.get $tMax) (local.get $n0)) (then (local.set $tMax (local.get $n0))))
        (local.set $count (i32.add (i32.sub (local.get $tMax) (local.get $tMin)) (i32.const 1)))
        ;; First tap used: reversed index len − 1 − tMax of phase p, at input n0 − tMax.
        (local.set $pc
          (i32.add (local.get $coef)
            (i32.shl
              (i32.sub
                (i32.add
                  (i32.load (i32.add (local.get $phaseStart) (i32.shl (local.get $p) (i32.const 2))))
                  (local.get $len))
                (i32.add (local.get $tMax) (i32.const 1)))
              (i32.const 3))))
        (local.set $px
          (i32.add (local.get $x) (i32.shl (i32.sub (local.get $n0) (local.get $tMax)) (i32.const 4))))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0))
        (local.set $a3 (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        ;; Four partial sums: one running sum is bound by the latency of each addition.
        (block $end4
          (loop $taps4
            (br_if $end4 (i32.gt_s (i32.add (local.get $k) (i32.const 4)) (local.get $count)))
            (local.set $a0
              (f64x2.add (local.get $a0)
                (f64x2.mul (v128.load64_splat (local.get $pc)) (v128.load (local.get $px)))))
            (local.set $a1
              (f64x2.add (local.get $a1)
                (f64x2.mul (v128.load64_splat offset=8 (local.get $pc)) (v128.load offset=16 (local.get $px)))))
            (local.set $a2
              (f64x2.add (local.get $a2)
                (f64x2.mul (v128.load64_splat offset=16 (local.get $pc)) (v128.load offset=32 (local.get $px)))))
            (local.set $a3
              (f64x2.add (local.get $a3)
                (f64x2.mul (v128.load64_splat offset=24 (local.get $pc)) (v128.load offset=48 (local.get $px)))))
            (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
            (local.set $px (i32.add (local.get $px) (i32.const 64)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $taps4)))
        (local.set $a0
          (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3))))
        (block $end1
          (loop $taps1
            (br_if $end1 (i32.ge_s (local.get $k) (local.get $count)))
            (local.set $a0
              (f64x2.add (local.get $a0)
                (f64x2.mul (v128.load64_splat (local.get $pc)) (v128.load (local.get $px)))))
            (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
            (local.set $px (i32.add (local.get $px) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $taps1)))
        (v128.store (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 4))) (local.get $a0))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $outputs)))))
