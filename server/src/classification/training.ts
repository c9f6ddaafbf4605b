import { calibrationReport, fitTemperature, softmaxInto } from './calibration.ts';
import { hashLabelledTexts, type LabelledText, labelSet } from './dataset.ts';
import {
  defaultFeatureOptions,
  FeatureHasher,
  type FeatureOptions,
  fitVectorizer,
  type SparseVector,
  type TermCounts,
  type Vectorizer,
  vectorize,
} from './features.ts';
import {
  type Algorithm,
  defaultLinearOptions,
  type LinearOptions,
  type LinearWeights,
  scoreAll,
  trainLinear,
} from './linear-model.ts';
import { argmaxRow, type EvaluationReport, evaluatePredictions } from './metrics.ts';
import {
  type CrossValidationScores,
  cvScoresFrom,
  encodeBucketBitmap,
  encodeFloat32,
  encodeInt16Weights,
  type ModelFile,
  makeVersionId,
  modelFormat,
  modelFormatVersion,
} from './model-file.ts';
import { createRng, deriveSeed, shuffleInPlace } from './prng.ts';
import { ChineseTokenizer } from './tokenizer.ts';

/**
 * From labelled texts to a model file, with an honest estimate of how good it is:
 *  - hyper-parameter C is chosen, and the temperature fitted, by an inner k-fold CV on the training
 *    part only;
 *  - the reported scores come from an outer stratified k-fold CV wrapped around that whole procedure
 *    (nested CV), so no test example ever influences a choice made for it;
 *  - the final model repeats the inner procedure on all the data.
 */

export interface TrainingOptions {
  features: FeatureOptions;
  /** `c` is used as is when `cGrid` is empty. */
  linear: LinearOptions;
  /** Candidate values of C, chosen by inner cross-validation on macro-F1. */
  cGrid: number[];
  /** Outer folds for the reported scores; below 2 skips the report (e.g. a tiny taxonomy seed set). */
  folds: number;
  /** Folds used to choose C and fit the temperature; below 2 takes the first C and `fallbackTemperature`. */
  innerFolds: number;
  /** Used when there is nothing held out to fit a temperature on. */
  fallbackTemperature: number;
  /**
   * Two or more algorithms make an ensemble over the same features: each member's C is chosen and its
   * temperature fitted on the inner folds, and the model is the average of the members' log-probabilities.
   * Over one feature space that average is itself a linear model (the weights divided by each member's
   * temperature, averaged), so it is stored and scored as one. Fewer than two: `linear.algorithm` alone.
   */
  ensemble: Algorithm[];
  userWords: string[];
  hmm: boolean;
  seed: number;
}

export const defaultTrainingOptions: TrainingOptions = {
  features: defaultFeatureOptions,
  linear: defaultLinearOptions,
  cGrid: [0.5, 2],
  folds: 5,
  innerFolds: 3,
  fallbackTemperature: 1,
  ensemble: [],
  userWords: [],
  hmm: false,
  seed: 42,
};

export type TrainingPhase = 'hashing' | 'cross-validation' | 'final';

export interface TrainingProgress {
  phase: TrainingPhase;
  /** Units done and total in the whole run: texts hashed, then models fitted. */
  done: number;
  total: number;
}

export type ProgressListener = (progress: TrainingProgress) => void;

/** Texts hashed once, shared by every fold. */
export interface Corpus {
  labels: string[];
  y: Int32Array;
  counts: TermCounts[];
}

export function buildCorpus(
  samples: readonly LabelledText[],
  hasher: FeatureHasher,
  labels: readonly string[] = labelSet(samples),
  onText?: (done: number) => void,
): Corpus {
  const index = new Map(labels.map((l, i) => [l, i]));
  const y = new Int32Array(samples.length);
  const counts: TermCounts[] = [];
  samples.forEach((s, i) => {
    const k = index.get(s.label);
    if (k === undefined) throw new RangeError(`label ${s.label} is not in the label set`);
    y[i] = k;
    counts.push(hasher.count(s.text));
    if (onText && (i + 1) % 200 === 0) onText(i + 1);
  });
  onText?.(samples.length);
  return { labels: [...labels], y, counts };
}

