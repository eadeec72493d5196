#!/usr/bin/python3
"""Golden outputs for packages/tusz-segments, made by Debian's MNE 1.3 and scipy 1.10.

Run with Debian's interpreter (it has python3-mne/-scipy/-numpy):
    /usr/bin/python3 tools/golden/tusz_golden.py
Writes packages/tusz-segments/test/golden/*.json. The EDF files themselves stay in ../shared/data
(data licences); only small derived numbers are committed.

Per EDF file:
  reading   MNE read_raw_edf physical values (µV) of each TCP electrode at a few sample indices
  filtered  scipy.signal.sosfiltfilt of one bipolar channel at the source rate, with the band-pass
            defined as butter(4, 0.5 Hz, 'highpass') stacked on butter(4, 35 Hz, 'lowpass') (SOS),
            every `stride`-th sample (plus the first and last 50, where edge handling shows)
  output    the full pipeline: bipolar TCP channels → sosfiltfilt → resample_poly(up, down) at 50 Hz
Plus MNE read_annotations for the EDF+ files with TALs.
"""
import json
import math
import os
import subprocess
import sys

import mne
import numpy as np
from scipy import signal

mne.set_log_level('ERROR')
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EDF_DIR = os.path.join(ROOT, '..', 'shared', 'data', 'edf')
OUT = os.path.join(ROOT, 'packages', 'tusz-segments', 'test', 'golden')

TCP20 = ['FP1-F7', 'F7-T3', 'T3-T5', 'T5-O1', 'FP2-F8', 'F8-T4', 'T4-T6', 'T6-O2', 'T3-C3', 'C3-CZ',
         'CZ-C4', 'C4-T4', 'FP1-F3', 'F3-C3', 'C3-P3', 'P3-O1', 'FP2-F4', 'F4-C4', 'C4-P4', 'P4-O2']

# file, output channels kept in the golden (all 20 for short files, a few for long ones)
FILES = [
    ('tuh_00009578_s002_t001.edf', ['FP1-F7', 'T4-T6', 'C4-P4']),
    ('tusz2_aaaaapks_s016_t001.edf', TCP20),
    ('tusz2_aaaaahln_s002_t000.edf', TCP20),
    ('tusz2_aaaaaaac_s001_t000_sample.edf', TCP20),
    ('siena_PN00-5_sample.edf', TCP20),
]
ANNOTATED = ['edfReader_edfPlusC.edf', 'pyedflib_test_utf8.edf', 'wfdb_test_edfann.edf', 'stagpoint_Discontinuous2.edf',
             'edfio_SC4001EC-Hypnogram.edf', 'pyedflib_test_generator.edf']


def electrode(label):
    name = label.strip()
    if name.upper().startswith('EEG '):
        name = name[4:]
    for suffix in ('-REF', '-LE'):
        if name.upper().endswith(suffix):
            name = name[: -len(suffix)]
    return name.upper()


def band_sos(order, low, high, fs):
    return np.vstack([signal.butter(order, low, 'highpass', fs=fs, output='sos'),
                      signal.butter(order, high, 'lowpass', fs=fs, output='sos')])


def ratio(fs, target=50):
    a, b = int(round(fs * 1000)), int(round(target * 1000))
    g = math.gcd(a, b)
    return b // g, a // g


def num(x):
    return [float('%.15g' % v) for v in x]


