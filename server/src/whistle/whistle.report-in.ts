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
}

export interface Summons {
  readonly unitId: string;
  readonly summonedAt: Date;
  readonly reportedInAt: Date | null;
}

export interface WhistleHistory {
  /** When the current joint action was convened; null when the case is not (or no longer) at tier 3. */
  readonly whistleAt: Date | null;
  /** The units at the table now, in the order they were summoned. */
  readonly units: readonly Summons[];
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

export function whistleHistory(events: readonly TrailStep[]): WhistleHistory {
  let whistleAt: Date | null = null;
  let units = new Map<string, { summonedAt: Date; reportedInAt: Date | null }>();
  for (const e of events) {
    if (e.action === 'dispatch' || e.action === 'redispatch' || e.action === 'send_back') {
      const ids = e.action === 'send_back' ? null : jointUnits(e.payload);
      if (!ids) {
        units = new Map();
        whistleAt = null;
        continue;
      }
      if (units.size === 0) whistleAt = e.at;
      const next = new Map<string, { summonedAt: Date; reportedInAt: Date | null }>();
      for (const u of ids) next.set(u, units.get(u) ?? { summonedAt: e.at, reportedInAt: null });
      units = next;
    } else if (e.action === 'report_in') {
      const unitId = field(e.payload, 'unitId');
      const s = typeof unitId === 'string' ? units.get(unitId) : undefined;
      if (s && !s.reportedInAt) s.reportedInAt = e.at;
    }
  }
  return {
    whistleAt,
    units: [...units].map(([unitId, s]) => ({
      unitId,
      summonedAt: s.summonedAt,
      reportedInAt: s.reportedInAt,
    })),
  };
}

export type ReportInStanding = 'on_time' | 'late' | 'awaiting' | 'overdue';

/** How a unit stands against its report-in deadline at `now`. */
export function reportInStanding(reportedInAt: Date | null, deadline: Date, now: Date): ReportInStanding {
  if (reportedInAt) return reportedInAt.getTime() <= deadline.getTime() ? 'on_time' : 'late';
  return now.getTime() > deadline.getTime() ? 'overdue' : 'awaiting';
}
