import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLines, silentProgress } from '../src/progress.ts';

test('progressLines hands every throttled line to write; silentProgress takes the same calls', () => {
  const lines: string[] = [];
  const p = progressLines((l) => lines.push(l))({ label: 'slides', total: 2, unit: 'slides', intervalMs: 0 });
  p.tick(1, 'a');
  p.done();
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^slides: 1\/2 slides, .* slides\/s, ETA .*, a$/);
  assert.match(lines[1], /^slides: 1\/2 slides, .*total$/);
  const quiet = silentProgress({ label: 'x' });
  quiet.tick();
  quiet.done();
});
