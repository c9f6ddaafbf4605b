import { describe, expect, it } from 'vitest';
import { logCountRatioScale } from './linear-model.ts';

describe('logCountRatioScale', () => {
  // Feature 0 appears only in class 0, feature 1 in both classes alike.
  const xs = [
    { idx: Int32Array.from([0, 1]), val: Float32Array.from([1, 1]) },
    { idx: Int32Array.from([0, 1]), val: Float32Array.from([1, 1]) },
    { idx: Int32Array.from([1]), val: Float32Array.from([1]) },
    { idx: Int32Array.from([1]), val: Float32Array.from([1]) },
  ];
  const y = Int32Array.from([0, 0, 1, 1]);

  it('weighs a class-specific feature above a shared one, more so with less smoothing', () => {
    const smooth = logCountRatioScale(xs, y, 2, 0, 1);
    const sharp = logCountRatioScale(xs, y, 2, 0, 1, 0.25);
    expect(smooth[0]).toBeGreaterThan(smooth[1]!);
    expect(sharp[0]).toBeGreaterThan(smooth[0]!);
    // The default smoothing is a pseudo-count of 1 on each side.
    expect(logCountRatioScale(xs, y, 2, 0, 1, 1)).toEqual(smooth);
  });

  it('adds β to every feature, so none is scaled to zero', () => {
    const none = logCountRatioScale(xs, y, 2, 0, 0);
    const withBeta = logCountRatioScale(xs, y, 2, 0, 0.5);
    expect(withBeta[0]! - none[0]!).toBeCloseTo(0.5, 10);
    expect(withBeta[1]! - none[1]!).toBeCloseTo(0.5, 10);
  });
});
