#!/usr/bin/python3
"""Golden EEG framing + spectral features from numpy, for packages/features/test/golden.

Run with Debian's numpy:  /usr/bin/python3 tools/golden/features_framing.py
Writes packages/features/test/golden/framing.json: a 2-channel, 10-s, 50-Hz segment (float32),
the numpy.hamming(15) taper, and for taper hamming and none the raw frames [100, 2, 15] and the
spectral features [100, 2, 7] (5 log band powers, log energy, its delta), computed independently
of the TypeScript code:
  * reflection padding: numpy.pad(mode="reflect"), 5 samples each side;
  * framing: sliding_window_view(padded, 15)[::5] (numpy strided framing);
  * spectra: numpy.fft.rfft(tapered, n=16), |X|^2 summed over bins lo <= f < hi (last band
    includes its upper edge), natural log with a 1e-10 floor;
  * delta: regression over +-2 frames with edge replication (numpy.pad mode="edge").
"""
import json
import os

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

RATE_HZ = 50
SAMPLES = 500
HOP = 5
WINDOW = 15
NFFT = 16
EDGES_HZ = [0.5, 4, 8, 13, 20, 25]
FLOOR = 1e-10
DELTA_N = 2


def f32(v):
    """Shortest text that round-trips the float32 value (9 significant digits)."""
    return float("%.9g" % np.float32(v))


def features(x, taper):
    padded = np.pad(x, ((0, 0), (5, 5)), mode="reflect")
    frames = sliding_window_view(padded, WINDOW, axis=1)[:, ::HOP, :]  # (C, 100, 15)
    tapered = frames * taper
    raw = tapered.transpose(1, 0, 2)  # (100, C, 15)
    power = np.abs(np.fft.rfft(tapered, n=NFFT, axis=-1)) ** 2
    freqs = np.fft.rfftfreq(NFFT, 1 / RATE_HZ)
    bands = []
    for b in range(len(EDGES_HZ) - 1):
        lo, hi = EDGES_HZ[b], EDGES_HZ[b + 1]
        last = b == len(EDGES_HZ) - 2
        mask = (freqs >= lo) & ((freqs <= hi) if last else (freqs < hi))
        bands.append(np.log(power[..., mask].sum(-1) + FLOOR))
    energy = np.log((tapered**2).sum(-1) + FLOOR)  # (C, 100)
    e = np.pad(energy, ((0, 0), (DELTA_N, DELTA_N)), mode="edge")
    n_frames = energy.shape[1]
    delta = sum(n * (e[:, DELTA_N + n : DELTA_N + n + n_frames] - e[:, DELTA_N - n : DELTA_N - n + n_frames]) for n in range(1, DELTA_N + 1))
    delta = delta / (2 * sum(n * n for n in range(1, DELTA_N + 1)))
    spectral = np.stack(bands + [energy, delta], axis=-1).transpose(1, 0, 2)  # (100, C, 7)
    return raw, spectral


def main():
    rng = np.random.default_rng(20240512)
    t = np.arange(SAMPLES) / RATE_HZ
    x = np.stack(
        [
            30 * np.sin(2 * np.pi * 10 * t) + 5 * rng.standard_normal(SAMPLES),
            20 * np.sin(2 * np.pi * 3 * t + 0.3) + 10 * np.sin(2 * np.pi * 22 * t) * (t > 5) + rng.standard_normal(SAMPLES),
        ]
    ).astype(np.float32)
    x64 = x.astype(np.float64)
    out = {
        "source": "tools/golden/features_framing.py (numpy %s)" % np.__version__,
        "sampleRateHz": RATE_HZ,
        "channels": 2,
        "samplesPerChannel": SAMPLES,
        "input": [f32(v) for v in x.reshape(-1)],
        "hammingWindow": [float(v) for v in np.hamming(WINDOW)],
    }
    for name, taper in (("hamming", np.hamming(WINDOW)), ("none", np.ones(WINDOW))):
        raw, spectral = features(x64, taper)
        out[name] = {
            "rawShape": list(raw.shape),
            "raw": [f32(v) for v in raw.reshape(-1)],
            "spectralShape": list(spectral.shape),
            "spectral": [f32(v) for v in spectral.reshape(-1)],
        }
    path = os.path.join(os.path.dirname(__file__), "..", "..", "packages", "features", "test", "golden", "framing.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
