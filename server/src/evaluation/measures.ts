import { beijingDateOf, type WorkingCalendar } from '../calendar/working-calendar.ts';
import type { Rating } from '../cases/case.state.ts';

/**
 * The measures of SPEC §6, defined once (docs/measures.md), as pure functions:
 *
 *   trail ──stepFacts──▶ MeasureFacts (per case) ──contributions──▶ (measure, day, units, n)
 *
 * `stepFacts` folds a case's events, one at a time, into the few facts its measures depend on;
 * `contributions` says what those facts add to which measure on which Beijing day, and for which
 * organisations. Every figure is a sum of contributions: the rollup subscriber keeps the sums by
 * subtracting a case's old contributions and adding its new ones in the transaction of each event,
 * and a drill-down lists the cases whose contributions make a figure. Both use these two functions,
 * so a figure and its cases cannot disagree.
 */

/** Counts kept per day × unit (and per category for districts and streets: CATEGORY_LEVELS). */
export const COUNT_MEASURES = [
  'filed', // 立案数: filed on that day
  'due', // 应结案数: closed on time that day, or due that day (deadline in force, suspension added)
  'closed', // 结案数: of the due, those closed (on time or late)
  'closedOnTime', // 按期结案数
  'handledOnTime', // 按期处置数: feedback given by the deadline
  'overdue', // 超期数: of the due, those not closed by the deadline
  'reworked', // 返工: of the due, those that failed a verification or acceptance at least once
  'responseDue', // 应响应: a unit's response deadline (签收 / 报到) fell due, or it responded, that day
  'respondedOnTime', // 按时响应 (及时受理)
  'resolved', // 已解决: of the due, closed and not rated dissatisfied
  'rated', // 参评
  'satisfied', // 满意 + 基本满意
  'handlingMinutes', // working minutes from filing to closing (suspension excluded), summed
] as const;
export type CountMeasure = (typeof COUNT_MEASURES)[number];

/** Figures derived from the counts; each names the count its drill-down lists (its numerator). */
export const RATE_MEASURES = {
  closureRate: { numerator: 'closed', denominator: 'due' }, // 结案率
  onTimeRate: { numerator: 'closedOnTime', denominator: 'due' }, // 按期结案率
  handledOnTimeRate: { numerator: 'handledOnTime', denominator: 'due' }, // 按期处置率
  reworkRate: { numerator: 'reworked', denominator: 'due' }, // 返工率
  responseRate: { numerator: 'respondedOnTime', denominator: 'responseDue' }, // 响应率 = 及时受理率
  resolutionRate: { numerator: 'resolved', denominator: 'due' }, // 解决率
  satisfactionRate: { numerator: 'satisfied', denominator: 'rated' }, // 满意率
} as const satisfies Record<string, { numerator: CountMeasure; denominator: CountMeasure }>;
export type RateMeasure = keyof typeof RATE_MEASURES;

/** 平均处置时长 in working hours: handlingMinutes / 60 / closed. Its cases are the closed ones. */
export const AVERAGE_MEASURE = 'avgHandlingHours';

/** Counts shown in the API (handlingMinutes only feeds the average). */
export const PUBLIC_COUNTS = COUNT_MEASURES.filter((m) => m !== 'handlingMinutes');

export const MEASURE_NAMES = [...PUBLIC_COUNTS, ...Object.keys(RATE_MEASURES), AVERAGE_MEASURE] as const;

export type MeasureName = CountMeasure | RateMeasure | typeof AVERAGE_MEASURE;

export function isMeasureName(value: string): value is MeasureName {
  return (MEASURE_NAMES as readonly string[]).includes(value);
}

/** The count whose cases explain a measure: itself, a rate's numerator, or closed for the average. */
export function drillCount(measure: MeasureName): CountMeasure {
  if (measure === AVERAGE_MEASURE) return 'closed';
  if (measure in RATE_MEASURES) return RATE_MEASURES[measure as RateMeasure].numerator;
  return measure as CountMeasure;
}

/** One unit's response clock: a dispatch to it at tier 2 or 3 with a response deadline. */
export interface ResponseItem {
  readonly unitId: string;
  readonly deadline: string;
  readonly respondedAt: string | null;
}

