#!/bin/sh
# Bundles gpu-check into one folder that runs with plain `node` on a machine with only Node 20 (no
# repo, no npm install): one ESM file, the tfjs WASM binaries and Dawn's linux-x64 binding (≈27 MB).
#   sh tools/gpu-check/bundle.sh [DIR] [--tar]   (default DIR tmp/gpu-bundle; --tar also writes DIR.tar.gz)
#   node DIR/gpu-check.mjs                         (on the GPU machine; `npm i @tensorflow/tfjs-node-gpu`
#                                                   inside DIR adds the native CUDA path)
set -e
out=${1:-tmp/gpu-bundle}
rm -rf "$out" && mkdir -p "$out/node_modules/webgpu/dist"
node_modules/.bin/esbuild tools/gpu-check/gpu-check.ts --bundle --platform=node --format=esm --outfile="$out/gpu-check.mjs" \
  --external:webgpu --external:@tensorflow/tfjs-node --external:@tensorflow/tfjs-node-gpu --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'module'; import { fileURLToPath as __fu } from 'url'; import { dirname as __dn } from 'path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
cp node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$out/"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$out/node_modules/webgpu/"
cp -r node_modules/webgpu/dist/linux-x64 "$out/node_modules/webgpu/dist/"
if [ "$2" = "--tar" ]; then tar -czf "$out.tar.gz" -C "$(dirname "$out")" "$(basename "$out")"; fi
echo "gpu-check bundle in $out ($(du -sh "$out" | cut -f1))"
