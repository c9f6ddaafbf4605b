import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { calibrationReport, fitTemperature, softmaxInto } from '../src/classification/calibration.ts';
import { parseLabelledTsv } from '../src/classification/dataset.ts';
import {
  defaultFeatureOptions,
  FeatureHasher,
  type FeatureOptions,
  fitVectorizer,
  type SparseVector,
  vectorize,
} from '../src/classification/features.ts';
import {
  defaultLinearOptions,
  type LinearOptions,
  type LinearWeights,
  scoreAll,
  trainLinear,
} from '../src/classification/linear-model.ts';
import { argmaxRow, evaluatePredictions } from '../src/classification/metrics.ts';
import { deriveSeed } from '../src/classification/prng.ts';
import { ChineseTokenizer } from '../src/classification/tokenizer.ts';
import { buildCorpus, type Corpus, stratifiedFolds } from '../src/classification/training.ts';

/**
 * Repeatable nested cross-validation of classifier variants (issue 15, item 4).
 *
 *   node --import tsx server/bench/classifier-variants.ts run --data FILE.tsv --out DIR [--only a,b] [--seed 42]
 *   node --import tsx server/bench/classifier-variants.ts combine --out DIR [--seed 42]
 *
 * `run` evaluates each single-model variant with the folds of `hutong classifier train` (5 outer, 3 inner,
 * the same seeds): in every outer fold C is chosen and the temperature fitted on the inner folds of the
 * training part only, the model is refitted on the whole training part and scores the outer test part.
 * It stores, per outer fold, the calibrated inner out-of-fold probabilities (the training part) and the
 * calibrated outer probabilities (the test part), so that `combine` can evaluate ensembles (averages of
 * calibrated probabilities, one temperature fitted again on the inner out-of-fold average) and the
 * pipeline that picks, in each outer fold, the candidate with the best inner macro-F1. No outer test
 * example takes part in any choice.
 */

interface Variant {
  name: string;
  features: FeatureOptions;
  linear: Omit<Partial<LinearOptions>, 'algorithm'> & { algorithm: LinearOptions['algorithm'] | 'cnb' };
  cGrid: number[];
  /** Drop training examples whose inner out-of-fold probability of their own label is below this (0: keep all). */
  dropBelow?: number;
}

