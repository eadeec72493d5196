;; The polyphase resampling kernel of resample-poly.ts in WebAssembly (SIMD128): V8 runs the same
;; loop in JavaScript as bounds-checked scalar float64 with overflow-checked index arithmetic, about
;; 6 instructions per multiply-add; here each f64x2 instruction does two, with no checks (memory
;; access is guarded by the engine's guard pages). Rebuild resample-kernel-wasm.ts after editing:
;;   node --import tsx packages/tusz-segments/bin/build-resample-kernel.ts
;;
;; resamplePair computes outputs j = 0 … nOut − 1 of two equally long signals xa, xb (f64 at byte
;; offsets xa, xb, nIn samples each) into ya, yb. Output j is centred on the zero-stuffed input
;; position j·down (scipy's kept slice): c = j·down + halfLen, phase p = c mod up, n0 = ⌊c / up⌋;
;; phase p's taps are stored reversed at coef + 8·phaseStart[p] (phaseLen[p] of them), tap t
;; multiplying x[n0 − t], clipped to 0 ≤ n0 − t < nIn (zero padding outside the signal).
(module
  (import "env" "memory" (memory 1))
  (func (export "resamplePair")
    (param $coef i32) (param $phaseStart i32) (param $phaseLen i32)
    (param $up i32) (param $down i32) (param $halfLen i32)
    (param $xa i32) (param $xb i32) (param $nIn i32)
    (param $ya i32) (param $yb i32) (param $nOut i32)
    (local $j i32) (local $c i32) (local $p i32) (local $n0 i32) (local $len i32)
    (local $tMin i32) (local $tMax i32) (local $count i32) (local $k i32)
    (local $pc i32) (local $pa i32) (local $pb i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $h0 v128) (local $h1 v128) (local $sa f64) (local $sb f64) (local $h f64)
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
        (local.set $pa
          (i32.add (local.get $xa) (i32.shl (i32.sub (local.get $n0) (local.get $tMax)) (i32.const 3))))
        (local.set $pb
          (i32.add (local.get $xb) (i32.shl (i32.sub (local.get $n0) (local.get $tMax)) (i32.const 3))))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $b0 (v128.const f64x2 0 0))
        (local.set $b1 (v128.const f64x2 0 0))
        (local.set $k (i32.const 0))
        ;; Four taps per step in two f64x2 partial sums per signal (one sum is bound by the add
        ;; latency); each pair of coefficients is loaded once for both signals.
        (block $end4
          (loop $taps4
            (br_if $end4 (i32.gt_s (i32.add (local.get $k) (i32.const 4)) (local.get $count)))
            (local.set $h0 (v128.load (local.get $pc)))
            (local.set $h1 (v128.load offset=16 (local.get $pc)))
            (local.set $a0
              (f64x2.add (local.get $a0) (f64x2.mul (local.get $h0) (v128.load (local.get $pa)))))
            (local.set $a1
              (f64x2.add (local.get $a1)
                (f64x2.mul (local.get $h1) (v128.load offset=16 (local.get $pa)))))
            (local.set $b0
              (f64x2.add (local.get $b0) (f64x2.mul (local.get $h0) (v128.load (local.get $pb)))))
            (local.set $b1
              (f64x2.add (local.get $b1)
                (f64x2.mul (local.get $h1) (v128.load offset=16 (local.get $pb)))))
            (local.set $pc (i32.add (local.get $pc) (i32.const 32)))
            (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (br $taps4)))
        (local.set $a0 (f64x2.add (local.get $a0) (local.get $a1)))
        (local.set $b0 (f64x2.add (local.get $b0) (local.get $b1)))
        (local.set $sa
          (f64.add (f64x2.extract_lane 0 (local.get $a0)) (f64x2.extract_lane 1 (local.get $a0))))
        (local.set $sb
          (f64.add (f64x2.extract_lane 0 (local.get $b0)) (f64x2.extract_lane 1 (local.get $b0))))
        (block $end1
          (loop $taps1
            (br_if $end1 (i32.ge_s (local.get $k) (local.get $count)))
            (local.set $h (f64.load (local.get $pc)))
            (local.set $sa (f64.add (local.get $sa) (f64.mul (local.get $h) (f64.load (local.get $pa)))))
            (local.set $sb (f64.add (local.get $sb) (f64.mul (local.get $h) (f64.load (local.get $pb)))))
            (local.set $pc (i32.add (local.get $pc) (i32.const 8)))
            (local.set $pa (i32.add (local.get $pa) (i32.const 8)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 8)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $taps1)))
        (f64.store (i32.add (local.get $ya) (i32.shl (local.get $j) (i32.const 3))) (local.get $sa))
        (f64.store (i32.add (local.get $yb) (i32.shl (local.get $j) (i32.const 3))) (local.get $sb))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $outputs)))))
