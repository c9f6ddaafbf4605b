import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../test/global-setup.ts';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { computeDeadline } from '../calendar/deadline.ts';
import { beijingTime as bj } from '../calendar/working-calendar.ts';
import { loadConfig } from '../config/config.ts';
import { createContext } from '../context.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import type { AppContext } from '../http/context.ts';
import { dispatchedCase } from './sla.fixtures.ts';

/**
 * Two servers sweeping the same database at once. On PostgreSQL the second one has a connection pool
 * of its own, so the two really race (row locks, SKIP LOCKED, primary-key collisions); on PGlite there
 * is one connection and transactions take turns, and the outcome must be the same.
 */
let env: TestEnv;
let second: DatabaseHandle | null = null;
let a: AppContext;
let b: AppContext;

beforeAll(async () => {
  env = await createTestEnv();
  const url = inject('testDatabaseUrl');
  let handle = env.handle;
  if (url) {
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(env.ctx.db);
    second = await openDatabase({ databaseUrl: withDatabase(url, rows[0]!.name), poolSize: 8 });
    handle = second;
  }
  a = env.ctx;
  b = createContext({ ...loadConfig(), demo: false }, handle, env.clock);
});
afterAll(async () => {
  await second?.close();
  await env?.close();
});

async function openCases(n: number, receivedAt: Date): Promise<{ ids: string[]; deadline: Date }> {
  const deadline = computeDeadline(receivedAt, { amount: 1, unit: 'working_days' }, env.ctx.calendar);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      (await dispatchedCase(env.ctx, env.clock, { receivedAt, deadline, description: `并发督办测试 ${i}` }))
        .id,
    );
  }
  return { ids, deadline };
}

/** Per case: how many escalations (sla_red, system supervise) and overdue notices it got. */
async function escalations(ids: readonly string[]) {
  const events = await env.ctx.db
    .selectFrom('case_event')
    .select(['case_id', 'action', 'actor_role'])
    .where('case_id', 'in', [...ids])
    .where('action', 'in', ['sla_red', 'supervise'])
    .execute();
  const notices = await env.ctx.db
    .selectFrom('notification')
    .select(['case_id', 'user_id'])
    .where('case_id', 'in', [...ids])
    .where('kind', '=', 'overdue')
    .execute();
  const snapshots = await env.ctx.db
    .selectFrom('case_record')
    .select(['id', 'snapshot', 'sla_state'])
    .where('id', 'in', [...ids])
    .execute();
  return ids.map((id) => ({
    slaRed: events.filter((e) => e.case_id === id && e.action === 'sla_red').length,
    supervise: events.filter((e) => e.case_id === id && e.action === 'supervise' && e.actor_role === 'system')
      .length,
    notices: notices.filter((n) => n.case_id === id).length,
    distinctRecipients: new Set(notices.filter((n) => n.case_id === id).map((n) => n.user_id)).size,
    superviseCount: (snapshots.find((s) => s.id === id)?.snapshot as { superviseCount?: number } | undefined)
      ?.superviseCount,
    slaState: snapshots.find((s) => s.id === id)?.sla_state,
  }));
}

/** Escalated once: one notice each to the street's dispatcher, the unit and the district administration. */
const once = {
  slaRed: 1,
  supervise: 1,
  notices: 3,
  distinctRecipients: 3,
  superviseCount: 1,
  slaState: 'red',
};

describe('two runners on one database', () => {
  it('escalate each overdue case exactly once when both work the same sweeps at the same time', async () => {
    const { ids, deadline } = await openCases(12, bj('2026-11-03', '10:00'));
    // Both servers' schedulers tick in the same minute (one sweep: the ids collide), and a minute later
    // only one of them ticks while neither runner has run yet: two sweeps each queue a check per case.
    env.clock.set(new Date(deadline.getTime() + 60_000));
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    env.clock.set(new Date(deadline.getTime() + 120_000));
    await b.scheduler.tick();
    const sweeps = await env.ctx.db
      .selectFrom('job')
      .select('id')
      .where('kind', '=', 'sla.sweep')
      .where('done_at', 'is', null)
      .execute();
    expect(sweeps).toHaveLength(2);

    const [ra, rb] = await Promise.all([a.jobs.drain(), b.jobs.drain()]);
    expect(ra.failed + rb.failed).toBe(0);
    expect(await escalations(ids)).toEqual(ids.map(() => once));
    const audit = await env.ctx.cases.verifyAudit();
    expect(audit.problems).toEqual([]);
  });

  it('escalate each case once when both check every case at the same instant', async () => {
    const { ids, deadline } = await openCases(8, bj('2026-11-10', '10:00'));
    env.clock.set(new Date(deadline.getTime() + 60_000));
    const results = await Promise.all(ids.flatMap((id) => [a.sla.checkCase(id), b.sla.checkCase(id)]));
    // One of each pair did the work; the other found the case already red under the row lock.
    for (let i = 0; i < ids.length; i++) {
      const pair = [results[2 * i], results[2 * i + 1]];
      expect(pair.filter((r) => r?.escalated)).toHaveLength(1);
      expect(pair.filter((r) => r === null)).toHaveLength(1);
    }
    expect(await escalations(ids)).toEqual(ids.map(() => once));
    // …and a second round, on either runner, finds nothing to do.
    expect(await Promise.all(ids.map((id) => b.sla.checkCase(id)))).toEqual(ids.map(() => null));
    const audit = await env.ctx.cases.verifyAudit();
    expect(audit.problems).toEqual([]);
  });
});
