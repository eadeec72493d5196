// The AssemblyScript build of train's kernel modules (bin/build-*-kernel.ts): the pinned compiler,
// fetched by npx, writes the module and its bytes are committed as a generated TypeScript file.
import { join } from 'node:path';
import { embedWasm } from '@corpus-tune/core';

const ASC = 'assemblyscript@0.28.20';
const root = join(import.meta.dirname, '..');

/** Builds assembly/<name>.ts into src/<name>-kernel-wasm.ts's `exportName`, with extra compiler flags. */
export function embedAssemblyScript(name: string, exportName: string, flags: string[] = []): void {
  const source = join('assembly', `${name}.ts`);
  embedWasm({
    npxArgs: (wasm) => [
      '-p',
      ASC,
      'asc',
      join(root, source),
      '--enable',
      'simd',
      '--runtime',
      'stub',
      ...flags,
      '-O3',
      '--noAssert',
      '--outFile',
      wasm,
    ],
    target: join(root, 'src', `${name.replace(/-kernel$/, '')}-kernel-wasm.ts`),
    exportName,
    generatedBy: `bin/build-${name.replace(/-kernel$/, '')}-kernel.ts from ${source} (AssemblyScript ${ASC.split('@')[1]})`,
  });
}
