#!/usr/bin/python3
"""numpy peer for tools/bench/features/run.ts: strided framing + numpy.fft.rfft spectral features.

Reads the float32 segments the TS runner wrote (N x 20 x 500), computes the same features as
packages/features (reflect pad 5, 15-sample Hamming windows every 5 samples, rfft n=16, 5 log band
powers, log energy, its +-2-frame regression delta) for `--repeat` passes over them, in chunks so
memory stays bounded, and prints one JSON line: seconds, segments, and a checksum row for comparison.
"""
import argparse
import json
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

EDGES_HZ = [0.5, 4, 8, 13, 20, 25]


def spectral(x, taper, masks):
    padded = np.pad(x, ((0, 0), (0, 0), (5, 5)), mode="reflect")
    frames = sliding_window_view(padded, 15, axis=2)[:, :, ::5, :] * taper  # (S, C, 100, 15)
    power = np.abs(np.fft.rfft(frames, n=16, axis=-1)) ** 2
    bands = np.log(power @ masks + 1e-10)  # (S, C, 100, 5)
    energy = np.log((frames**2).sum(-1) + 1e-10)  # (S, C, 100)
    e = np.pad(energy, ((0, 0), (0, 0), (2, 2)), mode="edge")
    delta = ((e[..., 3:103] - e[..., 1:101]) + 2 * (e[..., 4:104] - e[..., 0:100])) / 10
    out = np.concatenate([bands, energy[..., None], delta[..., None]], axis=-1)  # (S, C, 100, 7)
    return out.transpose(0, 2, 1, 3).astype(np.float32)  # (S, 100, C, 7)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--segments", type=int, required=True)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--chunk", type=int, default=100)
    args = parser.parse_args()
    data = np.fromfile(args.path, dtype=np.float32).reshape(args.segments, 20, 500).astype(np.float64)
    taper = np.hamming(15)
    freqs = np.fft.rfftfreq(16, 1 / 50)
    masks = np.zeros((9, 5))
    for b in range(5):
        lo, hi = EDGES_HZ[b], EDGES_HZ[b + 1]
        masks[:, b] = (freqs >= lo) & ((freqs <= hi) if b == 4 else (freqs < hi))
    first = None
    start = time.perf_counter()
    for _ in range(args.repeat):
        for s in range(0, args.segments, args.chunk):
            out = spectral(data[s : s + args.chunk], taper, masks)
            if first is None:
                first = out[0]
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "segments": args.segments * args.repeat, "numpy": np.__version__, "firstRow": [float(v) for v in first.reshape(-1)[:2800]]}))


if __name__ == "__main__":
    main()
