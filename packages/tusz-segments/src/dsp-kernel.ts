import { DSP_KERNEL_WASM_BASE64 } from './dsp-kernel-wasm.ts';

// One instance of the WebAssembly kernels (dsp-kernel.wat) with its own memory, shared by a
// resampler and the filter so that a filtered pair of electrodes is resampled where it lies.

export interface DspKernelExports {
  cascade4(coef: number, z: number, p: number, end: number, stepBytes: number): void;
  cascade1(coef: number, z: number, p: number, end: number, stepBytes: number): void;
  resamplePairs(
    coef: number,
    phaseStart: number,
    phaseLen: number,
    up: number,
    down: number,
    halfLen: number,
    x: number,
    nIn: number,
    y: number,
    nOut: number,
  ): void;
}

export interface DspKernel {
  readonly memory: WebAssembly.Memory;
  readonly fn: DspKernelExports;
  /** Byte offset of 1 KiB for a filter's coefficients and states. */
  readonly scratch: number;
  /** Byte offset of `bytes` fresh bytes (16-aligned); growing the memory detaches earlier views. */
  alloc(bytes: number): number;
}

const PAGE_BYTES = 65536;
let compiled: WebAssembly.Module | undefined;

export function createDspKernel(): DspKernel {
  compiled ??= new WebAssembly.Module(Buffer.from(DSP_KERNEL_WASM_BASE64, 'base64'));
  const memory = new WebAssembly.Memory({ initial: 1 });
  const fn = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as DspKernelExports;
  let top = 0;
  const alloc = (bytes: number): number => {
    const at = top;
    top += Math.ceil(bytes / 16) * 16;
    const needed = top - memory.buffer.byteLength;
    if (needed > 0) memory.grow(Math.ceil(needed / PAGE_BYTES));
    return at;
  };
  const scratch = alloc(1024);
  return { memory, fn, scratch, alloc };
}
