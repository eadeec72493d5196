import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  grayOf,
  isPenColour,
  otsuThreshold,
  removeSmallObjects,
  tissueFromGray,
} from '../src/tissue-mask.ts';

const OPTIONS = { maxTissueGray: 220, minContrastGray: 8, minObjectCells: 3 };

test('Otsu splits a bimodal histogram between the modes', () => {
  const h = new Float64Array(256);
  for (let i = 0; i < 40; i++) h[150 + (i % 10)] += 10;
  for (let i = 0; i < 60; i++) h[235 + (i % 6)] += 10;
  const t = otsuThreshold(h);
  assert.ok(t >= 159 && t < 235, `threshold ${t}`);
});

test('Otsu matches a brute-force between-class variance maximum', () => {
  const h = new Float64Array(256);
  [
    [20, 3],
    [90, 7],
    [91, 2],
    [200, 9],
    [201, 4],
    [250, 1],
  ].forEach(([g, n]) => (h[g] = n));
  let best = -1;
  let bestT = 0;
  for (let t = 0; t < 255; t++) {
    let w0 = 0,
      s0 = 0,
      w1 = 0,
      s1 = 0;
    for (let g = 0; g < 256; g++)
      if (g <= t) {
        w0 += h[g];
        s0 += g * h[g];
      } else {
        w1 += h[g];
        s1 += g * h[g];
      }
    if (w0 === 0 || w1 === 0) continue;
    const v = w0 * w1 * (s0 / w0 - s1 / w1) ** 2;
    if (v > best) {
      best = v;
      bestT = t;
    }
  }
  assert.equal(otsuThreshold(h), bestT);
});

test('removeSmallObjects drops 8-connected components below the size, keeps the rest', () => {
  const w = 6;
  const mask = Uint8Array.from([1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
  removeSmallObjects(mask, w, 4, 2);
  assert.deepEqual([...mask], [1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
});

test('tissue is the dark side of Otsu; a blank slide has no tissue at all', () => {
  const gray = new Uint8Array(100).fill(245);
  for (let i = 0; i < 30; i++) gray[i] = 170 + (i % 5);
  const { tissue } = tissueFromGray(gray, 10, 10, OPTIONS);
  assert.equal(
    tissue.reduce((a, b) => a + b, 0),
    30,
  );
  const blank = new Uint8Array(100).fill(244);
  blank[7] = 246;
  assert.equal(
    tissueFromGray(blank, 10, 10, OPTIONS).tissue.reduce((a, b) => a + b, 0),
    0,
  );
});

test('grayOf uses Pillow L weights', () => {
  assert.equal(grayOf(255, 255, 255), 255);
  assert.equal(grayOf(100, 0, 0), 29.9);
});

test('isPenColour: green, blue and black ink are ink; H&E stroma, nuclei and glass are not', () => {
  // Stroma, a dense nucleus, a fold, glass (Beer–Lambert with Ruifrok's vectors).
  for (const [r, g, b] of [
    [237, 149, 232],
    [86, 81, 154],
    [150, 60, 160],
    [245, 245, 245],
  ])
    assert.equal(isPenColour(r, g, b), false, `${r} ${g} ${b}`);
  // Green and blue ink on glass and over stroma; black ink.
  for (const [r, g, b] of [
    [67, 191, 81],
    [33, 122, 222],
    [64, 116, 78],
    [32, 30, 36],
  ])
    assert.equal(isPenColour(r, g, b), true, `${r} ${g} ${b}`);
});
