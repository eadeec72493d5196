// Benchmark: EEG framing + spectral features for 10,000 segments (20 ch × 500 samples at 50 Hz),
// ours (packages/features, fft.js) vs numpy strided framing + numpy.fft.rfft on the same data.
// Usage: node --import tsx tools/bench/features/run.ts [--segments 10000]
// Not a test: prints timings and the ratio. Writes its input under tools/bench/features/bench-out/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '@corpus-tune/core';
import { createEegExtractor, resolveEegOptions } from '@corpus-tune/features';

const { values } = parseArgs({
  options: { segments: { type: 'string', default: '10000' }, distinct: { type: 'string', default: '1000' } },
});
const total = Number(values.segments);
const distinct = Math.min(total, Number(values.distinct));
const repeat = Math.ceil(total / distinct);
const CHANNELS = 20;
const SAMPLES = 500;
const segmentLength = CHANNELS * SAMPLES;

// Same data for both: `distinct` seeded segments (EEG-like: alpha tone + noise), visited `repeat` times.
const rng = createRng(2024);
const data = new Float32Array(distinct * segmentLength);
for (let i = 0; i < data.length; i++) {
  const t = (i % SAMPLES) / 50;
  data[i] = 20 * Math.sin(2 * Math.PI * (8 + ((i / SAMPLES) % 7)) * t) + 10 * rng.normal();
}
const outDir = join(fileURLToPath(new URL('.', import.meta.url)), 'bench-out');
mkdirSync(outDir, { recursive: true });
const dataPath = join(outDir, 'segments.f32');
writeFileSync(dataPath, data);

function timeKind(kind: 'spectral' | 'raw') {
  const extractor = createEegExtractor(CHANNELS, SAMPLES, 50, resolveEegOptions({ kind }));
  const out = new Float32Array(100 * extractor.rowLength);
  const first = new Float32Array(extractor.rowLength);
  extractor.extract(data, 0, first, 0);
  const start = performance.now();
  for (let pass = 0; pass < repeat; pass++) {
    for (let s = 0; s < distinct; s++)
      extractor.extract(data, s * segmentLength, out, (s % 100) * extractor.rowLength);
  }
  return { seconds: (performance.now() - start) / 1000, first };
}

const segments = repeat * distinct;
const spectral = timeKind('spectral');
const raw = timeKind('raw');
const peer = spawnSync(
  '/usr/bin/python3',
  [
    join(fileURLToPath(new URL('.', import.meta.url)), 'peer.py'),
    dataPath,
    '--segments',
    String(distinct),
    '--repeat',
    String(repeat),
  ],
  {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  },
);
if (peer.status !== 0) throw new Error(`peer failed: ${peer.stderr}`);
const result = JSON.parse(peer.stdout) as { seconds: number; numpy: string; firstRow: number[] };
let maxDiff = 0;
result.firstRow.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - spectral.first[i]))));

const rate = (s: number) => `${(segments / s).toFixed(0)} segments/s`;
console.log(
  `EEG features, ${segments} segments of 20 ch × 500 samples (50 Hz), 100 frames × 15-sample Hamming windows`,
);
console.log(
  `ours spectral (framing + fft.js + bands + energy + delta): ${spectral.seconds.toFixed(2)} s (${rate(spectral.seconds)})`,
);
console.log(
  `ours raw (framing + taper only):                          ${raw.seconds.toFixed(2)} s (${rate(raw.seconds)})`,
);
console.log(
  `numpy ${result.numpy} spectral (strided framing + numpy.fft.rfft):    ${result.seconds.toFixed(2)} s (${rate(result.seconds)})`,
);
console.log(
  `ratio ours/numpy (spectral): ${(spectral.seconds / result.seconds).toFixed(2)}× (below 1 = ours faster)`,
);
console.log(`max |ours − numpy| on the first segment: ${maxDiff.toExponential(2)}`);