/** What a filed case's measures depend on. Instants are ISO strings: the facts are stored as JSON. */
export interface MeasureFacts {
  readonly filedAt: string;
  /** The handling deadline in force (extensions and a reopening's fresh deadline included). */
  readonly deadline: string;
  /** Working time suspended since the current deadline's allowance began. */
  readonly suspendedMs: number;
  /** The deadline pushed out by `suspendedMs`: suspension stops the clock. */
  readonly effectiveDeadline: string;
  /** Set while the case is suspended: it is then in no due figure. */
  readonly suspendedSince: string | null;
  /** All working time ever suspended, taken out of the handling time. */
  readonly suspendedTotalMs: number;
  readonly closedAt: string | null;
  /** The first feedback since the deadline's allowance began. */
  readonly feedbackAt: string | null;
  readonly reworkCount: number;
  readonly rating: Rating | null;
  /** Organisations holding the case now (tier 1: the street office of its street). */
  readonly holders: readonly string[];
  readonly responses: readonly ResponseItem[];
  /** Working time from filing to closing, suspension excluded; null while open. */
  readonly handlingMs: number | null;
}

export interface FactEvent {
  readonly action: string;
  readonly at: Date;
  readonly payload: unknown;
}

export interface FactEnv {
  readonly calendar: WorkingCalendar;
  /** The street office of the case's street, which answers for tier-1 work on the spot. */
  readonly streetOfficeId: string | null;
}

/** The trail actions that can change a case's facts; the subscriber listens to these only. */
export const FACT_ACTIONS = [
  'accept',
  'dispatch',
  'redispatch',
  'sign',
  'send_back',
  'report_in',
  'feedback',
  'verify_pass',
  'verify_fail',
  'accept_joint_action',
  'refuse_joint_action',
  'reopen',
  'rate',
  'extension_approve',
  'suspend',
  'resume',
] as const;

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

function effective(deadline: string, suspendedMs: number, calendar: WorkingCalendar): string {
  return suspendedMs > 0 ? calendar.addWorkingMs(new Date(deadline), suspendedMs).toISOString() : deadline;
}

/**
 * Folds one event into a case's facts. Null until the case is filed (a report, rejected or merged
 * before filing, is in no measure); events of other actions leave the facts as they are.
 */
export function stepFacts(f: MeasureFacts | null, e: FactEvent, env: FactEnv): MeasureFacts | null {
  const at = e.at.toISOString();
  const p = record(e.payload);
  if (e.action === 'accept') {
    const deadline = str(p.deadline) ?? at;
    return {
      filedAt: at,
      deadline,
      suspendedMs: 0,
      effectiveDeadline: deadline,
      suspendedSince: null,
      suspendedTotalMs: 0,
      closedAt: null,
      feedbackAt: null,
      reworkCount: 0,
      rating: null,
      holders: [],
      responses: [],
      handlingMs: null,
    };
  }
  if (f === null) return null;
  switch (e.action) {
    case 'dispatch':
    case 'redispatch': {
      const a = record(p.assignment);
      const tier = p.tier;
      const holders =
        tier === 1
          ? env.streetOfficeId
            ? [env.streetOfficeId]
            : []
          : tier === 2
            ? strings([a.unitId])
            : strings(a.unitIds);
      // A dispatcher who changes their mind before a unit's response was due does not count against
      // it; a response already late stays late.
      const kept = f.responses.filter((r) => r.respondedAt !== null || r.deadline <= at);
      const deadline = str(p.responseDeadline);
      const already = strings(a.reportedIn);
      const fresh: ResponseItem[] =
        deadline && tier !== 1
          ? holders
              .filter((u) => !already.includes(u))
              .map((u) => ({ unitId: u, deadline, respondedAt: null }))
          : [];
      return { ...f, holders, responses: [...kept, ...fresh] };
    }
    case 'sign':
      return { ...f, responses: respond(f.responses, f.holders, at) };
    case 'report_in': {
      const unit = str(p.unitId);
      return unit ? { ...f, responses: respond(f.responses, [unit], at) } : f;
    }
    // Sending back is the unit's answer too (退单), so it ends its response clock; it then holds nothing.
    case 'send_back':
      return { ...f, responses: respond(f.responses, f.holders, at), holders: [] };
    case 'feedback':
      return f.feedbackAt ? f : { ...f, feedbackAt: at };
    case 'verify_pass':
    case 'accept_joint_action': {
      const worked = env.calendar.workingMsBetween(new Date(f.filedAt), e.at);
      return { ...f, closedAt: at, handlingMs: Math.max(0, worked - f.suspendedTotalMs) };
    }
    case 'verify_fail':
    case 'refuse_joint_action':
      return { ...f, reworkCount: f.reworkCount + 1, feedbackAt: null };
    case 'reopen': {
      const deadline = str(p.deadline);
      const base = {
        ...f,
        closedAt: null,
        handlingMs: null,
        rating: null,
        feedbackAt: null,
      };
      return deadline ? { ...base, deadline, suspendedMs: 0, effectiveDeadline: deadline } : base;
    }
    case 'rate': {
      const r = str(p.rating);
      return r === 'satisfied' || r === 'basically_satisfied' || r === 'dissatisfied'
        ? { ...f, rating: r }
        : f;
    }
    case 'extension_approve': {
      const deadline = str(p.deadline);
      return deadline
        ? { ...f, deadline, effectiveDeadline: effective(deadline, f.suspendedMs, env.calendar) }
        : f;
    }
    case 'suspend':
      return f.suspendedSince ? f : { ...f, suspendedSince: at };
    case 'resume': {
      if (!f.suspendedSince) return f;
      const ms = Math.max(0, env.calendar.workingMsBetween(new Date(f.suspendedSince), e.at));
      const suspendedMs = f.suspendedMs + ms;
      return {
        ...f,
        suspendedSince: null,
        suspendedMs,
        suspendedTotalMs: f.suspendedTotalMs + ms,
        effectiveDeadline: effective(f.deadline, suspendedMs, env.calendar),
      };
    }
    default:
      return f;
  }
}

