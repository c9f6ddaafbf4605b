import type { Kysely } from 'kysely';
import type { SlaClock, SlaColour } from '../calendar/deadline.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import {
  applyToCase,
  type CaseChange,
  CaseEventSubscribers,
  type CasePlan,
  SYSTEM_ACTOR,
} from '../cases/case.apply.ts';
import { caseRepository } from '../cases/case.repository.ts';
import type { Database } from '../db/schema.ts';
import type { NewJob } from '../jobs/job.kinds.ts';
import { enqueueJobs } from '../jobs/job.repository.ts';
import type { Clock } from '../shared/clock.ts';
import { slaRepository, UNSWEPT_STATES } from './sla.repository.ts';
import { assessSla, isSlaColour, timelineOf, worsens } from './sla.ts';

export interface SlaSweepOptions {
  /** Fraction of the allowance after which a case turns yellow. */
  yellowAt: number;
  /** Cases examined per sweep job; the next slice is a job of its own. */
  batchSize?: number;
  /** Told of the sweep's events in their transaction (case.apply.ts). */
  subscribers?: CaseEventSubscribers;
  /** The clock a category's limit runs on: working time, unless the taxonomy says calendar hours. */
  clockOf?: (categoryKey: string, districtCode: string) => Promise<SlaClock>;
}

export interface SlaChange {
  caseId: string;
  from: SlaColour;
  to: SlaColour;
  /** Turned red: supervised (督办) and its people told. */
  escalated: boolean;
}

const SWEEP_BATCH = 500;

/** Whether a unit's response deadline has passed without the trail saying so yet. */
function responseLapsed(
  c: { response_deadline: Date | null; response_overdue: boolean },
  now: Date,
): boolean {
  return c.response_deadline !== null && !c.response_overdue && c.response_deadline.getTime() < now.getTime();
}
const NO_SUBSCRIBERS = new CaseEventSubscribers();
const OVERDUE_NOTE = '超期未办结，系统自动督办';

/**
 * The SLA sweep (SPEC §4.4): green → yellow at `yellowAt` of the allowance, → red past the deadline,
 * and on red the case is escalated (督办) through the state machine.
 *
 * Two steps, after Documenso's expiry sweep: `sweep` reads a bounded slice of open cases without
 * locking anything and enqueues one `sla.case` job per case whose colour looks due to change (plus the
 * next slice); `checkCase` then decides for real, with the case row locked. The lock and the colour
 * read under it are what keep an escalation single: of two runners checking the same case at once,
 * the second waits for the first to commit and then finds the case already red.
 */
