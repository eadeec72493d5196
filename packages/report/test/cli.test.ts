import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixture } from './fixtures.ts';

const BIN = fileURLToPath(new URL('../bin/report.js', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

test('report build --data --out writes the three files and ends with a one-line summary', () => {
  const root = mkdtempSync(join(tmpdir(), 'ct-report-cli-'));
  const { dataDir } = writeFixture(root);
  const out = join(root, 'out');
  const r = run(['build', '--data', dataDir, '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['index.html', 'report.md', 'report.json']) assert.ok(existsSync(join(out, f)), f);
  assert.match(
    r.stdout,
    /^report: 5 corpora \(results for ds10, tusz\), 7 systems → .*\/out\/index\.html, report\.md, report\.json in \d+\.\ds\n$/,
  );
});

test('an unknown command is one error line and exit 1', () => {
  const r = run(['publish']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^report: error: unknown command "publish"/);
});
