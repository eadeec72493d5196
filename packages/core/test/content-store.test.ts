import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  checkoutFromStore,
  gcStore,
  InputError,
  publishToStore,
  readStoreManifest,
  STORE_MANIFEST,
  storeId,
  writeFileAtomic,
} from '../src/index.ts';

function scratch(): { data: string; storeDir: string } {
  const base = mkdtempSync(join(tmpdir(), 'ct-store-'));
  return { data: join(base, 'data'), storeDir: join(base, 'store') };
}

function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

test('publish moves large files into the store as hard links and writes a manifest of their hashes', () => {
  const { data, storeDir } = scratch();
  const stage = join(data, 'features', 'ds10');
  put(join(stage, 'train.arrow'), 'train rows');
  put(join(stage, '.cache', 'r1.f32'), 'samples');
  put(join(stage, 'meta.json'), '{}');
  const summary = publishToStore(stage, { storeDir });
  assert.equal(summary.files, 2);
  assert.equal(summary.added, 2);
  const manifest = readStoreManifest(join(stage, STORE_MANIFEST));
  assert.deepEqual(Object.keys(manifest.files), ['.cache/r1.f32', 'train.arrow']);
  assert.equal(manifest.files['train.arrow'].sha256, sha('train rows'));
  const blob = join(storeDir, 'sha256', sha('train rows').slice(0, 2), sha('train rows'));
  assert.equal(statSync(blob).ino, statSync(join(stage, 'train.arrow')).ino);
  assert.equal(statSync(blob).nlink, 2);
  assert.equal(statSync(blob).mode & 0o777, 0o444);
  assert.ok(
    !existsSync(join(storeDir, 'sha256', sha('{}').slice(0, 2), sha('{}'))),
    'small JSON stays with Nx',
  );
});

test('identical content in two folders is one inode; republishing hashes nothing new', () => {
  const { data, storeDir } = scratch();
  put(join(data, 'a', 'x.arrow'), 'same bytes');
  put(join(data, 'b', 'y.arrow'), 'same bytes');
  publishToStore(join(data, 'a'), { storeDir });
  const b = publishToStore(join(data, 'b'), { storeDir });
  assert.equal(b.deduplicated, 1);
  assert.equal(statSync(join(data, 'a', 'x.arrow')).ino, statSync(join(data, 'b', 'y.arrow')).ino);
  const again = publishToStore(join(data, 'a'), { storeDir });
  assert.deepEqual([again.added, again.deduplicated], [0, 0]);
});

test('an atomic rewrite after publish leaves the stored version intact', () => {
  const { data, storeDir } = scratch();
  const file = join(data, 's', 'w.bin');
  put(file, 'version 1');
  publishToStore(join(data, 's'), { storeDir });
  const v1 = readFileSync(join(data, 's', STORE_MANIFEST), 'utf8');
  writeFileAtomic(file, 'version 2');
  publishToStore(join(data, 's'), { storeDir });
  // Nx restores the older manifest (version 1); checkout brings version 1's bytes back.
  writeFileSync(join(data, 's', STORE_MANIFEST), v1);
  const summary = checkoutFromStore(data, { storeDir });
  assert.equal(summary.relinked, 1);
  assert.equal(readFileSync(file, 'utf8'), 'version 1');
});

test('checkout restores deleted files, removes files the manifest does not name, and leaves others alone', () => {
  const { data, storeDir } = scratch();
  put(join(data, 'train', 'ds08', 'weights.bin'), 'w');
  put(join(data, 'train', 'ds08', 'metrics.json'), '{}');
  publishToStore(join(data, 'train'), { storeDir });
  rmSync(join(data, 'train', 'ds08', 'weights.bin'));
  put(join(data, 'train', 'ds09', 'stale.arrow'), 'from a later version');
  const summary = checkoutFromStore(data, { storeDir });
  assert.deepEqual([summary.manifests, summary.files, summary.relinked, summary.removed], [1, 1, 1, 1]);
  assert.equal(readFileSync(join(data, 'train', 'ds08', 'weights.bin'), 'utf8'), 'w');
  assert.ok(!existsSync(join(data, 'train', 'ds09', 'stale.arrow')));
  assert.ok(existsSync(join(data, 'train', 'ds08', 'metrics.json')));
});

test('a nested folder with its own manifest is not claimed by its parent', () => {
  const { data, storeDir } = scratch();
  put(join(data, 'f', 'ds08', 'x.arrow'), 'x');
  publishToStore(join(data, 'f', 'ds08'), { storeDir });
  put(join(data, 'f', 'top.arrow'), 't');
  const parent = publishToStore(join(data, 'f'), { storeDir });
  assert.equal(parent.files, 1);
  assert.equal(checkoutFromStore(join(data, 'f'), { storeDir }).removed, 0);
  assert.ok(existsSync(join(data, 'f', 'ds08', 'x.arrow')));
});