/**
 * Assigns each index a fold in [0, k): within every class the members are shuffled and dealt round-robin,
 * so each fold holds the same share of each class (±1).
 */
export function stratifiedFolds(
  y: ArrayLike<number>,
  indices: readonly number[],
  k: number,
  seed: number,
): Int32Array {
  const fold = new Int32Array(indices.length);
  const byClass = new Map<number, number[]>();
  indices.forEach((sample, position) => {
    const list = byClass.get(y[sample]!) ?? [];
    list.push(position);
    byClass.set(y[sample]!, list);
  });
  const rng = createRng(seed);
  // Rotating the starting fold per class keeps small classes from all landing in fold 0.
  let offset = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(c)!;
    shuffleInPlace(members, rng);
    members.forEach((position, j) => {
      fold[position] = (j + offset) % k;
    });
    offset += members.length;
  }
  return fold;
}

export interface FittedModel {
  vectorizer: Vectorizer;
  weights: LinearWeights;
}

/** One member of the model: its algorithm, its C, and the temperature that calibrates it alone. */
export interface MemberPlan {
  algorithm: Algorithm;
  c: number;
  temperature: number;
}

export function memberAlgorithms(options: TrainingOptions): Algorithm[] {
  return options.ensemble.length > 1 ? [...options.ensemble] : [options.linear.algorithm];
}

function fitMember(
  corpus: Corpus,
  train: readonly number[],
  vectorizer: Vectorizer,
  vectors: readonly SparseVector[],
  options: TrainingOptions,
  algorithm: Algorithm,
  c: number,
): LinearWeights {
  const y = Int32Array.from(train, (i) => corpus.y[i]!);
  return trainLinear(vectors, y, vectorizer.buckets.length, corpus.labels.length, {
    ...options.linear,
    algorithm,
    c,
  });
}

/**
 * Fits every member and, for an ensemble, folds them into one linear model: the sum over members of
 * weights ÷ (temperature × members), whose softmax is the normalised geometric mean of the members'
 * calibrated probabilities (before the ensemble's own temperature).
 */
function fitOn(
  corpus: Corpus,
  train: readonly number[],
  vectorizer: Vectorizer,
  vectors: readonly SparseVector[],
  options: TrainingOptions,
  plan: readonly MemberPlan[],
): FittedModel {
  const fits = plan.map((m) => fitMember(corpus, train, vectorizer, vectors, options, m.algorithm, m.c));
  if (fits.length === 1) return { vectorizer, weights: fits[0]! };
  const first = fits[0]!;
  const weights = new Float32Array(first.weights.length);
  const bias = new Float32Array(first.bias.length);
  fits.forEach((fit, m) => {
    const factor = 1 / (plan[m]!.temperature * plan.length);
    for (let i = 0; i < weights.length; i++) weights[i]! += fit.weights[i]! * factor;
    for (let i = 0; i < bias.length; i++) bias[i]! += fit.bias[i]! * factor;
  });
  return { vectorizer, weights: { features: first.features, classes: first.classes, weights, bias } };
}

function vectoriserFor(corpus: Corpus, train: readonly number[], options: TrainingOptions): Vectorizer {
  return fitVectorizer(
    train.map((i) => corpus.counts[i]!),
    options.features,
  );
}

/** Raw scores (row-major, indices × classes) of a fitted model. */
export function scoreIndices(fitted: FittedModel, corpus: Corpus, indices: readonly number[]): Float64Array {
  return scoreAll(
    fitted.weights,
    indices.map((i) => vectorize(fitted.vectorizer, corpus.counts[i]!)),
  );
}

/** Fits on `train` (vectorizer included) and returns the raw scores of `test`, row-major. */
export function fitAndScore(
  corpus: Corpus,
  train: readonly number[],
  test: readonly number[],
  options: TrainingOptions,
  c: number,
): Float64Array {
  const vectorizer = vectoriserFor(corpus, train, options);
  const fitted = fitOn(
    corpus,
    train,
    vectorizer,
    train.map((i) => vectorize(vectorizer, corpus.counts[i]!)),
    options,
    [{ algorithm: options.linear.algorithm, c, temperature: 1 }],
  );
  return scoreIndices(fitted, corpus, test);
}

