import { describe, expect, it } from 'vitest';
import { calibrationReport, fitTemperature, negativeLogLikelihood, softmaxInto } from './calibration.ts';
import { createRng } from './prng.ts';

/** Scores whose labels are drawn from softmax(scores / trueT): the ideal temperature is trueT. */
function synthetic(n: number, classes: number, trueT: number, seed: number) {
  const rng = createRng(seed);
  const scores = new Float64Array(n * classes);
  const labels = new Int32Array(n);
  const p = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < classes; k++) scores[i * classes + k] = (rng() - 0.5) * 4;
    softmaxInto(scores.subarray(i * classes, (i + 1) * classes), trueT, p);
    let u = rng();
    let k = 0;
    while (k < classes - 1 && u > p[k]!) u -= p[k++]!;
    labels[i] = k;
  }
  return { scores, labels };
}

function topOne(scores: Float64Array, labels: Int32Array, classes: number, t: number) {
  const p = new Float64Array(classes);
  const confidence: number[] = [];
  const correct: boolean[] = [];
  for (let i = 0; i < labels.length; i++) {
    softmaxInto(scores.subarray(i * classes, (i + 1) * classes), t, p);
    let best = 0;
    for (let k = 1; k < classes; k++) if (p[k]! > p[best]!) best = k;
    confidence.push(p[best]!);
    correct.push(best === labels[i]);
  }
  return { confidence, correct };
}

describe('softmaxInto', () => {
  it('sums to one and survives huge scores', () => {
    const p = softmaxInto([1000, 999, -1000], 1, new Float64Array(3));
    expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 12);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 10);
  });
});

describe('fitTemperature', () => {
  it('recovers the temperature that generated the labels', () => {
    for (const trueT of [0.25, 1, 3]) {
      const { scores, labels } = synthetic(4000, 5, trueT, 7);
      const t = fitTemperature(scores, labels, 5);
      expect(t).toBeGreaterThan(trueT * 0.8);
      expect(t).toBeLessThan(trueT * 1.25);
      expect(negativeLogLikelihood(scores, labels, 5, t)).toBeLessThanOrEqual(
        negativeLogLikelihood(scores, labels, 5, 1) + 1e-9,
      );
    }
  });

  it('turns over-confident scores into calibrated ones (ECE falls)', () => {
    const { scores, labels } = synthetic(4000, 5, 2, 11);
    const raw = topOne(scores, labels, 5, 0.5);
    const fitted = topOne(scores, labels, 5, fitTemperature(scores, labels, 5));
    const before = calibrationReport(raw.confidence, raw.correct).ece;
    const after = calibrationReport(fitted.confidence, fitted.correct).ece;
    expect(before).toBeGreaterThan(0.15);
    expect(after).toBeLessThan(0.04);
  });
});

describe('calibrationReport', () => {
  it('is zero for a perfectly calibrated predictor and equals the gap otherwise', () => {
    // Confidence 0.8 and right 8 times out of 10.
    const confidence = new Array(10).fill(0.8);
    const correct = [true, true, true, true, true, true, true, true, false, false];
    expect(calibrationReport(confidence, correct).ece).toBeCloseTo(0, 12);
    const always = calibrationReport(new Array(10).fill(0.9), correct);
    expect(always.ece).toBeCloseTo(0.1, 12);
    expect(always.bins.reduce((s, b) => s + b.count, 0)).toBe(10);
  });
});
