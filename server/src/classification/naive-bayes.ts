import type { SparseVector } from './features.ts';
import type { LinearWeights } from './linear-model.ts';

/**
 * Multinomial naive Bayes over the same TF-IDF vectors: the baseline every benchmark reports beside
 * the SVM, because it needs no tuning and no iterations. Its log-probabilities are a linear model, so
 * it is returned as one and scored the same way.
 */
export function trainNaiveBayes(
  xs: readonly SparseVector[],
  y: Int32Array,
  features: number,
  classes: number,
  smoothing = 0.1,
): LinearWeights {
  const mass = new Float64Array(features * classes);
  const total = new Float64Array(classes);
  const docs = new Float64Array(classes);
  for (let i = 0; i < xs.length; i++) {
    const k = y[i]!;
    docs[k]! += 1;
    const { idx, val } = xs[i]!;
    for (let j = 0; j < idx.length; j++) {
      mass[idx[j]! * classes + k]! += val[j]!;
      total[k]! += val[j]!;
    }
  }
  const weights = new Float32Array(features * classes);
  for (let k = 0; k < classes; k++) {
    const denominator = Math.log(total[k]! + smoothing * features);
    for (let f = 0; f < features; f++) {
      weights[f * classes + k] = Math.log(mass[f * classes + k]! + smoothing) - denominator;
    }
  }
  const bias = new Float32Array(classes);
  for (let k = 0; k < classes; k++) bias[k] = Math.log((docs[k]! + 1) / (xs.length + classes));
  return { features, classes, weights, bias };
}
