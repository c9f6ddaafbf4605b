import type { Kysely } from 'kysely';
import type { Database, JobRow } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { JOB_KINDS, type JobContext, type JobHandlers, type JobKind, type JobPayloads } from './job.kinds.ts';
import { jobRepository } from './job.repository.ts';

/** The part of a pino logger the background work uses; tests pass nothing and hear nothing. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const silentLogger: JobLogger = { info() {}, warn() {}, error() {} };

export interface JobRunnerOptions {
  /** Jobs claimed per round: bounds how much one runner holds at a time. */
  batchSize?: number;
  /** Jobs of one batch run at the same time (a slow webhook must not hold up the sweep). */
  concurrency?: number;
  /**
   * How long a claim lasts. A runner that dies mid-job loses it when the lease lapses and another runner
   * takes the job over, so handlers must be idempotent; the lease must outlast the slowest handler.
   */
  leaseMs?: number;
  /** Retry back-off: base × 2^(attempt−1), capped. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Pause between rounds when the last one found less than a full batch. */
  pollMs?: number;
  logger?: JobLogger;
}

export interface RoundResult {
  claimed: number;
  done: number;
  retried: number;
  failed: number;
}

const DEFAULTS = {
  batchSize: 20,
  concurrency: 4,
  leaseMs: 5 * 60_000,
  retryBaseMs: 30_000,
  retryMaxMs: 60 * 60_000,
  pollMs: 1_000,
};

export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Claims due jobs in bounded batches (FOR UPDATE SKIP LOCKED, so several runners in several processes
 * share one queue), runs their handlers, and marks each done, or schedules a retry with exponential
 * back-off, or gives up after the job's last attempt. All time comes from the injected clock; tests
 * drive it with `runOnce()` instead of timers.
 */
export class JobRunner {
  private readonly options: typeof DEFAULTS;
  private readonly logger: JobLogger;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly handlers: Partial<JobHandlers>,
    options: JobRunnerOptions = {},
  ) {
    const { logger, ...rest } = options;
    this.options = { ...DEFAULTS, ...rest };
    this.logger = logger ?? silentLogger;
  }

  private get kinds(): JobKind[] {
    return JOB_KINDS.filter((k) => this.handlers[k] !== undefined);
  }

  /**
   * Throws unless every job kind has a handler and nothing is queued that this runner could not run: a
   * queue that silently grows behind a missing handler is worse than a server that will not start.
   */
  async assertReady(): Promise<void> {
    const missing = JOB_KINDS.filter((k) => this.handlers[k] === undefined);
    const queued = await jobRepository(this.db).pendingKinds();
    const unknown = queued.filter((k) => !(this.kinds as string[]).includes(k));
    if (missing.length || unknown.length) {
      const parts = [
        missing.length ? `no handler for job kind(s) ${missing.join(', ')}` : '',
        unknown.length ? `queued jobs of unknown kind(s) ${unknown.join(', ')}` : '',
      ].filter(Boolean);
      throw new Error(`The job runner cannot start: ${parts.join('; ')}`);
    }
  }

  /** Claims one batch of due jobs and runs it to the end. */
  async runOnce(): Promise<RoundResult> {
    const now = this.clock.now();
    const jobs = await jobRepository(this.db).claim({
      kinds: this.kinds,
      now,
      leaseUntil: new Date(now.getTime() + this.options.leaseMs),
      limit: this.options.batchSize,
    });
    const result: RoundResult = { claimed: jobs.length, done: 0, retried: 0, failed: 0 };
    await eachLimited(jobs, this.options.concurrency, async (job) => {
      result[await this.run(job, now)]++;
    });
    return result;
  }

  /** Runs rounds until one claims nothing (or `maxRounds` is reached); for tests and the CLI. */
  async drain(maxRounds = 100): Promise<RoundResult> {
    const total: RoundResult = { claimed: 0, done: 0, retried: 0, failed: 0 };
    for (let i = 0; i < maxRounds; i++) {
      const r = await this.runOnce();
      if (r.claimed === 0) break;
      total.claimed += r.claimed;
      total.done += r.done;
      total.retried += r.retried;
      total.failed += r.failed;
    }
    return total;
  }

  private async run(job: JobRow, claimedAt: Date): Promise<'done' | 'retried' | 'failed'> {
    const repo = jobRepository(this.db);
    const kind = job.kind as JobKind;
    // Claimed again after a lease lapsed on its last attempt: the process running it died, maybe because
    // of it, so it is not run once more.
    if (job.attempts > job.max_attempts) {
      await repo.fail(
        job.id,
        job.attempts,
        this.clock.now(),
        job.last_error ?? 'the lease lapsed on its last attempt',
      );
      this.logger.error({ job: job.id, kind }, 'job abandoned after its last attempt');
      return 'failed';
    }
    const retryAt =
      job.attempts < job.max_attempts
        ? new Date(
            claimedAt.getTime() + backoffMs(job.attempts, this.options.retryBaseMs, this.options.retryMaxMs),
          )
        : null;
    const context: JobContext = {
      id: job.id,
      kind,
      districtCode: job.district_code,
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
      retryAt,
    };
    try {
      await this.dispatch(kind, job.payload, context);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (retryAt) {
        await repo.retry(job.id, job.attempts, retryAt, message);
        this.logger.warn(
          { job: job.id, kind, attempt: job.attempts, retryAt: retryAt.toISOString(), err: message },
          'job failed; will retry',
        );
        return 'retried';
      }
      await repo.fail(job.id, job.attempts, this.clock.now(), message);
      this.logger.error({ job: job.id, kind, attempt: job.attempts, err: message }, 'job failed for good');
      return 'failed';
    }
    if (!(await repo.complete(job.id, job.attempts, this.clock.now()))) {
      this.logger.warn({ job: job.id, kind }, 'job finished after its lease lapsed and was taken over');
    }
    return 'done';
  }

  private dispatch<K extends JobKind>(kind: K, payload: unknown, context: JobContext): Promise<void> {
    const handler = this.handlers[kind];
    if (!handler) throw new Error(`no handler for job kind ${kind}`);
    return handler(payload as JobPayloads[K], context);
  }

  /** Checks readiness, then polls until `stop()`. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.assertReady();
    this.running = true;
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      let full = false;
      try {
        full = (await this.runOnce()).claimed >= this.options.batchSize;
      } catch (err) {
        this.logger.error({ err }, 'job round failed');
      }
      if (!full && this.running) await this.pause(this.options.pollMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}
