import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '@corpus-tune/core';
import { fillPolygon, pointInPolygon, rasterizeRegions } from '../src/polygons.ts';

test('pointInPolygon: square, concave L-shape, and a polygon with a hole-like self-overlap (even-odd)', () => {
  const square = [0, 0, 10, 0, 10, 10, 0, 10];
  assert.equal(pointInPolygon(5, 5, square), true);
  assert.equal(pointInPolygon(15, 5, square), false);
  assert.equal(pointInPolygon(-0.01, 5, square), false);
  const l = [0, 0, 10, 0, 10, 4, 4, 4, 4, 10, 0, 10];
  assert.equal(pointInPolygon(2, 8, l), true);
  assert.equal(pointInPolygon(8, 8, l), false, 'the notch of the L is outside');
  assert.equal(pointInPolygon(8, 2, l), true);
});

test('fillPolygon marks exactly the cells whose centres pointInPolygon puts inside (random polygons)', () => {
  const rng = createRng(4);
  for (let trial = 0; trial < 40; trial++) {
    const n = 3 + rng.int(12);
    const vertices: number[] = [];
    const cx = 40 + rng.float() * 40;
    const cy = 40 + rng.float() * 40;
    for (let i = 0; i < n; i++) {
      // Star-shaped around (cx, cy) with random radii: concave, sometimes leaving the grid.
      const t = (i / n) * Math.PI * 2;
      const r = 5 + rng.float() * 60;
      vertices.push(cx + r * Math.cos(t), cy + r * Math.sin(t));
    }
    const grid = { width: 30, height: 25, cellPx: 4 };
    const out = new Uint8Array(grid.width * grid.height);
    fillPolygon(grid, out, vertices);
    for (let row = 0; row < grid.height; row++) {
      for (let col = 0; col < grid.width; col++) {
        const expected = pointInPolygon((col + 0.5) * grid.cellPx, (row + 0.5) * grid.cellPx, vertices)
          ? 1
          : 0;
        assert.equal(out[row * grid.width + col], expected, `trial ${trial} cell (${col}, ${row})`);
      }
    }
  }
});

test('rasterizeRegions: union of positive regions minus negative (hole) regions', () => {
  const grid = { width: 10, height: 10, cellPx: 1 };
  const mask = rasterizeRegions(grid, [
    { vertices: [0, 0, 6, 0, 6, 6, 0, 6], negative: false },
    { vertices: [4, 4, 10, 4, 10, 10, 4, 10], negative: false },
    { vertices: [1, 1, 3, 1, 3, 3, 1, 3], negative: true },
  ]);
  const at = (x: number, y: number): number => mask[y * 10 + x];
  assert.equal(at(0, 0), 1);
  assert.equal(at(2, 2), 0, 'inside the hole');
  assert.equal(at(8, 8), 1, 'second region');
  assert.equal(at(8, 1), 0, 'outside both');
  assert.equal(
    mask.reduce((a, b) => a + b, 0),
    36 + 36 - 4 - 4,
  );
});
