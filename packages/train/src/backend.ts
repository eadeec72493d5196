import * as tf from '@tensorflow/tfjs';
import type { Logger } from '@corpus-tune/core';
import { InputError, silentLogger } from '@corpus-tune/core';
import { registerWasmTrainingKernels } from './wasm-kernels.ts';

/** Backends in the order `auto` tries them. */
export const BACKEND_CHAIN = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_CHAIN)[number];
export type BackendPreference = BackendName | 'auto';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', ...BACKEND_CHAIN];

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason: string;
}

export interface BackendChoice {
  /** Our name for the backend that is now active. */
  name: BackendName;
  /** tfjs's name for it (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  tfjsName: string;
  reason: string;
  tried: BackendAttempt[];
}

/**
 * One way to bring a backend up. `load` resolves with a reason when the backend is ready, or
 * throws with why not. Injected so the fallback logic is testable without GPUs or native addons.
 */
export interface BackendLoader {
  tfjsName: string;
  load(): Promise<string>;
}

// The native packages are optional installs (their install downloads libtensorflow). Import them by
// a computed specifier so TypeScript and bundlers never require them to exist.
async function importOptional(specifier: string): Promise<unknown> {
  const name = specifier;
  return import(name);
}

async function activate(tfjsName: string): Promise<void> {
  const ok = await tf.setBackend(tfjsName);
  if (!ok) throw new Error(`tf.setBackend('${tfjsName}') returned false`);
  await tf.ready();
}

function missingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

async function loadNative(pkg: string, wantGpu: boolean): Promise<string> {
  try {
    await importOptional(pkg);
  } catch (error) {
    if (missingModule(error))
      throw new Error(`${pkg} is not installed (optional: npm i ${pkg})`, { cause: error });
    throw new Error(`${pkg} failed to load: ${(error as Error).message}`, { cause: error });
  }
  if (wantGpu) {
    // tfjs-node-gpu falls back to the CPU silently when CUDA is absent; ask TensorFlow what it sees.
    const probe = tf.env().platform as unknown as { isGPU?: () => boolean } | undefined;
    const gpus = typeof probe?.isGPU === 'function' ? probe.isGPU() : undefined;
    if (gpus === false) throw new Error(`${pkg} loaded but TensorFlow sees no GPU`);
  }
  await activate('tensorflow');
  return `${pkg} loaded`;
}

async function loadWebgpu(): Promise<string> {
  let gpu: { requestAdapter(): Promise<unknown> };
  try {
    const mod = (await import('webgpu')) as unknown as { create(flags: string[]): unknown; globals: object };
    Object.assign(globalThis, mod.globals);
    gpu = mod.create([]) as typeof gpu;
  } catch (error) {
    throw new Error(`the webgpu (Dawn) package did not load: ${(error as Error).message}`, { cause: error });
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('Dawn found no GPU adapter');
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  // Imported only now: the WebGPU backend registers itself only when navigator.gpu exists.
  await import('@tensorflow/tfjs-backend-webgpu');
  await activate('webgpu');
  return 'a WebGPU adapter exists';
}

async function loadWasm(): Promise<string> {
  await import('@tensorflow/tfjs-backend-wasm');
  await activate('wasm');
  registerWasmTrainingKernels();
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT');
  return `WASM (SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'on' : 'off'}, threads ${threads ? 'on' : 'off: Node disables them, use --jobs for both cores'})`;
}

async function loadCpu(): Promise<string> {
  await activate('cpu');
  return 'the pure-JS CPU backend (slow: last resort)';
}

export const DEFAULT_LOADERS: Readonly<Record<BackendName, BackendLoader>> = {
  'tensorflow-gpu': { tfjsName: 'tensorflow', load: () => loadNative('@tensorflow/tfjs-node-gpu', true) },
  webgpu: { tfjsName: 'webgpu', load: loadWebgpu },
  tensorflow: { tfjsName: 'tensorflow', load: () => loadNative('@tensorflow/tfjs-node', false) },
  wasm: { tfjsName: 'wasm', load: loadWasm },
  cpu: { tfjsName: 'cpu', load: loadCpu },
};

/**
 * Activates a tfjs backend. `auto` walks BACKEND_CHAIN and takes the first that comes up; a named
 * backend is taken or fails with an InputError saying why. Logs the choice and every skip reason.
 */
export async function selectBackend(
  preference: BackendPreference = 'auto',
  options: { logger?: Logger; loaders?: Partial<Record<BackendName, BackendLoader>> } = {},
): Promise<BackendChoice> {
  const logger = options.logger ?? silentLogger;
  const loaders = { ...DEFAULT_LOADERS, ...options.loaders };
  const candidates: readonly BackendName[] = preference === 'auto' ? BACKEND_CHAIN : [preference];
  const tried: BackendAttempt[] = [];
  for (const name of candidates) {
    const loader = loaders[name];
    try {
      const reason = await loader.load();
      tried.push({ name, ok: true, reason });
      const skipped = tried.filter((t) => !t.ok).map((t) => `${t.name}: ${t.reason}`);
      logger.info(
        `train: backend ${name} — ${reason}${skipped.length ? ` (skipped ${skipped.join('; ')})` : ''}`,
      );
      return { name, tfjsName: loader.tfjsName, reason, tried };
    } catch (error) {
      tried.push({ name, ok: false, reason: (error as Error).message });
    }
  }
  const why = tried.map((t) => `${t.name}: ${t.reason}`).join('; ');
  throw new InputError(`backend "${preference}" is not available (${why})`);
}
