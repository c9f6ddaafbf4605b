import { computeDeadline, type DeadlineLimit } from '../calendar/deadline.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { CaseFacts } from './hotline.trail.ts';

/**
 * The 12345 三率 (SPEC §6) per unit, computed from the trail facts of each case and explainable down
 * to the cases behind every count. Pure: the service gathers the cases, this decides.
 *
 * - 响应率 = 按时响应 / 应响应. A unit responds by signing for a tier-2 case (签收), reporting in for a
 *   tier-3 one (报到); a tier-1 handler responds by being dispatched. The limit is the category's
 *   response limit in the taxonomy, counted from the dispatch that gave the unit the case, on the
 *   official working calendar. A case counts as 应响应 once the unit has responded or its limit has
 *   passed; before that it is 待响应 and in no rate.
 * - 解决率 = 已解决 / 应解决. 已解决 is a case verified and closed (核查通过 / 验收, not reopened since).
 *   A case counts as 应解决 once closed, or once its handling deadline (extensions included) has passed
 *   while it is open and not suspended; before that it is 办理中.
 * - 满意率 = (满意 + 基本满意) / 参评, over the cases whose current rating (the reporter's, or the one
 *   recorded from the hotline's follow-up call) is set. A reopened case's earlier rating no longer counts.
 * - 综合得分 = 100 × Σ weightᵢ × rateᵢ / Σ weightᵢ over the rates that have a denominator, so a unit
 *   with nothing rated yet is scored on the other two rather than given zero.
 */

export const COUNT_KEYS = [
  'dueResponse',
  'respondedOnTime',
  'respondedLate',
  'notResponded',
  'awaitingResponse',
  'dueResolution',
  'resolved',
  'unresolved',
  'inProgress',
  'rated',
  'satisfied',
  'basicallySatisfied',
  'dissatisfied',
] as const;
export type CountKey = (typeof COUNT_KEYS)[number];

export const COUNT_LABELS: Readonly<Record<CountKey, string>> = {
  dueResponse: '应响应',
  respondedOnTime: '按时响应',
  respondedLate: '超时响应',
  notResponded: '超时未响应',
  awaitingResponse: '待响应',
  dueResolution: '应解决',
  resolved: '已解决',
  unresolved: '未解决',
  inProgress: '办理中',
  rated: '参评',
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  dissatisfied: '不满意',
};

export interface SanlvWeights {
  response: number;
  resolution: number;
  satisfaction: number;
}

export interface SanlvCase {
  caseNumber: string;
  state: string;
  facts: CaseFacts;
  /** The handling deadline in force (after approved extensions). */
  handlingDeadline: Date | null;
  /** The category's response limit. */
  responseLimit: DeadlineLimit;
}

export interface Rates {
  response: number | null;
  resolution: number | null;
  satisfaction: number | null;
}

export interface UnitSanlv {
  unitId: string;
  counts: Record<CountKey, number>;
  cases: Record<CountKey, string[]>;
  rates: Rates;
  score: number | null;
}

const emptyCases = (): Record<CountKey, string[]> =>
  Object.fromEntries(COUNT_KEYS.map((k) => [k, [] as string[]])) as unknown as Record<CountKey, string[]>;

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

export function compositeScore(rates: Rates, weights: SanlvWeights): number | null {
  const parts = [
    [rates.response, weights.response],
    [rates.resolution, weights.resolution],
    [rates.satisfaction, weights.satisfaction],
  ] as const;
  let sum = 0;
  let weight = 0;
  for (const [rate, w] of parts) {
    if (rate === null || w === 0) continue;
    sum += rate * w;
    weight += w;
  }
  return weight === 0 ? null : Math.round((100 * sum * 100) / weight) / 100;
}

export function computeSanlv(
  cases: readonly SanlvCase[],
  options: { now: Date; calendar: WorkingCalendar; weights: SanlvWeights },
): { units: UnitSanlv[]; unattributed: string[] } {
  const byUnit = new Map<string, Record<CountKey, string[]>>();
  const unattributed: string[] = [];
  const now = options.now.getTime();
  for (const c of cases) {
    if (c.facts.holds.length === 0) {
      unattributed.push(c.caseNumber);
      continue;
    }
    for (const hold of c.facts.holds) {
      let lists = byUnit.get(hold.unitId);
      if (!lists) {
        lists = emptyCases();
        byUnit.set(hold.unitId, lists);
      }
      const add = (k: CountKey) => lists[k].push(c.caseNumber);
      const respondBy = computeDeadline(hold.assignedAt, c.responseLimit, options.calendar).getTime();
      if (hold.respondedAt) {
        add('dueResponse');
        add(hold.respondedAt.getTime() <= respondBy ? 'respondedOnTime' : 'respondedLate');
      } else if (now > respondBy) {
        add('dueResponse');
        add('notResponded');
      } else add('awaitingResponse');

      if (c.facts.resolved) {
        add('dueResolution');
        add('resolved');
      } else if (c.state !== 'suspended' && c.handlingDeadline && now > c.handlingDeadline.getTime()) {
        add('dueResolution');
        add('unresolved');
      } else add('inProgress');

      if (c.facts.rating) {
        add('rated');
        add(
          c.facts.rating === 'satisfied'
            ? 'satisfied'
            : c.facts.rating === 'basically_satisfied'
              ? 'basicallySatisfied'
              : 'dissatisfied',
        );
      }
    }
  }
  const units = [...byUnit].map(([unitId, lists]) => {
    const counts = Object.fromEntries(COUNT_KEYS.map((k) => [k, lists[k].length])) as Record<
      CountKey,
      number
    >;
    const rates: Rates = {
      response: ratio(counts.respondedOnTime, counts.dueResponse),
      resolution: ratio(counts.resolved, counts.dueResolution),
      satisfaction: ratio(counts.satisfied + counts.basicallySatisfied, counts.rated),
    };
    return { unitId, counts, cases: lists, rates, score: compositeScore(rates, options.weights) };
  });
  return { units, unattributed };
}
