;; Training kernels for tfjs's WASM backend in WebAssembly SIMD128, run on the backend's own memory
;; (imported), so tensors are read and written where tfjs keeps them: every pointer is a byte offset
;; into that heap. Replaces stock kernels that are plain scalar loops (see wasm-kernels.ts). Rebuild
;; wasm-simd-kernels-wasm.ts after editing:
;;   node --import tsx packages/train/bin/build-wasm-simd-kernels.ts
(module
  (import "env" "memory" (memory 1))

  ;; maxPoolGrad: dx of a 2-D max pool (NHWC, float32, dilation 1), with the CPU backend's rule:
  ;; each window's gradient goes to its first maximum in row-major window order (a strictly greater
  ;; value takes over, so ties keep the earlier one; NaN never wins; a window of only −∞ or NaN passes
  ;; nothing). Four channels travel together in one f32x4 (lane = channel), the remaining C mod 4
  ;; channels one by one. Windows are clipped to the input (padding never wins); overlapping windows
  ;; add into dx, which is zeroed first.
  (func (export "maxPoolGrad")
    (param $x i32) (param $dy i32) (param $dx i32) (param $batch i32) (param $inH i32) (param $inW i32)
    (param $C i32) (param $outH i32) (param $outW i32) (param $fH i32) (param $fW i32) (param $sH i32)
    (param $sW i32) (param $padTop i32) (param $padLeft i32)
    (local $pix i32) (local $row i32) (local $img i32) (local $b i32) (local $xImg i32) (local $dxImg i32)
    (local $dyAt i32) (local $yR i32) (local $yC i32) (local $r0 i32) (local $c0 i32) (local $rMin i32)
    (local $rMax i32) (local $cMin i32) (local $cMax i32) (local $ch i32) (local $r i32) (local $c i32)
    (local $p i32) (local $at i32) (local $idxS i32)
    (local $best v128) (local $idx v128) (local $v v128) (local $gt v128) (local $g v128)
    (local $bestS f32) (local $vS f32) (local $gS f32)
    (local.set $pix (i32.shl (local.get $C) (i32.const 2)))
    (local.set $row (i32.mul (local.get $inW) (local.get $pix)))
    (local.set $img (i32.mul (local.get $inH) (local.get $row)))
    (memory.fill (local.get $dx) (i32.const 0) (i32.mul (local.get $batch) (local.get $img)))
    (local.set $dyAt (local.get $dy))
    (block $doneB (loop $eachB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $xImg (i32.add (local.get $x) (i32.mul (local.get $b) (local.get $img))))
      (local.set $dxImg (i32.add (local.get $dx) (i32.mul (local.get $b) (local.get $img))))
      (local.set $yR (i32.const 0))
      (block $doneR (loop $eachR
        (br_if $doneR (i32.ge_s (local.get $yR) (local.get $outH)))
        (local.set $r0 (i32.sub (i32.mul (local.get $yR) (local.get $sH)) (local.get $padTop)))
        (local.set $rMin (select (local.get $r0) (i32.const 0) (i32.gt_s (local.get $r0) (i32.const 0))))
        (local.set $rMax (i32.add (local.get $r0) (local.get $fH)))
        (local.set $rMax (select (local.get $rMax) (local.get $inH) (i32.lt_s (local.get $rMax) (local.get $inH))))
        (local.set $yC (i32.const 0))
        (block $doneC (loop $eachC
          (br_if $doneC (i32.ge_s (local.get $yC) (local.get $outW)))
          (local.set $c0 (i32.sub (i32.mul (local.get $yC) (local.get $sW)) (local.get $padLeft)))
          (local.set $cMin (select (local.get $c0) (i32.const 0) (i32.gt_s (local.get $c0) (i32.const 0))))
          (local.set $cMax (i32.add (local.get $c0) (local.get $fW)))
          (local.set $cMax (select (local.get $cMax) (local.get $inW) (i32.lt_s (local.get $cMax) (local.get $inW))))
          ;; Four channels at a time (byte offset $ch within the pixel).
          (local.set $ch (i32.const 0))
          (block $doneV (loop $eachV
            (br_if $doneV (i32.gt_s (i32.add (local.get $ch) (i32.const 16)) (local.get $pix)))
            (local.set $best (v128.const f32x4 -inf -inf -inf -inf))
            (local.set $idx (v128.const i32x4 -1 -1 -1 -1))
            (local.set $p (i32.const 0))
            (local.set $r (local.get $rMin))
            (block $d1 (loop $l1
              (br_if $d1 (i32.ge_s (local.get $r) (local.get $rMax)))
              (local.set $c (local.get $cMin))
              (block $d2 (loop $l2
                (br_if $d2 (i32.ge_s (local.get $c) (local.get $cMax)))
                (local.set $v (v128.load (i32.add (i32.add (local.get $xImg) (local.get $ch))
                  (i32.add (i32.mul (local.get $r) (local.get $row)) (i32.mul (local.get $c) (local.get $pix))))))
                (local.set $gt (f32x4.gt (local.get $v) (local.get $best)))
                (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $gt)))
                (local.set $idx (v128.bitselect (i32x4.splat (local.get $p)) (local.get $idx) (local.get $gt)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $l2)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $l1)))
            (local.set $g (v128.load (i32.add (local.get $dyAt) (local.get $ch))))
            (local.set $p (i32.const 0))
            (local.set $r (local.get $rMin))
            (block $d3 (loop $l3
              (br_if $d3 (i32.ge_s (local.get $r) (local.get $rMax)))
              (local.set $c (local.get $cMin))
              (block $d4 (loop $l4
                (br_if $d4 (i32.ge_s (local.get $c) (local.get $cMax)))
                (local.set $at (i32.add (i32.add (local.get $dxImg) (local.get $ch))
                  (i32.add (i32.mul (local.get $r) (local.get $row)) (i32.mul (local.get $c) (local.get $pix)))))
                (v128.store (local.get $at) (f32x4.add (v128.load (local.get $at))
                  (v128.and (local.get $g) (i32x4.eq (local.get $idx) (i32x4.splat (local.get $p))))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $l4)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $l3)))
            (local.set $ch (i32.add (local.get $ch) (i32.const 16)))
            (br $eachV)))
          ;; The remaining channels one by one, by the same rule.
          (block $doneS (loop $eachS
            (br_if $doneS (i32.ge_s (local.get $ch) (local.get $pix)))
            (local.set $bestS (f32.const -inf))
            (local.set $idxS (i32.const -1))
            (local.set $p (i32.const 0))
            (local.set $r (local.get $rMin))
            (block $d5 (loop $l5
              (br_if $d5 (i32.ge_s (local.get $r) (local.get $rMax)))
              (local.set $c (local.get $cMin))
              (block $d6 (loop $l6
                (br_if $d6 (i32.ge_s (local.get $c) (local.get $cMax)))
                (local.set $vS (f32.load (i32.add (i32.add (local.get $xImg) (local.get $ch))
                  (i32.add (i32.mul (local.get $r) (local.get $row)) (i32.mul (local.get $c) (local.get $pix))))))
                (if (f32.gt (local.get $vS) (local.get $bestS))
                  (then (local.set $bestS (local.get $vS)) (local.set $idxS (local.get $p))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $l6)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $l5)))
            (if (i32.ge_s (local.get $idxS) (i32.const 0))
              (then
                (local.set $gS (f32.load (i32.add (local.get $dyAt) (local.get $ch))))
                (local.set $r (i32.add (local.get $rMin) (i32.div_s (local.get $idxS) (i32.sub (local.get $cMax) (local.get $cMin)))))
                (local.set $c (i32.add (local.get $cMin) (i32.rem_s (local.get $idxS) (i32.sub (local.get $cMax) (local.get $cMin)))))
                (local.set $at (i32.add (i32.add (local.get $dxImg) (local.get $ch))
                  (i32.add (i32.mul (local.get $r) (local.get $row)) (i32.mul (local.get $c) (local.get $pix)))))
                (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (local.get $gS)))))
            (local.set $ch (i32.add (local.get $ch) (i32.const 4)))
            (br $eachS)))
          (local.set $dyAt (i32.add (local.get $dyAt) (local.get $pix)))
          (local.set $yC (i32.add (local.get $yC) (i32.const 1)))
          (br $eachC)))
        (local.set $yR (i32.add (local.get $yR) (i32.const 1)))
        (br $eachR)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $eachB))))

  ;; sumRows: out[c] = Σ_r x[r·cols + c] (float32 in and out), each column summed in float64 in row
  ;; order, as the CPU backend sums (a JavaScript number per output, rounded once at the end). Sixteen
  ;; columns per pass (eight f64x2 accumulators), then four, then one.
  (func (export "sumRows") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $rowBytes i32) (local $c i32) (local $at i32) (local $end i32) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128) (local $s f64)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (block $done16 (loop $each16
      (br_if $done16 (i32.gt_s (i32.add (local.get $c) (i32.const 64)) (local.get $rowBytes)))
      (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
      (local.set $a2 (v128.const f64x2 0 0)) (local.set $a3 (v128.const f64x2 0 0))
      (local.set $a4 (v128.const f64x2 0 0)) (local.set $a5 (v128.const f64x2 0 0))
      (local.set $a6 (v128.const f64x2 0 0)) (local.set $a7 (v128.const f64x2 0 0))
      (local.set $at (i32.add (local.get $x) (local.get $c)))
      (local.set $end (i32.add (local.get $at) (i32.mul (local.get $rows) (local.get $rowBytes))))
      (block $d (loop $l
        (br_if $d (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $v (v128.load (local.get $at)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $v (v128.load offset=16 (local.get $at)))
        (local.set $a2 (f64x2.add (local.get $a2) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $a3 (f64x2.add (local.get $a3) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $v (v128.load offset=32 (local.get $at)))
        (local.set $a4 (f64x2.add (local.get $a4) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $a5 (f64x2.add (local.get $a5) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $v (v128.load offset=48 (local.get $at)))
        (local.set $a6 (f64x2.add (local.get $a6) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $a7 (f64x2.add (local.get $a7) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (br $l)))
      (local.set $at (i32.add (local.get $out) (local.get $c)))
      (v128.store (local.get $at) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a0)) (f32x4.demote_f64x2_zero (local.get $a1))))
      (v128.store offset=16 (local.get $at) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a2)) (f32x4.demote_f64x2_zero (local.get $a3))))
      (v128.store offset=32 (local.get $at) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a4)) (f32x4.demote_f64x2_zero (local.get $a5))))
      (v128.store offset=48 (local.get $at) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a6)) (f32x4.demote_f64x2_zero (local.get $a7))))
      (local.set $c (i32.add (local.get $c) (i32.const 64)))
      (br $each16)))
    (block $done4 (loop $each4
      (br_if $done4 (i32.gt_s (i32.add (local.get $c) (i32.const 16)) (local.get $rowBytes)))
      (local.set $a0 (v128.const f64x2 0 0)) (local.set $a1 (v128.const f64x2 0 0))
      (local.set $at (i32.add (local.get $x) (local.get $c)))
      (local.set $end (i32.add (local.get $at) (i32.mul (local.get $rows) (local.get $rowBytes))))
      (block $d (loop $l
        (br_if $d (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $v (v128.load (local.get $at)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (br $l)))
      (v128.store (i32.add (local.get $out) (local.get $c)) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a0)) (f32x4.demote_f64x2_zero (local.get $a1))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $each4)))
    (block $done1 (loop $each1
      (br_if $done1 (i32.ge_s (local.get $c) (local.get $rowBytes)))
      (local.set $s (f64.const 0))
      (local.set $at (i32.add (local.get $x) (local.get $c)))
      (local.set $end (i32.add (local.get $at) (i32.mul (local.get $rows) (local.get $rowBytes))))
      (block $d (loop $l
        (br_if $d (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (local.get $at)))))
        (local.set $at (i32.add (local.get $at) (local.get $rowBytes)))
        (br $l)))
      (f32.store (i32.add (local.get $out) (local.get $c)) (f32.demote_f64 (local.get $s)))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $each1))))

  ;; addBias: out[r·cols + c] = x[r·cols + c] + b[c] (float32; a bias broadcast over the rows). WASM's
  ;; stock Add takes a per-element index loop for broadcasts.
  (func (export "addBias") (param $x i32) (param $b i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $rowBytes i32) (local $end i32) (local $c i32)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end (i32.add (local.get $x) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (if (i32.eqz (i32.and (local.get $cols) (i32.const 3)))
      (then
        (block $doneR (loop $eachR
          (br_if $doneR (i32.ge_u (local.get $x) (local.get $end)))
          (local.set $c (i32.const 0))
          (block $doneC (loop $eachC
            (br_if $doneC (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $out) (local.get $c)) (f32x4.add
              (v128.load (i32.add (local.get $x) (local.get $c)))
              (v128.load (i32.add (local.get $b) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $eachC)))
          (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
          (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
          (br $eachR))))
      (else
        (block $doneR (loop $eachR
          (br_if $doneR (i32.ge_u (local.get $x) (local.get $end)))
          (local.set $c (i32.const 0))
          (block $doneC (loop $eachC
            (br_if $doneC (i32.ge_u (local.get $c) (local.get $rowBytes)))
            (f32.store (i32.add (local.get $out) (local.get $c)) (f32.add
              (f32.load (i32.add (local.get $x) (local.get $c)))
              (f32.load (i32.add (local.get $b) (local.get $c)))))
            (local.set $c (i32.add (local.get $c) (i32.const 4)))
            (br $eachC)))
          (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
          (local.set $out (i32.add (local.get $out) (local.get $rowBytes)))
          (br $eachR))))))

  ;; transpose: `batch` 2-D transposes of 32-bit elements, out[k·outBatch + c·outRow + r] =
  ;; x[k·inBatch + r·inRow + c] for r < rows, c < cols (strides in elements). 4×4 tiles through
  ;; registers (two rounds of shuffles), the ragged edges element by element.
  (func (export "transpose")
    (param $x i32) (param $out i32) (param $batch i32) (param $rows i32) (param $cols i32)
    (param $inBatch i32) (param $inRow i32) (param $outBatch i32) (param $outRow i32)
    (local $k i32) (local $r i32) (local $c i32) (local $r4 i32) (local $c4 i32) (local $xb i32) (local $ob i32)
    (local $src i32) (local $dst i32) (local $inRowB i32) (local $outRowB i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $r4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $c4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $inRowB (i32.shl (local.get $inRow) (i32.const 2)))
    (local.set $outRowB (i32.shl (local.get $outRow) (i32.const 2)))
    (block $doneK (loop $eachK
      (br_if $doneK (i32.ge_u (local.get $k) (local.get $batch)))
      (local.set $xb (i32.add (local.get $x) (i32.shl (i32.mul (local.get $k) (local.get $inBatch)) (i32.const 2))))
      (local.set $ob (i32.add (local.get $out) (i32.shl (i32.mul (local.get $k) (local.get $outBatch)) (i32.const 2))))
      (local.set $r (i32.const 0))
      (block $doneR (loop $eachR
        (br_if $doneR (i32.ge_u (local.get $r) (local.get $r4)))
        (local.set $c (i32.const 0))
        (block $doneC (loop $eachC
          (br_if $doneC (i32.ge_u (local.get $c) (local.get $c4)))
          (local.set $src (i32.add (local.get $xb)
            (i32.shl (i32.add (i32.mul (local.get $r) (local.get $inRow)) (local.get $c)) (i32.const 2))))
          (local.set $v0 (v128.load (local.get $src)))
          (local.set $v1 (v128.load (i32.add (local.get $src) (local.get $inRowB))))
          (local.set $v2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $inRowB) (i32.const 1)))))
          (local.set $v3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $inRowB) (i32.const 3)))))
          (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
          (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
          (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
          (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
          (local.set $dst (i32.add (local.get $ob)
            (i32.shl (i32.add (i32.mul (local.get $c) (local.get $outRow)) (local.get $r)) (i32.const 2))))
          (v128.store (local.get $dst)
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
          (v128.store (i32.add (local.get $dst) (local.get $outRowB))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
          (v128.store (i32.add (local.get $dst) (i32.shl (local.get $outRowB) (i32.const 1)))
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
          (v128.store (i32.add (local.get $dst) (i32.mul (local.get $outRowB) (i32.const 3)))
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $eachC)))
        ;; The columns beyond the last full tile, for these four rows.
        (block $doneE (loop $eachE
          (br_if $doneE (i32.ge_u (local.get $c) (local.get $cols)))
          (call $element (local.get $xb) (local.get $ob) (local.get $r) (local.get $c) (local.get $inRow) (local.get $outRow))
          (call $element (local.get $xb) (local.get $ob) (i32.add (local.get $r) (i32.const 1)) (local.get $c) (local.get $inRow) (local.get $outRow))
          (call $element (local.get $xb) (local.get $ob) (i32.add (local.get $r) (i32.const 2)) (local.get $c) (local.get $inRow) (local.get $outRow))
          (call $element (local.get $xb) (local.get $ob) (i32.add (local.get $r) (i32.const 3)) (local.get $c) (local.get $inRow) (local.get $outRow))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $eachE)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $eachR)))
      ;; The rows beyond the last full tile.
      (block $doneL (loop $eachL
        (br_if $doneL (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (i32.const 0))
        (block $doneM (loop $eachM
          (br_if $doneM (i32.ge_u (local.get $c) (local.get $cols)))
          (call $element (local.get $xb) (local.get $ob) (local.get $r) (local.get $c) (local.get $inRow) (local.get $outRow))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $eachM)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachL)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $eachK))))

  (func $element (param $xb i32) (param $ob i32) (param $r i32) (param $c i32) (param $inRow i32) (param $outRow i32)
    (i32.store
      (i32.add (local.get $ob) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $outRow)) (local.get $r)) (i32.const 2)))
      (i32.load
        (i32.add (local.get $xb) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $inRow)) (local.get $c)) (i32.const 2))))))

  ;; moveBlocks: out[b, a, :] = x[a, b, :] for a < A, b < B, blocks of blockBytes (a transpose whose
  ;; innermost axis stays innermost), written in order, 16 bytes at a time where blockBytes allows,
  ;; else by memory.copy.
  (func (export "moveBlocks") (param $x i32) (param $out i32) (param $A i32) (param $B i32) (param $blockBytes i32)
    (local $a i32) (local $b i32) (local $src i32) (local $dst i32) (local $i i32) (local $rowBytes i32)
    (local.set $dst (local.get $out))
    (local.set $rowBytes (i32.mul (local.get $B) (local.get $blockBytes)))
    (block $doneB (loop $eachB
      (br_if $doneB (i32.ge_u (local.get $b) (local.get $B)))
      (local.set $src (i32.add (local.get $x) (i32.mul (local.get $b) (local.get $blockBytes))))
      (local.set $a (i32.const 0))
      (block $doneA (loop $eachA
        (br_if $doneA (i32.ge_u (local.get $a) (local.get $A)))
        (if (i32.and (local.get $blockBytes) (i32.const 15))
          (then (memory.copy (local.get $dst) (local.get $src) (local.get $blockBytes)))
          (else
            (local.set $i (i32.const 0))
            (block $doneI (loop $eachI
              (br_if $doneI (i32.ge_u (local.get $i) (local.get $blockBytes)))
              (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.load (i32.add (local.get $src) (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 16)))
              (br $eachI)))))
        (local.set $dst (i32.add (local.get $dst) (local.get $blockBytes)))
        (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $eachA)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $eachB)))))