const base = defaultFeatureOptions;
const variants: Variant[] = [
  { name: 'nbsvm', features: base, linear: { algorithm: 'nbsvm' }, cGrid: [0.5, 2] },
  {
    name: 'nbsvm-words',
    features: { ...base, words: true },
    linear: { algorithm: 'nbsvm' },
    cGrid: [0.5, 2],
  },
  {
    name: 'nbsvm-words-bigrams',
    features: { ...base, words: true, wordBigrams: true },
    linear: { algorithm: 'nbsvm' },
    cGrid: [0.5, 2],
  },
  {
    name: 'nbsvm-wordsonly-bigrams',
    features: { ...base, words: true, wordBigrams: true, charMin: 0, charMax: 0 },
    linear: { algorithm: 'nbsvm' },
    cGrid: [0.5, 2],
  },
  {
    name: 'nbsvm-bits22',
    features: { ...base, hashBits: 22 },
    linear: { algorithm: 'nbsvm' },
    cGrid: [0.5, 2],
  },
  {
    name: 'nbsvm-prefix50',
    features: { ...base, prefixChars: 50 },
    linear: { algorithm: 'nbsvm' },
    cGrid: [0.5, 2],
  },
  {
    name: 'nbsvm-rawtf',
    features: { ...base, sublinearTf: false },
    linear: { algorithm: 'nbsvm' },
    cGrid: [0.5, 2],
  },
  {
    name: 'nbsvm-noweight',
    features: base,
    linear: { algorithm: 'nbsvm', classWeight: 'none' },
    cGrid: [0.5, 2],
  },
  { name: 'svm', features: base, linear: { algorithm: 'svm' }, cGrid: [0.5, 2] },
  { name: 'logistic', features: base, linear: { algorithm: 'logistic' }, cGrid: [1, 4] },
  { name: 'cnb', features: base, linear: { algorithm: 'cnb' }, cGrid: [0.1] },
  {
    name: 'cnb-words-bigrams',
    features: { ...base, words: true, wordBigrams: true },
    linear: { algorithm: 'cnb' },
    cGrid: [0.1],
  },
  // Round of issue 15 point 4: C was 0.5 (the grid's lower edge) in every fold, so the grid goes lower.
  { name: 'nbsvm-clow', features: base, linear: { algorithm: 'nbsvm' }, cGrid: [0.125, 0.25, 0.5] },
  {
    name: 'nbsvm-bits22-words12',
    features: { ...base, hashBits: 22, words: true, wordBigrams: true },
    linear: { algorithm: 'nbsvm' },
    cGrid: [0.5, 2],
  },
  { name: 'nbsvm-beta05', features: base, linear: { algorithm: 'nbsvm', nbBeta: 0.5 }, cGrid: [0.5, 2] },
  { name: 'nbsvm-alpha025', features: base, linear: { algorithm: 'nbsvm', nbAlpha: 0.25 }, cGrid: [0.5, 2] },
  {
    name: 'nbsvm-wordsonly-bits22',
    features: { ...base, hashBits: 22, words: true, wordBigrams: true, charMin: 0, charMax: 0 },
    linear: { algorithm: 'nbsvm' },
    cGrid: [0.5, 2],
  },
  {
    name: 'nbsvm-denoise10',
    features: base,
    linear: { algorithm: 'nbsvm' },
    cGrid: [0.5, 2],
    dropBelow: 0.1,
  },
  { name: 'nbsvm-denoise', features: base, linear: { algorithm: 'nbsvm' }, cGrid: [0.5, 2], dropBelow: 0.02 },
];

/** Ensembles evaluated by `combine` (averaged calibrated probabilities), when all members were run. */
const ensembles: string[][] = [
  ['nbsvm', 'svm'],
  ['nbsvm', 'logistic'],
  ['nbsvm', 'cnb'],
  ['nbsvm', 'nbsvm-wordsonly-bigrams'],
  ['nbsvm', 'nbsvm-words-bigrams'],
  ['nbsvm', 'logistic', 'cnb'],
  ['nbsvm', 'nbsvm-wordsonly-bigrams', 'logistic'],
  ['nbsvm', 'nbsvm-wordsonly-bigrams', 'cnb'],
  ['nbsvm', 'nbsvm-wordsonly-bits22'],
  ['nbsvm', 'nbsvm-bits22-words12'],
  ['nbsvm-clow', 'nbsvm-wordsonly-bits22'],
];

const outerFolds = 5;
const innerFolds = 3;

/**
 * Complement naive Bayes (Rennie et al. 2003) on the TF-IDF vectors: class k is scored by how unlike the
 * other classes' term mass a text is; weights normalised per class. `alpha` is the smoothing.
 */
function trainComplementNb(
  xs: readonly SparseVector[],
  y: Int32Array,
  features: number,
  classes: number,
  alpha: number,
): LinearWeights {
  const mass = new Float64Array(features * classes);
  const featureTotal = new Float64Array(features);
  const classTotal = new Float64Array(classes);
  for (let i = 0; i < xs.length; i++) {
    const k = y[i]!;
    const { idx, val } = xs[i]!;
    for (let j = 0; j < idx.length; j++) {
      mass[idx[j]! * classes + k]! += val[j]!;
      featureTotal[idx[j]!]! += val[j]!;
      classTotal[k]! += val[j]!;
    }
  }
  const grand = classTotal.reduce((a, b) => a + b, 0);
  const weights = new Float32Array(features * classes);
  for (let k = 0; k < classes; k++) {
    const denominator = Math.log(grand - classTotal[k]! + alpha * features);
    let norm = 0;
    const column = new Float64Array(features);
    for (let f = 0; f < features; f++) {
      column[f] = Math.log(featureTotal[f]! - mass[f * classes + k]! + alpha) - denominator;
      norm += Math.abs(column[f]!);
    }
    // Negated: a high complement likelihood means the text is unlike class k.
    for (let f = 0; f < features; f++) weights[f * classes + k] = (-column[f]! / norm) * features;
  }
  return { features, classes, weights, bias: new Float32Array(classes) };
}

