#!/usr/bin/python3
"""Peer for tools/bench/tusz/run.ts: the same path with Debian's MNE 1.3 + scipy 1.10.

usage: /usr/bin/python3 peer.py REPEATS EDF ANNOTATION
Reads with mne.io.read_raw_edf (preload, the montage electrodes only), derives the 20 TCP channels,
band-passes with scipy.signal.sosfiltfilt (butter 4 high-pass 0.5 Hz stacked on butter 4 low-pass
35 Hz), resamples with scipy.signal.resample_poly to 50 Hz and cuts 10-s segments from stretches
> 15 s. Prints one JSON object on stdout: CPU seconds of this process (time.process_time; the
caller pins BLAS/OpenMP to one thread), best of REPEATS, in total and per step (read, montage,
filter, resample); versions on stderr.
"""
import json
import math
import sys
import time

import mne
import numpy as np
import scipy
from scipy import signal

mne.set_log_level('ERROR')
TCP20 = ['FP1-F7', 'F7-T3', 'T3-T5', 'T5-O1', 'FP2-F8', 'F8-T4', 'T4-T6', 'T6-O2', 'T3-C3', 'C3-CZ',
         'CZ-C4', 'C4-T4', 'FP1-F3', 'F3-C3', 'C3-P3', 'P3-O1', 'FP2-F4', 'F4-C4', 'C4-P4', 'P4-O2']
SEIZ = {'seiz', 'fnsz', 'gnsz', 'spsz', 'cpsz', 'absz', 'tnsz', 'cnsz', 'tcsz', 'atsz', 'mysz', 'nesz'}


def electrode(label):
    name = label.strip()
    if name.upper().startswith('EEG '):
        name = name[4:]
    for suffix in ('-REF', '-LE'):
        if name.upper().endswith(suffix):
            name = name[: -len(suffix)]
    return name.upper()


def events(path):
    out = []
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith('#') or line.startswith('channel') or line.startswith('version'):
                continue
            parts = line.split(',') if ',' in line else line.split()
            if ',' in line:
                out.append((float(parts[1]), float(parts[2]), parts[3]))
            else:
                out.append((float(parts[0]), float(parts[1]), parts[2]))
    return out


def run(edf, ann):
    steps = {}
    clock = time.process_time()

    def lap(name):
        nonlocal clock
        now = time.process_time()
        steps[name] = now - clock
        clock = now

    electrodes = sorted({e for ch in TCP20 for e in ch.split('-')})
    raw = mne.io.read_raw_edf(edf, preload=False)
    picks = [raw.ch_names[i] for i in range(len(raw.ch_names)) if electrode(raw.ch_names[i]) in electrodes]
    raw = mne.io.read_raw_edf(edf, include=picks, preload=True)
    fs = raw.info['sfreq']
    data = raw.get_data() * 1e6
    lap('read')
    idx = {electrode(ch): i for i, ch in enumerate(raw.ch_names)}
    bip = np.stack([data[idx[c.split('-')[0]]] - data[idx[c.split('-')[1]]] for c in TCP20])
    lap('montage')
    sos = np.vstack([signal.butter(4, 0.5, 'highpass', fs=fs, output='sos'), signal.butter(4, 35, 'lowpass', fs=fs, output='sos')])
    filt = signal.sosfiltfilt(sos, bip, axis=1)
    lap('filter')
    a, b = int(round(fs * 1000)), 50000
    g = math.gcd(a, b)
    y = signal.resample_poly(filt, b // g, a // g, axis=1)
    lap('resample')
    duration = data.shape[1] / fs
    seiz = sorted((s, e) for s, e, lab in events(ann) if lab in SEIZ)
    stretches, t = [], 0.0
    for s, e in seiz:
        if s > t:
            stretches.append((t, s))
        stretches.append((s, e))
        t = max(t, e)
    if duration > t:
        stretches.append((t, duration))
    segments = []
    for s, e in stretches:
        if e - s <= 15:
            continue
        start = s
        while start + 10 <= e + 1e-9:
            i = int(round(start * 50))
            if i + 500 <= y.shape[1]:
                segments.append(y[:, i:i + 500].astype(np.float32))
            start += 10
    lap('cut')
    return duration, len(segments), steps


def main():
    repeats = int(sys.argv[1])
    edf, ann = sys.argv[2], sys.argv[3]
    run(edf, ann)  # warm-up (imports, caches), as ours
    best = math.inf
    best_steps = {}
    for _ in range(repeats):
        c = time.process_time()
        duration, n, steps = run(edf, ann)
        total = time.process_time() - c
        best = min(best, total)
        best_steps = {k: min(v, best_steps.get(k, math.inf)) for k, v in steps.items()}
    print(f'MNE {mne.__version__}, scipy {scipy.__version__}, numpy {np.__version__}', file=sys.stderr)
    print(json.dumps({'cpuSec': best, 'steps': best_steps, 'segments': n, 'durationSec': duration}))


if __name__ == '__main__':
    main()
