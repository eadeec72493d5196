#!/usr/bin/python3
"""What MNE 1.3 reads from an EDF+C file with two "EDF Annotations" signals (golden for
packages/tusz-segments/test/edf-reader.test.ts).

Run with Debian's interpreter:
    /usr/bin/python3 tools/golden/edf_plus_c_two_annotation_signals.py
Writes packages/tusz-segments/test/golden/edf_plus_c_two_annotation_signals.json.

The file is built here byte by byte from the EDF+ spec, independently of src/edf-writer.ts; the test
writes the same layout with encodeEdf and checks that its sha256 equals the one recorded here, so both
sides read the same bytes. Layout: 12 records of 0.1 s; signal 0 = the first "EDF Annotations"
(time-keeping TALs, missing in records 4, 7, 9, 10 and 11; record 9 holds an annotation instead),
signal 1 = "EEG FP1-REF" at 100 Hz, signal 2 = a second "EDF Annotations" with more annotations. The
first time-keeping TAL is +0.7 (sub-second start). MNE treats EDF+C as continuous: 12 × 0.1 s = 1.2 s.
"""
import hashlib
import json
import os
import tempfile

import mne
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'packages', 'tusz-segments', 'test', 'golden', 'edf_plus_c_two_annotation_signals.json')

RECORDS = 12
RECORD_SEC = 0.1
SPR = 10  # 100 Hz
TAL_BYTES = 64
# Per record: the TAL text of annotation signal 0 and of annotation signal 2 (the test repeats these).
TK = {0: '+0.7', 1: '+0.8', 2: '+0.9', 3: '+1.0', 5: '+1.2', 6: '+1.3', 8: '+1.5'}
FIRST = {r: f'{t}\x14\x14\x00' for r, t in TK.items()}
FIRST[0] += '+0.75\x150.2\x14seiz start\x14\x00'
FIRST[9] = '+1.6\x14artifact\x14\x00'
SECOND = {2: '+0.9\x14eyes closed\x14\x00', 6: '+1.35\x150.05\x14spike\x14\x00', 11: '+1.7\x150.1\x14end\x14\x00'}


def sample(i):
    return (i * 37) % 200 - 100


def field(text, width):
    return text.ljust(width)[:width]


def edf_bytes():
    labels = ['EDF Annotations', 'EEG FP1-REF', 'EDF Annotations']
    spr = [TAL_BYTES // 2, SPR, TAL_BYTES // 2]
    ns = len(labels)
    h = field('0', 8) + field('X X X X', 80) + field('Startdate X X X X', 80)
    h += field('01.01.20', 8) + field('00.00.00', 8) + field(str(256 * (ns + 1)), 8) + field('EDF+C', 44)
    h += field(str(RECORDS), 8) + field('0.1', 8) + field(str(ns), 4)
    h += ''.join(field(x, 16) for x in labels) + field('', 80) * ns
    h += field('', 8) + field('uV', 8) + field('', 8)
    h += ''.join(field(x, 8) for x in ['-1', '-32768', '-1'])
    h += ''.join(field(x, 8) for x in ['1', '32767', '1'])
    h += field('-32768', 8) * ns + field('32767', 8) * ns + field('', 80) * ns
    h += ''.join(field(str(x), 8) for x in spr) + field('', 32) * ns
    out = bytearray(h.encode('latin1'))
    for r in range(RECORDS):
        for tal in (FIRST.get(r, ''), None, SECOND.get(r, '')):
            if tal is None:
                out += np.array([sample(r * SPR + i) for i in range(SPR)], '<i2').tobytes()
            else:
                b = tal.encode('utf8')
                assert len(b) <= TAL_BYTES
                out += b + bytes(TAL_BYTES - len(b))
    return bytes(out)


def main():
    data = edf_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'two_annotation_signals.edf')
        with open(path, 'wb') as fh:
            fh.write(data)
        raw = mne.io.read_raw_edf(path, preload=True, verbose='ERROR')
        ann = raw.annotations
        golden = {
            'made_by': f'MNE {mne.__version__} read_raw_edf (tools/golden/edf_plus_c_two_annotation_signals.py)',
            'sha256': hashlib.sha256(data).hexdigest(),
            'channels': raw.ch_names,
            'sampleRateHz': float(raw.info['sfreq']),
            'samples': int(raw.n_times),
            'durationSec': float(raw.n_times / raw.info['sfreq']),
            'fp1Uv': [float('%.15g' % v) for v in raw.get_data()[0] * 1e6],
            'annotations': [{'onsetSec': float('%.12g' % o), 'durationSec': float(d), 'text': str(t)}
                            for o, d, t in zip(ann.onset, ann.duration, ann.description)],
        }
    with open(OUT, 'w') as fh:
        json.dump(golden, fh, indent=1)
        fh.write('\n')
    print(json.dumps({k: v for k, v in golden.items() if k != 'fp1Uv'}, indent=1))


if __name__ == '__main__':
    main()
