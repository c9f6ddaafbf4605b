import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { calibrationReport, softmaxInto } from '../src/classification/calibration.ts';
import { type LabelledText, parseLabelledTsv } from '../src/classification/dataset.ts';
import { FeatureHasher, fitVectorizer, vectorize } from '../src/classification/features.ts';
import {
  type LinearOptions,
  type LinearWeights,
  scoreAll,
  trainLinear,
} from '../src/classification/linear-model.ts';
import { argmaxRow, evaluatePredictions } from '../src/classification/metrics.ts';
import { parseModelFile, serialiseModelFile } from '../src/classification/model-file.ts';
import { trainNaiveBayes } from '../src/classification/naive-bayes.ts';
import { TextClassifier } from '../src/classification/text-classifier.ts';
import { ChineseTokenizer } from '../src/classification/tokenizer.ts';
import {
  buildCorpus,
  type Corpus,
  crossValidate,
  defaultTrainingOptions,
  stratifiedFolds,
  type TrainingOptions,
  trainClassifier,
} from '../src/classification/training.ts';

/**
 * Report-text classification on the 2020 Teddy Cup 12345 messages (SPEC §7.1): nested 5-fold CV of the
 * default training procedure, baselines on the same outer folds, training time, model size and
 * single-thread classification throughput. The data lives in ../shared beside the repository.
 */

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dataPath = path.resolve(repoRoot, '../shared/data/tipdm2020c-train.tsv');

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

interface BaselineResult {
  name: string;
  accuracy: number;
  macroF1: number;
  ece: number;
  seconds: number;
}

/** A fixed-parameter model on the same outer folds as the nested CV (nothing tuned, so nothing to nest). */
function baseline(
  name: string,
  corpus: Corpus,
  options: TrainingOptions,
  fit: (
    xs: ReturnType<typeof vectorize>[],
    y: Int32Array,
    features: number,
    classes: number,
  ) => LinearWeights,
): BaselineResult {
  const started = performance.now();
  const n = corpus.y.length;
  const k = corpus.labels.length;
  const all = Array.from({ length: n }, (_, i) => i);
  // The same seed derivation as crossValidate's outer folds, so the splits are identical.
  const fold = stratifiedFolds(corpus.y, all, options.folds, deriveOuterSeed(options.seed));
  const predicted = new Int32Array(n);
  const confidence = new Float64Array(n);
  const p = new Float64Array(k);
  for (let f = 0; f < options.folds; f++) {
    const train = all.filter((i) => fold[i] !== f);
    const test = all.filter((i) => fold[i] === f);
    const v = fitVectorizer(
      train.map((i) => corpus.counts[i]!),
      options.features,
    );
    const model = fit(
      train.map((i) => vectorize(v, corpus.counts[i]!)),
      Int32Array.from(train, (i) => corpus.y[i]!),
      v.buckets.length,
      k,
    );
    const scores = scoreAll(
      model,
      test.map((i) => vectorize(v, corpus.counts[i]!)),
    );
    test.forEach((sample, r) => {
      softmaxInto(scores.subarray(r * k, (r + 1) * k), 1, p);
      predicted[sample] = argmaxRow(p, 0, k);
      confidence[sample] = p[predicted[sample]!]!;
    });
  }
  const report = evaluatePredictions(corpus.y, predicted, corpus.labels);
  const correct = Array.from(predicted, (pr, i) => pr === corpus.y[i]);
  return {
    name,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    ece: calibrationReport(confidence, correct).ece,
    seconds: (performance.now() - started) / 1000,
  };
}

// Mirrors training.ts: crossValidate uses deriveSeed(seed, 1) for the outer folds.
import { deriveSeed } from '../src/classification/prng.ts';

function deriveOuterSeed(seed: number): number {
  return deriveSeed(seed, 1);
}

function throughput(
  classifier: TextClassifier,
  texts: readonly string[],
): { perSecond: number; cpuPerSecond: number } {
  for (let i = 0; i < Math.min(500, texts.length); i++) classifier.classify(texts[i]!, 3);
  const rounds = 2;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of texts) classifier.classify(t, 3);
  const wall = (performance.now() - started) / 1000;
  return {
    perSecond: (rounds * texts.length) / wall,
    cpuPerSecond: (rounds * texts.length) / cpuSeconds(cpu),
  };
}

/**
 * The scorers of one model side by side, in turns, three rounds each: the float column layout (the
 * earliest scorer), the bucket table read in one pass (the previous default) and the bucket table with
 * each message's rows copied first (the default). Also checks that the last two agree.
 */
