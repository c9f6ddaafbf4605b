import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { CliContext } from '../cli/context.ts';
import { callServer } from '../cli/operator-client.ts';
import { systemClock } from '../shared/clock.ts';
import { parseCatalogueTsv } from './catalogue.ts';
import { ClassificationService, type HeldOutScore, type RetrainReport } from './classification.service.ts';
import { parseLabelledTsv } from './dataset.ts';
import { evaluateClassifier } from './evaluation.ts';
import type { Algorithm } from './linear-model.ts';
import { formatReport } from './metrics.ts';
import { type ModelFile, parseModelFile, serialiseModelFile } from './model-file.ts';
import { ModelRegistry } from './model-registry.ts';
import { trainTaxonomyModel } from './taxonomy-model.ts';
import { TextClassifier } from './text-classifier.ts';
import {
  defaultTrainingOptions,
  type ProgressListener,
  type TrainingOptions,
  trainClassifier,
} from './training.ts';

/**
 * `hutong classifier …`: train and evaluate text classifiers from TSV files, and manage the models of
 * the installation (list, activate, roll back). Long steps show a progress bar on stderr when it is a
 * terminal, so output piped to a file or to `jq` stays clean.
 */

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return n;
  };
}

function positiveList(value: string): number[] {
  const list = value.split(',').map((v) => Number(v.trim()));
  if (list.length === 0 || list.some((n) => !(n > 0)))
    throw new InvalidArgumentError('expected positive numbers, comma-separated');
  return list;
}

const algorithms: readonly Algorithm[] = ['nbsvm', 'svm', 'logistic'];

function algorithmList(value: string): Algorithm[] {
  if (value.trim() === 'none') return [];
  const list = value.split(',').map((v) => v.trim());
  const unknown = list.filter((v) => !algorithms.includes(v as Algorithm));
  if (unknown.length > 0 || list.length < 2)
    throw new InvalidArgumentError(
      `expected "none" or two or more of ${algorithms.join(', ')}, comma-separated`,
    );
  return list as Algorithm[];
}

