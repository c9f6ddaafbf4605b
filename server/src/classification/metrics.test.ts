import { describe, expect, it } from 'vitest';
import { evaluatePredictions, formatReport } from './metrics.ts';

describe('evaluatePredictions', () => {
  it('computes accuracy, per-class scores, macro-F1 and the confusion matrix', () => {
    const labels = ['a', 'b', 'c'];
    const truth = Int32Array.from([0, 0, 0, 0, 1, 1, 2, 2]);
    const predicted = Int32Array.from([0, 0, 0, 1, 1, 0, 2, 2]);
    const r = evaluatePredictions(truth, predicted, labels);
    expect(r.accuracy).toBeCloseTo(6 / 8);
    expect(r.confusion).toEqual([
      [3, 1, 0],
      [1, 1, 0],
      [0, 0, 2],
    ]);
    const [a, b, c] = r.perClass;
    expect(a).toMatchObject({ precision: 3 / 4, recall: 3 / 4, support: 4 });
    expect(b).toMatchObject({ precision: 1 / 2, recall: 1 / 2, support: 2 });
    expect(c).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(r.macroF1).toBeCloseTo((0.75 + 0.5 + 1) / 3);
    expect(r.weightedF1).toBeCloseTo((0.75 * 4 + 0.5 * 2 + 2) / 8);
  });

  it('leaves labels absent from both truth and predictions out of macro-F1', () => {
    const r = evaluatePredictions(Int32Array.from([0, 1]), Int32Array.from([0, 1]), ['a', 'b', 'unused']);
    expect(r.macroF1).toBe(1);
  });

  it('formats a report with the matrix', () => {
    const r = evaluatePredictions(Int32Array.from([0, 1]), Int32Array.from([0, 0]), ['城乡建设', 'b']);
    const text = formatReport(r).join('\n');
    expect(text).toContain('城乡建设');
    expect(text).toContain('confusion matrix');
  });
});