function respond(items: readonly ResponseItem[], units: readonly string[], at: string): ResponseItem[] {
  return items.map((r) =>
    r.respondedAt === null && units.includes(r.unitId) ? { ...r, respondedAt: at } : r,
  );
}

/** What one case adds to one count on one Beijing day, for the territory and these organisations. */
export interface Contribution {
  readonly measure: CountMeasure;
  readonly day: string;
  readonly n: number;
  readonly orgs: readonly string[];
}

const day = (iso: string) => beijingDateOf(new Date(iso));

/**
 * A case's contributions, from its facts alone. The due day is the day it was closed if that was on
 * time, else the day its effective deadline fell; a case suspended now is in no due figure.
 */
export function contributions(f: MeasureFacts | null): Contribution[] {
  if (f === null) return [];
  const out: Contribution[] = [];
  const orgs = f.holders;
  out.push({ measure: 'filed', day: day(f.filedAt), n: 1, orgs });
  if (f.suspendedSince === null) {
    const deadline = f.effectiveDeadline;
    const onTime = f.closedAt !== null && f.closedAt <= deadline;
    const d = day(onTime ? (f.closedAt as string) : deadline);
    const add = (measure: CountMeasure, n = 1) => out.push({ measure, day: d, n, orgs });
    add('due');
    if (f.closedAt !== null) add('closed');
    if (onTime) add('closedOnTime');
    else add('overdue');
    if (f.feedbackAt !== null && f.feedbackAt <= deadline) add('handledOnTime');
    if (f.reworkCount > 0) add('reworked');
    if (f.closedAt !== null && f.rating !== 'dissatisfied') add('resolved');
    if (f.rating !== null) add('rated');
    if (f.rating === 'satisfied' || f.rating === 'basically_satisfied') add('satisfied');
    if (f.closedAt !== null && f.handlingMs !== null)
      add('handlingMinutes', Math.round(f.handlingMs / 60_000));
  }
  for (const r of f.responses) {
    const onTime = r.respondedAt !== null && r.respondedAt <= r.deadline;
    const d = day(onTime ? (r.respondedAt as string) : r.deadline);
    out.push({ measure: 'responseDue', day: d, n: 1, orgs: [r.unitId] });
    if (onTime) out.push({ measure: 'respondedOnTime', day: d, n: 1, orgs: [r.unitId] });
  }
  return out;
}

/** Where a case lies: the territory units it counts for at every level. */
export interface CasePlace {
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode: string | null;
  readonly gridCode: string | null;
  readonly alleyId: string | null;
}

/** Rollup levels: the territory's, and `org` for organisations (departments, contractors, street offices). */
export const ROLLUP_LEVELS = ['district', 'street', 'community', 'grid', 'alley', 'org'] as const;
export type RollupLevel = (typeof ROLLUP_LEVELS)[number];

/**
 * The levels whose cells are kept per category: the dashboard's top categories are read for a district
 * or a street only. Every other level keeps one cell per unit × day × count, under `NO_CATEGORY`, so a
 * grid or an alley does not multiply its cells by the categories its few cases fall in.
 */
export const CATEGORY_LEVELS: readonly RollupLevel[] = ['district', 'street'];
export const NO_CATEGORY = '';

export interface RollupKey {
  readonly level: RollupLevel;
  readonly unit: string;
  readonly day: string;
  /** The case's category at a level of CATEGORY_LEVELS, NO_CATEGORY at every other level. */
  readonly category: string;
  readonly measure: CountMeasure;
}

/** A rollup cell: a key without its count. */
export type CellKey = Omit<RollupKey, 'measure'>;

