// Rebuilds src/dense-kernel-wasm.ts from assembly/dense-kernel.ts (bin/assemblyscript.ts):
//   node --import tsx packages/train/bin/build-dense-kernel.ts
import { embedAssemblyScript } from './assemblyscript.ts';

embedAssemblyScript('dense-kernel', 'DENSE_KERNEL_WASM_BASE64');
