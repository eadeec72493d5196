import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readRunMetadata, sharedDataDir } from '@corpus-tune/core';
import {
  formatImldCsv,
  generateCorpus,
  parseImldCsv,
  readImldCsv,
  readPointsArrow,
  RECIPES_DIR,
} from '../src/index.ts';

const BIN = fileURLToPath(new URL('../bin/imld-gen.js', import.meta.url));
const SET_10 = sharedDataDir('imld', 'set_10');
const fast = { scale: 0.01, bayesDraws: 20_000 };

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('same recipe + seed ⇒ byte-identical Arrow files; another seed differs', () => {
  const a = mkdtempSync(join(tmpdir(), 'imld-a-'));
  const b = mkdtempSync(join(tmpdir(), 'imld-b-'));
  const c = mkdtempSync(join(tmpdir(), 'imld-c-'));
  generateCorpus('ds10', a, fast);
  generateCorpus('ds10', b, fast);
  generateCorpus('ds10', c, { ...fast, seed: 99 });
  for (const split of ['train', 'dev', 'eval']) {
    const fa = readFileSync(join(a, 'ds10', `${split}.arrow`));
    assert.ok(fa.equals(readFileSync(join(b, 'ds10', `${split}.arrow`))), `${split} differs between runs`);
    assert.ok(!fa.equals(readFileSync(join(c, 'ds10', `${split}.arrow`))), `${split} ignores the seed`);
  }
  assert.equal(
    readFileSync(join(a, 'ds10', 'manifest.json'), 'utf8'),
    readFileSync(join(b, 'ds10', 'manifest.json'), 'utf8'),
  );
});

test('output schema and metadata: columns, class names, seed, scale, recipe hash, Bayes error', () => {
  const out = mkdtempSync(join(tmpdir(), 'imld-m-'));
  const result = generateCorpus('ds09', out, fast);
  assert.equal(result.status, 'generated');
  const train = readPointsArrow(join(out, 'ds09', 'train.arrow'));
  assert.equal(train.label.length, 5000);
  assert.deepEqual(train.classNames, ['0', '1']);
  const meta = readRunMetadata(join(out, 'ds09', 'dev.arrow'));
  assert.equal(meta.stage, 'imld-gen');
  assert.equal(meta.seed, 9);
  assert.equal((meta.params as { scale: number }).scale, 0.01);
  assert.match(meta.codeVersion, /^@corpus-tune\/imld-gen@\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
  assert.match(meta.inputs['ds09.json'], /^[0-9a-f]{64}$/);
  const bayes = meta.bayesError as { rate: number; lower95: number; upper95: number; draws: number };
  assert.equal(bayes.draws, 20_000);
  assert.ok(bayes.lower95 <= bayes.rate && bayes.rate <= bayes.upper95);
});

test('a current corpus is reused; editing its recipe regenerates it', () => {
  const out = mkdtempSync(join(tmpdir(), 'imld-r-'));
  const recipes = mkdtempSync(join(tmpdir(), 'imld-recipes-'));
  const recipe = join(recipes, 'ds09.json');
  cpSync(join(RECIPES_DIR, 'ds09.json'), recipe);
  assert.equal(generateCorpus(recipe, out, fast).status, 'generated');
  assert.equal(generateCorpus(recipe, out, fast).status, 'reused');
  assert.equal(generateCorpus(recipe, out, { ...fast, scale: 0.02 }).status, 'generated');
  const edited = JSON.parse(readFileSync(recipe, 'utf8'));
  edited.splits.dev.classes[0].components[0].mean = [-0.7, 0];
  writeFileSync(recipe, JSON.stringify(edited));
  assert.equal(generateCorpus(recipe, out, { ...fast, scale: 0.02 }).status, 'generated');
  writeFileSync(join(out, 'ds09', 'dev.arrow'), 'corrupted');
  assert.equal(
    generateCorpus(recipe, out, { ...fast, scale: 0.02 }).status,
    'generated',
    'a damaged output is redone',
  );
});

test('IMLD CSV export → import round-trips every float32 exactly', () => {
  const out = mkdtempSync(join(tmpdir(), 'imld-csv-'));
  generateCorpus('ds08', out, fast);
  const points = readPointsArrow(join(out, 'ds08', 'eval.arrow'));
  const text = formatImldCsv(points, ['a comment']);
  assert.ok(text.startsWith('# a comment\n'));
  const back = parseImldCsv(text, 'mem.csv');
  assert.deepEqual(back.classNames, points.classNames);
  assert.ok(Buffer.from(back.x.buffer).equals(Buffer.from(points.x.buffer)));
  assert.ok(Buffer.from(back.y.buffer).equals(Buffer.from(points.y.buffer)));
  assert.deepEqual(back.label, points.label);
});

test(
  'CLI import/export round-trip of the real set_10 files',
  { skip: existsSync(SET_10) ? false : `shared data absent: ${SET_10}` },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'imld-set10-'));
    for (const split of ['train', 'dev', 'eval']) {
      const csv = join(SET_10, `${split}.csv`);
      const arrow = join(dir, `${split}.arrow`);
      const imp = cli('import', csv, '--out', arrow);
      assert.equal(imp.code, 0, imp.stderr);
      const direct = readImldCsv(csv);
      const table = readPointsArrow(arrow);
      assert.equal(table.label.length, split === 'train' ? 100_000 : 10_000);
      assert.deepEqual(table.classNames, ['0', '1']);
      assert.equal(table.label.filter((l) => l === 1).length, table.label.length / 2);
      // First row of train.csv is "0,0.022375,-0.645610".
      if (split === 'train')
        assert.deepEqual(
          [table.label[0], table.x[0], table.y[0]],
          [0, Math.fround(0.022375), Math.fround(-0.64561)],
        );
      assert.deepEqual(table.x, direct.x);
      const exp = cli('export', arrow, '--out', join(dir, `${split}.csv`));
      assert.equal(exp.code, 0, exp.stderr);
      const again = readImldCsv(join(dir, `${split}.csv`));
      assert.deepEqual(again.x, table.x);
      assert.deepEqual(again.y, table.y);
      assert.deepEqual(again.label, table.label);
    }
  },
);

