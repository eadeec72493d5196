import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '@corpus-tune/core';
import { PRESETS, PRESET_NAMES } from './presets.ts';
import type { PresetName } from './presets.ts';
import { SPLIT_NAMES } from './recipe-types.ts';
import type { ClassSpec, Component, Recipe, SplitSpec, Vec2 } from './recipe-types.ts';

/** The folder of shipped recipes (`ds08.json`, …), data files a user can copy and edit. */
export const RECIPES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'recipes');

export function listRecipes(): string[] {
  return readdirSync(RECIPES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

/** Resolves a recipe name (`ds09`) or a path to a JSON recipe file. */
export function recipePath(nameOrPath: string): string {
  if (nameOrPath.endsWith('.json') || nameOrPath.includes('/')) {
    if (!existsSync(nameOrPath)) throw new InputError('recipe file not found', { file: nameOrPath });
    return nameOrPath;
  }
  const path = join(RECIPES_DIR, `${nameOrPath}.json`);
  if (!existsSync(path)) {
    throw new InputError(
      `unknown recipe "${nameOrPath}"; available: ${listRecipes().join(', ')} (or a path to a .json recipe)`,
    );
  }
  return path;
}

export function loadRecipe(nameOrPath: string): { recipe: Recipe; path: string; text: string } {
  const path = recipePath(nameOrPath);
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`recipe is not valid JSON: ${(error as Error).message}`, { file: path });
  }
  return { recipe: parseRecipe(json, path), path, text };
}

type Json = Record<string, unknown>;

/** A validator that reports the JSON path of the offending field. */
class Fields {
  constructor(
    private readonly source: string,
    private readonly path: string,
  ) {}
  fail(field: string, problem: string): never {
    throw new InputError(`recipe field "${this.at(field)}" ${problem}`, { file: this.source });
  }
  at(field: string): string {
    return this.path ? `${this.path}.${field}` : field;
  }
  child(field: string): Fields {
    return new Fields(this.source, this.at(field));
  }
  object(obj: Json, field: string): Json {
    const v = obj[field];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'must be an object');
    return v as Json;
  }
  array(obj: Json, field: string): unknown[] {
    const v = obj[field];
    if (!Array.isArray(v)) this.fail(field, 'must be an array');
    return v;
  }
  string(obj: Json, field: string): string {
    const v = obj[field];
    if (typeof v !== 'string' || v === '') this.fail(field, 'must be a non-empty string');
    return v;
  }
  number(
    obj: Json,
    field: string,
    check: (n: number) => boolean = () => true,
    what = 'a finite number',
  ): number {
    const v = obj[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || !check(v))
      this.fail(field, `must be ${what}, got ${JSON.stringify(v)}`);
    return v;
  }
  vec2(obj: Json, field: string): Vec2 {
    const v = obj[field];
    if (!Array.isArray(v) || v.length !== 2 || !v.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      this.fail(field, `must be [x, y], got ${JSON.stringify(v)}`);
    }
    return [v[0], v[1]];
  }
}

