import type { SparseVector } from './features.ts';
import { createRng, deriveSeed, shuffleInPlace } from './prng.ts';

/**
 * Linear classifiers over sparse vectors. Two trainers:
 *  - `svm`: one-vs-rest linear SVM with squared hinge loss, trained by dual coordinate descent (the
 *    method of LIBLINEAR, Hsieh et al. 2008). No learning rate to tune and it converges in a few
 *    passes; measured the most accurate of the two on the 12345-style data (docs/classifier-benchmarks.md).
 *  - `logistic`: multinomial logistic regression by plain SGD with L2 regularisation, kept as the
 *    reference the SVM is compared against.
 * Both are deterministic for a given seed: the only randomness is the visiting order.
 */

export type Algorithm = 'svm' | 'nbsvm' | 'logistic';

export interface LinearOptions {
  algorithm: Algorithm;
  /** Inverse regularisation strength (LIBLINEAR's C); larger fits the training data more closely. */
  c: number;
  /** Maximum passes over the data. */
  epochs: number;
  /** SVM: stop when the projected-gradient spread falls under this (LIBLINEAR's eps). */
  tolerance: number;
  /** `balanced` weighs each class by n / (classes × n_class) so rare classes are not ignored. */
  classWeight: 'balanced' | 'none';
  /** nbsvm: added to every feature's |log-count ratio| so that no feature is scaled to zero. */
  nbBeta: number;
  /** nbsvm: pseudo-count added to every feature's document count in and outside the class (the ratio's smoothing). */
  nbAlpha?: number;
  seed: number;
}

export const defaultLinearOptions: LinearOptions = {
  algorithm: 'nbsvm',
  c: 1,
  epochs: 40,
  // LIBLINEAR's default is 0.1; 0.3 measured the same macro-F1 on the 12345 set in two thirds of the time.
  tolerance: 0.3,
  classWeight: 'balanced',
  nbBeta: 1,
  seed: 42,
};

/** Weights are feature-major (`weights[f * classes + k]`): scoring a sparse vector reads contiguous memory. */
export interface LinearWeights {
  features: number;
  classes: number;
  weights: Float32Array;
  bias: Float32Array;
}

export function classWeights(
  y: Int32Array,
  classes: number,
  mode: LinearOptions['classWeight'],
): Float64Array {
  const w = new Float64Array(classes).fill(1);
  if (mode === 'none') return w;
  const counts = new Float64Array(classes);
  for (let i = 0; i < y.length; i++) counts[y[i]!]! += 1;
  for (let k = 0; k < classes; k++) w[k] = counts[k]! > 0 ? y.length / (classes * counts[k]!) : 1;
  return w;
}

export function trainLinear(
  xs: readonly SparseVector[],
  y: Int32Array,
  features: number,
  classes: number,
  options: LinearOptions,
): LinearWeights {
  if (xs.length !== y.length) throw new RangeError('one label per vector');
  if (!(options.c > 0)) throw new RangeError('c must be positive');
  return options.algorithm === 'logistic'
    ? trainLogistic(xs, y, features, classes, options)
    : trainSvm(xs, y, features, classes, options);
}

/** The bias is learnt as the weight of a constant feature, as LIBLINEAR does with `-B 1`. */
const biasFeature = 1;

/**
 * One binary squared-hinge SVM by dual coordinate descent, with labels `positive(i) ? +1 : -1` and a
 * cost per example. Writes the weights into `w` and returns the bias.
 */
function scaleVector(x: SparseVector, scale: Float64Array): SparseVector {
  const val = new Float32Array(x.val.length);
  for (let j = 0; j < val.length; j++) val[j] = x.val[j]! * scale[x.idx[j]!]!;
  return { idx: x.idx, val };
}

