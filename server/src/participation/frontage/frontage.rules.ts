/**
 * Frontage responsibility (门前三包, SPEC §8): the pure rules (docs/participation.md). A shop signs for
 * three duties over its stretch of frontage; checks pass or fail each duty; a month's checks give the
 * shop its star rating. No I/O here.
 */

/** The three duties of an agreement: 市容整洁, 环境卫生, 秩序 (appearance, sanitation, order). */
export const DUTIES = ['appearance', 'sanitation', 'order'] as const;
export type Duty = (typeof DUTIES)[number];

export const DUTY_NAMES_ZH: Record<Duty, string> = {
  appearance: '市容整洁',
  sanitation: '环境卫生',
  order: '秩序',
};

export const SHOP_KINDS = ['shop', 'restaurant', 'unit', 'hotel', 'market', 'other'] as const;

/** One check's result: each duty passed (true) or failed (false). */
export interface CheckResult {
  appearanceOk: boolean;
  sanitationOk: boolean;
  orderOk: boolean;
}

export interface MonthlyRating {
  /** 1–5, or null when the shop had no check in the month ("not rated"). */
  stars: number | null;
  checks: number;
  /** Duty items passed, out of three per check. */
  passed: number;
  items: number;
  /** passed / items, 0..1; null when not rated. */
  share: number | null;
}

/** The share of passed items at or above which a shop earns each star count, best first. */
export const STAR_THRESHOLDS: readonly (readonly [stars: number, minShare: number])[] = [
  [5, 0.95],
  [4, 0.85],
  [3, 0.7],
  [2, 0.5],
];

/**
 * The monthly star rating from the month's checks: every check contributes three items (one per duty),
 * the share of passed items gives the stars — at least 95 % five, 85 % four, 70 % three, 50 % two,
 * anything less one star. No check in the month: not rated (null), never a star made up.
 */
export function monthlyRating(checks: readonly CheckResult[]): MonthlyRating {
  if (checks.length === 0) return { stars: null, checks: 0, passed: 0, items: 0, share: null };
  const items = checks.length * DUTIES.length;
  const passed = checks.reduce(
    (n, c) => n + Number(c.appearanceOk) + Number(c.sanitationOk) + Number(c.orderOk),
    0,
  );
  const share = passed / items;
  // Compared in whole items, so 0.95 of 20 items is not lost to floating point.
  const stars = STAR_THRESHOLDS.find(([, min]) => passed * 100 >= Math.round(min * 100) * items)?.[0] ?? 1;
  return { stars, checks: checks.length, passed, items, share };
}

/**
 * The duty a 门前三包 indicator's finding fails, by the words of its name (or of its group's): litter,
 * water, snow and dirt are sanitation; goods, stalls and business outside the door, parking and a
 * missing responsibility sign are order; signboards, awnings, light boxes and anything else are
 * appearance.
 */
export function dutyOfIndicator(name: string): Duty {
  if (/杂物|垃圾|积水|积雪|卫生|污|脏|油渍|痰/.test(name)) return 'sanitation';
  if (/经营|摆放|摆卖|占道|出店|停放|停车|责任牌|秩序/.test(name)) return 'order';
  return 'appearance';
}

/**
 * An inspection's findings naming one shop as that shop's check: the duties of the findings fail, the
 * other duties pass (the inspector walked the whole alley and found nothing else at that door).
 */
export function checkFromFindings(indicatorNames: readonly string[]): CheckResult {
  const failed = new Set(indicatorNames.map(dutyOfIndicator));
  return {
    appearanceOk: !failed.has('appearance'),
    sanitationOk: !failed.has('sanitation'),
    orderOk: !failed.has('order'),
  };
}

/** The Beijing calendar month ('YYYY-MM') of a day ('YYYY-MM-DD'). */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** The month `n` months before a 'YYYY-MM' month (n = 1: the month before). */
export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const k = y * 12 + (m - 1) - n;
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
}

/** Whether a 'YYYY-MM' month is well formed. */
export function isMonth(month: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(month);
}

/** Whether a 'YYYY-MM-DD' day is a real calendar day. */
export function isDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

export type AgreementState = 'valid' | 'expired' | 'not_yet' | 'none';

/** The state of a shop's current agreement on a day. */
export function agreementState(
  agreement: { signedOn: string; validUntil: string } | null,
  day: string,
): AgreementState {
  if (!agreement) return 'none';
  if (day < agreement.signedOn) return 'not_yet';
  return day > agreement.validUntil ? 'expired' : 'valid';
}

/**
 * The rating the public board shows: the given month's when the shop was checked in it, else the most
 * recent earlier month with checks among `history` (month → checks), else not rated.
 */
export function boardRating(
  month: string,
  history: ReadonlyMap<string, readonly CheckResult[]>,
): { month: string | null; rating: MonthlyRating } {
  const months = [...history.keys()].filter((m) => m <= month && (history.get(m)?.length ?? 0) > 0).sort();
  const last = months.at(-1);
  if (!last) return { month: null, rating: monthlyRating([]) };
  return { month: last, rating: monthlyRating(history.get(last)!) };
}
