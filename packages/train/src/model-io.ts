import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fuseLstmLayers } from './lstm-fused.ts';
import { InputError, writeFileAtomic } from '@corpus-tune/core';
import './zoo/layers.ts';

/** A named tensor (tfjs's NamedTensor, which its public index does not export). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

function weightBytes(data: tf.io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  const buffer = Array.isArray(data) ? new tf.io.CompositeArrayBuffer(data).slice() : data;
  return new Uint8Array(buffer);
}

/**
 * A tfjs IOHandler that writes `model.json` + `weights.bin` to a directory with plain `node:fs` (so it
 * works on every backend; `file://` needs tfjs-node). Weights are written first, model.json last,
 * each atomically, so a model.json on disk always names complete weights.
 */
export function fileSystemHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer)
        throw new Error('fileSystemHandler saves layers models only');
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(join(dir, WEIGHTS_BIN), weightBytes(artifacts.weightData));
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileAtomic(join(dir, MODEL_JSON), `${JSON.stringify(modelJson)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = join(dir, MODEL_JSON);
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new InputError(`cannot read model (${(error as Error).message})`, {
          file: jsonPath,
          cause: error,
        });
      }
      const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
      const binPath = join(dir, WEIGHTS_BIN);
      let bytes: Buffer;
      try {
        bytes = readFileSync(binPath);
      } catch (error) {
        throw new InputError('cannot read model weights', { file: binPath, cause: error });
      }
      const weightData = bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer;
      return {
        modelTopology: modelJson.modelTopology,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
        weightSpecs: specs,
        weightData,
      };
    },
  };
}

/** Saves a layers model as `dir/model.json` + `dir/weights.bin`. */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileSystemHandler(dir));
}

/** Loads a model saved by `saveModel` (compile it again before further training); LSTMs fused as built. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const model = await tf.loadLayersModel(fileSystemHandler(dir));
  fuseLstmLayers(model);
  return model;
}

/** Weights (or optimizer state) as one buffer + specs, for checkpoints. */
export async function encodeTensors(
  named: NamedTensor[],
): Promise<{ bytes: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const { data, specs } = await tf.io.encodeWeights(named);
  return { bytes: weightBytes(data), specs };
}

export function decodeTensors(bytes: Uint8Array, specs: tf.io.WeightsManifestEntry[]): NamedTensor[] {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const map = tf.io.decodeWeights(buffer, specs);
  return specs.map((s) => ({ name: s.name, tensor: map[s.name] }));
}
