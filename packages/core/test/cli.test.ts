// runCli's `why` hook: when it runs the recorder, with what, and that a failing record never fails the CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatCliError, whyRecorder } from '../src/cli.ts';
import { InputError } from '../src/errors.ts';

const MAIN = resolve(import.meta.dirname, '..', '..', '..');
let root: string;

before(() => {
  // A workspace whose tools/why/why.ts is a stand-in that logs how it was called, or fails on request.
  root = mkdtempSync(join(tmpdir(), 'core-cli-'));
  symlinkSync(join(MAIN, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  mkdirSync(join(root, 'tools', 'why'), { recursive: true });
  writeFileSync(
    join(root, 'tools', 'why', 'why.ts'),
    [
      "import { appendFileSync } from 'node:fs';",
      "if (process.env.FAKE_WHY_FAIL) { process.stderr.write('\\nwhy: error: boom\\nmore\\n'); process.exit(3); }",
      "appendFileSync('recorded.jsonl', JSON.stringify({ args: process.argv.slice(2), cwd: process.cwd(), " +
        'flag: process.env.CORPUS_TUNE_WHY_RECORD }) + "\\n");',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(root, 'cli.ts'),
    [
      "import { appendFileSync } from 'node:fs';",
      `import { runCli } from ${JSON.stringify(pathToFileURL(join(MAIN, 'packages/core/src/cli.ts')).href)};`,
      `import { InputError } from ${JSON.stringify(pathToFileURL(join(MAIN, 'packages/core/src/errors.ts')).href)};`,
      "await runCli('demo', () => {",
      "  appendFileSync('main.jsonl', JSON.stringify({ flag: process.env.CORPUS_TUNE_WHY_RECORD ?? null }) + '\\n');",
      "  if (process.argv.includes('--fail')) throw new Error('main failed');",
      "  if (process.argv.includes('--input-fail')) throw new InputError('row 3 is short', { file: 'in.csv', " +
        "cause: new Error('parse failed', { cause: new RangeError('column 7 of 6') }) });",
      '});',
      '',
    ].join('\n'),
  );
});

after(() => rmSync(root, { recursive: true, force: true }));

const task = { NX_TASK_TARGET_PROJECT: 'features', NX_TASK_TARGET_TARGET: 'prepare' };

test('whyRecorder: only inside an Nx task, not opted out, not under a test runner', () => {
  const base = { NX_WORKSPACE_ROOT: root };
  assert.equal(whyRecorder({ ...base }), null);
  assert.equal(whyRecorder({ ...base, NX_TASK_TARGET_PROJECT: 'features' }), null);
  assert.equal(whyRecorder({ ...base, ...task, CORPUS_TUNE_WHY_RECORD: '0' }), null);
  assert.equal(whyRecorder({ ...base, ...task, NODE_TEST_CONTEXT: 'child-v8' }), null);
  assert.equal(whyRecorder({ ...task, NX_WORKSPACE_ROOT: tmpdir() }), null, 'no tools/why there');
  const script = join(root, 'tools', 'why', 'why.ts');
  assert.deepEqual(whyRecorder({ ...base, ...task, CORPUS_TUNE_WHY_RECORD: '1' }), {
    task: 'features:prepare',
    cwd: root,
    args: ['--import', 'tsx', script, 'record', 'features:prepare', '--auto'],
  });
  assert.equal(
    whyRecorder({ ...base, ...task, NX_TASK_TARGET_CONFIGURATION: 'ci' })?.task,
    'features:prepare:ci',
  );
  // without NX_WORKSPACE_ROOT: the workspace above packages/core, as paths.ts finds it
  assert.equal(whyRecorder({ ...task })?.cwd, MAIN);
});

function runDemo(args: string[], env: Record<string, string>) {
  rmSync(join(root, 'recorded.jsonl'), { force: true });
  rmSync(join(root, 'main.jsonl'), { force: true });
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        name !== 'NODE_TEST_CONTEXT' && !name.startsWith('NX_') && name !== 'CORPUS_TUNE_WHY_RECORD',
    ),
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...clean, NX_WORKSPACE_ROOT: root, ...env },
  });
  const lines = (file: string) =>
    existsSync(join(root, file))
      ? readFileSync(join(root, file), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
  return { status: r.status, stderr: r.stderr, recorded: lines('recorded.jsonl'), main: lines('main.jsonl') };
}

test('runCli records after main succeeds, once, with recording off for its children', () => {
  const r = runDemo([], task);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.deepEqual(r.main, [{ flag: '0' }], 'processes main spawns inherit CORPUS_TUNE_WHY_RECORD=0');
  assert.deepEqual(r.recorded, [{ args: ['record', 'features:prepare', '--auto'], cwd: root, flag: '0' }]);
});

test('runCli does not record outside Nx, when opted out, or when main fails', () => {
  assert.deepEqual(runDemo([], {}).recorded, []);
  const off = runDemo([], { ...task, CORPUS_TUNE_WHY_RECORD: '0' });
  assert.deepEqual(off.recorded, []);
  assert.deepEqual(off.main, [{ flag: '0' }]);
  const failed = runDemo(['--fail'], task);
  assert.equal(failed.status, 2);
  assert.deepEqual(failed.recorded, []);
});

test('a failing record prints one warning line and leaves the exit code 0', () => {
  const r = runDemo([], { ...task, FAKE_WHY_FAIL: '1' });
  assert.equal(r.status, 0);
  assert.equal(
    r.stderr,
    "demo: warning: could not record features:prepare's inputs for `npm run why`: why: error: boom\n",
  );
});

test('an input error is one line; with --verbose its stack and every cause follow, outermost first', () => {
  const plain = runDemo(['--input-fail'], {});
  assert.equal(plain.status, 1);
  assert.equal(plain.stderr, 'demo: error: in.csv: row 3 is short\n');
  const verbose = runDemo(['--input-fail', '--verbose'], {});
  assert.equal(verbose.status, 1);
  const lines = verbose.stderr.split('\n');
  assert.equal(lines[0], 'demo: error: in.csv: row 3 is short');
  assert.equal(lines[1], 'InputError: in.csv: row 3 is short');
  assert.match(lines[2], /^\s+at .*cli\.ts/, 'the stack of the input error itself');
  const middle = lines.indexOf('caused by: Error: parse failed');
  const root = lines.indexOf('caused by: RangeError: column 7 of 6');
  assert.ok(middle > 2 && root > middle, verbose.stderr);
  assert.match(lines[middle + 1], /^\s+at /, 'each cause prints its stack');
  assert.match(lines[root + 1], /^\s+at /);
});

test('formatCliError: internal errors always carry the chain; non-Error causes and cycles end it', () => {
  const cyclic = new Error('outer');
  const inner = new Error('inner', { cause: cyclic });
  cyclic.cause = inner;
  const internal = formatCliError('x', cyclic, false);
  assert.equal(internal.exitCode, 2);
  assert.match(internal.text, /^x: internal error: Error: outer\n\s+at /);
  assert.equal(internal.text.match(/caused by: /g)?.length, 1, 'the cycle back to outer is not followed');
  assert.match(internal.text, /caused by: Error: inner\n\s+at /);
  const stringCause = formatCliError('x', new InputError('bad', { file: 'f', cause: 'ENOSPC' }), true);
  assert.equal(stringCause.exitCode, 1);
  assert.match(stringCause.text, /\ncaused by: ENOSPC\n$/);
  assert.equal(
    formatCliError('x', new InputError('bad', { file: 'f', cause: 'ENOSPC' }), false).text,
    'x: error: f: bad\n',
  );
});
