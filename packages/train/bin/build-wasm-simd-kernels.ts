// Rebuilds src/wasm-simd-kernels-wasm.ts from src/wasm-simd-kernels.wat with WABT's wat2wasm (fetched
// by npx, pinned; the built bytes are committed):
//   node --import tsx packages/train/bin/build-wasm-simd-kernels.ts
import { join } from 'node:path';
import { embedWasm } from '@corpus-tune/core';

const src = join(import.meta.dirname, '..', 'src');
embedWasm({
  npxArgs: (wasm) => ['-p', 'wabt@1.0.39', 'wat2wasm', join(src, 'wasm-simd-kernels.wat'), '-o', wasm],
  target: join(src, 'wasm-simd-kernels-wasm.ts'),
  exportName: 'WASM_SIMD_KERNELS_BASE64',
  generatedBy: 'bin/build-wasm-simd-kernels.ts from wasm-simd-kernels.wat (wabt 1.0.39 wat2wasm)',
});
