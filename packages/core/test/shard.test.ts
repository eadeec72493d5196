import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShardFlag, shardOf } from '../src/index.ts';

test('parseShardFlag: I/N in, { index, count } out; absent is undefined', () => {
  assert.deepEqual(parseShardFlag('1/4'), { index: 1, count: 4 });
  assert.deepEqual(parseShardFlag(' 0/1 '), { index: 0, count: 1 });
  assert.equal(parseShardFlag(undefined), undefined);
});

test('parseShardFlag rejects bad input with a message naming the flag and the value', () => {
  for (const bad of ['x', '1', '1/', '/4', '-1/4', '1.5/4', '1/4/2', ''])
    assert.throws(() => parseShardFlag(bad), {
      message: `--shard must look like I/N (e.g. 0/4), got "${bad}"`,
    });
  assert.throws(() => parseShardFlag('4/4'), /^InputError: --shard 4\/4: need 0 ≤ I < N/);
  assert.throws(() => parseShardFlag('0/0'), /--shard 0\/0: need 0 ≤ I < N/);
  assert.throws(() => parseShardFlag('x', '--part'), /^InputError: --part must look like I\/N/);
});

// Expected shards from Python: int(hashlib.sha256(key.encode('utf-8')).hexdigest()[:8], 16) % count.
test('shardOf: the first 32 bits of SHA-256(key) mod count, as Python computes it', () => {
  const cases: [string, number, number][] = [
    ['slide-0', 4, 3],
    ['slide-0', 7, 6],
    ['aaaaaaas_s001_t000', 4, 3],
    ['tudp-demo-03', 4, 0],
    ['tudp-demo-03', 7, 6],
    ['', 7, 1],
    ['é', 4, 2],
  ];
  for (const [key, count, shard] of cases) assert.equal(shardOf(key, count), shard, `${key} of ${count}`);
  assert.equal(shardOf('anything', 1), 0);
  assert.throws(() => shardOf('x', 0), /shard count must be a positive integer, got 0/);
});

test('shardOf spreads 1,000 ids over 4 shards about evenly (counts from Python)', () => {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 1000; i++) counts[shardOf(`slide-${i}`, 4)]++;
  assert.deepEqual(counts, [240, 236, 241, 283]);
});
