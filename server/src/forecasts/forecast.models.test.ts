import { describe, expect, it } from 'vitest';
import { createRng } from '../classification/prng.ts';
import { backtest, forecastAt, intervalOf, outlook, recentMedian } from './forecast.models.ts';
import { parseSeriesTsv, weekIndex, weeklySeries, weekStart } from './forecast.series.ts';

/** Poisson draws by inversion: small means, enough for tests. */
function poisson(rng: () => number, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let s = p;
  const u = rng();
  while (u > s && k < 1000) {
    k++;
    p *= mean / k;
    s += p;
  }
  return k;
}

describe('forecast models', () => {
  const y = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  it('seasonal naive takes last year, or the last 4 weeks when a year is missing', () => {
    expect(forecastAt('seasonal_naive', y, 7, 1)).toBe((4 + 5 + 6 + 7) / 4);
    const twoYears = Float64Array.from({ length: 60 }, (_, i) => i);
    expect(forecastAt('seasonal_naive', twoYears, 59, 1)).toBe(7);
    // A year before the series started is missing, not zero.
    expect(forecastAt('seasonal_naive', twoYears, 59, 1, 10)).toBe((55 + 56 + 57 + 58) / 4);
  });
  it('reads nothing after the forecast origin', () => {
    const a = Float64Array.from({ length: 70 }, (_, i) => (i * 7) % 5);
    const b = Float64Array.from(a);
    b[69] = 1000;
    for (const m of ['seasonal_naive', 'mean_8', 'ewma_0.2', 'seasonal_blend'] as const) {
      expect(forecastAt(m, a, 69, 1)).toBe(forecastAt(m, b, 69, 1));
      expect(forecastAt(m, a, 69, 3)).toBe(forecastAt(m, b, 69, 3));
    }
  });
});

describe('backtest', () => {
  it('prefers a smoothed level over last year on flat noisy series, and reports seasonal naive as 1', () => {
    const rng = createRng(3);
    const series = Array.from({ length: 40 }, () =>
      Float64Array.from({ length: 110 }, () => poisson(rng, 4)),
    );
    const r = backtest(series);
    expect(r.seasonalNaiveMase).toBe(1);
    expect(r.models.find((m) => m.model === 'seasonal_naive')!.mase).toBe(1);
    expect(r.mase).toBeLessThan(0.85);
    expect(['mean_8', 'mean_13', 'ewma_0.2']).toContain(r.best);
    expect(r.series).toBe(40);
    expect(r.points).toBe(40 * 52);
    // The 80 % interval from the backtest's own residuals, with whole-number ends rounded outwards,
    // covers at least 80 % of what came and is not so wide that it covers everything.
    expect(r.coverage80).toBeGreaterThan(0.78);
    expect(r.coverage80).toBeLessThan(0.97);
  });

  it('prefers a seasonal model when the series repeat every year', () => {
    const rng = createRng(5);
    const series = Array.from({ length: 30 }, () =>
      Float64Array.from({ length: 156 }, (_, t) =>
        poisson(rng, 2 + 10 * (t % 52 >= 20 && t % 52 < 30 ? 1 : 0)),
      ),
    );
    const r = backtest(series);
    expect(['seasonal_naive', 'seasonal_blend']).toContain(r.best);
  });
});

describe('outlook', () => {
  it('flags a series whose next week is well above its usual level', () => {
    const q = { q10: -1, q90: 1 };
    const quiet = Float64Array.from({ length: 30 }, () => 2);
    expect(outlook('mean_4', quiet, q, { minRise: 1, minCount: 3 }).aboveNormal).toBe(false);
    const rising = Float64Array.from({ length: 30 }, (_, t) => (t >= 26 ? 12 : 2));
    const o = outlook('mean_4', rising, q, { minRise: 1, minCount: 3 });
    expect(o.forecast).toBe(12);
    expect(o.normal).toBe(2);
    expect(o.aboveNormal).toBe(true);
  });
  it('keeps intervals at zero or above', () => {
    expect(intervalOf(0.2, { q10: -2, q90: 2 }).low).toBe(0);
    // A sparse series' forecast of 0.3 has an interval that holds both 0 and 1.
    expect(intervalOf(0.3, { q10: -0.26, q90: 0.6 })).toEqual({ low: 0, high: 1 });
    expect(recentMedian(Float64Array.from([5, 1, 3]), 13)).toBe(3);
  });
});

describe('weekly series', () => {
  it('counts per Beijing week starting on Monday', () => {
    // Sunday 23:30 and Monday 00:30 in Beijing fall in different weeks.
    const sunday = Date.parse('2026-11-08T23:30:00+08:00');
    const monday = Date.parse('2026-11-09T00:30:00+08:00');
    expect(weekIndex(monday)).toBe(weekIndex(sunday) + 1);
    expect(weekStart(weekIndex(monday)).toISOString()).toBe('2026-11-08T16:00:00.000Z');
    const s = weeklySeries([
      { time: sunday, category: 'a', place: 'p' },
      { time: monday, category: 'a', place: 'p' },
      { time: monday, category: 'b', place: 'p' },
    ]);
    expect(s.keys).toEqual(['p\ta', 'p\tb']);
    expect([...s.counts[0]!]).toEqual([1, 1]);
    expect([...s.counts[1]!]).toEqual([0, 1]);
  });
  it('reads a TSV, taking the region of a message-board row as its place', () => {
    const rows = parseSeriesTsv(
      'id\tuser\ttitle\ttime\tbody\n1\tu\tA5区路灯不亮\t2019-03-01 10:00:00\t晚上很黑\n2\tu\t咨询\t2019-03-02T10:00:00\t无\n',
    );
    expect(rows.map((r) => r.place)).toEqual(['A5区', null]);
    expect(rows[0]!.category).toBeNull();
    const labelled = parseSeriesTsv('time\tcategory\tplace\n2019-03-01\t交通\tX\n');
    expect(labelled[0]).toMatchObject({ category: '交通', place: 'X' });
    expect(() => parseSeriesTsv('when\tcategory\n')).toThrow(/time/u);
  });
});
