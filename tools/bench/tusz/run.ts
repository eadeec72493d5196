// Benchmark (not a test): the full read → TCP montage → band-pass → resample → segment path, ours vs
// Debian's MNE 1.3 + scipy 1.10 (peer.py) on the same EDF files in one run; prints hours of EEG per
// second for each and the ratio. Single core for both (OMP/BLAS threads pinned to 1 for the peer).
//   node --import tsx tools/bench/tusz/run.ts [--hours H] [--rate 256]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sharedDataDir, workspaceRoot, writeFileAtomic } from '@corpus-tune/core';
import { encodeEdf, processRecording, synthesizeRecording } from '@corpus-tune/tusz-segments';
import type { SegmentOptions } from '@corpus-tune/tusz-segments';

const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '1' },
    rate: { type: 'string', default: '256' },
    repeats: { type: 'string', default: '3' },
  },
});
const hours = Number(values.hours);
const rateHz = Number(values.rate);
const repeats = Number(values.repeats);
const outDir = resolve(workspaceRoot(), 'bench-out', 'tusz');
mkdirSync(outDir, { recursive: true });

// 1. A long synthetic TUSZ-style recording (21 referential electrodes + a 1-Hz IBI channel), since the
//    real files we may keep are 2–17 s long; plus the real TUSZ/Siena files when ../shared/data exists.
const durationSec = Math.round(hours * 3600);
const name = `bench_s001_t000_${rateHz}hz_${durationSec}s`;
const edfPath = join(outDir, `${name}.edf`);
const csvPath = join(outDir, `${name}.csv_bi`);
if (!existsSync(edfPath)) {
  const spec = {
    split: 'train' as const,
    patientId: 'bench',
    sessionId: 's001',
    recordingId: name,
    sampleRateHz: rateHz,
    reference: 'REF' as const,
    durationSec,
    seizures: [{ startSec: 600, stopSec: 700, focal: 'generalised' as const }],
  };
  const refs = synthesizeRecording(spec, 1);
  const signals = [...refs].map(([e, samples]) => ({
    label: `EEG ${e}-REF`,
    sampleRateHz: rateHz,
    physicalMin: -2000,
    physicalMax: 2000,
    samples,
  }));
  signals.push({
    label: 'IBI',
    sampleRateHz: 1,
    physicalMin: 0,
    physicalMax: 1,
    samples: new Float64Array(durationSec),
  });
  writeFileAtomic(edfPath, encodeEdf(signals));
  writeFileAtomic(
    csvPath,
    `# version = csv_v1.0.0\n# duration = ${durationSec}.00 secs\n#\nchannel,start_time,stop_time,label,confidence\nTERM,600.0000,700.0000,seiz,1.0000\n`,
  );
}
const files: { edf: string; annotation: string; label: string }[] = [
  { edf: edfPath, annotation: csvPath, label: `synthetic ${hours} h @ ${rateHz} Hz` },
];
const edfDir = sharedDataDir('edf');
if (existsSync(edfDir)) {
  const tuh = join(sharedDataDir('tusz-annotations'), 'tuh_00009578_s002_t001.tse_bi');
  files.push({
    edf: join(edfDir, 'tuh_00009578_s002_t001.edf'),
    annotation: tuh,
    label: 'real TUH 17 s @ 250 Hz',
  });
} else {
  console.log(`shared data absent (${edfDir}): synthetic recording only`);
}

const options: SegmentOptions = {
  filterOrder: 4,
  lowCutHz: 0.5,
  highCutHz: 35,
  targetRateHz: 50,
  segmentSec: 10,
  minStretchSec: 15,
  montage: 'tcp20',
  annotationToleranceSec: 1,
};

// Two clocks: wall time, and CPU time of this (single-threaded) process — the fairer one on a shared
// machine, since other people's jobs stretch wall time but not our CPU seconds.
function timeOurs(
  edf: string,
  annotation: string,
): { sec: number; cpuSec: number; segments: number; durationSec: number } {
  let best = Infinity;
  let bestCpu = Infinity;
  let result = processRecording(
    { recordingId: 'x', patientId: 'x', sessionId: 'x', edfPath: edf, annotationPath: annotation },
    options,
  );
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    result = processRecording(
      { recordingId: 'x', patientId: 'x', sessionId: 'x', edfPath: edf, annotationPath: annotation },
      options,
    );
    const cpu = process.cpuUsage(c);
    best = Math.min(best, (performance.now() - t) / 1000);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
  }
  return { sec: best, cpuSec: bestCpu, segments: result.windows.length, durationSec: result.durationSec };
}

const peer = spawnSync(
  '/usr/bin/python3',
  [join(import.meta.dirname, 'peer.py'), String(repeats), ...files.flatMap((f) => [f.edf, f.annotation])],
  {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  },
);
if (peer.status !== 0) {
  console.error(peer.stderr);
  process.exit(1);
}
const peerResults = JSON.parse(peer.stdout) as {
  sec: number;
  cpuSec: number;
  segments: number;
  durationSec: number;
}[];

console.log(
  `tusz-segments benchmark: read → 20-ch TCP → 0.5–35 Hz order-4 zero-phase → 50 Hz → 10-s segments; best of ${repeats}, one core`,
);
console.log(`peer: ${peer.stderr.trim().split('\n').pop()}`);
console.log(
  `load average now: ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${(await import('node:os')).cpus().length} cores`,
);
console.log(
  'file | clock | EEG h | ours s | ours h of EEG/s (× real time) | peer s | peer h of EEG/s (× real time) | ours faster by | segments ours/peer',
);
files.forEach((f, i) => {
  const ours = timeOurs(f.edf, f.annotation);
  const p = peerResults[i];
  const h = ours.durationSec / 3600;
  for (const [clock, o, q] of [
    ['cpu', ours.cpuSec, p.cpuSec],
    ['wall', ours.sec, p.sec],
  ] as const) {
    console.log(
      `${f.label} | ${clock} | ${h.toFixed(3)} | ${o.toFixed(3)} | ${(h / o).toFixed(3)} (${(ours.durationSec / o).toFixed(0)}×) | ${q.toFixed(3)} | ${(h / q).toFixed(3)} (${(p.durationSec / q).toFixed(0)}×) | ${(q / o).toFixed(2)}× | ${ours.segments}/${p.segments}`,
    );
  }
});
console.log(`(synthetic file kept in ${outDir}; files there: ${readdirSync(outDir).length})`);
