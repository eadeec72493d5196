// check-report runs on a report the report package built from a complete data dir, then on the
// same data with one network system removed or failed: only the complete one may pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonAtomic } from '@corpus-tune/core';
import { buildReport, CORPORA } from '@corpus-tune/report';

const CHECK = resolve(fileURLToPath(import.meta.url), '../../check-report.ts');

interface SystemSpec {
  system: string;
  label: string;
  kind: string;
  origin: string;
  protocol: string | null;
}

// The systems the pipeline writes per corpus (train's zoo, and one pick per tuner protocol).
const TWO_D: SystemSpec[] = [
  { system: 'mlp-m1', label: 'MLP-M1', kind: 'mlp', origin: 'manual', protocol: null },
  { system: 'mlp-m2', label: 'MLP-M2', kind: 'mlp', origin: 'manual', protocol: null },
  { system: 'mlp-a1', label: 'MLP-A1', kind: 'mlp', origin: 'poster-layout', protocol: null },
  { system: 'mlp-a2', label: 'MLP-A2', kind: 'mlp', origin: 'poster-layout', protocol: null },
];
const PER_CORPUS: Record<string, SystemSpec[]> = {
  ds08: TWO_D,
  ds09: TWO_D,
  ds10: TWO_D,
  tudp: [
    { system: 'cnn-m', label: 'CNN-M', kind: 'cnn', origin: 'manual', protocol: null },
    { system: 'cnn-a', label: 'CNN-A', kind: 'cnn', origin: 'poster-layout', protocol: null },
  ],
  tusz: [
    { system: 'cnn-lstm', label: 'CNN+LSTM', kind: 'cnn-lstm', origin: 'manual', protocol: null },
    { system: 'lstm', label: 'LSTM', kind: 'lstm', origin: 'ours', protocol: null },
  ],
};
const BASELINES: SystemSpec[] = [
  { system: 'knn', label: 'KNN', kind: 'knn', origin: 'baseline', protocol: null },
  { system: 'rf', label: 'RNF', kind: 'rf', origin: 'baseline', protocol: null },
];
const CENTROID: SystemSpec = {
  system: 'centroid',
  label: 'Nearest centroid',
  kind: 'centroid',
  origin: 'baseline',
  protocol: null,
};
/** Train's nearest-centroid baseline is made for tudp and tusz only. */
const centroidFor = (corpus: string): SystemSpec[] =>
  corpus === 'tudp' || corpus === 'tusz' ? [CENTROID] : [];
const tunerPicks = (corpus: string): SystemSpec[] =>
  (['ours', 'keras-tuner'] as const).map((protocol) => {
    const kind = corpus === 'tudp' ? 'cnn' : corpus === 'tusz' ? 'lstm' : 'mlp';
    return {
      system: `${kind}-a-${protocol}`,
      label: `${kind.toUpperCase()}-A`,
      kind,
      origin: 'autotuned',
      protocol,
    };
  });

const rate = (r: number) => ({ rate: r, lower95: r - 0.01, upper95: r + 0.01, n: 1000 });

function writeSystem(dataDir: string, corpus: string, s: SystemSpec, failed = false): void {
  // Where the stages write them: train's zoo under train/, a tuner's pick in its study folder.
  const dir = s.protocol
    ? join(dataDir, 'tune', corpus, s.protocol)
    : join(dataDir, 'train', corpus, s.system);
  writeJsonAtomic(join(dir, 'metrics.json'), {
    corpus,
    ...s,
    status: failed ? 'failed' : 'completed',
    ...(failed ? { reason: 'NaN loss at epoch 1', errors: null } : {}),
    ...(failed ? {} : { errors: { train: rate(0.1), dev: rate(0.2), eval: rate(0.3) } }),
  });
}

async function check(mutate: (dataDir: string) => void): Promise<{ status: number | null; stderr: string }> {
  const root = mkdtempSync(join(tmpdir(), 'check-report-'));
  try {
    const dataDir = join(root, 'data');
    for (const corpus of CORPORA)
      for (const s of [...PER_CORPUS[corpus], ...BASELINES, ...centroidFor(corpus), ...tunerPicks(corpus)])
        writeSystem(dataDir, corpus, s);
    mutate(dataDir);
    await buildReport({ dataDir, progress: () => ({ tick: () => undefined, done: () => undefined }) });
    const r = spawnSync(process.execPath, ['--import', 'tsx', CHECK], {
      env: { ...process.env, CORPUS_TUNE_DATA: dataDir },
      encoding: 'utf8',
    });
    return { status: r.status, stderr: r.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('a report with every network system of every corpus passes', async () => {
  const r = await check(() => {});
  assert.equal(r.status, 0, r.stderr);
});

test('a missing manual network system fails the check, naming corpus and system', async () => {
  const r = await check((dataDir) => rmSync(join(dataDir, 'train', 'ds09', 'mlp-m2'), { recursive: true }));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ds09: MLP-M2 is not in the report/);
});

test('a missing tuner pick fails the check', async () => {
  const r = await check((dataDir) =>
    rmSync(join(dataDir, 'tune', 'tusz', 'keras-tuner'), { recursive: true }),
  );
  assert.equal(r.status, 1);
  assert.match(r.stderr, /tusz: the keras-tuner protocol's autotuned system is not in the report/);
});

test('a failed network system fails the check even when the corpus has baselines and Bayes rows', async () => {
  const r = await check((dataDir) => writeSystem(dataDir, 'tudp', PER_CORPUS.tudp[0], true));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /tudp: CNN-M failed: NaN loss at epoch 1/);
});

test('a missing nearest-centroid baseline on tusz fails the check (issue 15 compares against it)', async () => {
  const r = await check((dataDir) => rmSync(join(dataDir, 'train', 'tusz', 'centroid'), { recursive: true }));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /tusz: Nearest centroid is not in the report/);
});

test('a missing KNN / RF baseline alone does not fail it (only networks and the centroid are required)', async () => {
  const r = await check((dataDir) => rmSync(join(dataDir, 'train', 'ds08', 'knn'), { recursive: true }));
  assert.equal(r.status, 0, r.stderr);
});