test('a manifest whose blob is gone, or a malformed manifest, is an InputError naming the file', () => {
  const { data, storeDir } = scratch();
  put(join(data, 's', 'a.arrow'), 'a');
  publishToStore(join(data, 's'), { storeDir });
  rmSync(join(data, 's', 'a.arrow'));
  rmSync(storeDir, { recursive: true, force: true });
  assert.throws(
    () => checkoutFromStore(data, { storeDir }),
    (e: unknown) =>
      e instanceof InputError && /s\/a\.arrow/.test(e.message) && /--skip-nx-cache/.test(e.message),
  );
  writeFileSync(
    join(data, 's', STORE_MANIFEST),
    '{"format":"corpus-tune-store/1","files":{"../x.arrow":{"sha256":"zz"}}}',
  );
  assert.throws(
    () => checkoutFromStore(data, { storeDir }),
    (e: unknown) => e instanceof InputError && e.message.includes(STORE_MANIFEST),
  );
});

test('gc removes only unlinked blobs, down to the size bound', () => {
  const { data, storeDir } = scratch();
  put(join(data, 'keep', 'k.arrow'), 'kept'.repeat(100));
  put(join(data, 'old', 'o1.arrow'), 'old one'.repeat(100));
  put(join(data, 'old', 'o2.arrow'), 'old two'.repeat(100));
  for (const d of ['keep', 'old']) publishToStore(join(data, d), { storeDir });
  rmSync(join(data, 'old'), { recursive: true });
  const summary = gcStore(500, { storeDir });
  assert.equal(summary.blobs, 3);
  assert.equal(
    summary.removed,
    2,
    'both unlinked blobs go; 400 bytes of linked content stay even if over the bound',
  );
  assert.equal(readFileSync(join(data, 'keep', 'k.arrow'), 'utf8'), 'kept'.repeat(100));
  assert.equal(gcStore(0, { storeDir }).removed, 0, 'a linked blob is never removed');
});

test('gc removes the least recently used unlinked blob first and stops at the bound', () => {
  const { data, storeDir } = scratch();
  const texts = { a: 'a'.repeat(300), b: 'b'.repeat(300), c: 'c'.repeat(300) };
  for (const [name, text] of Object.entries(texts)) put(join(data, name, `${name}.arrow`), text);
  for (const name of Object.keys(texts)) publishToStore(join(data, name), { storeDir });
  for (const name of Object.keys(texts)) rmSync(join(data, name), { recursive: true });
  // Ages against publication order and name order, so only the mtime can explain what goes.
  const blob = (text: string): string => join(storeDir, 'sha256', sha(text).slice(0, 2), sha(text));
  const ageSec = { a: 100, b: 300, c: 200 };
  const now = Date.now() / 1000;
  for (const [name, age] of Object.entries(ageSec)) {
    utimesSync(blob(texts[name as keyof typeof texts]), now - age, now - age);
  }
  const summary = gcStore(600, { storeDir });
  assert.equal(summary.removed, 1, '900 bytes over a 600-byte bound: one 300-byte blob goes');
  assert.deepEqual(
    Object.values(texts).map((t) => existsSync(blob(t))),
    [true, false, true],
    'the oldest (b, 300 s) went; a (100 s) and c (200 s) stay',
  );
  assert.equal(gcStore(300, { storeDir }).removed, 1);
  assert.deepEqual(
    Object.values(texts).map((t) => existsSync(blob(t))),
    [true, false, false],
    'next the older of the two left (c)',
  );
});

test('the store id is stable, differs between stores, and changes when gc drops a blob', () => {
  const a = scratch();
  const b = scratch();
  const first = storeId({ storeDir: a.storeDir });
  assert.match(first, /^[0-9a-f-]{36}$/);
  assert.equal(storeId({ storeDir: a.storeDir }), first, 'stable while nothing is removed');
  assert.notEqual(storeId({ storeDir: b.storeDir }), first, 'another checkout, another store, another id');
  put(join(a.data, 'x', 'x.arrow'), 'x'.repeat(100));
  publishToStore(join(a.data, 'x'), { storeDir: a.storeDir });
  assert.equal(gcStore(0, { storeDir: a.storeDir }).removed, 0);
  assert.equal(storeId({ storeDir: a.storeDir }), first, 'a gc that removes nothing keeps the id');
  rmSync(join(a.data, 'x'), { recursive: true });
  assert.equal(gcStore(0, { storeDir: a.storeDir }).removed, 1);
  assert.notEqual(storeId({ storeDir: a.storeDir }), first, 'cached manifests may name the removed blob');
});
