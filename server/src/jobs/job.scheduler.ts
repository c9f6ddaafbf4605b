import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { NewJob } from './job.kinds.ts';
import { enqueueJobs } from './job.repository.ts';
import { type JobLogger, silentLogger } from './job.runner.ts';

/** A job enqueued once per time bucket, whoever enqueues it and however often. */
export interface PeriodicJob {
  /** Prefix of the run id: `<name>:<bucket>`. */
  name: string;
  /** Bucket length in ms: the run id is the same for every tick inside one bucket. */
  bucketMs: number;
  job: (bucket: string) => Omit<NewJob, 'id' | 'runAt'>;
}

/** `2026-11-02T01:00Z`: the start of the bucket an instant falls in, to the minute, in UTC. */
export function bucketOf(now: Date, bucketMs: number): string {
  const start = Math.floor(now.getTime() / bucketMs) * bucketMs;
  return `${new Date(start).toISOString().slice(0, 16)}Z`;
}

/**
 * Enqueues periodic jobs. Every server process may run one: each run gets a deterministic id from its
 * time bucket, so twins inserted by other processes (or by this one ticking twice in a minute) collide
 * on the primary key and do nothing. It only enqueues; the runner does the work.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<unknown> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly periodic: readonly PeriodicJob[],
    private readonly options: { intervalMs: number; logger?: JobLogger },
  ) {}

  /** Enqueues this bucket's run of every periodic job; returns the ids that were new. */
  async tick(): Promise<string[]> {
    const now = this.clock.now();
    const created: string[] = [];
    for (const p of this.periodic) {
      const bucket = bucketOf(now, p.bucketMs);
      const id = `${p.name}:${bucket}`;
      const job = { ...p.job(bucket), id, runAt: now } as NewJob;
      if ((await enqueueJobs(this.db, [job], now)) > 0) created.push(id);
    }
    return created;
  }

  start(): void {
    if (this.timer) return;
    const run = () => {
      // A tick still running (a slow database) is not stacked with another one.
      if (this.ticking) return;
      this.ticking = this.tick()
        .catch((err: unknown) =>
          (this.options.logger ?? silentLogger).error({ err }, 'scheduler tick failed'),
        )
        .finally(() => {
          this.ticking = null;
        });
    };
    run();
    this.timer = setInterval(run, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
  }
}
