import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLogger } from '@corpus-tune/core';
import { selectBackend, BACKEND_CHAIN } from '../src/index.ts';
import type { BackendLoader, BackendName } from '../src/index.ts';

function fakeLoaders(
  available: Partial<Record<BackendName, string>>,
  log: string[],
): Record<BackendName, BackendLoader> {
  const out = {} as Record<BackendName, BackendLoader>;
  for (const name of BACKEND_CHAIN) {
    out[name] = {
      tfjsName: name,
      load: async () => {
        log.push(name);
        const ok = available[name];
        if (ok === undefined) throw new Error(`${name} unavailable (fake)`);
        return ok;
      },
    };
  }
  return out;
}

test('auto walks tensorflow-gpu → webgpu → tensorflow → wasm → cpu and takes the first that loads', async () => {
  const tried: string[] = [];
  const logger = memoryLogger();
  const choice = await selectBackend('auto', {
    loaders: fakeLoaders({ wasm: 'wasm ok', cpu: 'cpu ok' }, tried),
    logger,
  });
  assert.equal(choice.name, 'wasm');
  assert.deepEqual(tried, ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm']);
  assert.deepEqual(
    choice.tried.map((t) => t.ok),
    [false, false, false, true],
  );
  assert.match(
    logger.lines[0],
    /backend wasm — wasm ok \(skipped tensorflow-gpu: tensorflow-gpu unavailable.*webgpu.*tensorflow:/,
  );
});

test('auto prefers a GPU backend when one loads', async () => {
  const tried: string[] = [];
  const choice = await selectBackend('auto', {
    loaders: fakeLoaders({ webgpu: 'adapter', wasm: 'w' }, tried),
  });
  assert.equal(choice.name, 'webgpu');
  assert.deepEqual(tried, ['tensorflow-gpu', 'webgpu']);
});

test('a named backend that fails is an InputError saying why; no silent fallback', async () => {
  await assert.rejects(selectBackend('tensorflow', { loaders: fakeLoaders({ wasm: 'w' }, []) }), {
    name: 'InputError',
    message: /backend "tensorflow" is not available \(tensorflow: tensorflow unavailable/,
  });
});

test('the real chain here: native packages absent (optional) → falls through to a working backend', async () => {
  const logger = memoryLogger();
  const choice = await selectBackend('auto', { logger });
  assert.ok(['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm'].includes(choice.name));
  const native = choice.tried.find((t) => t.name === 'tensorflow');
  if (native && !native.ok)
    assert.match(native.reason, /not installed \(optional: npm i @tensorflow\/tfjs-node\)|failed to load/);
  assert.equal(logger.lines.length, 1);
});
