import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import type { JobContext, JobHandlers } from './job.kinds.ts';
import { pruneJobs } from './job.prune.ts';
import { enqueueJobs, jobRepository } from './job.repository.ts';
import { backoffMs, JobRunner } from './job.runner.ts';
import { bucketOf, Scheduler } from './job.scheduler.ts';

let env: TestEnv;
const T0 = new Date('2026-11-02T02:00:00Z');

beforeAll(async () => {
  env = await createTestEnv({ demo: false });
});
afterAll(async () => {
  await env?.close();
});
beforeEach(async () => {
  env.clock.set(T0);
  await sql`delete from job`.execute(env.ctx.db);
});

/** A runner whose every kind is handled by `fn`; the kinds themselves do not matter here. */
function runnerWith(fn: (payload: unknown, job: JobContext) => Promise<void>, options = {}) {
  const handlers: JobHandlers = {
    'sla.sweep': fn,
    'sla.case': fn,
    'webhook.deliver': fn,
    'jobs.prune': fn,
    'media.sweep': fn,
    'proposals.close': fn,
  };
  return new JobRunner(env.ctx.db, env.clock, handlers, options);
}

function deliver(id: string, extra: { runAt?: Date; maxAttempts?: number } = {}) {
  return {
    id,
    kind: 'webhook.deliver' as const,
    payload: { deliveryId: id },
    runAt: extra.runAt ?? env.clock.now(),
    maxAttempts: extra.maxAttempts,
  };
}

describe('the job queue', () => {
  it('inserts a job once per id: a twin with the same id does nothing', async () => {
    expect(await enqueueJobs(env.ctx.db, [deliver('a')], T0)).toBe(1);
    expect(await enqueueJobs(env.ctx.db, [deliver('a'), deliver('b')], T0)).toBe(1);
    const { n } = await env.ctx.db
      .selectFrom('job')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(2);
  });

  it('runs due jobs, leaves future ones, and marks what it ran done', async () => {
    const seen: string[] = [];
    const runner = runnerWith(async (p) => {
      seen.push((p as { deliveryId: string }).deliveryId);
    });
    await enqueueJobs(
      env.ctx.db,
      [deliver('now'), deliver('later', { runAt: new Date(T0.getTime() + 60_000) })],
      T0,
    );
    expect(await runner.runOnce()).toEqual({ claimed: 1, done: 1, retried: 0, failed: 0 });
    expect(seen).toEqual(['now']);
    expect((await jobRepository(env.ctx.db).find('now'))?.done_at?.toISOString()).toBe(T0.toISOString());
    expect((await runner.runOnce()).claimed).toBe(0);
    env.clock.advance(60_000);
    expect((await runner.runOnce()).done).toBe(1);
    expect(seen).toEqual(['now', 'later']);
  });

  it('retries a failing job with exponential back-off, then gives up after its last attempt', async () => {
    const contexts: JobContext[] = [];
    const runner = runnerWith(async (_p, job) => {
      contexts.push(job);
      throw new Error(`boom ${job.attempt}`);
    });
    await enqueueJobs(env.ctx.db, [deliver('flaky', { maxAttempts: 3 })], T0);

    expect((await runner.runOnce()).retried).toBe(1);
    let row = (await jobRepository(env.ctx.db).find('flaky'))!;
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBe('boom 1');
    expect(row.run_at.getTime() - T0.getTime()).toBe(30_000);
    expect(contexts[0]?.retryAt?.getTime()).toBe(row.run_at.getTime());

    // Not before its time.
    env.clock.advance(29_999);
    expect((await runner.runOnce()).claimed).toBe(0);
    env.clock.advance(1);
    expect((await runner.runOnce()).retried).toBe(1);
    row = (await jobRepository(env.ctx.db).find('flaky'))!;
    expect(row.run_at.getTime() - env.clock.now().getTime()).toBe(60_000);

    env.clock.advance(60_000);
    expect((await runner.runOnce()).failed).toBe(1);
    row = (await jobRepository(env.ctx.db).find('flaky'))!;
    expect(row.failed_at).not.toBeNull();
    expect(row.done_at).toBeNull();
    expect(row.last_error).toBe('boom 3');
    expect(contexts.map((c) => [c.attempt, c.retryAt === null])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    env.clock.advance(3_600_000);
    expect((await runner.runOnce()).claimed).toBe(0);
  });

  it('doubles the back-off up to its cap', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 30_000, 3_600_000))).toEqual([
      30_000, 60_000, 120_000, 240_000,
    ]);
    expect(backoffMs(20, 30_000, 3_600_000)).toBe(3_600_000);
  });

  it('takes a job over when its lease lapses, and ignores the late finish of the runner that lost it', async () => {
    await enqueueJobs(env.ctx.db, [deliver('slow')], T0);
    const repo = jobRepository(env.ctx.db);
    // Runner A claims it and then goes silent (a crash, a long pause).
    const [claimedByA] = await repo.claim({
      kinds: ['webhook.deliver'],
      now: T0,
      leaseUntil: new Date(T0.getTime() + 60_000),
      limit: 10,
    });
    expect(claimedByA?.attempts).toBe(1);
    const runs: number[] = [];
    const b = runnerWith(async (_p, job) => {
      runs.push(job.attempt);
    });
    expect((await b.runOnce()).claimed).toBe(0);
    env.clock.advance(60_000);
    expect((await b.runOnce()).done).toBe(1);
    expect(runs).toEqual([2]);
    // A wakes up and reports its outcome with the attempt it claimed: nothing changes.
    expect(await repo.complete('slow', 1, env.clock.now())).toBe(false);
    expect(await repo.retry('slow', 1, env.clock.now(), 'late')).toBe(false);
    expect((await repo.find('slow'))?.last_error).toBeNull();
  });

  it('abandons a job whose lease lapsed on its last attempt instead of running it again', async () => {
    await enqueueJobs(env.ctx.db, [deliver('deadly', { maxAttempts: 1 })], T0);
    await jobRepository(env.ctx.db).claim({
      kinds: ['webhook.deliver'],
      now: T0,
      leaseUntil: new Date(T0.getTime() + 1000),
      limit: 1,
    });
    let ran = false;
    const runner = runnerWith(async () => {
      ran = true;
    });
    env.clock.advance(1000);
    expect((await runner.runOnce()).failed).toBe(1);
    expect(ran).toBe(false);
    expect((await jobRepository(env.ctx.db).find('deadly'))?.failed_at).not.toBeNull();
  });

  it('gives each job to one runner when two claim at the same time', async () => {
    await enqueueJobs(
      env.ctx.db,
      Array.from({ length: 30 }, (_, i) => deliver(`j${String(i).padStart(2, '0')}`)),
      T0,
    );
    const runs = new Map<string, number>();
    const count = async (p: unknown) => {
      const id = (p as { deliveryId: string }).deliveryId;
      runs.set(id, (runs.get(id) ?? 0) + 1);
    };
    const a = runnerWith(count, { batchSize: 4 });
    const b = runnerWith(count, { batchSize: 4 });
    const [ra, rb] = await Promise.all([a.drain(), b.drain()]);
    expect(ra.done + rb.done).toBe(30);
    expect(runs.size).toBe(30);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it('refuses to start when a job kind has no handler', async () => {
    const partial = new JobRunner(env.ctx.db, env.clock, { 'sla.sweep': async () => {} });
    await expect(partial.start()).rejects.toThrow(
      /no handler for job kind\(s\) sla\.case, webhook\.deliver, jobs\.prune/,
    );
  });

  it('refuses to start when the queue holds a kind nobody handles', async () => {
    await env.ctx.db
      .insertInto('job')
      .values({ id: 'x', kind: 'mystery', payload: '{}', run_at: T0, max_attempts: 1, created_at: T0 })
      .execute();
    const runner = runnerWith(async () => {});
    await expect(runner.assertReady()).rejects.toThrow(/unknown kind\(s\) mystery/);
    // …and a partial runner never claims what it cannot run.
    expect((await runner.runOnce()).claimed).toBe(0);
  });

  it('starts and stops cleanly when every kind has a handler', async () => {
    const runner = runnerWith(async () => {}, { pollMs: 10 });
    await runner.start();
    await runner.stop();
  });

  it('prunes finished jobs past their retention and keeps the rest', async () => {
    const day = 86_400_000;
    await enqueueJobs(env.ctx.db, [deliver('old'), deliver('recent'), deliver('pending')], T0);
    const repo = jobRepository(env.ctx.db);
    await repo.claim({ kinds: ['webhook.deliver'], now: T0, leaseUntil: T0, limit: 3 });
    await repo.complete('old', 1, new Date(T0.getTime() - 8 * day));
    await repo.complete('recent', 1, new Date(T0.getTime() - 2 * day));
    expect(await pruneJobs(env.ctx.db, T0)).toBe(1);
    expect(await repo.find('old')).toBeUndefined();
    expect(await repo.find('recent')).toBeDefined();
    expect(await repo.find('pending')).toBeDefined();
  });
});

