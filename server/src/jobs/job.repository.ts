import { type Kysely, sql } from 'kysely';
import type { Database, JobRow } from '../db/schema.ts';
import { newId } from '../shared/ids.ts';
import type { JobKind, NewJob } from './job.kinds.ts';

export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Inserts jobs; a job whose id already exists is left alone. Takes any Kysely handle, so a caller
 * inside a transaction passes its `trx` and the jobs commit (or vanish) with what caused them.
 * Returns how many were new.
 */
export async function enqueueJobs(db: Kysely<Database>, jobs: readonly NewJob[], now: Date): Promise<number> {
  if (jobs.length === 0) return 0;
  const rows = await db
    .insertInto('job')
    .values(
      jobs.map((j) => ({
        id: j.id ?? newId('job'),
        kind: j.kind,
        payload: JSON.stringify(j.payload),
        district_code: j.districtCode ?? null,
        run_at: j.runAt,
        max_attempts: j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute();
  return rows.length;
}

export function jobRepository(db: Kysely<Database>) {
  return {
    /**
     * Claims up to `limit` due jobs of the given kinds for this runner: takes a lease on each and
     * counts the attempt. One statement, so it needs no transaction of its own; SKIP LOCKED lets
     * concurrent runners pass over each other's rows instead of queueing on them, and the re-check of
     * the lease under the row lock means a row claimed meanwhile is not claimed twice.
     */
    async claim(q: {
      kinds: readonly JobKind[];
      now: Date;
      leaseUntil: Date;
      limit: number;
    }): Promise<JobRow[]> {
      if (q.kinds.length === 0) return [];
      const due = db
        .selectFrom('job')
        .select('id')
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .where('run_at', '<=', q.now)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', q.now)]))
        .where('kind', 'in', [...q.kinds])
        .orderBy('run_at')
        .orderBy('id')
        .limit(q.limit)
        .forUpdate()
        .skipLocked();
      const rows = await db
        .updateTable('job')
        .set({ locked_until: q.leaseUntil, attempts: sql<number>`attempts + 1` })
        .where('id', 'in', due)
        .returningAll()
        .execute();
      return rows.sort((a, b) => a.run_at.getTime() - b.run_at.getTime() || (a.id < b.id ? -1 : 1));
    },

    /**
     * The `attempts` the runner claimed with fences each outcome: if the lease lapsed and another
     * runner took the job since, this runner's late outcome changes nothing.
     */
    async complete(id: string, attempts: number, now: Date): Promise<boolean> {
      const r = await db
        .updateTable('job')
        .set({ done_at: now, locked_until: null, last_error: null })
        .where('id', '=', id)
        .where('attempts', '=', attempts)
        .where('done_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async retry(id: string, attempts: number, runAt: Date, error: string): Promise<boolean> {
      const r = await db
        .updateTable('job')
        .set({ run_at: runAt, locked_until: null, last_error: error })
        .where('id', '=', id)
        .where('attempts', '=', attempts)
        .where('done_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async fail(id: string, attempts: number, now: Date, error: string): Promise<boolean> {
      const r = await db
        .updateTable('job')
        .set({ failed_at: now, locked_until: null, last_error: error })
        .where('id', '=', id)
        .where('attempts', '=', attempts)
        .where('done_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Kinds that still have work queued: a runner must be able to handle all of them. */
    async pendingKinds(): Promise<string[]> {
      const rows = await db
        .selectFrom('job')
        .select('kind')
        .distinct()
        .where('done_at', 'is', null)
        .where('failed_at', 'is', null)
        .execute();
      return rows.map((r) => r.kind);
    },

    find(id: string) {
      return db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Deletes at most `limit` finished jobs older than the cut-offs; returns how many went. */
    async prune(q: { doneBefore: Date; failedBefore: Date; limit: number }): Promise<number> {
      const old = db
        .selectFrom('job')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('done_at', 'is not', null), eb('done_at', '<', q.doneBefore)]),
            eb.and([eb('failed_at', 'is not', null), eb('failed_at', '<', q.failedBefore)]),
          ]),
        )
        .limit(q.limit);
      const r = await db.deleteFrom('job').where('id', 'in', old).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

export type JobRepository = ReturnType<typeof jobRepository>;
