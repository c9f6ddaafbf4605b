import { describe, expect, it } from 'vitest';
import { burndownSeries } from './burndown';

describe('the burn-down series', () => {
  it('orders the days, keeps the server figures and draws what was cleared below the axis', () => {
    const series = burndownSeries([
      { date: '2026-12-03', open: 1, added: 0, cleared: 2, reopened: 0 },
      { date: '2026-12-01', open: 4, added: 4, cleared: 0, reopened: 0 },
      { date: '2026-12-02', open: 3, added: 1, cleared: 3, reopened: 1 },
    ]);
    expect(series.dates).toEqual(['2026-12-01', '2026-12-02', '2026-12-03']);
    expect(series.open).toEqual([4, 3, 1]);
    expect(series.added).toEqual([4, 1, 0]);
    expect(series.cleared).toEqual([-0, -3, -2]);
    expect(series.reopened).toEqual([0, 1, 0]);
    expect(series.openNow).toBe(1);
    expect(series.atZero).toBe(false);
  });

  it('draws the target as a straight line from the first day to zero on the last', () => {
    const days = [0, 1, 2, 3].map((i) => ({
      date: `2026-12-0${i + 1}`,
      open: 6 - i,
      added: 0,
      cleared: 1,
      reopened: 0,
    }));
    expect(burndownSeries(days).target).toEqual([6, 4, 2, 0]);
  });

  it('is at zero only with days whose last one has nothing open', () => {
    expect(burndownSeries([{ date: '2026-12-01', open: 0, added: 2, cleared: 2, reopened: 0 }]).atZero).toBe(
      true,
    );
    const empty = burndownSeries([]);
    expect(empty.atZero).toBe(false);
    expect(empty.dates).toEqual([]);
  });
});
