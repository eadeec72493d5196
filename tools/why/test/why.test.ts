// End to end in a throwaway Nx workspace: a cached run-commands target whose command calls core's
// runCli, so the record hook runs inside a real Nx task; then `why explain` against that record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
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

const MAIN = resolve(import.meta.dirname, '..', '..', '..');
const NX = join(MAIN, 'node_modules', 'nx', 'dist', 'bin', 'nx.js');
let ws: string;

/** The test runner's and any enclosing Nx task's variables would switch the hook off or aim it elsewhere. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
  for (const name of Object.keys(env)) {
    if (name === 'NODE_TEST_CONTEXT' || name.startsWith('NX_TASK_') || name.startsWith('WHY_FIXTURE_'))
      delete env[name];
  }
  for (const name of ['NX_WORKSPACE_ROOT', 'NX_INVOCATION_ANCESTOR_PIDS', 'CORPUS_TUNE_WHY_RECORD'])
    delete env[name];
  return { ...env, ...extra };
}

function nx(task: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [NX, 'run', task], { cwd: ws, encoding: 'utf8', env: cleanEnv(env) });
  assert.equal(r.status, 0, `nx run ${task} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

function why(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; lines: string[]; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tools/why/why.ts', ...args], {
    cwd: ws,
    encoding: 'utf8',
    env: cleanEnv(env),
  });
  return { status: r.status, lines: r.stdout.split('\n').filter((l) => l !== ''), stderr: r.stderr };
}

/** The indented detail lines under the first (header) line. */
const details = (lines: string[]): string[] => lines.filter((l) => l.startsWith('  '));

const snapshotFile = (name: string): string => join(ws, '.nx', 'why', `${name}.json`);

before(() => {
  ws = mkdtempSync(join(tmpdir(), 'why-ws-'));
  symlinkSync(join(MAIN, 'node_modules'), join(ws, 'node_modules'));
  mkdirSync(join(ws, 'tools', 'why'), { recursive: true });
  symlinkSync(join(MAIN, 'tools', 'why', 'why.ts'), join(ws, 'tools', 'why', 'why.ts'));
  mkdirSync(join(ws, 'proj', 'src'), { recursive: true });
  writeFileSync(
    join(ws, 'nx.json'),
    JSON.stringify({ useDaemonProcess: false, neverConnectToCloud: true, tui: { enabled: false } }),
  );
  writeFileSync(
    join(ws, 'package.json'),
    JSON.stringify({ name: 'why-fixture', private: true, type: 'module' }),
  );
  writeFileSync(
    join(ws, 'proj', 'project.json'),
    JSON.stringify({
      name: 'proj',
      targets: {
        build: {
          cache: true,
          command: 'node --import tsx proj/run.ts build',
          options: { env: { WHY_FIXTURE_PROFILE: 'demo' } },
          inputs: ['{projectRoot}/src/**/*', { env: 'WHY_FIXTURE_ENV' }, { env: 'WHY_FIXTURE_PROFILE' }],
          outputs: ['{workspaceRoot}/out/build'],
        },
        report: {
          cache: true,
          dependsOn: ['build'],
          command: 'node --import tsx proj/run.ts report',
          inputs: [{ dependentTasksOutputFiles: '**/*' }],
          outputs: ['{workspaceRoot}/out/report'],
        },
        // cached but without outputs, like test/lint: the hook's recorder skips it
        check: {
          cache: true,
          command: 'node --import tsx proj/run.ts check',
          inputs: ['{projectRoot}/src/**/*'],
        },
      },
    }),
  );
  writeFileSync(
    join(ws, 'proj', 'run.ts'),
    [
      "import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';",
      "import { runCli } from '@corpus-tune/core';",
      "await runCli('fixture', (argv) => {",
      '  const step = argv[0];',
      "  if (step === 'check') return;",
      '  mkdirSync(`out/${step}`, { recursive: true });',
      "  const text = step === 'build'",
      "    ? readdirSync('proj/src').sort().map((f) => readFileSync(`proj/src/${f}`, 'utf8')).join('')",
      "    : readFileSync('out/build/result.txt', 'utf8');",
      '  writeFileSync(`out/${step}/result.txt`, text.toUpperCase());',
      '});',
      '',
    ].join('\n'),
  );
  writeFileSync(join(ws, 'proj', 'src', 'a.txt'), 'a\n');
  writeFileSync(join(ws, 'proj', 'src', 'b.txt'), 'b\n');
});

after(() => rmSync(ws, { recursive: true, force: true }));