function dcdBinary(
  xs: readonly SparseVector[],
  positive: (i: number) => boolean,
  cost: (i: number) => number,
  w: Float64Array,
  o: LinearOptions,
  seed: number,
): number {
  const n = xs.length;
  w.fill(0);
  const alpha = new Float64Array(n);
  const qii = new Float64Array(n);
  const dii = new Float64Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const val = xs[i]!.val;
    let s = biasFeature * biasFeature;
    for (let j = 0; j < val.length; j++) s += val[j]! * val[j]!;
    // Squared hinge: the dual has no upper bound and a diagonal term 1 / (2 C_i).
    dii[i] = 1 / (2 * cost(i));
    qii[i] = s + dii[i]!;
    order[i] = i;
  }
  const rng = createRng(seed);
  let wb = 0;
  // Shrinking (as in LIBLINEAR): an example at alpha = 0 whose gradient is beyond last pass's largest
  // projected gradient is very likely to stay there, so it leaves the active set until the end, when
  // convergence is re-checked on all examples. Most examples of a separable text problem leave early.
  let active = n;
  let maxOld = Number.POSITIVE_INFINITY;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let t = active - 1; t > 0; t--) {
      const j = Math.floor(rng() * (t + 1));
      const tmp = order[t]!;
      order[t] = order[j]!;
      order[j] = tmp;
    }
    let maxPg = Number.NEGATIVE_INFINITY;
    let minPg = Number.POSITIVE_INFINITY;
    for (let t = 0; t < active; t++) {
      const i = order[t]!;
      const { idx, val } = xs[i]!;
      const yi = positive(i) ? 1 : -1;
      let margin = wb * biasFeature;
      for (let j = 0; j < idx.length; j++) margin += w[idx[j]!]! * val[j]!;
      const a = alpha[i]!;
      const g = yi * margin - 1 + dii[i]! * a;
      let pg = g;
      if (a === 0) {
        if (g > maxOld) {
          active--;
          order[t] = order[active]!;
          order[active] = i;
          t--;
          continue;
        }
        pg = Math.min(g, 0);
      }
      if (pg > maxPg) maxPg = pg;
      if (pg < minPg) minPg = pg;
      if (Math.abs(pg) > 1e-12) {
        const next = Math.max(a - g / qii[i]!, 0);
        alpha[i] = next;
        const d = (next - a) * yi;
        for (let j = 0; j < idx.length; j++) w[idx[j]!]! += d * val[j]!;
        wb += d * biasFeature;
      }
    }
    if (maxPg - minPg < o.tolerance) {
      if (active === n) break;
      active = n;
      maxOld = Number.POSITIVE_INFINITY;
      continue;
    }
    maxOld = maxPg > 0 ? maxPg : Number.POSITIVE_INFINITY;
  }
  return wb * biasFeature;
}

/**
 * The per-feature weight of NB-SVM-style training (after Wang & Manning 2012): how much more often a
 * feature appears in class k than outside it, |log-count ratio| + β. Scaling features by it lets a
 * few strongly class-specific terms (学位, 社保, 噪音) count for more than the TF-IDF norm gives them.
 */
export function logCountRatioScale(
  xs: readonly SparseVector[],
  y: Int32Array,
  features: number,
  k: number,
  beta: number,
  alpha = 1,
): Float64Array {
  const p = new Float64Array(features).fill(alpha);
  const q = new Float64Array(features).fill(alpha);
  for (let i = 0; i < xs.length; i++) {
    const target = y[i] === k ? p : q;
    const idx = xs[i]!.idx;
    for (let j = 0; j < idx.length; j++) target[idx[j]!]! += 1;
  }
  let sp = 0;
  let sq = 0;
  for (let f = 0; f < features; f++) {
    sp += p[f]!;
    sq += q[f]!;
  }
  const scale = new Float64Array(features);
  for (let f = 0; f < features; f++) scale[f] = beta + Math.abs(Math.log(p[f]! / sp / (q[f]! / sq)));
  return scale;
}

