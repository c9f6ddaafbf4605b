/**
 * Probabilities that mean what they say. SVM margins and over-fitted logits are not probabilities;
 * temperature scaling (Guo et al. 2017) divides every score by one number T fitted on held-out scores
 * to minimise negative log-likelihood. It keeps the ranking (top-k does not change) and only fixes
 * confidence, which is what a dispatcher reads.
 */

/** softmax(scores / T), numerically stable, into `out`. */
export function softmaxInto(scores: ArrayLike<number>, temperature: number, out: Float64Array): Float64Array {
  const k = out.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) if (scores[i]! > max) max = scores[i]!;
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const e = Math.exp((scores[i]! - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < k; i++) out[i]! /= sum;
  return out;
}

/** Mean negative log-likelihood of row-major scores (n × classes) at a temperature. */
export function negativeLogLikelihood(
  scores: Float64Array,
  labels: Int32Array,
  classes: number,
  temperature: number,
): number {
  const n = labels.length;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * classes;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < classes; k++) if (scores[o + k]! > max) max = scores[o + k]!;
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp((scores[o + k]! - max) / temperature);
    total += Math.log(sum) - (scores[o + labels[i]!]! - max) / temperature;
  }
  return total / Math.max(1, n);
}

/**
 * The NLL is convex in 1/T, hence unimodal in ln T, so a golden-section search over ln T in
 * [ln 0.01, ln 100] finds the optimum without gradients.
 */
export function fitTemperature(scores: Float64Array, labels: Int32Array, classes: number): number {
  if (labels.length === 0) return 1;
  const f = (u: number) => negativeLogLikelihood(scores, labels, classes, Math.exp(u));
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(0.01);
  let b = Math.log(100);
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a > 1e-4) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - ratio * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + ratio * (b - a);
      fd = f(d);
    }
  }
  return Math.exp((a + b) / 2);
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export interface CalibrationReport {
  /** Expected calibration error: Σ (bin size / n) · |accuracy − mean confidence| over equal-width bins. */
  ece: number;
  /** The largest gap of any non-empty bin. */
  mce: number;
  bins: ReliabilityBin[];
}

/** ECE of top-1 predictions: `confidence[i]` is the probability given to the predicted class. */
export function calibrationReport(
  confidence: ArrayLike<number>,
  correct: ArrayLike<boolean>,
  binCount = 15,
): CalibrationReport {
  const count = new Float64Array(binCount);
  const conf = new Float64Array(binCount);
  const hits = new Float64Array(binCount);
  const n = confidence.length;
  for (let i = 0; i < n; i++) {
    const p = confidence[i]!;
    const b = Math.min(binCount - 1, Math.max(0, Math.floor(p * binCount)));
    count[b]! += 1;
    conf[b]! += p;
    if (correct[i]) hits[b]! += 1;
  }
  let ece = 0;
  let mce = 0;
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < binCount; b++) {
    const c = count[b]!;
    const meanConfidence = c > 0 ? conf[b]! / c : 0;
    const accuracy = c > 0 ? hits[b]! / c : 0;
    if (c > 0) {
      const gap = Math.abs(accuracy - meanConfidence);
      ece += (c / n) * gap;
      mce = Math.max(mce, gap);
    }
    bins.push({ lower: b / binCount, upper: (b + 1) / binCount, count: c, meanConfidence, accuracy });
  }
  return { ece: n > 0 ? ece : 0, mce, bins };
}
