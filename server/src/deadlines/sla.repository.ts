import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { TIMING_ACTIONS, type TimingEvent } from './sla.ts';

/**
 * States whose colour the sweep keeps. Closed, rejected and merged cases have left the ledger; a
 * suspended case's clock is stopped, so its colour stays as it was until it resumes.
 */
export const UNSWEPT_STATES = ['closed', 'rejected', 'merged', 'suspended'] as const;

export function slaRepository(db: Kysely<Database>) {
  return {
    /**
     * The next slice of cases whose colour may change, in id order. A red case whose deadline is still
     * behind us stays red (time only moves forward), so only an extension that moved its deadline ahead
     * brings it back into the sweep.
     */
    candidates(q: { afterId: string | null; limit: number; now: Date }) {
      let query = db
        .selectFrom('case_record')
        .select([
          'id',
          'district_code',
          'state',
          'category_key',
          'handling_deadline',
          'sla_state',
          'created_at',
          'response_deadline',
          sql<boolean>`coalesce((snapshot->>'responseOverdue')::boolean, false)`.as('response_overdue'),
        ])
        .where('state', 'not in', [...UNSWEPT_STATES])
        .where('handling_deadline', 'is not', null)
        .where((eb) =>
          eb.or([
            eb('sla_state', '<>', 'red'),
            eb('handling_deadline', '>', q.now),
            // A unit that has not signed for (or reported in to) its case in time is recorded once.
            eb.and([
              eb('response_deadline', '<', q.now),
              eb(sql`coalesce((snapshot->>'responseOverdue')::boolean, false)`, '=', false),
            ]),
          ]),
        )
        .orderBy('id')
        .limit(q.limit);
      if (q.afterId !== null) query = query.where('id', '>', q.afterId);
      return query.execute();
    },

    /** The events that bear on the clocks of these cases, grouped by case, in trail order. */
    async timingEvents(caseIds: readonly string[]): Promise<Map<string, TimingEvent[]>> {
      const byCase = new Map<string, TimingEvent[]>(caseIds.map((id) => [id, []]));
      if (caseIds.length === 0) return byCase;
      const rows = await db
        .selectFrom('case_event')
        .select(['case_id', 'action', 'at', 'payload'])
        .where('case_id', 'in', [...caseIds])
        .where('action', 'in', [...TIMING_ACTIONS])
        .orderBy('case_id')
        .orderBy('seq')
        .execute();
      for (const r of rows) byCase.get(r.case_id)?.push({ action: r.action, at: r.at, payload: r.payload });
      return byCase;
    },
  };
}
