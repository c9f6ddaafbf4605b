/**
 * Weekly forecasts of case counts per series (a grid or street × a category) and the rolling backtest
 * that chooses among them (SPEC §7.2, 未诉先办). Pure: counts in, numbers out.
 *
 * Every model forecasts week t from the weeks before t − h + 1 (the forecast origin), h = the horizon.
 * The backtest rolls the origin forward over the history and compares each model's absolute errors
 * with those of the seasonal-naive forecast on the same weeks: MASE here is Σ|error of the model| ÷
 * Σ|error of seasonal naive|, pooled over every series and week, so seasonal naive scores exactly 1
 * and below 1 is better. (Pooling keeps the many sparse series, whose naive error is often 0, from
 * dividing by zero.) The model with the lowest MASE is the one used.
 */

export const MODEL_NAMES = [
  'seasonal_naive',
  'mean_4',
  'mean_8',
  'mean_13',
  'ewma_0.2',
  'ewma_0.4',
  'seasonal_blend',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

const WEEKS_PER_YEAR = 52;

/** Mean of y over [from, to), clipped to the series; null when the range is empty. */
function meanOf(y: ArrayLike<number>, from: number, to: number): number | null {
  const a = Math.max(0, from);
  const b = Math.min(y.length, to);
  if (b <= a) return null;
  let s = 0;
  for (let i = a; i < b; i++) s += y[i]!;
  return s / (b - a);
}

/**
 * The forecast of week `t` from weeks [start, origin], origin = t − horizon. `start` is the first week
 * the series can have cases in (the platform's first week, or the file's): a week before it is missing,
 * not zero.
 */
export function forecastAt(
  model: ModelName,
  y: ArrayLike<number>,
  t: number,
  horizon: number,
  start = 0,
): number {
  const origin = t - horizon;
  const recent = (k: number) => meanOf(y, Math.max(start, origin - k + 1), origin + 1) ?? 0;
  switch (model) {
    case 'seasonal_naive': {
      // Same week last year, when last year is part of the history; the last 4 weeks' mean otherwise.
      const lastYear = t - WEEKS_PER_YEAR;
      return lastYear >= start && lastYear <= origin ? y[lastYear]! : recent(4);
    }
    case 'mean_4':
      return recent(4);
    case 'mean_8':
      return recent(8);
    case 'mean_13':
      return recent(13);
    case 'ewma_0.2':
    case 'ewma_0.4': {
      const alpha = model === 'ewma_0.2' ? 0.2 : 0.4;
      // Exponential smoothing over the last 26 weeks, started at their mean (older weeks weigh < 0.3 %).
      const from = Math.max(start, origin - 25);
      let level = meanOf(y, from, origin + 1) ?? 0;
      for (let i = from; i <= origin; i++) level += alpha * (y[i]! - level);
      return level;
    }
    case 'seasonal_blend': {
      // Half the recent level (8 weeks), half last year's level around the same week (3 weeks) scaled
      // by how this year runs against last year: seasonal, but not as noisy as one week a year ago.
      const level = recent(8);
      const lastYear = t - WEEKS_PER_YEAR;
      if (lastYear - 1 < start || lastYear + 1 > origin) return level;
      const around = meanOf(y, lastYear - 1, lastYear + 2)!;
      const thenLevel = meanOf(y, Math.max(start, origin - WEEKS_PER_YEAR - 7), origin - WEEKS_PER_YEAR + 1);
      const ratio = thenLevel && thenLevel > 0 ? Math.min(3, Math.max(1 / 3, level / thenLevel)) : 1;
      return 0.5 * level + 0.5 * around * ratio;
    }
  }
}

export interface BacktestOptions {
  horizon: number;
  /** Weeks of history a series needs before its first backtest forecast. */
  minHistory: number;
  /** Backtest only the last `lastWeeks` forecastable weeks (all when 0). */
  lastWeeks: number;
}

export const defaultBacktestOptions: BacktestOptions = { horizon: 1, minHistory: 8, lastWeeks: 52 };

export interface ModelScore {
  model: ModelName;
  /** Σ|error| ÷ Σ|seasonal-naive error| over the same series and weeks. */
  mase: number;
  mae: number;
}

export interface BacktestResult {
  models: ModelScore[];
  best: ModelName;
  mase: number;
  seasonalNaiveMase: 1;
  series: number;
  /** Forecasts compared per model. */
  points: number;
  horizonWeeks: number;
  /** Standardised residuals of the best model, (actual − forecast) / √(forecast + 1), for intervals. */
  residualQuantiles: { q10: number; q90: number };
  /** Share of the backtest's actual counts inside the best model's 80 % interval. */
  coverage80: number;
}

/**
 * Rolls the origin over every series and scores every model. `series` are weekly counts over the same
 * weeks; `starts[i]` (default 0) is the first week series i can have.
 */
export function backtest(
  series: readonly ArrayLike<number>[],
  options: BacktestOptions = defaultBacktestOptions,
  starts?: readonly number[],
): BacktestResult {
  const h = options.horizon;
  const errors = new Float64Array(MODEL_NAMES.length);
  let points = 0;
  let used = 0;
  const residuals: number[][] = MODEL_NAMES.map(() => []);
  const pairs: Array<{ actual: number; forecast: number; model: number }> = [];
  for (let s = 0; s < series.length; s++) {
    const y = series[s]!;
    const start = starts?.[s] ?? 0;
    const first = start + options.minHistory + h - 1;
    const from = options.lastWeeks > 0 ? Math.max(first, y.length - options.lastWeeks) : first;
    if (from >= y.length) continue;
    used++;
    for (let t = from; t < y.length; t++) {
      points++;
      const actual = y[t]!;
      MODEL_NAMES.forEach((m, mi) => {
        const f = forecastAt(m, y, t, h, start);
        errors[mi]! += Math.abs(actual - f);
        residuals[mi]!.push((actual - f) / Math.sqrt(f + 1));
        // Residual samples stay bounded on large histories; the interval needs quantiles, not all.
        if (residuals[mi]!.length > 200_000) residuals[mi]!.splice(0, 100_000);
        if (pairs.length < 400_000) pairs.push({ actual, forecast: f, model: mi });
      });
    }
  }
  const naive = errors[0]!;
  const models = MODEL_NAMES.map((model, mi) => ({
    model,
    mase: naive > 0 ? errors[mi]! / naive : 1,
    mae: points > 0 ? errors[mi]! / points : 0,
  }));
  let bestIndex = 0;
  models.forEach((m, i) => {
    if (m.mase < models[bestIndex]!.mase - 1e-12) bestIndex = i;
  });
  const q = quantiles(residuals[bestIndex]!);
  let inside = 0;
  let total = 0;
  for (const p of pairs) {
    if (p.model !== bestIndex) continue;
    const iv = intervalOf(p.forecast, q);
    total++;
    if (p.actual >= iv.low && p.actual <= iv.high) inside++;
  }
  return {
    models,
    best: MODEL_NAMES[bestIndex]!,
    mase: models[bestIndex]!.mase,
    seasonalNaiveMase: 1,
    series: used,
    points,
    horizonWeeks: h,
    residualQuantiles: q,
    coverage80: total > 0 ? inside / total : 0,
  };
}

function quantiles(xs: number[]): { q10: number; q90: number } {
  if (xs.length === 0) return { q10: -1.28, q90: 1.28 };
  const sorted = Float64Array.from(xs).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return { q10: at(0.1), q90: at(0.9) };
}

/**
 * The 80 % interval around a forecast, from the backtest's standardised residuals. Counts are whole
 * numbers ≥ 0, so the ends are too (rounded outwards): a forecast of 0.3 cases with an interval of
 * 0.003–0.98 would contain neither 0 nor 1.
 */
export function intervalOf(forecast: number, q: { q10: number; q90: number }): { low: number; high: number } {
  const sd = Math.sqrt(forecast + 1);
  return {
    low: Math.max(0, Math.floor(forecast + q.q10 * sd)),
    high: Math.max(0, Math.ceil(forecast + q.q90 * sd)),
  };
}

export interface Outlook {
  forecast: number;
  low: number;
  high: number;
  /** What the series usually does: the median of its last 13 weeks. */
  normal: number;
  /** The forecast's whole 80 % interval lies above normal, by at least `minRise` cases. */
  aboveNormal: boolean;
}

/** The median of y over its last `weeks` weeks (from `start`). */
export function recentMedian(y: ArrayLike<number>, weeks: number, start = 0): number {
  const from = Math.max(start, y.length - weeks);
  const xs = Float64Array.from({ length: y.length - from }, (_, i) => y[from + i]!).sort();
  if (xs.length === 0) return 0;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
}

/**
 * Next week's forecast of one series (y ends with the last complete week) and whether it is well above
 * normal: the low end of the 80 % interval above the usual level, by at least `minRise` cases, and the
 * forecast itself at least `minCount`.
 */
export function outlook(
  model: ModelName,
  y: ArrayLike<number>,
  q: { q10: number; q90: number },
  options: { start?: number; minRise: number; minCount: number },
): Outlook {
  // Week y.length is next week: every model reads only weeks up to its origin, y.length − 1.
  const forecast = forecastAt(model, y, y.length, 1, options.start ?? 0);
  const { low, high } = intervalOf(forecast, q);
  const normal = recentMedian(y, 13, options.start ?? 0);
  return {
    forecast,
    low,
    high,
    normal,
    aboveNormal: forecast >= options.minCount && low >= normal + options.minRise,
  };
}