def main():
    if not os.path.isdir(EDF_DIR):
        sys.exit(f'shared data absent: {EDF_DIR}')
    os.makedirs(OUT, exist_ok=True)
    for name, keep in FILES:
        raw = mne.io.read_raw_edf(os.path.join(EDF_DIR, name), preload=True)
        fs = raw.info['sfreq']
        by_electrode = {}
        for i, ch in enumerate(raw.ch_names):
            by_electrode.setdefault(electrode(ch), i)
        data_uv = raw.get_data() * 1e6  # MNE returns volts
        n = data_uv.shape[1]
        idx = sorted(set([0, 1, 2, n // 3, n // 2, n - 2, n - 1]))
        electrodes = sorted({e for ch in TCP20 for e in ch.split('-')})
        reading = {e: {'label': raw.ch_names[by_electrode[e]], 'indices': idx, 'valuesUv': num(data_uv[by_electrode[e], idx])}
                   for e in electrodes}
        bip = {ch: data_uv[by_electrode[ch.split('-')[0]]] - data_uv[by_electrode[ch.split('-')[1]]] for ch in TCP20}
        sos = band_sos(4, 0.5, 35, fs)
        up, down = ratio(fs)
        filt = {ch: signal.sosfiltfilt(sos, bip[ch]) for ch in keep}
        # MNE's own IIR path: its Butterworth design (create_filter, order 4, output='sos') for the
        # high-pass and the low-pass, applied by filter_data with scipy's default padlen (3·(2·4+1) = 27;
        # MNE's own default pads by its ringing estimate instead, which changes the edges).
        mne_sos = np.vstack([
            mne.filter.create_filter(bip[keep[0]], fs, 0.5, None, method='iir', iir_params=dict(order=4, ftype='butter', output='sos'))['sos'],
            mne.filter.create_filter(bip[keep[0]], fs, None, 35.0, method='iir', iir_params=dict(order=4, ftype='butter', output='sos'))['sos'],
        ])
        mne_filtered = mne.filter.filter_data(bip[keep[0]][None, :], fs, 0.5, 35.0, method='iir', iir_params=dict(sos=mne_sos, padlen=27))[0]
        stride = max(1, n // 400)
        sel = sorted(set(list(range(0, min(50, n))) + list(range(0, n, stride)) + list(range(max(0, n - 50), n))))
        first = keep[0]
        golden = {
            'file': name,
            'sampleRateHz': fs,
            'samples': n,
            'made_by': f'MNE {mne.__version__}, scipy {__import__("scipy").__version__}, numpy {np.__version__} (tools/golden/tusz_golden.py)',
            'filter': {'order': 4, 'lowCutHz': 0.5, 'highCutHz': 35, 'sos': sos.tolist()},
            'resample': {'up': up, 'down': down},
            'reading': reading,
            'filtered': {'channel': first, 'indices': sel, 'valuesUv': num(filt[first][sel])},
            'mne': {'sos': mne_sos.tolist(), 'filteredUv': num(mne_filtered[sel])},
            'output': {ch: num(signal.resample_poly(filt[ch], up, down)) for ch in keep},
        }
        with open(os.path.join(OUT, name.replace('.edf', '.json')), 'w') as fh:
            json.dump(golden, fh, separators=(',', ':'))
    annotations = {}
    for name in ANNOTATED:
        a = mne.read_annotations(os.path.join(EDF_DIR, name))
        annotations[name] = [{'onsetSec': float(o), 'durationSec': float(d), 'text': str(t)} for o, d, t in zip(a.onset, a.duration, a.description)]
    with open(os.path.join(OUT, 'annotations.json'), 'w') as fh:
        json.dump({'made_by': f'MNE {mne.__version__} read_annotations', 'files': annotations}, fh, ensure_ascii=False, separators=(',', ':'))
    # Physical values of every file MNE can read: for each channel at the file's highest rate (MNE
    # up-samples slower channels, so those are not comparable), values at four sample indices. Channel k
    # is the k-th non-annotation signal (MNE drops annotation signals and renames duplicates).
    every = {}
    for name in sorted(os.listdir(EDF_DIR)):
        try:
            raw = mne.io.read_raw_edf(os.path.join(EDF_DIR, name), preload=True)
        except Exception as error:  # noqa: BLE001 - recorded as MNE's verdict
            every[name] = {'mneError': f'{type(error).__name__}: {error}'}
            continue
        n = raw.n_times
        spr = raw._raw_extras[0]['n_samps']
        full = [k for k in range(len(raw.ch_names)) if spr[k] == max(spr)]
        idx = sorted(set([0, 1, int(n) // 2, int(n) - 1])) if n > 0 else []
        # MNE returns SI units (uV → ×1e-6, mV → ×1e-3, anything else ×1); undo that per channel so
        # the golden holds values in the file's own physical dimension.
        scale = raw._raw_extras[0]['units']
        data = raw.get_data(picks=full) if full and n > 0 else []
        every[name] = {'channels': [{'k': int(k), 'indices': idx, 'valuesPhysical': num(data[j][idx] / scale[k])} for j, k in enumerate(full)] if n > 0 else []}
    with open(os.path.join(OUT, 'reading_all.json'), 'w') as fh:
        json.dump({'made_by': f'MNE {mne.__version__} read_raw_edf, values in each signal\'s physical dimension', 'files': every}, fh, separators=(',', ':'))
    # A synthetic check of resample_poly at every TUSZ rate (no data licence involved).
    t = np.arange(0, 20, 1 / 1024)
    synth = {}
    for fs in (250, 256, 400, 512):
        x = np.sin(2 * np.pi * 3 * np.arange(int(20 * fs)) / fs) + 0.5 * np.sin(2 * np.pi * 30 * np.arange(int(20 * fs)) / fs)
        up, down = ratio(fs)
        synth[str(fs)] = {'up': up, 'down': down, 'output': num(signal.resample_poly(x, up, down))}
    with open(os.path.join(OUT, 'resample_poly_synthetic.json'), 'w') as fh:
        json.dump({'made_by': 'scipy resample_poly; x = sin(2π·3t) + 0.5·sin(2π·30t), 20 s', 'rates': synth}, fh, separators=(',', ':'))
    del t
    # The repository's format check runs prettier over JSON too; format the goldens the same way.
    subprocess.run(['npx', 'prettier', '--write', OUT], cwd=ROOT, check=False, stdout=subprocess.DEVNULL)


if __name__ == '__main__':
    main()