function parseComponent(raw: unknown, f: Fields): Component {
  if (typeof raw !== 'object' || raw === null) f.fail('', 'must be an object');
  const c = raw as Json;
  const weight =
    c.weight === undefined ? undefined : f.number(c, 'weight', (n) => n > 0, 'a positive number');
  const type = f.string(c, 'type');
  switch (type) {
    case 'gaussian': {
      const cov = c.cov;
      const ok =
        Array.isArray(cov) &&
        cov.length === 2 &&
        cov.every(
          (row) =>
            Array.isArray(row) &&
            row.length === 2 &&
            row.every((n) => typeof n === 'number' && Number.isFinite(n)),
        );
      if (!ok) f.fail('cov', 'must be a 2×2 matrix [[a, b], [b, d]]');
      const m = cov as number[][];
      if (m[0][1] !== m[1][0] || !(m[0][0] > 0) || !(m[0][0] * m[1][1] - m[0][1] * m[1][0] > 0)) {
        f.fail('cov', 'must be symmetric positive definite');
      }
      return {
        type,
        mean: f.vec2(c, 'mean'),
        cov: [
          [m[0][0], m[0][1]],
          [m[1][0], m[1][1]],
        ],
        weight,
      };
    }
    case 'ring': {
      const radiusMin = f.number(c, 'radiusMin', (n) => n >= 0, 'a number ≥ 0');
      const radiusMax = f.number(c, 'radiusMax', (n) => n > radiusMin, `a number > radiusMin (${radiusMin})`);
      return { type, center: f.vec2(c, 'center'), radiusMin, radiusMax, weight };
    }
    case 'yin-yang': {
      const half = c.half;
      if (half !== 'yin' && half !== 'yang') f.fail('half', 'must be "yin" or "yang"');
      return {
        type,
        half,
        center: f.vec2(c, 'center'),
        radius: f.number(c, 'radius', (n) => n > 0, 'a positive number'),
        overlap: f.number(c, 'overlap', (n) => n >= 0 && n <= 1, 'a number in [0, 1]'),
        weight,
      };
    }
    case 'shapes': {
      const polygons = f.array(c, 'polygons').map((poly, i) => {
        const pf = f.child(`polygons[${i}]`);
        if (!Array.isArray(poly) || poly.length < 3) pf.fail('', 'must list at least 3 vertices');
        const vertices = poly as unknown[];
        return vertices.map((_, j) => pf.vec2(vertices as unknown as Json, String(j)));
      });
      if (polygons.length === 0) f.fail('polygons', 'must hold at least one polygon');
      return { type, polygons, noiseStd: f.number(c, 'noiseStd', (n) => n >= 0, 'a number ≥ 0'), weight };
    }
    default:
      return f.fail('type', `"${type}" is not one of: gaussian, ring, yin-yang, shapes`);
  }
}

function parseSplit(raw: Json, f: Fields, classCount: number): SplitSpec {
  let classes: ClassSpec[];
  if (raw.preset !== undefined) {
    const preset = f.string(raw, 'preset');
    if (!(PRESET_NAMES as string[]).includes(preset))
      f.fail('preset', `"${preset}" is not one of: ${PRESET_NAMES.join(', ')}`);
    const n = f.number(raw, 'pointsPerClass', (v) => Number.isInteger(v) && v > 0, 'a positive integer');
    const overlap =
      raw.overlap === undefined ? undefined : f.number(raw, 'overlap', (v) => v >= 0 && v <= 1, 'in [0, 1]');
    classes = PRESETS[preset as PresetName](n, overlap);
  } else {
    classes = f.array(raw, 'classes').map((rc, i) => {
      const cf = f.child(`classes[${i}]`);
      if (typeof rc !== 'object' || rc === null) cf.fail('', 'must be an object');
      const cls = rc as Json;
      const count = cf.number(cls, 'count', (v) => Number.isInteger(v) && v > 0, 'a positive integer');
      const components = cf
        .array(cls, 'components')
        .map((c, j) => parseComponent(c, cf.child(`components[${j}]`)));
      if (components.length === 0) cf.fail('components', 'must hold at least one component');
      return { count, components };
    });
  }
  if (classes.length !== classCount) {
    f.fail('classes', `has ${classes.length} classes but classNames lists ${classCount}`);
  }
  return { classes };
}

export function parseRecipe(json: unknown, source: string): Recipe {
  const f = new Fields(source, '');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) f.fail('(root)', 'must be an object');
  const root = json as Json;
  const classNames = f.array(root, 'classNames').map((n, i): string => {
    if (typeof n !== 'string' || n === '') return f.fail(`classNames[${i}]`, 'must be a non-empty string');
    return n;
  });
  if (classNames.length < 2 || classNames.length > 127) f.fail('classNames', 'must list 2 to 127 classes');
  const splitsRaw = f.object(root, 'splits');
  const splits = Object.fromEntries(
    SPLIT_NAMES.map((s) => [
      s,
      parseSplit(f.child('splits').object(splitsRaw, s), f.child(`splits.${s}`), classNames.length),
    ]),
  ) as Record<(typeof SPLIT_NAMES)[number], SplitSpec>;
  return {
    name: f.string(root, 'name'),
    description: typeof root.description === 'string' ? root.description : '',
    classNames,
    seed: f.number(
      root,
      'seed',
      (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 32,
      'an integer in [0, 2^32)',
    ),
    splits,
  };
}
