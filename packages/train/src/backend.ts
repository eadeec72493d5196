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

/**
 * What tfjs-node's NodeJSKernelBackend says about itself: `isGPUPackage` (the backend came from
 * @tensorflow/tfjs-node-gpu) and `isUsingGpuDevice` (the binding's TensorFlow placed ops on a GPU;
 * false when tfjs-node-gpu loaded without CUDA and fell back to the CPU). Both fields are in tfjs-node
 * 4.x's nodejs_kernel_backend.ts; either missing is reported as unknown, never as a GPU.
 */
export function nativeGpuVerdict(backend: unknown): { gpu: boolean; reason: string } {
  const b = (backend ?? {}) as { isGPUPackage?: unknown; isUsingGpuDevice?: unknown };
  if (typeof b.isGPUPackage !== 'boolean' || typeof b.isUsingGpuDevice !== 'boolean')
    return { gpu: false, reason: 'the tensorflow backend does not say whether it uses a GPU' };
  if (!b.isGPUPackage) return { gpu: false, reason: 'the tensorflow backend is not the GPU package' };
  if (!b.isUsingGpuDevice) return { gpu: false, reason: 'TensorFlow found no GPU device (CUDA missing?)' };
  return { gpu: true, reason: 'TensorFlow uses a GPU device' };
}

/** What a native loader needs from the world; injected by tests (no libtensorflow here). */
export interface NativeDeps {
  importPackage(specifier: string): Promise<unknown>;
  /** The registered `tensorflow` backend instance (tf.findBackend), once the package is imported. */
  findBackend(tfjsName: string): unknown;
  activate(tfjsName: string): Promise<void>;
}

const NATIVE_DEPS: NativeDeps = {
  importPackage: importOptional,
  findBackend: (name) => tf.findBackend(name),
  activate,
};

/**
 * A loader for @tensorflow/tfjs-node(-gpu). With `wantGpu`, the backend must say it is the GPU package
 * and uses a GPU device: tfjs-node-gpu falls back to the CPU silently when CUDA is absent.
 */
export function nativeLoader(pkg: string, wantGpu: boolean, deps: NativeDeps = NATIVE_DEPS): BackendLoader {
  return {
    tfjsName: 'tensorflow',
    async load(): Promise<string> {
      try {
        await deps.importPackage(pkg);
      } catch (error) {
        if (missingModule(error))
          throw new Error(`${pkg} is not installed (optional: npm i ${pkg})`, { cause: error });
        throw new Error(`${pkg} failed to load: ${(error as Error).message}`, { cause: error });
      }
      let detail = '';
      if (wantGpu) {
        const verdict = nativeGpuVerdict(deps.findBackend('tensorflow'));
        if (!verdict.gpu) throw new Error(`${pkg} loaded but ${verdict.reason}`);
        detail = `, ${verdict.reason}`;
      }
      await deps.activate('tensorflow');
      return `${pkg} loaded${detail}`;
    },
  };
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
  'tensorflow-gpu': nativeLoader('@tensorflow/tfjs-node-gpu', true),
  webgpu: { tfjsName: 'webgpu', load: loadWebgpu },
  tensorflow: nativeLoader('@tensorflow/tfjs-node', false),
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
