// Nearest class centroid on standardised features: scikit-learn's StandardScaler (fitted on train)
// followed by NearestCentroid (Euclidean, no shrinkage), its peer in tools/golden/train_centroid.py.
import { InputError } from '@corpus-tune/core';

export interface NearestCentroidModel {
  dim: number;
  /** Train mean and population std (ddof 0) per feature; a zero std scales by 1, as StandardScaler. */
  mean: Float64Array;
  std: Float64Array;
  /** [numClasses, dim] class means of the standardised train features. */
  centroids: Float64Array;
  numClasses: number;
}

/** Fits the scaler and the class centroids on row-major [n, dim] train features. */
export function fitNearestCentroid(
  values: Float64Array,
  labels: ArrayLike<number>,
  dim: number,
  numClasses: number,
): NearestCentroidModel {
  const n = labels.length;
  if (values.length !== n * dim)
    throw new InputError(`${values.length} feature values for ${n} rows of ${dim}`);
  const mean = new Float64Array(dim);
  const std = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) mean[d] += values[i * dim + d];
  for (let d = 0; d < dim; d++) mean[d] /= n;
  for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) std[d] += (values[i * dim + d] - mean[d]) ** 2;
  for (let d = 0; d < dim; d++) {
    std[d] = Math.sqrt(std[d] / n);
    if (std[d] === 0) std[d] = 1;
  }
  const centroids = new Float64Array(numClasses * dim);
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    counts[c]++;
    for (let d = 0; d < dim; d++) centroids[c * dim + d] += (values[i * dim + d] - mean[d]) / std[d];
  }
  for (let c = 0; c < numClasses; c++) {
    if (counts[c] === 0) throw new InputError(`class ${c} has no train rows; it has no centroid`);
    for (let d = 0; d < dim; d++) centroids[c * dim + d] /= counts[c];
  }
  return { dim, mean, std, centroids, numClasses };
}

/** The class of the nearest centroid (Euclidean) for each row; ties go to the lower class index. */
export function predictNearestCentroid(model: NearestCentroidModel, values: Float64Array): Int8Array {
  const { dim, mean, std, centroids, numClasses } = model;
  const n = values.length / dim;
  const predicted = new Int8Array(n);
  const z = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < dim; d++) z[d] = (values[i * dim + d] - mean[d]) / std[d];
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < numClasses; c++) {
      let dist = 0;
      for (let d = 0; d < dim; d++) dist += (z[d] - centroids[c * dim + d]) ** 2;
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    predicted[i] = best;
  }
  return predicted;
}