test('CLI errors are one line naming the problem, exit 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'imld-err-'));
  const unknown = cli('generate', '--recipe', 'ds99', '--out', dir);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^imld-gen: error: unknown recipe "ds99"; available: ds08, ds09, ds10/);
  assert.equal(unknown.stderr.trim().split('\n').length, 1);

  const bad = join(dir, 'bad.json');
  const recipe = JSON.parse(readFileSync(join(RECIPES_DIR, 'ds09.json'), 'utf8'));
  recipe.splits.eval.classes[1].components[0].cov = [
    [0.01, 0.5],
    [0.5, 0.01],
  ];
  writeFileSync(bad, JSON.stringify(recipe));
  const malformed = cli('generate', '--recipe', bad, '--out', dir);
  assert.equal(malformed.code, 1);
  assert.match(
    malformed.stderr,
    /bad\.json: recipe field "splits\.eval\.classes\[1\]\.components\[0\]\.cov" must be symmetric positive definite/,
  );

  const csv = join(dir, 'bad.csv');
  writeFileSync(csv, '# header\n0,0.1,0.2\n1,0.3\n');
  const badCsv = cli('import', csv, '--out', join(dir, 'x.arrow'));
  assert.equal(badCsv.code, 1);
  assert.match(badCsv.stderr, /bad\.csv: line 3: expected "label, x, y" \(3 fields\), got 2/);

  const scale = cli('generate', '--recipe', 'ds09', '--scale', 'abc');
  assert.match(scale.stderr, /--scale must be a number, got "abc"/);
  const help = cli('generate', '--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--bayes-draws N/);
  assert.equal(existsSync(join(dir, 'x.arrow')), false, 'no output written for a bad CSV');
});