test('before any run: explain says there is no record', () => {
  const one = why(['explain', 'proj:build']);
  assert.equal(one.status, 0, one.stderr);
  assert.equal(one.lines.length, 1);
  assert.match(one.lines[0], /^proj:build: no recorded run yet/);
  const all = why(['explain']);
  assert.deepEqual(all.lines, ['no recorded runs yet (.nx/why is written after each run of a data target)']);
  const bad = why(['explain', 'proj:nope']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /why: error: project "proj" has no target "nope"/);
});

test('a real run records every task it ran, without failing or warning', () => {
  const out = nx('proj:report');
  assert.doesNotMatch(out, /warning/);
  for (const name of ['proj__build', 'proj__report'])
    assert.ok(existsSync(snapshotFile(name)), `${name} recorded`);
  const build = JSON.parse(readFileSync(snapshotFile('proj__build'), 'utf8'));
  assert.deepEqual(
    Object.keys(build.files).filter((f: string) => f.startsWith('proj/')),
    ['proj/src/a.txt', 'proj/src/b.txt'],
  );
  assert.deepEqual(build.env, {
    NX_CLOUD_ENCRYPTION_KEY: null,
    WHY_FIXTURE_ENV: null,
    WHY_FIXTURE_PROFILE: 'demo',
  });
  assert.equal(build.lastRunChanges, null);
  const report = JSON.parse(readFileSync(snapshotFile('proj__report'), 'utf8'));
  assert.ok('out/build/result.txt' in report.files, 'the upstream output file the report task hashes');

  nx('proj:check');
  assert.equal(existsSync(snapshotFile('proj__check')), false, 'a target without outputs is not recorded');
});

test('nothing changed: explain says a rerun is a cache hit', () => {
  const r = why(['explain', 'proj:build']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.lines[0],
    /^proj:build: nothing changed since its last run .*; a rerun now is a cache hit\.$/,
  );
  assert.deepEqual(details(r.lines), ['  That run is the first one recorded here.']);
  const all = why(['explain']);
  assert.deepEqual(all.lines, [
    'no input changed for any of the 2 recorded targets: proj:build, proj:report',
  ]);
});

test('one changed input file: explain names exactly that file', () => {
  appendFileSync(join(ws, 'proj', 'src', 'a.txt'), 'more\n');
  const r = why(['explain', 'proj:build']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.lines[0], /^proj:build: inputs changed since its last run/);
  assert.deepEqual(details(r.lines), ['  changed  proj/src/a.txt']);
  // every target with a record, but only those that changed: the report's input (build's output) did not yet
  const all = why(['explain']);
  assert.deepEqual(all.lines.slice(1), ['  changed  proj/src/a.txt']);
  assert.match(all.lines[0], /^proj:build: /);
});

test('added and removed files and hashed env vars are named too', () => {
  writeFileSync(join(ws, 'proj', 'src', 'c.txt'), 'c\n');
  rmSync(join(ws, 'proj', 'src', 'b.txt'));
  const r = why(['explain', 'proj:build'], { WHY_FIXTURE_ENV: 'on' });
  assert.deepEqual(details(r.lines), [
    '  env WHY_FIXTURE_ENV: (unset) → "on"',
    '  changed  proj/src/a.txt',
    '  removed  proj/src/b.txt',
    '  added    proj/src/c.txt',
  ]);
});

test('after the rerun: nothing changed, and explain says why it last ran', () => {
  nx('proj:report');
  const build = why(['explain', 'proj:build']);
  assert.match(build.lines[0], /^proj:build: nothing changed since its last run/);
  assert.deepEqual(details(build.lines), [
    '  It ran because:',
    '    changed  proj/src/a.txt',
    '    removed  proj/src/b.txt',
    '    added    proj/src/c.txt',
  ]);
  const report = why(['explain', 'proj:report']);
  assert.deepEqual(details(report.lines), ['  It ran because:', '    changed  out/build/result.txt']);
  // a cache hit runs no command, so the records stay
  const before = readFileSync(snapshotFile('proj__build'), 'utf8');
  assert.match(nx('proj:report'), /local cache/);
  assert.equal(readFileSync(snapshotFile('proj__build'), 'utf8'), before);
});

test('CORPUS_TUNE_WHY_RECORD=0 switches recording off', () => {
  writeFileSync(join(ws, 'proj', 'src', 'd.txt'), 'd\n');
  nx('proj:build', { CORPUS_TUNE_WHY_RECORD: '0' });
  const r = why(['explain', 'proj:build']);
  assert.deepEqual(details(r.lines), ['  added    proj/src/d.txt']);
});