/** One-vs-rest SVMs; with `nbsvm` each class's problem sees features scaled by its log-count ratio. */
function trainSvm(
  xs: readonly SparseVector[],
  y: Int32Array,
  features: number,
  classes: number,
  o: LinearOptions,
): LinearWeights {
  const cw = classWeights(y, classes, o.classWeight);
  const out = new Float32Array(features * classes);
  const bias = new Float32Array(classes);
  const w = new Float64Array(features);
  const cost = (i: number) => o.c * cw[y[i]!]!;
  // With two classes and plain features one binary problem is enough; the second score is its negation.
  const problems = classes === 2 && o.algorithm === 'svm' ? 1 : classes;
  for (let k = 0; k < problems; k++) {
    const scale =
      o.algorithm === 'nbsvm' ? logCountRatioScale(xs, y, features, k, o.nbBeta, o.nbAlpha) : null;
    const problem = scale ? xs.map((x) => scaleVector(x, scale)) : xs;
    bias[k] = dcdBinary(problem, (i) => y[i] === k, cost, w, o, deriveSeed(o.seed, k));
    // Folding the scale into the weights keeps prediction a plain dot product.
    if (scale) for (let f = 0; f < features; f++) out[f * classes + k] = w[f]! * scale[f]!;
    else for (let f = 0; f < features; f++) out[f * classes + k] = w[f]!;
  }
  if (problems === 1) {
    for (let f = 0; f < features; f++) out[f * classes + 1] = -out[f * classes]!;
    bias[1] = -bias[0]!;
  }
  return { features, classes, weights: out, bias };
}

/**
 * Softmax regression by SGD on (1 / 2C)·‖W‖² / n + mean weighted cross-entropy. The L2 shrinkage is kept as
 * a running scale factor so that each step only touches the example's non-zero features.
 */
function trainLogistic(
  xs: readonly SparseVector[],
  y: Int32Array,
  features: number,
  classes: number,
  o: LinearOptions,
): LinearWeights {
  const n = xs.length;
  const cw = classWeights(y, classes, o.classWeight);
  const lambda = 1 / (o.c * n);
  const w = new Float64Array(features * classes);
  const b = new Float64Array(classes);
  let scale = 1;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = createRng(deriveSeed(o.seed, 0x10a1));
  const scores = new Float64Array(classes);
  const eta0 = 0.5;
  let t = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, rng);
    for (let s = 0; s < n; s++) {
      const i = order[s]!;
      const x = xs[i]!;
      const eta = eta0 / (1 + eta0 * lambda * t);
      t++;
      for (let k = 0; k < classes; k++) scores[k] = b[k]!;
      for (let j = 0; j < x.idx.length; j++) {
        const base = x.idx[j]! * classes;
        const v = x.val[j]! * scale;
        for (let k = 0; k < classes; k++) scores[k]! += w[base + k]! * v;
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < classes; k++) if (scores[k]! > max) max = scores[k]!;
      let sum = 0;
      for (let k = 0; k < classes; k++) {
        scores[k] = Math.exp(scores[k]! - max);
        sum += scores[k]!;
      }
      const weight = cw[y[i]!]!;
      // scores now holds the gradient of the loss with respect to each class score.
      for (let k = 0; k < classes; k++) scores[k] = weight * (scores[k]! / sum - (k === y[i] ? 1 : 0));
      scale *= 1 - eta * lambda;
      if (scale < 1e-9) {
        for (let f = 0; f < w.length; f++) w[f]! *= scale;
        scale = 1;
      }
      const step = eta / scale;
      for (let j = 0; j < x.idx.length; j++) {
        const base = x.idx[j]! * classes;
        const v = x.val[j]! * step;
        for (let k = 0; k < classes; k++) w[base + k]! -= scores[k]! * v;
      }
      for (let k = 0; k < classes; k++) b[k]! -= eta * scores[k]!;
    }
  }
  const out = new Float32Array(features * classes);
  for (let f = 0; f < w.length; f++) out[f] = w[f]! * scale;
  return { features, classes, weights: out, bias: Float32Array.from(b) };
}

/** Raw class scores (margins or logits) of one vector, written into `out`. */
export function scoreInto(model: LinearWeights, x: SparseVector, out: Float64Array): Float64Array {
  const { classes, weights } = model;
  for (let k = 0; k < classes; k++) out[k] = model.bias[k]!;
  for (let j = 0; j < x.idx.length; j++) {
    const base = x.idx[j]! * classes;
    const v = x.val[j]!;
    for (let k = 0; k < classes; k++) out[k]! += weights[base + k]! * v;
  }
  return out;
}

/** Scores of many vectors, row-major n × classes. */
export function scoreAll(model: LinearWeights, xs: readonly SparseVector[]): Float64Array {
  const out = new Float64Array(xs.length * model.classes);
  const row = new Float64Array(model.classes);
  for (let i = 0; i < xs.length; i++) {
    scoreInto(model, xs[i]!, row);
    out.set(row, i * model.classes);
  }
  return out;
}