describe('the scheduler', () => {
  it('names each run by its minute, so ticks and schedulers within one minute enqueue it once', async () => {
    const periodic = [
      {
        name: 'sla-sweep',
        bucketMs: 60_000,
        job: (bucket: string) => ({ kind: 'sla.sweep' as const, payload: { bucket } }),
      },
    ];
    const one = new Scheduler(env.ctx.db, env.clock, periodic, { intervalMs: 60_000 });
    const two = new Scheduler(env.ctx.db, env.clock, periodic, { intervalMs: 60_000 });
    env.clock.set(new Date('2026-11-02T02:00:05Z'));
    expect(await one.tick()).toEqual(['sla-sweep:2026-11-02T02:00Z']);
    env.clock.set(new Date('2026-11-02T02:00:40Z'));
    expect(await two.tick()).toEqual([]);
    expect(await one.tick()).toEqual([]);
    env.clock.set(new Date('2026-11-02T02:01:00Z'));
    expect(await two.tick()).toEqual(['sla-sweep:2026-11-02T02:01Z']);
    const job = await jobRepository(env.ctx.db).find('sla-sweep:2026-11-02T02:01Z');
    expect(job).toMatchObject({ kind: 'sla.sweep', payload: { bucket: '2026-11-02T02:01Z' } });
  });

  it('buckets to the minute or the hour in UTC', () => {
    const at = new Date('2026-11-02T02:37:59.999Z');
    expect(bucketOf(at, 60_000)).toBe('2026-11-02T02:37Z');
    expect(bucketOf(at, 3_600_000)).toBe('2026-11-02T02:00Z');
  });

  it("is wired in the server's context with the sweep and the prune", async () => {
    env.clock.set(new Date('2026-11-02T03:15:00Z'));
    expect((await env.ctx.scheduler.tick()).sort()).toEqual([
      'jobs-prune:2026-11-02T03:00Z',
      'media-sweep:2026-11-02T03:00Z',
      'proposals-close:2026-11-02T03:15Z',
      'sla-sweep:2026-11-02T03:15Z',
    ]);
    await expect(env.ctx.jobs.assertReady()).resolves.toBeUndefined();
    const r = await env.ctx.jobs.drain();
    expect(r.done).toBe(4);
  });
});
