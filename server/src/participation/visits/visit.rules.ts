/**
 * Household visits' pure rules (十必访, SPEC §8): the kinds of households an official must visit, how
 * often each kind is visited, and when a household is due or overdue. No I/O.
 */

export interface VisitKind {
  code: string;
  name: string;
  /** Days between two visits of a household of this kind. */
  intervalDays: number;
}

/**
 * The ten kinds, with their visit intervals. Illustrative: each city publishes its own list and
 * frequencies; this is the data the service reads, so changing a kind's interval changes what is due.
 */
export const VISIT_KINDS: readonly VisitKind[] = [
  { code: 'hardship', name: '困难家庭', intervalDays: 30 },
  { code: 'elderly_alone', name: '独居老人', intervalDays: 30 },
  { code: 'disability', name: '残疾人家庭', intervalDays: 30 },
  { code: 'serious_illness', name: '重病患者家庭', intervalDays: 30 },
  { code: 'entitled', name: '优抚对象', intervalDays: 90 },
  { code: 'unemployed', name: '失业人员家庭', intervalDays: 90 },
  { code: 'left_behind_children', name: '留守儿童家庭', intervalDays: 30 },
  { code: 'released', name: '刑满释放人员', intervalDays: 90 },
  { code: 'petitioner', name: '信访户', intervalDays: 30 },
  { code: 'newcomer', name: '新迁入居民', intervalDays: 90 },
];

export const VISIT_KIND_CODES = VISIT_KINDS.map((k) => k.code) as [string, ...string[]];

/** Days after the due date before a household counts as overdue. */
export const DEFAULT_GRACE_DAYS = 7;

const DAY_MS = 86_400_000;

/** The kinds a code list names that do not exist. */
export function unknownKinds(codes: readonly string[], kinds: readonly VisitKind[] = VISIT_KINDS): string[] {
  const known = new Set(kinds.map((k) => k.code));
  return codes.filter((c) => !known.has(c));
}

/** A household's interval: the shortest of its kinds' (a household of two kinds is visited as often as the more frequent asks). */
export function intervalOf(codes: readonly string[], kinds: readonly VisitKind[] = VISIT_KINDS): number {
  const days = kinds.filter((k) => codes.includes(k.code)).map((k) => k.intervalDays);
  if (days.length === 0) throw new Error(`no known visit kind among ${codes.join(', ')}`);
  return Math.min(...days);
}

export type DueState = 'ok' | 'due' | 'overdue';

/**
 * When a household is next due and its state now. A household never visited is due from its
 * registration. It is `ok` until its last visit is `interval` days old, then `due`, and `overdue` once
 * `graceDays` more have passed.
 */
export function dueState(
  h: { registeredAt: Date; lastVisitAt: Date | null; intervalDays: number },
  now: Date,
  graceDays = DEFAULT_GRACE_DAYS,
): { state: DueState; dueAt: Date; overdueAt: Date; daysOverdue: number } {
  const dueAt = h.lastVisitAt ? new Date(h.lastVisitAt.getTime() + h.intervalDays * DAY_MS) : h.registeredAt;
  const overdueAt = new Date(dueAt.getTime() + graceDays * DAY_MS);
  const t = now.getTime();
  const state: DueState = t < dueAt.getTime() ? 'ok' : t < overdueAt.getTime() ? 'due' : 'overdue';
  const daysOverdue = state === 'ok' ? 0 : Math.floor((t - dueAt.getTime()) / DAY_MS);
  return { state, dueAt, overdueAt, daysOverdue };
}

/** Per official: how many households are due and overdue (households without an official under null). */
export function tallyByOfficial<K extends string | null>(
  rows: readonly { official: K; state: DueState }[],
): Map<K, { total: number; ok: number; due: number; overdue: number }> {
  const out = new Map<K, { total: number; ok: number; due: number; overdue: number }>();
  for (const r of rows) {
    const e = out.get(r.official) ?? { total: 0, ok: 0, due: 0, overdue: 0 };
    e.total += 1;
    e[r.state] += 1;
    out.set(r.official, e);
  }
  return out;
}
