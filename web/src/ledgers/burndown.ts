import type { BurndownDay } from './ledgerTypes';

/** The burn-down as the chart draws it: a line of open items, bars of what came in and went out. */
export interface BurndownSeries {
  dates: string[];
  open: number[];
  added: number[];
  /** Drawn below the axis, so what left the ledger reads as going down. */
  cleared: number[];
  reopened: number[];
  /** The straight path from the first day's open items to zero on the last day (the target). */
  target: number[];
  /** Items open at the end of the last day. */
  openNow: number;
  atZero: boolean;
}

/**
 * Maps the server's per-day figures, oldest first, to chart series. The days come as the server
 * computed them from the trail; nothing is recomputed here but the target line.
 */
export function burndownSeries(days: readonly BurndownDay[]): BurndownSeries {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const first = sorted[0]?.open ?? 0;
  const steps = Math.max(sorted.length - 1, 1);
  const openNow = sorted.at(-1)?.open ?? 0;
  return {
    dates: sorted.map((day) => day.date),
    open: sorted.map((day) => day.open),
    added: sorted.map((day) => day.added),
    cleared: sorted.map((day) => -day.cleared),
    reopened: sorted.map((day) => day.reopened),
    target: sorted.map((_, index) =>
      sorted.length === 1 ? first : Math.round(((first * (steps - index)) / steps) * 10) / 10,
    ),
    openNow,
    atZero: sorted.length > 0 && openNow === 0,
  };
}
