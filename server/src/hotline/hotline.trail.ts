import type { Rating } from '../cases/case.state.ts';

/**
 * What the hotline needs to know about a case, read from its trail (SPEC §4.9) rather than from
 * anything kept on the side, so that the results sent back and the 三率 can always be re-derived and
 * explained event by event.
 *
 * A case is attributed to the units holding it at the end of its trail: the tier-2 unit, every unit
 * summoned at tier 3, and at tier 1 the street office whose grid worker or alley chief handles it on
 * the spot. A unit that sent the case back (退单) no longer holds it and is not measured on it.
 */

export interface TrailEventFact {
  action: string;
  at: Date;
  payload: unknown;
}

export interface UnitHold {
  /** Organisation id (tier 1: the street office's). */
  unitId: string;
  tier: 1 | 2 | 3;
  /** When the dispatch that gave the unit the case was made: its response clock starts here. */
  assignedAt: Date;
  /**
   * The unit's response: tier 2 its signature (签收), tier 3 its report-in (报到), tier 1 the
   * dispatch itself, since the handler on the spot has nothing to sign for.
   */
  respondedAt: Date | null;
}

export interface CaseFacts {
  holds: UnitHold[];
  /** The latest feedback note (办理结果). */
  feedbackNote: string | null;
  resolved: boolean;
  rating: Rating | null;
  ratingVia: 'reporter' | 'follow_up_call' | null;
}

type Assignment =
  | { kind: 'handler' }
  | { kind: 'unit'; unitId: string }
  | { kind: 'joint'; unitIds: string[]; reportedIn: string[] };

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);

function assignmentOf(payload: unknown): Assignment | null {
  const a = record(record(payload).assignment);
  if (a.kind === 'handler') return { kind: 'handler' };
  if (a.kind === 'unit' && typeof a.unitId === 'string') return { kind: 'unit', unitId: a.unitId };
  if (a.kind === 'joint')
    return { kind: 'joint', unitIds: strings(a.unitIds), reportedIn: strings(a.reportedIn) };
  return null;
}

export function caseFacts(
  c: { state: string; rating: Rating | null },
  events: readonly TrailEventFact[],
  /** The street office of the case's street: the unit of a tier-1 case. */
  streetOfficeId: string,
): CaseFacts {
  let holds = new Map<string, UnitHold>();
  let feedbackNote: string | null = null;
  let ratingVia: CaseFacts['ratingVia'] = null;
  for (const e of events) {
    switch (e.action) {
      case 'dispatch':
      case 'redispatch': {
        const a = assignmentOf(e.payload);
        const next = new Map<string, UnitHold>();
        if (a?.kind === 'handler') {
          const kept = holds.get(streetOfficeId);
          next.set(
            streetOfficeId,
            kept?.tier === 1
              ? kept
              : { unitId: streetOfficeId, tier: 1, assignedAt: e.at, respondedAt: e.at },
          );
        } else if (a?.kind === 'unit') {
          const kept = holds.get(a.unitId);
          // Re-sent to the unit that holds it (a note added, say): its clock does not restart.
          next.set(
            a.unitId,
            kept?.tier === 2 ? kept : { unitId: a.unitId, tier: 2, assignedAt: e.at, respondedAt: null },
          );
        } else if (a?.kind === 'joint') {
          for (const u of a.unitIds) {
            const kept = holds.get(u);
            next.set(
              u,
              kept?.tier === 3
                ? kept
                : {
                    unitId: u,
                    tier: 3,
                    assignedAt: e.at,
                    respondedAt: a.reportedIn.includes(u) ? e.at : null,
                  },
            );
          }
        }
        holds = next;
        break;
      }
      case 'sign':
        for (const h of holds.values()) if (h.tier === 2 && h.respondedAt === null) h.respondedAt = e.at;
        break;
      case 'report_in': {
        const unitId = record(e.payload).unitId;
        const h = typeof unitId === 'string' ? holds.get(unitId) : undefined;
        if (h && h.respondedAt === null) h.respondedAt = e.at;
        break;
      }
      case 'send_back':
        holds = new Map();
        break;
      case 'feedback': {
        const note = record(e.payload).note;
        if (typeof note === 'string') feedbackNote = note;
        break;
      }
      case 'rate': {
        const via = record(e.payload).via;
        ratingVia = via === 'follow_up_call' ? 'follow_up_call' : 'reporter';
        break;
      }
    }
  }
  return {
    holds: [...holds.values()],
    feedbackNote,
    resolved: c.state === 'closed',
    rating: c.rating,
    ratingVia: c.rating ? ratingVia : null,
  };
}
