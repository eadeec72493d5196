import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { InputError } from '@corpus-tune/core';
import { sampleBalanced } from '../src/sampling.ts';
import type { SlideCandidate } from '../src/sampling.ts';
import { checkPatientDisjoint, identifySlide, splitForPatient } from '../src/splits.ts';

test('identifySlide: split folder, patient folder, or the slide as its own patient; --patient-pattern overrides', () => {
  assert.deepEqual(identifySlide('/c', join('/c', 'train', 'p01', 'a.svs')), {
    slideId: 'train/p01/a',
    patientId: 'p01',
    splitFromPath: 'train',
  });
  assert.deepEqual(identifySlide('/c', join('/c', 'Test', 'p9', 'x', 'b.tiff')), {
    slideId: 'Test/p9/x/b',
    patientId: 'p9',
    splitFromPath: 'eval',
  });
  assert.deepEqual(identifySlide('/c', join('/c', 'TCGA-AB-1234-01Z.svs')), {
    slideId: 'TCGA-AB-1234-01Z',
    patientId: 'TCGA-AB-1234-01Z',
    splitFromPath: null,
  });
  const re = /^(TCGA-\w\w-\w{4})/;
  assert.equal(identifySlide('/c', join('/c', 'TCGA-AB-1234-01Z.svs'), re).patientId, 'TCGA-AB-1234');
  assert.throws(() => identifySlide('/c', join('/c', 'other.svs'), re), InputError);
});

test('splitForPatient is stable, seeded, and follows the split fractions', () => {
  const fractions = { train: 10000, dev: 2500, eval: 2500 };
  assert.equal(splitForPatient('p1', 1, fractions), splitForPatient('p1', 1, fractions));
  const counts = { train: 0, dev: 0, eval: 0 };
  for (let i = 0; i < 3000; i++) counts[splitForPatient(`patient-${i}`, 7, fractions)]++;
  assert.ok(Math.abs(counts.train / 3000 - 2 / 3) < 0.04, JSON.stringify(counts));
  assert.ok(Math.abs(counts.dev / 3000 - 1 / 6) < 0.03, JSON.stringify(counts));
});

test('a patient in two splits is an error naming both slides', () => {
  assert.throws(
    () =>
      checkPatientDisjoint([
        { slideId: 'train/p1/a', patientId: 'p1', split: 'train' },
        { slideId: 'eval/p1/b', patientId: 'p1', split: 'eval' },
      ]),
    /patient p1 is in two splits: train\/p1\/a \(train\) and eval\/p1\/b \(eval\)/,
  );
});

const pool = (slides: string[], perSlide: number): SlideCandidate[] =>
  slides.flatMap((slideId) =>
    Array.from({ length: perSlide }, (_, i) => ({
      slideId,
      x: i * 512,
      y: 0,
      label: i % 3 === 0 ? ('dcis' as const) : ('indc' as const),
      tissueFraction: 1,
    })),
  );

test('sampling is balanced, seeded, order-independent, and capped by what is available', () => {
  const candidates = pool(['a', 'b', 'c'], 30);
  const { patches, perClass } = sampleBalanced(candidates, 40, 3);
  assert.equal(patches.filter((p) => p.label === 'indc').length, 20);
  assert.equal(patches.filter((p) => p.label === 'dcis').length, 20);
  assert.deepEqual(perClass.dcis, { wanted: 20, available: 30, taken: 20 });
  const again = sampleBalanced([...candidates].reverse(), 40, 3).patches;
  assert.deepEqual(again, patches, 'the enumeration order does not matter');
  assert.notDeepEqual(sampleBalanced(candidates, 40, 4).patches, patches, 'the seed does');
  const short = sampleBalanced(candidates, 100, 3);
  assert.deepEqual(short.perClass.dcis, { wanted: 50, available: 30, taken: 30 });
});

test('adding a slide keeps most existing picks (bottom-k), so little needs re-extraction', () => {
  const before = sampleBalanced(pool(['a', 'b', 'c', 'd'], 40), 60, 1).patches;
  const after = sampleBalanced(pool(['a', 'b', 'c', 'd', 'e'], 40), 60, 1).patches;
  const key = (p: SlideCandidate): string => `${p.slideId}:${p.x}`;
  const kept = new Set(before.map(key));
  const fresh = after.filter((p) => !kept.has(key(p)));
  assert.ok(
    fresh.every((p) => p.slideId === 'e'),
    'only the new slide contributes new picks',
  );
});
