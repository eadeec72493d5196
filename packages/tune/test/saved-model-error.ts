import { loadModel, predictSplit, selectBackend } from '@corpus-tune/train';
import { loadTuningSplit } from '../src/splits.ts';

/**
 * The error rate of a saved model on a split file, counted here from its predictions (not through
 * the metrics code under test): the independent check of a study's metrics.json.
 */
export async function errorOfSavedModel(modelDir: string, splitPath: string): Promise<number> {
  await selectBackend('cpu');
  const model = await loadModel(modelDir);
  const split = loadTuningSplit(splitPath);
  const { predicted } = predictSplit(model, split);
  model.dispose();
  let wrong = 0;
  for (let i = 0; i < split.n; i++) if (predicted[i] !== split.labels[i]) wrong++;
  return wrong / split.n;
}
