// Benchmark (not a test): the full read → TCP montage → band-pass → resample → segment path, ours vs
// Debian's MNE 1.3 + scipy 1.10 (peer.py) on the same EDF files in one run, one core each (ours is
// single-threaded; the peer's BLAS/OpenMP are pinned to one thread). Clock: CPU seconds of each
// process, best of --repeats (a shared machine stretches wall time, not CPU seconds). Prints per
// file the totals, the ratio, and one line per step (read, montage, filter, resample) for both.
//   node --import tsx tools/bench/tusz/run.ts [--hours 1] [--rates 250,256,400,512] [--repeats 3]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sharedDataDir, workspaceRoot, writeFileAtomic } from '@corpus-tune/core';
import {
  createResampler,
  demoCsvBi,
  demoRecordings,
  designBandpass,
  encodeEdf,
  montageFilterResample,
  planChannels,
  processRecording,
  readEdf,
  resampleRatio,
  sosArray,
  synthesizeRecording,
  TCP20,
} from '@corpus-tune/tusz-segments';
import type { DspTimings, SegmentOptions } from '@corpus-tune/tusz-segments';

const { values } = parseArgs({
  options: {
    hours: { type: 'string', default: '1' },
    rates: { type: 'string', default: '250,256,400,512' },
    repeats: { type: 'string', default: '3' },
  },
});
const hours = Number(values.hours);
const rates = values.rates.split(',').map(Number);
const repeats = Number(values.repeats);
if (!(hours > 0) || rates.some((r) => !(r > 100)) || !(repeats >= 1))
  throw new Error('--hours > 0, --rates above 100 Hz and --repeats ≥ 1 expected');
const outDir = resolve(workspaceRoot(), 'bench-out', 'tusz');
mkdirSync(outDir, { recursive: true });

