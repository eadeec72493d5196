import type * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * Our WebAssembly kernel modules on the `wasm` backend's heap: each module imports the backend's
 * own memory, so a kernel reads its inputs and writes its output where tfjs keeps them (no copies);
 * pointers are tensors' `memoryOffset`s in that heap.
 */

/** The parts of tfjs-backend-wasm 4.22's BackendWasm our kernels use. */
export interface WasmBackend {
  wasm: { asm: { memory: object }; HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  disposeData(dataId: object): boolean;
}

// Node 20 runs WebAssembly, but @types/node 20 does not declare it: the members used here.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

const compiled = new Map<string, object>();
const instances = new WeakMap<object, Map<string, unknown>>();

/** The module of `base64` bytes instantiated on a backend's memory (compiled once, one instance per memory). */
export function instanceOn<T>(backend: WasmBackend, base64: string): T {
  const memory = backend.wasm.asm.memory;
  let byModule = instances.get(memory);
  if (!byModule) instances.set(memory, (byModule = new Map()));
  let exports = byModule.get(base64);
  if (!exports) {
    let module = compiled.get(base64);
    if (!module) compiled.set(base64, (module = new wasmApi.Module(Buffer.from(base64, 'base64'))));
    exports = new wasmApi.Instance(module, { env: { memory } }).exports;
    byModule.set(base64, exports);
  }
  return exports as T;
}

export const offset = (backend: WasmBackend, t: TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;

export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: NamedAttrMap;
}
export type KernelFunc = (args: KernelArgs) => TensorInfo | TensorInfo[];
export const runStock = (stock: KernelConfig, args: KernelArgs) =>
  stock.kernelFunc(args as Parameters<KernelConfig['kernelFunc']>[0]);
