// Rebuilds src/winograd-kernel-wasm.ts from assembly/winograd.ts (bin/assemblyscript.ts). The module
// imports its memory (the wasm backend's heap) and must carry no data segment, which would overwrite
// that heap when instantiated; `abort=` leaves out the abort messages, its only data:
//   node --import tsx packages/train/bin/build-winograd-kernel.ts
import { embedAssemblyScript } from './assemblyscript.ts';

embedAssemblyScript('winograd', 'WINOGRAD_KERNEL_WASM_BASE64', [
  '--importMemory',
  '--initialMemory',
  '0',
  '--use',
  'abort=',
]);
