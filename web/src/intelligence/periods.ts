/** Periods the intelligence pages offer, as Beijing months. Pure, so tests can pin the clock. */

export type PeriodKey = 'thisMonth' | 'lastMonth' | 'last3Months';
export const PERIOD_KEYS: readonly PeriodKey[] = ['thisMonth', 'lastMonth', 'last3Months'];

/** The Beijing year and month (1–12) of an instant. */
function beijingMonth(now: Date): { y: number; m: number } {
  const b = new Date(now.getTime() + 8 * 3_600_000);
  return { y: b.getUTCFullYear(), m: b.getUTCMonth() + 1 };
}

/** Midnight Beijing time at the start of month `m` of year `y` (m may run past 12 or below 1). */
function monthStart(y: number, m: number): string {
  const total = y * 12 + (m - 1);
  const yy = Math.floor(total / 12);
  const mm = (total % 12) + 1;
  return `${yy}-${String(mm).padStart(2, '0')}-01T00:00:00+08:00`;
}

export function periodRange(key: PeriodKey, now: Date): { from: string; to: string } {
  const { y, m } = beijingMonth(now);
  switch (key) {
    case 'thisMonth':
      return { from: monthStart(y, m), to: monthStart(y, m + 1) };
    case 'lastMonth':
      return { from: monthStart(y, m - 1), to: monthStart(y, m) };
    case 'last3Months':
      return { from: monthStart(y, m - 2), to: monthStart(y, m + 1) };
  }
}

/** YYYY-MM of the Beijing month `offset` months after now's. */
export function monthOf(now: Date, offset = 0): string {
  const { y, m } = beijingMonth(now);
  return monthStart(y, m + offset).slice(0, 7);
}