/** A progress listener drawing a bar on stderr, or nothing when stderr is not a terminal. */
function progressBar(label: string): { listener: ProgressListener; stop: () => void } {
  if (!process.stderr.isTTY) return { listener: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {phase} | {duration_formatted}`,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    listener: (p) => {
      if (!started) {
        bar.start(p.total, p.done, { phase: p.phase });
        started = true;
      } else bar.update(p.done, { phase: p.phase });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

async function writeModel(file: string, model: ModelFile): Promise<number> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const json = serialiseModelFile(model);
  await writeFile(file, json, 'utf8');
  return Buffer.byteLength(json);
}

/** A model named on the command line: a model file's path, or else a version in the registry. */
async function resolveModel(ref: string, registry: ModelRegistry): Promise<ModelFile> {
  if (existsSync(ref) && (await stat(ref)).isFile()) return parseModelFile(await readFile(ref, 'utf8'));
  return registry.read(ref);
}

interface TrainFlags {
  data: string;
  textColumn: string;
  labelColumn: string;
  folds: number;
  innerFolds: number;
  seed: number;
  out: string;
  algorithm: Algorithm;
  ensemble?: Algorithm[];
  c?: number[];
  register: boolean;
  activate?: boolean;
}

interface EvalFlags {
  model: string;
  data: string;
  textColumn: string;
  labelColumn: string;
  json?: boolean;
}

export function registerClassifierCommands(program: Command, ctx: CliContext): void {
  const registry = () => new ModelRegistry(ctx.config.dataDir);
  const classifier = program
    .command('classifier')
    .description('train, evaluate and manage the classifier that proposes a taxonomy code for report text');

  classifier
    .command('train')
    .description('cross-validate, then train on all the data and write a versioned model file')
    .requiredOption('--data <file>', 'tab-separated training file with a header row')
    .option('--text-column <name>', 'column holding the text', 'text')
    .option('--label-column <name>', 'column holding the label', 'label')
    .option('--folds <n>', 'outer cross-validation folds for the report (0 to skip)', integer(0), 5)
    .option('--inner-folds <n>', 'folds for choosing C and fitting the temperature', integer(0), 3)
    .option('--seed <n>', 'seed of every random choice', integer(0), 42)
    .addOption(
      new Option('--algorithm <name>', 'linear model').choices(['nbsvm', 'svm', 'logistic']).default('nbsvm'),
    )
    .option(
      '--ensemble <list>',
      `algorithms averaged into one model, comma-separated, or "none" for --algorithm alone (default ${defaultTrainingOptions.ensemble.join(',') || 'none'})`,
      algorithmList,
    )
    .option('--c <list>', 'candidate values of C, comma-separated', positiveList)
    .requiredOption('--out <file>', 'where to write the model file')
    .option('--no-register', 'do not copy the model into the registry of the data folder')
    .option('--activate', 'make the new model the active one')
    .action(async (flags: TrainFlags) => {
      const samples = parseLabelledTsv(await readFile(flags.data, 'utf8'), flags);
      const options: TrainingOptions = {
        ...defaultTrainingOptions,
        linear: { ...defaultTrainingOptions.linear, algorithm: flags.algorithm, seed: flags.seed },
        cGrid: flags.c ?? defaultTrainingOptions.cGrid,
        ensemble: flags.ensemble ?? defaultTrainingOptions.ensemble,
        folds: flags.folds,
        innerFolds: flags.innerFolds,
        seed: flags.seed,
      };
      ctx.print(`training on ${samples.length} examples from ${flags.data}`);
      const started = performance.now();
      const progress = progressBar('train');
      let result: ReturnType<typeof trainClassifier>;
      try {
        result = trainClassifier(samples, options, { onProgress: progress.listener });
      } finally {
        progress.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      const cv = result.crossValidation;
      if (cv) {
        ctx.print(`${options.folds}-fold nested cross-validation (C and temperature chosen on inner folds):`);
        for (const line of formatReport(cv.report)) ctx.print(line);
        ctx.print(`macro-F1 per fold: ${cv.foldMacroF1.map(pct).join(' ')} (sd ${pct(cv.macroF1Std)})`);
        ctx.print(`expected calibration error: ${pct(cv.ece)}; C chosen per fold: ${cv.chosenC.join(' ')}`);
      } else {
        ctx.print('no cross-validation report (--folds below 2 or too few examples per label)');
      }
      const bytes = await writeModel(flags.out, result.model);
      ctx.print(
        `model ${result.model.version}: ${result.selection.members.map((m) => `${m.algorithm} C=${m.c}`).join(' + ')}, temperature=${result.selection.temperature.toFixed(3)}, ` +
          `${result.model.vectorizer.features} features, ${bytes} bytes, ${seconds.toFixed(1)} s → ${flags.out}`,
      );
      if (flags.register || flags.activate) {
        const reg = registry();
        await reg.add(result.model);
        ctx.print(`stored in ${reg.dir}`);
        if (flags.activate) {
          await reg.activate(result.model.version);
          ctx.print(`activated ${result.model.version}`);
        }
      }
    });

  classifier
    .command('eval')
    .description('score a model on a labelled file: accuracy, macro-F1, per-class P/R/F1, confusion matrix')
    .requiredOption('--model <model>', 'a model file, or a version in the registry')
    .requiredOption('--data <file>', 'tab-separated file with a header row')
    .option('--text-column <name>', 'column holding the text', 'text')
    .option('--label-column <name>', 'column holding the label', 'label')
    .option('--json', 'print the result as JSON')
    .action(async (flags: EvalFlags) => {
      const model = await resolveModel(flags.model, registry());
      const samples = parseLabelledTsv(await readFile(flags.data, 'utf8'), flags);
      const result = evaluateClassifier(new TextClassifier(model), samples);
      if (flags.json) {
        ctx.print(JSON.stringify(result, null, 2));
        return;
      }
      ctx.print(`model ${result.modelVersion} on ${flags.data}`);
      for (const line of formatReport(result)) ctx.print(line);
      ctx.print(`expected calibration error: ${pct(result.ece)}`);
      if (result.unknownLabels.length > 0) {
        ctx.print(
          `labels the model does not know (always counted wrong): ${result.unknownLabels.join(', ')}`,
        );
      }
    });

  classifier
    .command('taxonomy')
    .description(
      'train the default model over a taxonomy catalogue (labels kind:code), plus confirmed labels',
    )
    .requiredOption('--catalogue <file>', 'catalogue TSV: code kind major_class name keywords')
    .option('--labelled <file>', 'confirmed labels, TSV with text and label (kind:code) columns')
    .option('--seed <n>', 'seed', integer(0), 42)
    .requiredOption('--out <file>', 'where to write the model file')
    .option('--no-register', 'do not copy the model into the registry of the data folder')
    .action(
      async (flags: {
        catalogue: string;
        labelled?: string;
        seed: number;
        out: string;
        register: boolean;
      }) => {
        const entries = parseCatalogueTsv(await readFile(flags.catalogue, 'utf8'));
        const labelled = flags.labelled ? parseLabelledTsv(await readFile(flags.labelled, 'utf8')) : [];
        const progress = progressBar('taxonomy');
        let result: ReturnType<typeof trainTaxonomyModel>;
        try {
          result = trainTaxonomyModel(entries, labelled, { seed: flags.seed, onProgress: progress.listener });
        } finally {
          progress.stop();
        }
        const bytes = await writeModel(flags.out, result.model);
        ctx.print(
          `model ${result.model.version}: ${entries.length} taxonomy entries, ${labelled.length - result.skippedLabelled} confirmed labels` +
            ` (${result.skippedLabelled} with unknown keys left out), temperature ${result.calibrated ? 'fitted' : 'assumed'}` +
            ` ${result.selection.temperature.toFixed(3)}, ${bytes} bytes → ${flags.out}`,
        );
        if (flags.register) await registry().add(result.model);
      },
    );

  classifier
    .command('retrain')
    .description(
      'train from the active taxonomies and the confirmed labels in the database; keep the new model ' +
        'only if it beats the active one on the held-out labels',
    )
    .option('--min-held-out <n>', 'held-out labels needed to judge a candidate', integer(1), 20)
    .option('--json', 'print the report as JSON')
    .action(async (flags: { minHeldOut: number; json?: boolean }) => {
      const server = ctx.server?.();
      // Beside a running server the server retrains, with its own held-out minimum.
      const handle = server ? null : await ctx.openDatabase();
      const progress = flags.json || server ? { listener: () => {}, stop: () => {} } : progressBar('retrain');
      try {
        let report: RetrainReport;
        if (server) {
          report = await callServer<RetrainReport>(server, '/api/operator/classifier/retrain', {});
        } else {
          const service = new ClassificationService(handle!.db, registry(), systemClock, {
            // Nothing else runs in this process, so training needs no child process of its own.
            trainer: 'inline',
            minHeldOut: flags.minHeldOut,
            taxonomyModel: { onProgress: progress.listener },
          });
          await service.registry.init();
          report = await service.retrain(SYSTEM_ACTOR).finally(() => progress.stop());
        }
        if (flags.json) {
          ctx.print(JSON.stringify(report, null, 2));
          return;
        }
        const show = (s: HeldOutScore | null) =>
          s ? `macro-F1 ${pct(s.macroF1)}, accuracy ${pct(s.accuracy)}` : 'not scored';
        ctx.print(
          `candidate ${report.candidate}: ${report.taxonomyEntries} taxonomy entries, ${report.trainingLabels} confirmed labels ` +
            `(${report.heldOutLabels} more held out, ${report.skippedLabels} with keys no longer in a taxonomy), ` +
            `${(report.trainingMs / 1000).toFixed(1)} s`,
        );
        ctx.print(`  on the held-out labels: candidate ${show(report.candidateScore)}`);
        if (report.previous) ctx.print(`  active model ${report.previous}: ${show(report.previousScore)}`);
        ctx.print(
          report.activated
            ? `activated ${report.candidate}: ${report.reason}; a running server picks it up at its next registry refresh`
            : `kept ${report.active}: ${report.reason} (the candidate is stored; \`hutong classifier activate\` uses it anyway)`,
        );
      } finally {
        await handle?.close();
      }
    });

  classifier
    .command('list')
    .description('models in the registry, oldest first; * marks the active one')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }) => {
      const models = await registry().list();
      if (flags.json) {
        ctx.print(JSON.stringify(models, null, 2));
        return;
      }
      if (models.length === 0) {
        ctx.print('no models yet: run `hutong classifier train` or `hutong classifier taxonomy`');
        return;
      }
      for (const m of models) {
        const score =
          m.macroF1 === null ? 'not cross-validated' : `macro-F1 ${pct(m.macroF1)}, ECE ${pct(m.ece ?? 0)}`;
        ctx.print(
          `${m.active ? '*' : ' '} ${m.version}  ${m.labels} labels, ${m.trainingSize} examples, ${score}, ${m.bytes} bytes`,
        );
      }
    });

  classifier
    .command('activate <version>')
    .description('make a model the active one (a version in the registry, or a model file to import)')
    .action(async (ref: string) => {
      const reg = registry();
      let version = ref;
      if (existsSync(ref) && (await stat(ref)).isFile()) version = (await reg.importFile(ref)).version;
      await reg.activate(version);
      ctx.print(`activated ${version}; a running server picks it up at its next registry refresh`);
    });

  classifier
    .command('rollback')
    .description('reactivate the model that was active before the current one')
    .action(async () => {
      const model = await registry().rollback();
      ctx.print(`rolled back to ${model.version}`);
    });
}