function fit(
  variant: Variant,
  xs: SparseVector[],
  y: Int32Array,
  features: number,
  classes: number,
  c: number,
  seed: number,
) {
  if (variant.linear.algorithm === 'cnb') return trainComplementNb(xs, y, features, classes, c);
  return trainLinear(xs, y, features, classes, {
    ...defaultLinearOptions,
    ...variant.linear,
    algorithm: variant.linear.algorithm,
    c,
    seed,
  });
}

/** Fits on `train`, returns raw scores of `test` (row-major). */
function fitAndScore(
  variant: Variant,
  corpus: Corpus,
  train: number[],
  test: number[],
  cs: number[],
  seed: number,
): Float64Array[] {
  const vectorizer = fitVectorizer(
    train.map((i) => corpus.counts[i]!),
    variant.features,
  );
  const xs = train.map((i) => vectorize(vectorizer, corpus.counts[i]!));
  const y = Int32Array.from(train, (i) => corpus.y[i]!);
  const tx = test.map((i) => vectorize(vectorizer, corpus.counts[i]!));
  return cs.map((c) =>
    scoreAll(fit(variant, xs, y, vectorizer.buckets.length, corpus.labels.length, c, seed), tx),
  );
}

function calibrate(scores: Float64Array, temperature: number, k: number): Float64Array {
  const out = new Float64Array(scores.length);
  const row = new Float64Array(k);
  for (let r = 0; r < scores.length / k; r++) {
    softmaxInto(scores.subarray(r * k, (r + 1) * k), temperature, row);
    out.set(row, r * k);
  }
  return out;
}

function macroF1(probs: Float64Array, truth: Int32Array, labels: string[]): number {
  const k = labels.length;
  const predicted = Int32Array.from(truth, (_, r) => argmaxRow(probs, r, k));
  return evaluatePredictions(truth, predicted, labels).macroF1;
}

interface FoldResult {
  c: number;
  temperature: number;
  innerMacroF1: number;
  innerCandidates: { c: number; macroF1: number }[];
  /** Calibrated inner out-of-fold probabilities of the outer training part, in `train` order. */
  inner: number[];
  /** Calibrated probabilities of the outer test part, in `test` order. */
  outer: number[];
  outerMacroF1: number;
  fitCpuSeconds: number;
  dropped?: number;
}

function splits(corpusY: Int32Array, seed: number) {
  const n = corpusY.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const fold = stratifiedFolds(corpusY, all, outerFolds, deriveSeed(seed, 1));
  return Array.from({ length: outerFolds }, (_, f) => {
    const train = all.filter((i) => fold[i] !== f);
    const test = all.filter((i) => fold[i] === f);
    const inner = stratifiedFolds(corpusY, train, innerFolds, deriveSeed(seed, 2, f));
    return { train, test, inner };
  });
}

