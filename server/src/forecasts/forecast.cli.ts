import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { parseModelFile } from '../classification/model-file.ts';
import { TextClassifier } from '../classification/text-classifier.ts';
import type { CliContext } from '../cli/context.ts';
import { createContext } from '../context.ts';
import { AppError } from '../shared/errors.ts';
import { type BacktestResult, backtest, defaultBacktestOptions } from './forecast.models.ts';
import { parseSeriesTsv, type SeriesEvent, weeklySeries } from './forecast.series.ts';

/** The backtest as the CLI prints it with --json. */
export function backtestForOutput(r: BacktestResult) {
  return {
    mase: round(r.mase),
    seasonalNaiveMase: r.seasonalNaiveMase,
    series: r.series,
    horizonWeeks: r.horizonWeeks,
    model: r.best,
    points: r.points,
    coverage80: round(r.coverage80),
    models: r.models.map((m) => ({ model: m.model, mase: round(m.mase), mae: round(m.mae) })),
  };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** Events of a TSV file; rows without a category are classified when a model is given, else "all". */
async function eventsOfFile(file: string, modelFile?: string): Promise<SeriesEvent[]> {
  const rows = parseSeriesTsv(await readFile(file, 'utf8'));
  const classifier = modelFile ? new TextClassifier(parseModelFile(await readFile(modelFile, 'utf8'))) : null;
  return rows.map((r) => ({
    time: r.time,
    place: r.place ?? 'all',
    category: r.category ?? (classifier ? classifier.classify(r.text, 1).suggestions[0]!.label : 'all'),
  }));
}

export function registerForecastCommands(program: Command, ctx: CliContext): void {
  const forecast = program
    .command('forecast')
    .description('weekly forecasts of case counts per grid × category, and their backtest (未诉先办)');

  forecast
    .command('backtest')
    .description(
      'roll the forecast origin over the history and compare every model with seasonal naive by MASE',
    )
    .option('--data <file>', 'a TSV of time, category, place instead of the platform cases')
    .option('--model <file>', 'classifier model file that gives rows without a category one')
    .option('--scope <code>', 'platform cases: district or street code (default: every district)')
    .option('--horizon <weeks>', 'weeks ahead', '1')
    .option('--json', 'print {mase, seasonalNaiveMase, series, horizonWeeks, …}')
    .action(
      async (opts: { data?: string; model?: string; scope?: string; horizon: string; json?: boolean }) => {
        const horizon = Number(opts.horizon);
        if (!Number.isInteger(horizon) || horizon < 1 || horizon > 12) {
          throw AppError.validation([{ field: 'horizon', message: 'a whole number of weeks from 1 to 12' }]);
        }
        const options = { ...defaultBacktestOptions, horizon };
        let result: BacktestResult;
        let what: string;
        if (opts.data) {
          let events: SeriesEvent[];
          try {
            events = await eventsOfFile(opts.data, opts.model);
          } catch (err) {
            throw AppError.validation([{ field: 'data', message: (err as Error).message }]);
          }
          const s = weeklySeries(events);
          // A file says nothing about the weeks before a series' first event: they are missing, not zero.
          const starts = s.counts.map((y) =>
            Math.max(
              0,
              y.findIndex((v) => v > 0),
            ),
          );
          result = backtest(s.counts, options, starts);
          what = `${events.length} events, ${s.keys.length} series over ${s.weeks} weeks`;
        } else {
          const handle = await ctx.openDatabase();
          try {
            const app = createContext(ctx.config, handle);
            const run = await app.forecasts.backtestHistory(SYSTEM_ACTOR, {
              scopeCode: opts.scope ?? null,
              horizon,
            });
            result = run.result;
            what = `${run.cases} cases, ${run.seriesTotal} grid × category series over ${run.weeks} weeks`;
          } finally {
            await handle.close();
          }
        }
        if (opts.json) {
          ctx.print(JSON.stringify(backtestForOutput(result)));
          return;
        }
        ctx.print(what);
        ctx.print(
          `${result.points} forecasts per model over ${result.series} series, horizon ${result.horizonWeeks} week(s)`,
        );
        for (const m of result.models) {
          ctx.print(`  ${m.model.padEnd(15)} MASE ${m.mase.toFixed(3)}  MAE ${m.mae.toFixed(3)}`);
        }
        ctx.print(`chosen: ${result.best}; 80 % interval coverage ${(result.coverage80 * 100).toFixed(1)} %`);
      },
    );
}
