// Rebuilds src/dense-kernel-wasm.ts from assembly/dense-kernel.ts with the AssemblyScript compiler
// (fetched by npx, pinned; the built bytes are committed):
//   node --import tsx packages/train/bin/build-dense-kernel.ts
import { join } from 'node:path';
import { embedWasm } from '@corpus-tune/core';

const root = join(import.meta.dirname, '..');
embedWasm({
  npxArgs: (wasm) => [
    '-p',
    'assemblyscript@0.28.20',
    'asc',
    join(root, 'assembly', 'dense-kernel.ts'),
    '--enable',
    'simd',
    '--runtime',
    'stub',
    '-O3',
    '--noAssert',
    '--outFile',
    wasm,
  ],
  target: join(root, 'src', 'dense-kernel-wasm.ts'),
  exportName: 'DENSE_KERNEL_WASM_BASE64',
  generatedBy: 'bin/build-dense-kernel.ts from assembly/dense-kernel.ts (AssemblyScript 0.28.20)',
});