// 1. Long synthetic TUSZ-style recordings (21 referential electrodes + a 1-Hz IBI channel) at each
//    TUSZ rate, since the real files we may keep are 2–17 s long; plus the real TUH file when
//    ../shared/data exists.
function synthetic(rateHz: number): { edf: string; annotation: string; label: string } {
  const durationSec = Math.round(hours * 3600);
  const name = `bench_s001_t000_${rateHz}hz_${durationSec}s`;
  const edf = join(outDir, `${name}.edf`);
  const annotation = join(outDir, `${name}.csv_bi`);
  if (!existsSync(edf)) {
    // One demo patient's recording (seizures and artefacts as the demo draws them) at this rate.
    const spec = {
      ...demoRecordings({ seed: 1, patients: { train: 1, dev: 0, eval: 0 }, durationSec })[0],
      recordingId: name,
      sampleRateHz: rateHz,
      reference: 'REF' as const,
    };
    const signals = [...synthesizeRecording(spec, 1)].map(([e, samples]) => ({
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
    writeFileAtomic(edf, encodeEdf(signals));
    writeFileAtomic(annotation, demoCsvBi(spec));
  }
  return { edf, annotation, label: `synthetic ${hours} h @ ${rateHz} Hz` };
}
const files = rates.map(synthetic);
const edfDir = sharedDataDir('edf');
if (existsSync(edfDir)) {
  files.push({
    edf: join(edfDir, 'tuh_00009578_s002_t001.edf'),
    annotation: join(sharedDataDir('tusz-annotations'), 'tuh_00009578_s002_t001.tse_bi'),
    label: 'real TUH 17 s @ 250 Hz',
  });
} else {
  console.log(`shared data absent (${edfDir}): synthetic recordings only`);
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

const STEPS = ['read', 'montage', 'filter', 'resample'] as const;
interface Timing {
  cpuSec: number;
  steps: Record<string, number>;
  segments: number;
  durationSec: number;
}

function cpuSec(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

function timeOurs(edf: string, annotation: string): Timing {
  const ref = { recordingId: 'x', patientId: 'x', sessionId: 'x', edfPath: edf, annotationPath: annotation };
  let result = processRecording(ref, options); // warm-up, as the peer
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const c = cpuSec();
    result = processRecording(ref, options);
    best = Math.min(best, cpuSec() - c);
  }
  // The steps, timed on their own (the same calls processRecording makes), best of `repeats` each.
  const steps: Record<string, number> = {};
  const keep = (k: string, v: number): void => {
    steps[k] = Math.min(v, steps[k] ?? Infinity);
  };
  for (let r = 0; r < repeats; r++) {
    const c = cpuSec();
    const file = readEdf(edf);
    keep('read', cpuSec() - c);
    const plan = planChannels(file.header.signals, TCP20, edf);
    const sos = sosArray(designBandpass(4, 0.5, 35, plan.sampleRateHz).sos);
    const { up, down } = resampleRatio(plan.sampleRateHz, 50);
    const t: DspTimings = { montageCpuMs: 0, filterCpuMs: 0, resampleCpuMs: 0 };
    montageFilterResample(file, plan, sos, createResampler(up, down), t);
    keep('montage', t.montageCpuMs / 1000);
    keep('filter', t.filterCpuMs / 1000);
    keep('resample', t.resampleCpuMs / 1000);
  }
  return { cpuSec: best, steps, segments: result.windows.length, durationSec: result.durationSec };
}

let peerVersions = '';
function timePeer(edf: string, annotation: string): Timing {
  const peer = spawnSync(
    '/usr/bin/python3',
    [join(import.meta.dirname, 'peer.py'), String(repeats), edf, annotation],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    },
  );
  if (peer.status !== 0) throw new Error(`peer.py failed on ${edf}:\n${peer.stderr}`);
  peerVersions = peer.stderr.trim().split('\n').pop() ?? '';
  return JSON.parse(peer.stdout) as Timing;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(
  `tusz-segments benchmark: read → 20-ch TCP → 0.5–35 Hz order-4 zero-phase → 50 Hz → 10-s segments; CPU seconds, best of ${repeats}, one core each`,
);
console.log(`load average at start: ${load()} on ${cpus().length} cores`);
const rows: string[] = [];
for (const f of files) {
  // Peer and ours back to back per file, so both see about the same load.
  const peer = timePeer(f.edf, f.annotation);
  const ours = timeOurs(f.edf, f.annotation);
  const h = ours.durationSec / 3600;
  const x = (sec: number): string => `${(ours.durationSec / sec).toFixed(0)}×`;
  console.log(
    `\n${f.label} (${h.toFixed(3)} h of EEG; load ${load()}): ours ${ours.cpuSec.toFixed(3)} s (${x(ours.cpuSec)} real time), peer ${peer.cpuSec.toFixed(3)} s (${x(peer.cpuSec)}), ours faster by ${(peer.cpuSec / ours.cpuSec).toFixed(2)}×; segments ${ours.segments}/${peer.segments}`,
  );
  for (const s of STEPS)
    console.log(
      `  ${s.padEnd(8)} ours ${ours.steps[s].toFixed(3)} s  peer ${peer.steps[s].toFixed(3)} s  → ${(peer.steps[s] / ours.steps[s]).toFixed(2)}×`,
    );
  rows.push(
    `| ${f.label} | ${ours.cpuSec.toFixed(3)} | ${peer.cpuSec.toFixed(3)} | ${(peer.cpuSec / ours.cpuSec).toFixed(2)}× | ${STEPS.map((s) => `${ours.steps[s].toFixed(2)}/${peer.steps[s].toFixed(2)}`).join(' | ')} |`,
  );
}
console.log(`\npeer: ${peerVersions}; load average at end: ${load()}`);
console.log(
  `\n| file | ours CPU s | peer CPU s | ours faster by | ${STEPS.map((s) => `${s} ours/peer s`).join(' | ')} |`,
);
console.log(`|${' --- |'.repeat(4 + STEPS.length)}`);
for (const r of rows) console.log(r);
console.log(`(synthetic files kept in ${outDir})`);
