import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureOptions, writeFixtureCorpus } from './fixture-corpus.ts';
import { openslideMissing, sharedMissing, slidesDir, tempDir } from './helpers.ts';

const bin = fileURLToPath(new URL('../bin/tudp-patches.js', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

test('inspect SLIDE --json prints the documented keys', { skip: sharedMissing || openslideMissing }, () => {
  const r = run(['inspect', join(slidesDir, 'CMU-1-Small-Region.svs'), '--json']);
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const key of ['vendor', 'levels', 'mppX', 'mppY', 'objectivePower', 'properties'])
    assert.ok(key in info, key);
  assert.deepEqual(info.levels, [{ width: 2220, height: 2967, downsample: 1 }]);
  assert.equal(info.objectivePower, 20);
  assert.equal((info.properties as Record<string, string>)['aperio.AppMag'], '20');
});

test(
  'inspect on an unreadable slide exits 1 with one line naming the file and the problem',
  { skip: sharedMissing || openslideMissing },
  () => {
    const path = join(slidesDir, 'openslide-python_unreadable.svs');
    const r = run(['inspect', path, '--json']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `tudp-patches: error: ${path}: OpenSlide failed reading region (0, 0) level 0 16×16: Bogus marker length\n`,
    );
  },
);

test('prepare ends with a one-line summary and progress on stderr', async (t) => {
  const dir = tempDir(t);
  const root = join(dir, 'corpus');
  await writeFixtureCorpus(root);
  const o = fixtureOptions(root, join(dir, 'out'));
  const r = run([
    'prepare',
    '--root',
    root,
    '--out',
    o.outDir,
    '--patch-size',
    '256',
    '--train',
    '24',
    '--dev',
    '6',
    '--eval',
    '6',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const last = r.stderr.trim().split('\n').at(-1)!;
  assert.match(
    last,
    /^tudp-patches: tudp train\/dev\/eval 24\/6\/6 patches → .* in [\d.]+s; slides: 5 processed, 0 reused, 0 skipped; \d+ patches read from slides$/,
  );
  assert.match(r.stderr, /^slides: 5\/5 slides/m);
});
