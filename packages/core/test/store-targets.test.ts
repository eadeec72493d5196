import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORED_EXTENSIONS, workspaceRoot } from '../src/index.ts';

interface Target {
  command?: string;
  inputs?: unknown[];
  outputs?: string[];
  cache?: boolean;
}

const targets = readdirSync(join(workspaceRoot(), 'packages')).flatMap((pkg) => {
  const json = JSON.parse(readFileSync(join(workspaceRoot(), 'packages', pkg, 'package.json'), 'utf8')) as {
    nx: { targets: Record<string, Target> };
  };
  return Object.entries(json.nx.targets).map(([name, target]) => ({ id: `${pkg}:${name}`, target }));
});

test('every data target writing under data/ publishes to the store, and Nx caches all but the stored files', () => {
  const data = targets.filter(
    ({ target }) => target.cache && target.outputs?.some((o) => o.includes('/data/')),
  );
  assert.ok(data.length >= 10, `found ${data.length} data targets`);
  for (const { id, target } of data) {
    const published = [...(target.command ?? '').matchAll(/--publish(?:-each)? (\S+)/g)].flatMap((m) =>
      m[1].split(','),
    );
    const cached = (target.outputs ?? []).filter((o) => !o.startsWith('!'));
    const expected = published.flatMap((dir) => [
      `{workspaceRoot}/${dir}/**/*`,
      ...STORED_EXTENSIONS.map((ext) => `!{workspaceRoot}/${dir}/**/*${ext}`),
    ]);
    if (id === 'report:report') {
      assert.deepEqual(published, [], 'the report is small and cached whole');
      continue;
    }
    assert.ok(published.length > 0, `${id}: command does not publish to the store`);
    assert.deepEqual(cached.length, published.length, `${id}: every output folder is published`);
    assert.deepEqual([...(target.outputs ?? [])].sort(), expected.sort(), `${id}: outputs`);
  }
});

test('every target that reads or writes the store hashes its id, so a cache hit is for this store', () => {
  const users = targets.filter(({ target }) => (target.command ?? '').includes('corpus-store.js run'));
  assert.ok(users.length >= 10, `found ${users.length} store users`);
  for (const { id, target } of users) assert.ok(target.inputs?.includes('store'), `${id}: no "store" input`);
  const nx = JSON.parse(readFileSync(join(workspaceRoot(), 'nx.json'), 'utf8')) as {
    namedInputs: Record<string, unknown>;
  };
  assert.deepEqual(nx.namedInputs.store, [{ runtime: 'node packages/core/bin/corpus-store.js id' }]);
});
