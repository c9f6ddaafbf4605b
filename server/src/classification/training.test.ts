import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultFeatureOptions } from './features.ts';
import { parseModelFile, serialiseModelFile } from './model-file.ts';
import { syntheticReports } from './test-fixtures.ts';
import { TextClassifier } from './text-classifier.ts';
import {
  defaultTrainingOptions,
  stratifiedFolds,
  type TrainingOptions,
  trainClassifier,
} from './training.ts';

const small: TrainingOptions = {
  ...defaultTrainingOptions,
  features: { ...defaultFeatureOptions, hashBits: 16 },
  folds: 3,
  innerFolds: 2,
};
const now = new Date('2026-11-22T08:00:00Z');

describe('stratifiedFolds', () => {
  it('deals every class evenly over the folds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer(),
        (y, k, seed) => {
          const fold = stratifiedFolds(
            y,
            y.map((_, i) => i),
            k,
            seed,
          );
          for (let c = 0; c <= 4; c++) {
            const perFold = new Array(k).fill(0);
            y.forEach((label, i) => {
              if (label === c) perFold[fold[i]!]++;
            });
            expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
          }
          return [...fold].every((f) => f >= 0 && f < k);
        },
      ),
    );
  });
});

describe('trainClassifier', () => {
  const data = syntheticReports(30, 3);

  it('is deterministic: the same seed gives identical weights, version and scores', () => {
    const a = trainClassifier(data, small, { now });
    const b = trainClassifier(data, small, { now });
    expect(b.model.weights).toEqual(a.model.weights);
    expect(b.model.version).toBe(a.model.version);
    expect(b.model.params.temperature).toBe(a.model.params.temperature);
    expect(b.crossValidation?.report).toEqual(a.crossValidation?.report);
  });

  it('changes with the seed (the visiting order and the folds differ)', () => {
    const a = trainClassifier(data, small, { now });
    const c = trainClassifier(data, { ...small, seed: 7, linear: { ...small.linear, seed: 7 } }, { now });
    expect(c.model.weights.data).not.toBe(a.model.weights.data);
  });

  it('records metadata and nested-CV scores, and round-trips through JSON', () => {
    const { model, crossValidation } = trainClassifier(data, small, { now });
    expect(model.labels).toEqual(['garbage', 'noise', 'parking']);
    expect(model.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(model.createdAt).toBe(now.toISOString());
    expect(model.version).toMatch(/^20261122T080000Z-[0-9a-f]{8}$/);
    expect(model.classCounts).toEqual([30, 30, 30]);
    expect(crossValidation?.report.macroF1).toBeGreaterThan(0.9);
    expect(model.scores.cv?.folds).toBe(3);
    const again = parseModelFile(serialiseModelFile(model));
    expect(again).toEqual(model);
  });

  it('classifies with calibrated probabilities and top-k', () => {
    const clf = new TextClassifier(trainClassifier(data, small, { now }).model);
    const r = clf.classify('居民楼下的建筑垃圾堆了好几天没人清理', 2);
    expect(r.suggestions).toHaveLength(2);
    expect(r.suggestions[0]!.label).toBe('garbage');
    expect(r.suggestions[0]!.probability).toBeGreaterThan(r.suggestions[1]!.probability);
    const p = clf.probabilities('半夜工地机器噪音太大');
    expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
  });

  it('ranks the top k as a full sort would (ties in label order), on the thread pool or not', async () => {
    const clf = new TextClassifier(
      trainClassifier(data, { ...small, folds: 0, innerFolds: 0 }, { now }).model,
    );
    const texts = ['半夜工地机器噪音太大', '垃圾桶满了没人清', '共享单车乱停乱放堵住了路口', ''];
    // Longer than what is segmented in place, so the thread-pool path is compared too.
    texts.push('路口的垃圾一直没人清理，'.repeat(40));
    for (const text of texts) {
      const p = clf.probabilities(text);
      const sorted = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]! || a - b);
      for (const k of [1, 2, 3, 10]) {
        const expected = sorted.slice(0, Math.min(k, p.length)).map((i) => clf.labels[i]);
        expect(clf.classify(text, k).suggestions.map((s) => s.label)).toEqual(expected);
        expect((await clf.classifyAsync(text, k)).suggestions).toEqual(clf.classify(text, k).suggestions);
      }
    }
  });

  it('trains every linear model to a working classifier', () => {
    for (const algorithm of ['svm', 'nbsvm', 'logistic'] as const) {
      const opts = {
        ...small,
        folds: 0,
        innerFolds: 0,
        linear: { ...small.linear, algorithm, c: algorithm === 'logistic' ? 10 : 1 },
      };
      const clf = new TextClassifier(trainClassifier(data, opts, { now }).model);
      expect(clf.classify('共享单车乱停乱放堵住了路口').suggestions[0]!.label).toBe('parking');
    }
  });

  it("folds an ensemble into one linear model whose scores are the members' calibrated average", () => {
    const members = ['nbsvm', 'logistic'] as const;
    const ensemble = trainClassifier(data, { ...small, ensemble: [...members] }, { now });
    const plan = ensemble.selection.members;
    expect(plan.map((m) => m.algorithm)).toEqual(members);
    expect(ensemble.model.params.members).toEqual(plan);
    expect(ensemble.crossValidation?.report.macroF1).toBeGreaterThan(0.9);
    // Each member alone, with the C and temperature the ensemble chose for it.
    const single = plan.map(
      (m) =>
        new TextClassifier(
          trainClassifier(
            data,
            {
              ...small,
              folds: 0,
              innerFolds: 0,
              cGrid: [m.c],
              linear: { ...small.linear, algorithm: m.algorithm },
            },
            { now },
          ).model,
          { layout: 'columns' },
        ),
    );
    const combined = new TextClassifier(ensemble.model, { layout: 'columns' });
    const t = ensemble.model.params.temperature;
    for (const text of ['半夜工地机器噪音太大', '垃圾桶满了没人清', '共享单车乱停乱放堵住了路口']) {
      // log p_ensemble ∝ (mean over members of log p_member) / t, up to the int16 rounding of the weights.
      const logs = single.map((clf, m) =>
        clf.probabilities(text).map((p) => (Math.log(p) * single[m]!.temperature) / plan[m]!.temperature),
      );
      const mean = logs[0]!.map((_, j) => logs.reduce((s, l) => s + l[j]!, 0) / logs.length / t);
      const max = Math.max(...mean);
      const z = mean.reduce((s, v) => s + Math.exp(v - max), 0);
      const expected = mean.map((v) => Math.exp(v - max) / z);
      for (const [j, p] of combined.probabilities(text).entries()) expect(p).toBeCloseTo(expected[j]!, 3);
    }
  });
});