function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function runVariant(variant: Variant, corpus: Corpus, seed: number): FoldResult[] {
  const k = corpus.labels.length;
  const results: FoldResult[] = [];
  for (const [f, split] of splits(corpus.y, seed).entries()) {
    const t0 = cpu();
    const { train, test, inner } = split;
    const oof = variant.cGrid.map(() => new Float64Array(train.length * k));
    for (let g = 0; g < innerFolds; g++) {
      const innerTrain: number[] = [];
      const positions: number[] = [];
      train.forEach((sample, p) => {
        if (inner[p] === g) positions.push(p);
        else innerTrain.push(sample);
      });
      const scores = fitAndScore(
        variant,
        corpus,
        innerTrain,
        positions.map((p) => train[p]!),
        variant.cGrid,
        deriveSeed(seed, 4, f, g),
      );
      scores.forEach((s, ci) => {
        positions.forEach((p, r) => {
          oof[ci]!.set(s.subarray(r * k, (r + 1) * k), p * k);
        });
      });
    }
    const truth = Int32Array.from(train, (i) => corpus.y[i]!);
    const candidates = variant.cGrid.map((c, ci) => ({
      c,
      macroF1: macroF1(oof[ci]!, truth, corpus.labels),
    }));
    let best = 0;
    candidates.forEach((cand, ci) => {
      if (cand.macroF1 > candidates[best]!.macroF1 + 1e-12) best = ci;
    });
    const temperature = fitTemperature(oof[best]!, truth, k);
    const innerProbs = calibrate(oof[best]!, temperature, k);
    let fitTrain = train;
    let dropped: number | undefined;
    if (variant.dropBelow) {
      fitTrain = train.filter((sample, p) => innerProbs[p * k + corpus.y[sample]!]! >= variant.dropBelow!);
      dropped = train.length - fitTrain.length;
    }
    const [outerScores] = fitAndScore(
      variant,
      corpus,
      fitTrain,
      test,
      [variant.cGrid[best]!],
      deriveSeed(seed, 5, f),
    );
    const outer = calibrate(outerScores!, temperature, k);
    const testTruth = Int32Array.from(test, (i) => corpus.y[i]!);
    const result: FoldResult = {
      c: variant.cGrid[best]!,
      temperature,
      innerMacroF1: candidates[best]!.macroF1,
      innerCandidates: candidates,
      inner: Array.from(innerProbs, (v) => Math.round(v * 1e6) / 1e6),
      outer: Array.from(outer, (v) => Math.round(v * 1e6) / 1e6),
      outerMacroF1: macroF1(outer, testTruth, corpus.labels),
      fitCpuSeconds: cpu() - t0,
      ...(dropped === undefined ? {} : { dropped }),
    };
    results.push(result);
    console.log(
      `${variant.name} fold ${f}: C ${result.c} T ${temperature.toFixed(3)} inner ${result.innerMacroF1.toFixed(4)} outer ${result.outerMacroF1.toFixed(4)} (${result.fitCpuSeconds.toFixed(0)} s CPU${dropped === undefined ? '' : `, dropped ${dropped}`})`,
    );
  }
  return results;
}

function summarise(name: string, outerByFold: Float64Array[], corpus: Corpus, seed: number) {
  const k = corpus.labels.length;
  const n = corpus.y.length;
  const all = new Float64Array(n * k);
  const foldF1: number[] = [];
  splits(corpus.y, seed).forEach(({ test }, f) => {
    const probs = outerByFold[f]!;
    test.forEach((sample, r) => {
      all.set(probs.subarray(r * k, (r + 1) * k), sample * k);
    });
    foldF1.push(
      macroF1(
        probs,
        Int32Array.from(test, (i) => corpus.y[i]!),
        corpus.labels,
      ),
    );
  });
  const predicted = Int32Array.from({ length: n }, (_, i) => argmaxRow(all, i, k));
  const report = evaluatePredictions(corpus.y, predicted, corpus.labels);
  const ece = calibrationReport(
    Float64Array.from({ length: n }, (_, i) => all[i * k + predicted[i]!]!),
    Array.from({ length: n }, (_, i) => predicted[i] === corpus.y[i]),
  ).ece;
  const mean = foldF1.reduce((a, b) => a + b, 0) / foldF1.length;
  const sd = Math.sqrt(foldF1.reduce((a, b) => a + (b - mean) ** 2, 0) / (foldF1.length - 1));
  return { name, mean, sd, pooled: report.macroF1, accuracy: report.accuracy, ece, foldF1 };
}

