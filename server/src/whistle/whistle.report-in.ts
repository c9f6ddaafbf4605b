/**
 * Who was summoned when, and who reported in (报到) when, read from a case's trail. Pure. The state
 * machine keeps only *whether* each summoned unit has reported in (`assignment.reportedIn`); the times,
 * which decide whether a unit came within the limit, are in the events.
 *
 * The reading mirrors the state machine's rules: a re-dispatch at tier 3 keeps the units that stay at the
 * table with their report-in, adds the new ones as summoned at that moment and drops the others; a
 * dispatch to another tier ends the joint action, so a later whistle starts afresh.
 */

export interface TrailStep {
  readonly at: Date;
  readonly action: string;
  readonly payload: unknown;
  readonly actorUserId?: string | null;
}

/** What the street desk wrote down for a unit that has no account, or did not use it. */
export interface RecordedForUnit {
  /** The desk's user who recorded it. */
  readonly recordedBy: string | null;
  /** On whose word (a name and how: a phone call, a signed sheet). */
  readonly onWordOf: string;
  readonly attachmentIds: readonly string[];
}

export interface Summons {
  readonly unitId: string;
  readonly summonedAt: Date;
  readonly reportedInAt: Date | null;
  /** Set when the street desk recorded the report-in on the unit's behalf. */
  readonly reportedInRecorded: RecordedForUnit | null;
}

/** A unit that declined the summons (not its matter), recorded by the desk; it left the table. */
export interface Refusal extends RecordedForUnit {
  readonly unitId: string;
  readonly at: Date;
  readonly reason: string;
}

/** Trail action of a refusal recorded for a unit; a re-dispatch without the unit follows it. */
export const UNIT_REFUSAL_ACTION = 'joint_unit_refusal';

export interface WhistleHistory {
  /** When the current joint action was convened; null when the case is not (or no longer) at tier 3. */
  readonly whistleAt: Date | null;
  /** The units at the table now, in the order they were summoned. */
  readonly units: readonly Summons[];
  /** Units of the current joint action that declined the summons. */
  readonly refusals: readonly Refusal[];
}

function field(payload: unknown, name: string): unknown {
  return payload && typeof payload === 'object' ? (payload as Record<string, unknown>)[name] : undefined;
}

function jointUnits(payload: unknown): string[] | null {
  const assignment = field(payload, 'assignment');
  if (field(assignment, 'kind') !== 'joint') return null;
  const ids = field(assignment, 'unitIds');
  return Array.isArray(ids) ? ids.filter((u): u is string => typeof u === 'string') : [];
}

function recordedFor(e: TrailStep): RecordedForUnit | null {
  const onWordOf = field(e.payload, 'onWordOf');
  if (typeof onWordOf !== 'string') return null;
  const ids = field(e.payload, 'attachmentIds');
  return {
    recordedBy: e.actorUserId ?? null,
    onWordOf,
    attachmentIds: Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [],
  };
}

type Seat = { summonedAt: Date; reportedInAt: Date | null; reportedInRecorded: RecordedForUnit | null };

export function whistleHistory(events: readonly TrailStep[]): WhistleHistory {
  let whistleAt: Date | null = null;
  let units = new Map<string, Seat>();
  let refusals: Refusal[] = [];
  for (const e of events) {
    if (e.action === 'dispatch' || e.action === 'redispatch' || e.action === 'send_back') {
      const ids = e.action === 'send_back' ? null : jointUnits(e.payload);
      if (!ids) {
        units = new Map();
        refusals = [];
        whistleAt = null;
        continue;
      }
      if (units.size === 0) {
        whistleAt = e.at;
        refusals = [];
      }
      const next = new Map<string, Seat>();
      for (const u of ids)
        next.set(u, units.get(u) ?? { summonedAt: e.at, reportedInAt: null, reportedInRecorded: null });
      units = next;
    } else if (e.action === 'report_in') {
      const unitId = field(e.payload, 'unitId');
      const s = typeof unitId === 'string' ? units.get(unitId) : undefined;
      if (s && !s.reportedInAt) {
        s.reportedInAt = e.at;
        s.reportedInRecorded = recordedFor(e);
      }
    } else if (e.action === UNIT_REFUSAL_ACTION) {
      const unitId = field(e.payload, 'unitId');
      const reason = field(e.payload, 'reason');
      const recorded = recordedFor(e);
      if (typeof unitId === 'string' && recorded) {
        refusals.push({ unitId, at: e.at, reason: typeof reason === 'string' ? reason : '', ...recorded });
      }
    }
  }
  return {
    whistleAt,
    units: [...units].map(([unitId, s]) => ({
      unitId,
      summonedAt: s.summonedAt,
      reportedInAt: s.reportedInAt,
      reportedInRecorded: s.reportedInRecorded,
    })),
    refusals,
  };
}

export type ReportInStanding = 'on_time' | 'late' | 'awaiting' | 'overdue';

/** How a unit stands against its report-in deadline at `now`. */
export function reportInStanding(reportedInAt: Date | null, deadline: Date, now: Date): ReportInStanding {
  if (reportedInAt) return reportedInAt.getTime() <= deadline.getTime() ? 'on_time' : 'late';
  return now.getTime() > deadline.getTime() ? 'overdue' : 'awaiting';
}