export interface Selection {
  /** C of the first member (the only one for a single model). */
  c: number;
  /** Temperature of the whole model (of the ensemble's averaged scores for an ensemble). */
  temperature: number;
  /** Inner-CV macro-F1 of each candidate C of the first member. */
  candidates: { c: number; macroF1: number }[];
  /** Each member's choice; one entry for a single model. */
  members: MemberPlan[];
  /** Inner-CV macro-F1 of the whole model with the chosen Cs (null without inner folds). */
  macroF1: number | null;
}

function candidateCs(options: TrainingOptions): number[] {
  return options.cGrid.length > 0 ? options.cGrid : [options.linear.c];
}

function canSplit(corpus: Corpus, indices: readonly number[], folds: number): boolean {
  if (folds < 2) return false;
  const counts = new Map<number, number>();
  for (const i of indices) counts.set(corpus.y[i]!, (counts.get(corpus.y[i]!) ?? 0) + 1);
  // Every class must be able to appear on the training side of every fold.
  return [...counts.values()].every((n) => n >= 2) && indices.length >= folds * 2;
}

/** Number of model fits `selectParameters` makes, for progress reporting. */
export function selectionFits(options: TrainingOptions, folds: number): number {
  return folds >= 2 ? folds * candidateCs(options).length * memberAlgorithms(options).length : 0;
}

function pickBest(candidates: { c: number; macroF1: number }[]): number {
  let best = 0;
  candidates.forEach((cand, g) => {
    const b = candidates[best]!;
    if (cand.macroF1 > b.macroF1 + 1e-12 || (Math.abs(cand.macroF1 - b.macroF1) <= 1e-12 && cand.c < b.c))
      best = g;
  });
  return best;
}

/**
 * Picks each member's C by k-fold CV macro-F1 over `indices` (ties go to the smaller, more regularised
 * C) and fits its temperature on the out-of-fold scores of that C; for an ensemble, the temperature of
 * the averaged scores is then fitted on the same out-of-fold scores.
 */
export function selectParameters(
  corpus: Corpus,
  indices: readonly number[],
  options: TrainingOptions,
  folds: number,
  seed: number,
  onFit: () => void = () => {},
): Selection {
  const grid = candidateCs(options);
  const algorithms = memberAlgorithms(options);
  if (!canSplit(corpus, indices, folds)) {
    for (let i = 0; i < selectionFits(options, folds); i++) onFit();
    const members = algorithms.map((algorithm) => ({ algorithm, c: grid[0]!, temperature: 1 }));
    return { c: grid[0]!, temperature: options.fallbackTemperature, candidates: [], members, macroF1: null };
  }
  const k = corpus.labels.length;
  const fold = stratifiedFolds(corpus.y, indices, folds, seed);
  const oof = algorithms.map(() => grid.map(() => new Float64Array(indices.length * k)));
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const testPositions: number[] = [];
    indices.forEach((sample, position) => {
      if (fold[position] === f) testPositions.push(position);
      else train.push(sample);
    });
    const vectorizer = vectoriserFor(corpus, train, options);
    const trainVectors = train.map((i) => vectorize(vectorizer, corpus.counts[i]!));
    const testVectors = testPositions.map((p) => vectorize(vectorizer, corpus.counts[indices[p]!]!));
    algorithms.forEach((algorithm, m) => {
      grid.forEach((c, g) => {
        const fitted = fitOn(corpus, train, vectorizer, trainVectors, options, [
          { algorithm, c, temperature: 1 },
        ]);
        const scores = scoreAll(fitted.weights, testVectors);
        testPositions.forEach((p, row) => {
          oof[m]![g]!.set(scores.subarray(row * k, (row + 1) * k), p * k);
        });
        onFit();
      });
    });
  }
  const truth = Int32Array.from(indices, (i) => corpus.y[i]!);
  const macroF1Of = (scores: Float64Array) => {
    const predicted = Int32Array.from(indices, (_, p) => argmaxRow(scores, p, k));
    return evaluatePredictions(truth, predicted, corpus.labels).macroF1;
  };
  const perMember = algorithms.map((algorithm, m) => {
    const candidates = grid.map((c, g) => ({ c, macroF1: macroF1Of(oof[m]![g]!) }));
    const best = pickBest(candidates);
    return {
      plan: { algorithm, c: grid[best]!, temperature: fitTemperature(oof[m]![best]!, truth, k) },
      candidates,
      scores: oof[m]![best]!,
    };
  });
  const members = perMember.map((p) => p.plan);
  if (members.length === 1) {
    const only = perMember[0]!;
    return {
      c: only.plan.c,
      temperature: only.plan.temperature,
      candidates: only.candidates,
      members,
      macroF1: macroF1Of(only.scores),
    };
  }
  // The ensemble's out-of-fold scores, combined as `fitOn` combines the weights.
  const combined = new Float64Array(indices.length * k);
  perMember.forEach(({ plan, scores }) => {
    const factor = 1 / (plan.temperature * perMember.length);
    for (let i = 0; i < combined.length; i++) combined[i]! += scores[i]! * factor;
  });
  return {
    c: members[0]!.c,
    temperature: fitTemperature(combined, truth, k),
    candidates: perMember[0]!.candidates,
    members,
    macroF1: macroF1Of(combined),
  };
}

