import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixtureCorpus } from './fixture-corpus.ts';
import { tempDir } from './helpers.ts';

const bin = fileURLToPath(new URL('../bin/tudp-patches.js', import.meta.url));
const COMMON = ['--seed', '3', '--patch-size', '256', '--train', '24', '--dev', '8', '--eval', '8'];
const SHARDS = 3;

/** Every output file (the per-slide cache excluded: it is the shards' work area) → its bytes. */
function outputBytes(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const rel = relative(dir, path);
      if (rel === 'cache') continue;
      if (statSync(path).isDirectory()) walk(path);
      else out[rel] = readFileSync(path);
    }
  };
  walk(dir);
  return out;
}

function runPrepare(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, 'prepare', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

test(`${SHARDS} concurrent \`prepare --shard i/${SHARDS}\` processes, then a merging prepare, write the same bytes as one unsharded run`, async (t) => {
  const dir = tempDir(t);
  const root = join(dir, 'corpus');
  await writeFixtureCorpus(root);
  const one = join(dir, 'one');
  const plain = spawnSync(process.execPath, [bin, 'prepare', '--root', root, '--out', one, ...COMMON], {
    encoding: 'utf8',
  });
  assert.equal(plain.status, 0, plain.stderr);

  const sharded = join(dir, 'sharded');
  const shards = await Promise.all(
    Array.from({ length: SHARDS }, (_, i) =>
      runPrepare(['--root', root, '--out', sharded, ...COMMON, '--shard', `${i}/${SHARDS}`]),
    ),
  );
  for (const s of shards) assert.equal(s.code, 0, s.stderr);
  const merge = await runPrepare(['--root', root, '--out', sharded, ...COMMON]);
  assert.equal(merge.code, 0, merge.stderr);
  // The merge did no coordinate work of its own: every slide came from a shard.
  assert.match(merge.stderr, /slides: 0 processed, 5 reused, 0 skipped/);

  const expected = outputBytes(one);
  const actual = outputBytes(sharded);
  assert.deepEqual(Object.keys(actual), Object.keys(expected));
  assert.deepEqual(Object.keys(expected), ['dev.arrow', 'eval.arrow', 'report.json', 'train.arrow']);
  for (const [file, bytes] of Object.entries(expected)) {
    if (file === 'report.json') continue;
    assert.ok(bytes.equals(actual[file]), `${file} differs between the sharded and the unsharded run`);
  }
  // The report differs only where it says what this run did: the merge reused what the shards processed.
  const runOnly = (text: Buffer): unknown =>
    JSON.parse(text.toString(), (key, value: unknown) =>
      key === 'processed' || key === 'reused' || key === 'status' ? undefined : value,
    );
  assert.deepEqual(runOnly(actual['report.json']), runOnly(expected['report.json']));
});