/**
 * The rollup cells a contribution adds to: each territory level once, each organisation once; the
 * case's category (NO_CATEGORY when it has none) is kept at the levels of CATEGORY_LEVELS only.
 */
export function cellsOf(c: Contribution, place: CasePlace, category: string | null): RollupKey[] {
  return cellKeysOf(c.day, c.orgs, place, category).map((k) => ({ ...k, measure: c.measure }));
}

/**
 * The cells of `cellsOf` without the count: the same for every contribution of a case on one day for
 * the same organisations, so a bulk rebuild asks once for all of them.
 */
export function cellKeysOf(
  day: string,
  orgs: readonly string[],
  place: CasePlace,
  category: string | null,
): CellKey[] {
  const cells: CellKey[] = [];
  const push = (level: RollupLevel, unit: string | null) => {
    if (!unit) return;
    const cat = CATEGORY_LEVELS.includes(level) ? (category ?? NO_CATEGORY) : NO_CATEGORY;
    cells.push({ level, unit, day, category: cat });
  };
  push('district', place.districtCode);
  push('street', place.streetCode);
  push('community', place.communityCode);
  push('grid', place.gridCode);
  push('alley', place.alleyId);
  for (const o of new Set(orgs)) push('org', o);
  return cells;
}

/** A rollup cell's identity within a district, as one string; its counts are the cell's columns. */
export const cellId = (k: CellKey) => `${k.level}|${k.unit}|${k.day}|${k.category}`;

/**
 * The difference between two sets of contributions as signed deltas per cell; zero deltas left out.
 * The old contributions are taken away from the cells of the category they were added under, the new
 * ones added under the case's category now, so a case moved to another category moves its counts.
 */
export function rollupDelta(
  before: { contributions: readonly Contribution[]; category: string | null },
  after: { contributions: readonly Contribution[]; category: string | null },
  place: CasePlace,
): Map<string, { key: RollupKey; n: number }> {
  const delta = new Map<string, { key: RollupKey; n: number }>();
  const add = (cs: readonly Contribution[], category: string | null, sign: number) => {
    for (const c of cs) {
      for (const key of cellsOf(c, place, category)) {
        const id = `${cellId(key)}|${key.measure}`;
        const cur = delta.get(id);
        if (cur) cur.n += sign * c.n;
        else delta.set(id, { key, n: sign * c.n });
      }
    }
  };
  add(before.contributions, before.category, -1);
  add(after.contributions, after.category, 1);
  for (const [id, v] of delta) if (v.n === 0) delta.delete(id);
  return delta;
}

/** Every unit code a case counts for, for the drill-down's index. */
export function unitsOf(f: MeasureFacts | null, place: CasePlace): string[] {
  const units = new Set<string>();
  for (const c of [
    place.districtCode,
    place.streetCode,
    place.communityCode,
    place.gridCode,
    place.alleyId,
  ]) {
    if (c) units.add(c);
  }
  if (f) {
    for (const h of f.holders) units.add(h);
    for (const r of f.responses) units.add(r.unitId);
  }
  return [...units];
}

/** The earliest and latest day the contributions touch, to find a case's cases by period quickly. */
export function daySpan(cs: readonly Contribution[]): { first: string | null; last: string | null } {
  let first: string | null = null;
  let last: string | null = null;
  for (const c of cs) {
    if (first === null || c.day < first) first = c.day;
    if (last === null || c.day > last) last = c.day;
  }
  return { first, last };
}

export type Counts = Record<CountMeasure, number>;

/** Zero for every count (a literal: a bulk rebuild makes one per rollup cell). */
export function emptyCounts(): Counts {
  return {
    filed: 0,
    due: 0,
    closed: 0,
    closedOnTime: 0,
    handledOnTime: 0,
    overdue: 0,
    reworked: 0,
    responseDue: 0,
    respondedOnTime: 0,
    resolved: 0,
    rated: 0,
    satisfied: 0,
    handlingMinutes: 0,
  };
}

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

/** A unit's figures from its counts: rates 0–1, null when the denominator is 0. */
export function figures(
  c: Counts,
): Record<Exclude<CountMeasure, 'handlingMinutes'>, number> &
  Record<RateMeasure, number | null> & { avgHandlingHours: number | null } {
  const { handlingMinutes, ...counts } = c;
  const rates = Object.fromEntries(
    Object.entries(RATE_MEASURES).map(([k, r]) => [k, ratio(c[r.numerator], c[r.denominator])]),
  ) as Record<RateMeasure, number | null>;
  return {
    ...counts,
    ...rates,
    avgHandlingHours: c.closed === 0 ? null : Math.round((handlingMinutes / 60 / c.closed) * 100) / 100,
  };
}