export interface CrossValidationResult {
  report: EvaluationReport;
  ece: number;
  /** Standard deviation of macro-F1 across outer folds. */
  macroF1Std: number;
  foldMacroF1: number[];
  chosenC: number[];
  /** Calibrated out-of-fold probabilities, row-major n × classes. */
  probabilities: Float64Array;
  scores: CrossValidationScores;
}

/** Nested stratified k-fold CV of the whole training procedure. */
export function crossValidate(
  corpus: Corpus,
  options: TrainingOptions,
  onFit: () => void = () => {},
): CrossValidationResult {
  const n = corpus.y.length;
  const k = corpus.labels.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const folds = options.folds;
  const fold = stratifiedFolds(corpus.y, all, folds, deriveSeed(options.seed, 1));
  const probabilities = new Float64Array(n * k);
  const predicted = new Int32Array(n);
  const chosenC: number[] = [];
  const foldMacroF1: number[] = [];
  const row = new Float64Array(k);
  for (let f = 0; f < folds; f++) {
    const train = all.filter((i) => fold[i] !== f);
    const test = all.filter((i) => fold[i] === f);
    const selection = selectParameters(
      corpus,
      train,
      options,
      options.innerFolds,
      deriveSeed(options.seed, 2, f),
      onFit,
    );
    chosenC.push(selection.c);
    const vectorizer = vectoriserFor(corpus, train, options);
    const fitted = fitOn(
      corpus,
      train,
      vectorizer,
      train.map((i) => vectorize(vectorizer, corpus.counts[i]!)),
      options,
      selection.members,
    );
    onFit();
    const scores = scoreIndices(fitted, corpus, test);
    test.forEach((sample, r) => {
      softmaxInto(scores.subarray(r * k, (r + 1) * k), selection.temperature, row);
      probabilities.set(row, sample * k);
      predicted[sample] = argmaxRow(row, 0, k);
    });
    const foldTruth = Int32Array.from(test, (i) => corpus.y[i]!);
    const foldPredicted = Int32Array.from(test, (i) => predicted[i]!);
    foldMacroF1.push(evaluatePredictions(foldTruth, foldPredicted, corpus.labels).macroF1);
  }
  const report = evaluatePredictions(corpus.y, predicted, corpus.labels);
  const confidence = Float64Array.from({ length: n }, (_, i) => probabilities[i * k + predicted[i]!]!);
  const correct = Array.from({ length: n }, (_, i) => predicted[i] === corpus.y[i]);
  const ece = calibrationReport(confidence, correct).ece;
  const mean = foldMacroF1.reduce((a, b) => a + b, 0) / folds;
  const macroF1Std = Math.sqrt(foldMacroF1.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, folds - 1));
  return {
    report,
    ece,
    macroF1Std,
    foldMacroF1,
    chosenC,
    probabilities,
    scores: cvScoresFrom(report, { folds, innerFolds: options.innerFolds, macroF1Std, ece, chosenC }),
  };
}

export interface TrainedClassifier {
  model: ModelFile;
  crossValidation: CrossValidationResult | null;
  selection: Selection;
}

