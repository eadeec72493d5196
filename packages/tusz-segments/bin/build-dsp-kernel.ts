// Rebuilds src/dsp-kernel-wasm.ts from src/dsp-kernel.wat with WABT's wat2wasm (fetched by npx, pinned;
// the built bytes are committed):
//   node --import tsx packages/tusz-segments/bin/build-dsp-kernel.ts
import { join } from 'node:path';
import { embedWasm } from '@corpus-tune/core';

const src = join(import.meta.dirname, '..', 'src');
embedWasm({
  npxArgs: (wasm) => ['-p', 'wabt@1.0.39', 'wat2wasm', join(src, 'dsp-kernel.wat'), '-o', wasm],
  target: join(src, 'dsp-kernel-wasm.ts'),
  exportName: 'DSP_KERNEL_WASM_BASE64',
  generatedBy: 'bin/build-dsp-kernel.ts from dsp-kernel.wat (wabt 1.0.39 wat2wasm)',
});