/** Average of members' calibrated probabilities, sharpened or softened by one temperature fitted on the inner average. */
function ensemble(members: FoldResult[], k: number, innerTruth: Int32Array) {
  const average = (pick: (r: FoldResult) => number[]) => {
    const length = pick(members[0]!).length;
    const out = new Float64Array(length);
    for (const m of members) {
      const p = pick(m);
      for (let i = 0; i < length; i++) out[i]! += Math.log(Math.max(p[i]!, 1e-9)) / members.length;
    }
    return out; // mean log-probability: a geometric average, used as scores
  };
  const innerScores = average((r) => r.inner);
  const temperature = fitTemperature(innerScores, innerTruth, k);
  return {
    inner: calibrate(innerScores, temperature, k),
    outer: calibrate(
      average((r) => r.outer),
      temperature,
      k,
    ),
    temperature,
  };
}

/**
 * Per-class offsets added to the log-probabilities so as to maximise macro-F1 on the inner out-of-fold
 * predictions (coordinate ascent over a grid, a few passes); the temperature is fitted again on the
 * shifted inner scores. Macro-F1 rewards recall of the small classes more than the log loss does, so the
 * offsets can move a decision the calibrated model leaves to the large class (城乡建设).
 */
function classOffsets(innerProbs: Float64Array, truth: Int32Array, labels: string[]): Float64Array {
  const k = labels.length;
  const logs = Float64Array.from(innerProbs, (p) => Math.log(Math.max(p, 1e-9)));
  const offsets = new Float64Array(k);
  const scoreWith = (o: Float64Array) => {
    const shifted = Float64Array.from(logs, (v, i) => v + o[i % k]!);
    return macroF1(shifted, truth, labels);
  };
  let best = scoreWith(offsets);
  for (let pass = 0; pass < 3; pass++) {
    for (let c = 0; c < k; c++) {
      const keep = offsets[c]!;
      let bestValue = keep;
      for (let step = -10; step <= 10; step++) {
        offsets[c] = step / 10;
        const f1 = scoreWith(offsets);
        if (f1 > best + 1e-9) {
          best = f1;
          bestValue = offsets[c]!;
        }
      }
      offsets[c] = bestValue;
    }
  }
  return offsets;
}

function withOffsets(probs: Float64Array, offsets: Float64Array, k: number): Float64Array {
  return Float64Array.from(probs, (p, i) => Math.log(Math.max(p, 1e-9)) + offsets[i % k]!);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string', default: '' },
    out: { type: 'string', default: 'classifier-variants' },
    only: { type: 'string', default: '' },
    seed: { type: 'string', default: '42' },
  },
});
const seed = Number(values.seed);
const command = positionals[0] ?? 'run';
const samples = parseLabelledTsv(readFileSync(values.data, 'utf8'));
const tokenizer = new ChineseTokenizer({ userWords: [], hmm: false });
const corpora = new Map<string, Corpus>();
const corpusFor = (features: FeatureOptions): Corpus => {
  const key = JSON.stringify(features);
  let corpus = corpora.get(key);
  if (!corpus) {
    corpus = buildCorpus(samples, new FeatureHasher(features, tokenizer));
    corpora.set(key, corpus);
  }
  return corpus;
};
mkdirSync(values.out, { recursive: true });