function compareScorers(
  model: ConstructorParameters<typeof TextClassifier>[0],
  texts: readonly string[],
): void {
  const scorers = [
    ['float columns', new TextClassifier(model, { layout: 'columns' })],
    ['table, one pass', new TextClassifier(model, { layout: 'table-one-pass' })],
    ['table, rows copied first (default)', new TextClassifier(model)],
  ] as const;
  let worst = 0;
  for (const t of texts) {
    const a = scorers[1][1].probabilities(t);
    const b = scorers[2][1].probabilities(t);
    for (let j = 0; j < a.length; j++) worst = Math.max(worst, Math.abs(a[j]! - b[j]!));
  }
  console.log(`largest difference in probability, one pass against rows copied first: ${worst}`);
  const figures = scorers.map(() => [] as number[]);
  for (let round = 0; round < 3; round++) {
    scorers.forEach(([, c], i) => {
      figures[i]!.push(Math.round(throughput(c, texts).cpuPerSecond));
    });
  }
  scorers.forEach(([name], i) => {
    console.log(`  ${name}: ${figures[i]!.join(', ')} messages per CPU-second (top-3, rounds in turn)`);
  });
  console.log(
    `load average: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}

export async function run(): Promise<void> {
  if (!existsSync(dataPath)) {
    console.log(`skipped: ${dataPath} is absent (the shared data folder sits beside the repository)`);
    return;
  }
  const samples: LabelledText[] = parseLabelledTsv(readFileSync(dataPath, 'utf8'));
  const options = defaultTrainingOptions;
  console.log(`machine: ${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}, Node ${process.version}`);
  console.log(`data: ${samples.length} messages, ${new Set(samples.map((s) => s.label)).size} classes`);
  console.log(
    `features: char ${options.features.charMin}-${options.features.charMax}-grams + opening ${options.features.prefixChars} chars (jieba words + n-grams), ` +
      `2^${options.features.hashBits} buckets, min df ${options.features.minDf}; model ${options.linear.algorithm}, C grid ${options.cGrid.join('/')}`,
  );

  if (process.argv.includes('--throughput-only')) {
    // The default final model (C chosen on the inner folds, temperature fitted), without the CV runs.
    console.log(
      `load average at the start: ${os
        .loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}`,
    );
    // `--classifier-model FILE` scores a model file already trained (e.g. by `hutong classifier train`).
    const fileArg = process.argv.indexOf('--classifier-model');
    const model =
      fileArg > 0
        ? parseModelFile(readFileSync(process.argv[fileArg + 1]!, 'utf8'))
        : trainClassifier(samples, { ...options, folds: 0 }).model;
    if (fileArg > 0)
      console.log(
        `model file ${model.version}, members ${JSON.stringify(model.params.members ?? model.params.linear.algorithm)}`,
      );
    compareScorers(
      model,
      samples.map((s) => s.text),
    );
    return;
  }
  const hasher = new FeatureHasher(options.features, new ChineseTokenizer({ userWords: options.userWords }));
  const corpus = buildCorpus(samples, hasher);

  let started = performance.now();
  const cv = crossValidate(corpus, options);
  const cvSeconds = (performance.now() - started) / 1000;
  console.log(
    `nested ${options.folds}-fold CV (C and temperature on ${options.innerFolds} inner folds): ` +
      `macro-F1 ${pct(cv.report.macroF1)} ± ${pct(cv.macroF1Std)}, accuracy ${pct(cv.report.accuracy)}, ` +
      `ECE ${pct(cv.ece)}, C chosen ${cv.chosenC.join(' ')}, ${cvSeconds.toFixed(1)} s`,
  );
  for (const c of cv.report.perClass) {
    console.log(`  ${c.label}: P ${pct(c.precision)} R ${pct(c.recall)} F1 ${pct(c.f1)} (n=${c.support})`);
  }

  const fixed =
    (linear: Partial<LinearOptions>) =>
    (xs: ReturnType<typeof vectorize>[], y: Int32Array, f: number, k: number) =>
      trainLinear(xs, y, f, k, { ...options.linear, ...linear });
  const baselines = [
    baseline('multinomial naive Bayes (same features)', corpus, options, (xs, y, f, k) =>
      trainNaiveBayes(xs, y, f, k),
    ),
    baseline(
      'linear SVM, C=1 (same features, no NB scaling)',
      corpus,
      options,
      fixed({ algorithm: 'svm', c: 1 }),
    ),
    baseline(
      'softmax regression by SGD, C=100, 10 epochs',
      corpus,
      options,
      fixed({ algorithm: 'logistic', c: 100, epochs: 10 }),
    ),
  ];
  for (const b of baselines) {
    console.log(
      `baseline ${b.name}: macro-F1 ${pct(b.macroF1)}, accuracy ${pct(b.accuracy)}, ECE ${pct(b.ece)} (uncalibrated), ${b.seconds.toFixed(1)} s`,
    );
  }

  started = performance.now();
  const cpu = process.cpuUsage();
  const final = trainClassifier(samples, { ...options, folds: 0 });
  const trainSeconds = (performance.now() - started) / 1000;
  const trainCpu = cpuSeconds(cpu);
  const bytes = Buffer.byteLength(serialiseModelFile(final.model));
  console.log(
    `final model (C chosen by ${options.innerFolds}-fold CV, temperature fitted, then trained on all ${samples.length}): ` +
      `${trainSeconds.toFixed(1)} s wall, ${trainCpu.toFixed(1)} s CPU; C=${final.selection.c}, T=${final.selection.temperature.toFixed(3)}; ` +
      `${final.model.vectorizer.features} features, ${bytes} bytes (${(bytes / 1024 / 1024).toFixed(1)} MiB) JSON`,
  );

  const loadStarted = performance.now();
  const classifier = new TextClassifier(final.model);
  const loadMs = performance.now() - loadStarted;
  const speed = throughput(
    classifier,
    samples.map((s) => s.text),
  );
  console.log(
    `classification, one thread, top-3: ${Math.round(speed.perSecond)} messages/s wall, ` +
      `${Math.round(speed.cpuPerSecond)} messages/s per CPU second; model load ${loadMs.toFixed(0)} ms ` +
      `(mean message ${Math.round(samples.reduce((s, x) => s + x.text.length, 0) / samples.length)} characters)`,
  );
  compareScorers(
    final.model,
    samples.map((s) => s.text),
  );
}
