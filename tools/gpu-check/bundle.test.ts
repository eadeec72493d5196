import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@corpus-tune/core';

// The GPU machine gets only the bundle (no repo, no npm install), so the bundle must start on its own:
// build it as bundle.sh does, run it outside the repo on WASM, and read its table.
test('the gpu-check bundle runs outside the repo and reports the WASM backend', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpu-bundle-'));
  try {
    const bundle = join(dir, 'gpu-bundle');
    const build = spawnSync('sh', ['tools/gpu-check/bundle.sh', bundle], {
      cwd: workspaceRoot(),
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, `bundle.sh failed: ${build.stderr}`);
    const run = spawnSync(
      process.execPath,
      [join(bundle, 'gpu-check.mjs'), '--backends', 'wasm', '--seeds', '1', '--scale', '0.25'],
      { cwd: dir, encoding: 'utf8', timeout: 240_000 },
    );
    assert.equal(run.status, 0, `gpu-check failed:\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /wasm: found/, run.stdout);
    for (const model of ['mlp-m1', 'cnn-m', 'cnn-lstm'])
      assert.match(run.stdout, new RegExp(`\\| ${model} \\| wasm \\| (dense|tfjs) \\|`), run.stdout);
    assert.match(run.stdout, /1 of 1 backends found \(wasm\)/, run.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
