// Rebuilds src/lstm-kernel-wasm.ts from assembly/lstm.ts (bin/assemblyscript.ts). Like the Winograd
// module it imports the wasm backend's heap and must carry no data segment:
//   node --import tsx packages/train/bin/build-lstm-kernel.ts
import { embedAssemblyScript } from './assemblyscript.ts';

embedAssemblyScript('lstm', 'LSTM_KERNEL_WASM_BASE64', [
  '--importMemory',
  '--initialMemory',
  '0',
  '--use',
  'abort=',
]);
