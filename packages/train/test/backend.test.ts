import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryLogger } from '@corpus-tune/core';
import { selectBackend, nativeGpuVerdict, nativeLoader, BACKEND_CHAIN } from '../src/index.ts';
import type { BackendLoader, BackendName, NativeDeps } from '../src/index.ts';

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

// tfjs-node's NodeJSKernelBackend as it reports itself: isGPUPackage (loaded from tfjs-node-gpu) and
// isUsingGpuDevice (the binding placed ops on a GPU). Injected, since no libtensorflow is installed here.
function fakeNative(backend: unknown, log: string[]): NativeDeps {
  return {
    importPackage: async (specifier) => {
      log.push(`import ${specifier}`);
    },
    findBackend: () => backend,
    activate: async (name) => {
      log.push(`activate ${name}`);
    },
  };
}

test('tensorflow-gpu is taken only when the native backend says GPU package and GPU device', async () => {
  const log: string[] = [];
  const yes = nativeLoader(
    '@tensorflow/tfjs-node-gpu',
    true,
    fakeNative({ isGPUPackage: true, isUsingGpuDevice: true }, log),
  );
  const choice = await selectBackend('tensorflow-gpu', { loaders: { 'tensorflow-gpu': yes } });
  assert.equal(choice.name, 'tensorflow-gpu');
  assert.match(choice.reason, /uses a GPU device/);
  assert.deepEqual(log, ['import @tensorflow/tfjs-node-gpu', 'activate tensorflow']);
});

test('tfjs-node-gpu without CUDA (no GPU device) is skipped by auto and refused by name', async () => {
  const log: string[] = [];
  const noDevice = nativeLoader(
    '@tensorflow/tfjs-node-gpu',
    true,
    fakeNative({ isGPUPackage: true, isUsingGpuDevice: false }, log),
  );
  const fallback = fakeLoaders({ wasm: 'wasm ok' }, []);
  const choice = await selectBackend('auto', { loaders: { ...fallback, 'tensorflow-gpu': noDevice } });
  assert.equal(choice.name, 'wasm');
  assert.match(choice.tried[0].reason, /loaded but TensorFlow found no GPU device/);
  assert.deepEqual(
    log,
    ['import @tensorflow/tfjs-node-gpu'],
    'a CPU-only tensorflow backend is never activated',
  );
  await assert.rejects(selectBackend('tensorflow-gpu', { loaders: { 'tensorflow-gpu': noDevice } }), {
    name: 'InputError',
    message: /no GPU device/,
  });
});

test('the CPU tfjs-node package, or a backend that does not say, is not a GPU', () => {
  assert.deepEqual(nativeGpuVerdict({ isGPUPackage: false, isUsingGpuDevice: false }).gpu, false);
  assert.match(
    nativeGpuVerdict({ isGPUPackage: false, isUsingGpuDevice: true }).reason,
    /not the GPU package/,
  );
  assert.match(nativeGpuVerdict({}).reason, /does not say/);
  assert.match(nativeGpuVerdict(undefined).reason, /does not say/);
  assert.equal(nativeGpuVerdict({ isGPUPackage: true, isUsingGpuDevice: true }).gpu, true);
});

test('the native CPU loader does not ask about a GPU', async () => {
  const log: string[] = [];
  const cpu = nativeLoader('@tensorflow/tfjs-node', false, fakeNative(undefined, log));
  assert.equal(await cpu.load(), '@tensorflow/tfjs-node loaded');
  assert.deepEqual(log, ['import @tensorflow/tfjs-node', 'activate tensorflow']);
});