export interface TrainRunOptions {
  onProgress?: ProgressListener;
  /** The model's creation time; injected so tests can pin version ids. */
  now?: Date;
  /** A label set to train against (e.g. every taxonomy key), in this order; defaults to the labels seen. */
  labels?: readonly string[];
}

/** Total progress units of a run: one per text hashed, one per model fitted. */
export function progressTotal(samples: number, options: TrainingOptions): number {
  const inner = selectionFits(options, options.innerFolds);
  const outer = options.folds >= 2 ? options.folds * (inner + 1) : 0;
  return samples + outer + inner + 1;
}

export function trainClassifier(
  samples: readonly LabelledText[],
  options: TrainingOptions,
  run: TrainRunOptions = {},
): TrainedClassifier {
  const labels = run.labels ? [...run.labels] : labelSet(samples);
  if (labels.length < 2) throw new RangeError('a classifier needs at least two labels');
  if (samples.length === 0) throw new RangeError('no training examples');
  const total = progressTotal(samples.length, options);
  let done = 0;
  const report = (phase: TrainingPhase) => run.onProgress?.({ phase, done, total });
  const tokenizer = new ChineseTokenizer({ userWords: options.userWords, hmm: options.hmm });
  const hasher = new FeatureHasher(options.features, tokenizer);
  const corpus = buildCorpus(samples, hasher, labels, (n) => {
    done = n;
    report('hashing');
  });
  const tick = (phase: TrainingPhase) => () => {
    done++;
    report(phase);
  };

  const all = Array.from({ length: samples.length }, (_, i) => i);
  const crossValidation =
    options.folds >= 2 && canSplit(corpus, all, options.folds)
      ? crossValidate(corpus, options, tick('cross-validation'))
      : null;
  if (!crossValidation && options.folds >= 2)
    done += options.folds * (selectionFits(options, options.innerFolds) + 1);

  const selection = selectParameters(
    corpus,
    all,
    options,
    options.innerFolds,
    deriveSeed(options.seed, 3),
    tick('final'),
  );
  const vectorizer = vectoriserFor(corpus, all, options);
  const fitted = fitOn(
    corpus,
    all,
    vectorizer,
    all.map((i) => vectorize(vectorizer, corpus.counts[i]!)),
    options,
    selection.members,
  );
  tick('final')();

  const classCounts = labels.map(() => 0);
  for (const yi of corpus.y) classCounts[yi]! += 1;
  const linear = { ...options.linear, c: selection.c };
  // Stored in bucket order, which a bitmap can describe; the loader restores the fast column order.
  const k = labels.length;
  const byBucket = Int32Array.from(vectorizer.buckets.keys()).sort(
    (a, b) => vectorizer.buckets[a]! - vectorizer.buckets[b]!,
  );
  const bucketWeights = new Float32Array(byBucket.length * k);
  byBucket.forEach((col, p) => {
    bucketWeights.set(fitted.weights.weights.subarray(col * k, (col + 1) * k), p * k);
  });
  const weights = encodeInt16Weights(bucketWeights, k);
  const dataHash = hashLabelledTexts(samples);
  const now = run.now ?? new Date();
  const params = {
    features: options.features,
    linear,
    temperature: selection.temperature,
    cGrid: candidateCs(options),
    tokenizer: { hmm: options.hmm, userWords: [...tokenizer.userWords] },
    ...(selection.members.length > 1 ? { members: selection.members } : {}),
  };
  const model: ModelFile = {
    format: modelFormat,
    formatVersion: modelFormatVersion,
    version: makeVersionId(now, `${dataHash}\n${JSON.stringify(params)}\n${weights.data}`),
    createdAt: now.toISOString(),
    dataHash,
    trainingSize: samples.length,
    labels,
    classCounts,
    params,
    scores: { cv: crossValidation?.scores ?? null },
    vectorizer: {
      features: vectorizer.buckets.length,
      bucketBitmap: encodeBucketBitmap(vectorizer.buckets, vectorizer.hashBits),
      idf: encodeFloat32(Float32Array.from(byBucket, (col) => vectorizer.idf[col]!)),
    },
    weights: { encoding: 'int16', ...weights, bias: Array.from(fitted.weights.bias) },
  };
  return { model, crossValidation, selection };
}