if (command === 'run') {
  const only = values.only ? values.only.split(',') : variants.map((v) => v.name);
  for (const name of only) {
    const variant = variants.find((v) => v.name === name);
    if (!variant) throw new Error(`unknown variant ${name}`);
    const folds = runVariant(variant, corpusFor(variant.features), seed);
    writeFileSync(
      path.join(values.out, `${name}.seed${seed}.json`),
      JSON.stringify({ variant, seed, folds }),
    );
  }
} else if (command === 'combine') {
  const corpus = corpusFor(base);
  const k = corpus.labels.length;
  const runs = new Map<string, FoldResult[]>();
  for (const file of readdirSync(values.out)) {
    const match = /^(.*)\.seed(\d+)\.json$/.exec(file);
    if (!match || Number(match[2]) !== seed) continue;
    runs.set(
      match[1]!,
      (JSON.parse(readFileSync(path.join(values.out, file), 'utf8')) as { folds: FoldResult[] }).folds,
    );
  }
  const folds = splits(corpus.y, seed);
  // Candidates: every single variant, then every ensemble whose members ran.
  const candidates = new Map<string, { inner: Float64Array[]; outer: Float64Array[]; innerF1: number[] }>();
  for (const [name, result] of runs) {
    candidates.set(name, {
      inner: result.map((r) => Float64Array.from(r.inner)),
      outer: result.map((r) => Float64Array.from(r.outer)),
      innerF1: result.map((r) => r.innerMacroF1),
    });
  }
  for (const members of ensembles) {
    if (!members.every((m) => runs.has(m))) continue;
    const entry = { inner: [] as Float64Array[], outer: [] as Float64Array[], innerF1: [] as number[] };
    folds.forEach(({ train }, f) => {
      const innerTruth = Int32Array.from(train, (i) => corpus.y[i]!);
      const e = ensemble(
        members.map((m) => runs.get(m)![f]!),
        k,
        innerTruth,
      );
      entry.inner.push(e.inner);
      entry.outer.push(e.outer);
      entry.innerF1.push(macroF1(e.inner, innerTruth, corpus.labels));
    });
    candidates.set(members.join('+'), entry);
  }
  // Every candidate again with per-class offsets chosen on its inner out-of-fold predictions.
  for (const [name, c] of [...candidates]) {
    const entry = { inner: [] as Float64Array[], outer: [] as Float64Array[], innerF1: [] as number[] };
    folds.forEach(({ train }, f) => {
      const innerTruth = Int32Array.from(train, (i) => corpus.y[i]!);
      const offsets = classOffsets(c.inner[f]!, innerTruth, corpus.labels);
      const innerScores = withOffsets(c.inner[f]!, offsets, k);
      const temperature = fitTemperature(innerScores, innerTruth, k);
      entry.inner.push(calibrate(innerScores, temperature, k));
      entry.outer.push(calibrate(withOffsets(c.outer[f]!, offsets, k), temperature, k));
      entry.innerF1.push(macroF1(entry.inner[f]!, innerTruth, corpus.labels));
    });
    candidates.set(`${name} +offsets`, entry);
  }
  const rows = [...candidates].map(([name, c]) => ({
    ...summarise(name, c.outer, corpus, seed),
    innerF1: c.innerF1.reduce((a, b) => a + b, 0) / c.innerF1.length,
  }));
  // The pipeline's choice: per outer fold, the candidate with the best inner macro-F1 (noise filtering is
  // excluded, since its inner score is that of the unfiltered model).
  const selectable = [...candidates].filter(
    ([name]) => !name.includes('denoise') && !name.includes('offsets'),
  );
  const picks = folds.map((_, f) => {
    let best = selectable[0]!;
    for (const entry of selectable) if (entry[1].innerF1[f]! > best[1].innerF1[f]! + 1e-12) best = entry;
    return best;
  });
  const chosen = summarise(
    'chosen by inner CV',
    picks.map(([, c], f) => c.outer[f]!),
    corpus,
    seed,
  );
  rows.sort((a, b) => b.mean - a.mean);
  console.log(
    '| variant | inner macro-F1 (mean of folds) | outer macro-F1 mean ± sd | pooled | accuracy | ECE |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${r.innerF1.toFixed(4)} | ${r.mean.toFixed(4)} ± ${r.sd.toFixed(4)} | ${r.pooled.toFixed(4)} | ${r.accuracy.toFixed(4)} | ${r.ece.toFixed(4)} |`,
    );
  console.log(
    `| **${chosen.name}** (${picks.map(([name]) => name).join(', ')}) | | ${chosen.mean.toFixed(4)} ± ${chosen.sd.toFixed(4)} | ${chosen.pooled.toFixed(4)} | ${chosen.accuracy.toFixed(4)} | ${chosen.ece.toFixed(4)} |`,
  );
  const cpuRows = [...runs].map(
    ([name, r]) => `${name}: ${r.reduce((a, b) => a + b.fitCpuSeconds, 0).toFixed(0)} s CPU`,
  );
  console.log(`\nCPU of the nested CV per variant: ${cpuRows.join('; ')}`);
} else {
  throw new Error(`unknown command ${command}`);
}
