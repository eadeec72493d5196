// Rebuilds src/winograd-kernel-wasm.ts from assembly/winograd.ts with the AssemblyScript compiler
// (fetched by npx, pinned; the built bytes are committed). The module imports its memory (the wasm
// backend's heap) and must carry no data segment, which would overwrite that heap when instantiated:
//   node --import tsx packages/train/bin/build-winograd-kernel.ts
import { join } from 'node:path';
import { embedWasm } from '@corpus-tune/core';

const root = join(import.meta.dirname, '..');
embedWasm({
  npxArgs: (wasm) => [
    '-p',
    'assemblyscript@0.28.20',
    'asc',
    join(root, 'assembly', 'winograd.ts'),
    '--enable',
    'simd',
    '--runtime',
    'stub',
    '--importMemory',
    '--initialMemory',
    '0',
    '--use',
    'abort=',
    '-O3',
    '--noAssert',
    '--outFile',
    wasm,
  ],
  target: join(root, 'src', 'winograd-kernel-wasm.ts'),
  exportName: 'WINOGRAD_KERNEL_WASM_BASE64',
  generatedBy: 'bin/build-winograd-kernel.ts from assembly/winograd.ts (AssemblyScript 0.28.20)',
});
