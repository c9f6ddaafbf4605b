import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { jobRepository } from './job.repository.ts';

const DAY_MS = 86_400_000;

/**
 * Finished jobs are kept a week for inspection, failed ones a month (someone may need to find out
 * why); after that the queue would only grow. Deleted in bounded slices so no statement runs long.
 */
export async function pruneJobs(
  db: Kysely<Database>,
  now: Date,
  keep = { doneDays: 7, failedDays: 30, slice: 1000, maxSlices: 50 },
): Promise<number> {
  const repo = jobRepository(db);
  let total = 0;
  for (let i = 0; i < keep.maxSlices; i++) {
    const n = await repo.prune({
      doneBefore: new Date(now.getTime() - keep.doneDays * DAY_MS),
      failedBefore: new Date(now.getTime() - keep.failedDays * DAY_MS),
      limit: keep.slice,
    });
    total += n;
    if (n < keep.slice) break;
  }
  return total;
}