export class SlaSweep {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    private readonly options: SlaSweepOptions,
  ) {}

  private get batchSize(): number {
    return this.options.batchSize ?? SWEEP_BATCH;
  }

  /** One slice of the sweep: finds the cases due for a change and fans out a job for each. */
  async sweep(payload: { bucket: string; afterId?: string }) {
    const now = this.clock.now();
    const repo = slaRepository(this.db);
    const rows = await repo.candidates({ afterId: payload.afterId ?? null, limit: this.batchSize, now });
    const timing = await repo.timingEvents(rows.map((r) => r.id));
    const clocks = new Map<string, SlaClock>();
    const jobs: NewJob[] = [];
    for (const row of rows) {
      if (!row.handling_deadline) continue;
      const { colour } = assessSla(
        timelineOf(row.handling_deadline, timing.get(row.id) ?? [], row.created_at),
        {
          now,
          calendar: this.calendar,
          clock: await this.clockFor(row, clocks),
          yellowAt: this.options.yellowAt,
        },
      );
      if (colour === row.sla_state && !responseLapsed(row, now)) continue;
      jobs.push({
        // A second sweep of the same minute would queue the same check: it collides and is dropped.
        id: `sla-case:${row.id}:${payload.bucket}`,
        kind: 'sla.case',
        payload: { caseId: row.id },
        districtCode: row.district_code,
        runAt: now,
      });
    }
    const last = rows.at(-1);
    const next = rows.length === this.batchSize && last ? last.id : null;
    if (next) {
      jobs.push({
        id: `sla-sweep:${payload.bucket}:${next}`,
        kind: 'sla.sweep',
        payload: { bucket: payload.bucket, afterId: next },
        runAt: now,
      });
    }
    const queued = await enqueueJobs(this.db, jobs, now);
    return { examined: rows.length, queued, next };
  }

  /**
   * Brings one case's colour up to date, under its row lock. Writes nothing when the colour is as
   * stored, so running it twice, or on two runners at once, or again after a restart, changes nothing.
   */
  async checkCase(caseId: string): Promise<SlaChange | null> {
    const found = await caseRepository(this.db).findById(caseId);
    if (!found?.handling_deadline) return null;
    // Read before the case is locked: on the embedded engine a query outside the open transaction
    // would wait for it forever.
    const clock = await this.clockFor(found);
    let change: SlaChange | null = null;
    const now = this.clock.now();
    await applyToCase(
      this.db,
      caseId,
      async (c, trx): Promise<CasePlan | null> => {
        if (!c.handling_deadline || (UNSWEPT_STATES as readonly string[]).includes(c.state)) return null;
        const events = (await slaRepository(trx).timingEvents([c.id])).get(c.id) ?? [];
        const assessed = assessSla(timelineOf(c.handling_deadline, events, c.created_at), {
          now,
          calendar: this.calendar,
          clock,
          yellowAt: this.options.yellowAt,
        });
        const from: SlaColour = isSlaColour(c.sla_state) ? c.sla_state : 'green';
        const to = assessed.colour;
        const lapsed = responseLapsed(
          { response_deadline: c.response_deadline, response_overdue: c.snapshot.responseOverdue ?? false },
          now,
        );
        // The response deadline is swept like the handling one: once passed, the trail says so once
        // (response_overdue), which the response rate and the unit's notices read.
        const responseRecord: CaseChange[] = lapsed
          ? [
              {
                record: 'response_overdue',
                payload: { responseDeadline: c.response_deadline?.toISOString() ?? null },
                snapshot: { ...c.snapshot, responseOverdue: true },
              },
            ]
          : [];
        if (to === from) {
          return lapsed ? { actor: SYSTEM_ACTOR, changes: responseRecord } : null;
        }
        // Escalation goes through the state machine like a dispatcher's 督办, so the count and the
        // trail are the same whoever supervises.
        const escalate = to === 'red';
        change = { caseId: c.id, from, to, escalated: escalate };
        return {
          actor: SYSTEM_ACTOR,
          columns: { sla_state: to },
          changes: [
            ...responseRecord,
            {
              record: `sla_${to}`,
              payload: {
                from,
                to,
                worsened: worsens(from, to),
                deadline: c.handling_deadline.toISOString(),
                effectiveDeadline: assessed.effectiveDeadline.toISOString(),
                allowanceUsed: Number.isFinite(assessed.used)
                  ? Math.round(assessed.used * 1000) / 1000
                  : null,
              },
            },
            ...(escalate
              ? [
                  {
                    action: { type: 'supervise', note: OVERDUE_NOTE } as const,
                    reason: 'overdue',
                    payload: { trigger: 'sla_red' },
                  },
                ]
              : []),
          ],
        };
      },
      // Only reopening reads the window; supervise does not.
      { now, reopenWindowDays: 0, subscribers: this.options.subscribers ?? NO_SUBSCRIBERS },
    );
    return change;
  }

  private async clockFor(
    c: { category_key: string | null; district_code: string },
    cache?: Map<string, SlaClock>,
  ): Promise<SlaClock> {
    if (!c.category_key || !this.options.clockOf) return 'working';
    const key = `${c.district_code}|${c.category_key}`;
    const known = cache?.get(key);
    if (known) return known;
    const clock = await this.options.clockOf(c.category_key, c.district_code);
    cache?.set(key, clock);
    return clock;
  }
}
