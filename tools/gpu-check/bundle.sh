#!/bin/sh
# Bundles gpu-check into one ESM file + the WASM binaries + Dawn's linux-x64 binding (≈27 MB), for a GPU
# machine that has Node 20 but not this repo's node_modules:
#   sh tools/gpu-check/bundle.sh tmp/gpu-bundle && cd tmp/gpu-bundle && TFJS_WASM_DIR=$PWD node gpu-check.mjs
# (the native path still needs `npm i @tensorflow/tfjs-node-gpu` beside it).
set -e
out=${1:-tmp/gpu-bundle}
rm -rf "$out" && mkdir -p "$out/node_modules/webgpu/dist"
node_modules/.bin/esbuild tools/gpu-check/gpu-check.ts --bundle --platform=node --format=esm --outfile="$out/gpu-check.mjs" \
  --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'module'; import { fileURLToPath as __fu } from 'url'; import { dirname as __dn } from 'path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/"
cp -r node_modules/webgpu/index.js node_modules/webgpu/package.json "$out/node_modules/webgpu/"
cp -r node_modules/webgpu/dist/linux-x64 "$out/node_modules/webgpu/dist/"
echo "gpu-check bundle in $out"
