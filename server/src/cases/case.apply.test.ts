import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { beijingTime as bj } from '../calendar/working-calendar.ts';
import type { CaseRow, Database } from '../db/schema.ts';
import { DEPT, demoActor, dispatchedCase, streetCentre, sweepAt } from '../deadlines/sla.fixtures.ts';
import { AppError } from '../shared/errors.ts';
import { applyToCase, type CaseEventSubscriber, CaseEventSubscribers } from './case.apply.ts';
import { caseRepository } from './case.repository.ts';
import type { StoredEvent } from './case.trail.ts';
import { verifyTrail } from './case.trail.ts';

/**
 * The one function that changes a case, and its subscribers: every writer of case events — intake's
 * report, `act`, `autoAccept`, the SLA sweep and the whistle's meeting record — appends a chain that
 * verifies and tells a subscriber of each event exactly once, with the rows around it, in the event's
 * transaction. Runs on PGlite and, with HUTONG_TEST_DATABASE_URL, on PostgreSQL.
 */
let env: TestEnv;
const heard: { event: StoredEvent; before: CaseRow | null; after: CaseRow }[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  env.ctx.caseEvents.subscribe({
    name: 'recorder',
    actions: 'all',
    onEvent: async (trx, event, before, after) => {
      // Inside the event's transaction: the event is visible through `trx` already.
      const seen = await trx
        .selectFrom('case_event')
        .select('seq')
        .where('case_id', '=', event.caseId)
        .where('seq', '=', event.seq)
        .executeTakeFirst();
      expect(seen?.seq).toBe(event.seq);
      heard.push({ event, before, after });
    },
  });
});
afterAll(async () => {
  await env?.close();
});

async function chain(caseId: string) {
  return caseRepository(env.ctx.db).events(caseId);
}

function heardOf(caseId: string) {
  return heard.filter((h) => h.event.caseId === caseId);
}

/** Every event of the case reached the recorder once, in order, and the chain verifies. */
async function expectHeardOnce(caseId: string) {
  const events = await chain(caseId);
  expect(verifyTrail(caseId, events)).toEqual([]);
  expect(heardOf(caseId).map((h) => [h.event.seq, h.event.action, h.event.hash])).toEqual(
    events.map((e) => [e.seq, e.action, e.hash]),
  );
  return events;
}

describe('applyToCase and the case-event subscribers', () => {
  it('the report, act, the whistle and the sweep: each event once, chained, with the rows around it', async () => {
    env.clock.set(bj('2026-03-02', '10:00'));
    const [lng, lat] = await streetCentre(env.ctx);
    const { result } = await env.ctx.cases.intake(null, {
      channel: 'resident',
      description: '胡同里违建占了消防通道',
      lng,
      lat,
      crs: 'wgs84',
    });
    const dispatcher = await demoActor(env.ctx, 'street_dispatcher');
    const unit = await demoActor(env.ctx, 'department_handler');
    await env.ctx.cases.act(dispatcher, result.id, 'accept', { categoryKey: 'event:09012' });
    await env.ctx.cases.act(dispatcher, result.id, 'dispatch', { tier: 3, unitIds: [DEPT, 'org-planning'] });
    await env.ctx.whistle.putMinutes(dispatcher, result.id, { minutes: '现场会商', decisions: ['限期拆除'] });
    const view = await env.ctx.whistle.addTask(dispatcher, result.id, {
      organisationId: DEPT,
      description: '拆除违建',
      workingDays: 1,
    });
    await env.ctx.cases.act(unit, result.id, 'report_in', { unitId: DEPT });
    await env.ctx.whistle.completeTask(unit, result.id, view.tasks[0]!.id, '已拆除');
    // Weeks later: the sweep turns it red and supervises it, two events under one lock.
    await sweepAt(env.ctx, env.clock, bj('2026-04-20', '10:00'));

    const events = await expectHeardOnce(result.id);
    expect(events.map((e) => e.action)).toEqual([
      'report',
      'accept',
      'dispatch',
      'joint_minutes',
      'joint_task_assign',
      'report_in',
      'joint_task_done',
      // org-planning never reported in: the response deadline set at dispatch is swept too.
      'response_overdue',
      'sla_red',
      'supervise',
    ]);
    const h = heardOf(result.id);
    // The report: no row before it; every later event gets the row it found and the row it left.
    expect(h[0]!.before).toBeNull();
    expect(h[0]!.after).toMatchObject({
      id: result.id,
      state: 'reported',
      supporters: 0,
      sla_state: 'green',
    });
    for (const x of h.slice(1)) {
      expect(x.before?.state, x.event.action).toBe(x.event.fromState);
      expect(x.after.state, x.event.action).toBe(x.event.toState);
    }
    for (let i = 1; i < h.length; i++) {
      // Each event's row before is the row the previous event left, field by field.
      expect(h[i]!.before, h[i]!.event.action).toEqual(h[i - 1]!.after);
    }
    const accept = h.find((x) => x.event.action === 'accept')!;
    expect(accept.after.category_key).toBe('event:09012');
    expect(accept.after.handling_deadline).toBeInstanceOf(Date);
    // The sweep's two events: the colour first, then the supervision it brings.
    const red = h.find((x) => x.event.action === 'sla_red')!;
    const supervised = h.find((x) => x.event.action === 'supervise')!;
    // One sweep writes the lapsed response, the colour and the supervision under one lock: the row
    // before the first of them is green, the colour's event says so, and the row it leaves is red.
    const lapsed = h.find((x) => x.event.action === 'response_overdue')!;
    expect([lapsed.before?.sla_state, red.after.sla_state]).toEqual(['green', 'red']);
    expect(red.event.payload).toMatchObject({ from: 'green', to: 'red' });
    expect(red.after.snapshot.superviseCount).toBe(0);
    expect(supervised.after.snapshot.superviseCount).toBe(1);
    expect(supervised.event).toMatchObject({ actorRole: 'system', reason: 'overdue' });
    // The rows handed out are the rows stored.
    const stored = await caseRepository(env.ctx.db).findById(result.id);
    expect(supervised.after).toEqual(stored);
    // A meeting record changes no state and writes no row: the row before and after are the same.
    const minutes = h.find((x) => x.event.action === 'joint_minutes')!;
    expect(minutes.after).toEqual(minutes.before);
  });

  it('autoAccept: the auto-rule is heard once; a second run on a filed case appends nothing', async () => {
    env.clock.set(bj('2026-03-03', '10:00'));
    const [lng, lat] = await streetCentre(env.ctx);
    const { result } = await env.ctx.cases.intake(null, {
      channel: 'camera',
      description: '摄像头发现堆物堆料',
      lng,
      lat,
      crs: 'wgs84',
    });
    const accepted = await env.ctx.cases.autoAccept(result.id, 'event:06001', { confidence: 0.93 });
    expect(accepted?.state).toBe('accepted');
    expect(await env.ctx.cases.autoAccept(result.id, 'event:06001', { confidence: 0.95 })).toBeNull();
    const events = await expectHeardOnce(result.id);
    expect(events.map((e) => [e.action, e.actorRole, e.reason])).toEqual([
      ['report', 'resident', null],
      ['accept', 'system', 'auto_rule'],
    ]);
    expect(events[1]!.payload).toMatchObject({ categoryKey: 'event:06001', rule: { confidence: 0.93 } });
  });

  it('a refused action and a failing subscriber leave neither the row, nor the event, nor other writes', async () => {
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt: bj('2026-03-04', '10:00') });
    const before = await caseRepository(env.ctx.db).findById(c.id);
    const dispatcher = await demoActor(env.ctx, 'street_dispatcher');
    await expect(env.ctx.cases.act(dispatcher, c.id, 'accept', {})).rejects.toMatchObject({
      code: 'TRANSITION_NOT_ALLOWED',
    });
    const unsubscribe = env.ctx.caseEvents.subscribe({
      name: 'failing',
      actions: ['sign'],
      onEvent: async (trx, event) => {
        await trx
          .insertInto('notification')
          .values({
            id: `ntf_fail_${event.seq}`,
            user_id: dispatcher.userId,
            district_code: event.districtCode,
            case_id: event.caseId,
            kind: 'assigned',
            title: 'x',
            body: 'x',
            created_at: event.at,
            read_at: null,
          })
          .execute();
        throw new Error('the rollup is broken');
      },
    });
    try {
      await expect(
        env.ctx.cases.act(await demoActor(env.ctx, 'department_handler'), c.id, 'sign', {}),
      ).rejects.toThrow(/rollup/);
    } finally {
      unsubscribe();
    }
    expect(await caseRepository(env.ctx.db).findById(c.id)).toEqual(before);
    expect((await chain(c.id)).map((e) => e.action)).toEqual(['report', 'accept', 'dispatch']);
    const leftover = await env.ctx.db
      .selectFrom('notification')
      .select('id')
      .where('id', 'like', 'ntf_fail_%')
      .execute();
    expect(leftover).toEqual([]);
    // The recorder, registered first, was told of the sign before the failure: what it wrote with
    // `trx` went with the rollback; only its memory of the event outlives it.
    expect(heardOf(c.id).map((h) => h.event.action)).toEqual(['report', 'accept', 'dispatch', 'sign']);
  });

  it('applies inside a transaction it is given, and answers null for a case that does not exist', async () => {
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt: bj('2026-03-05', '10:00') });
    const subscribers = new CaseEventSubscribers();
    const context = { now: env.clock.now(), reopenWindowDays: 7, subscribers };
    expect(
      await applyToCase(
        env.ctx.db,
        'case_nope',
        () => ({ actor: { userId: null, role: 'system' }, changes: [] }),
        context,
      ),
    ).toBeNull();
    await expect(
      env.ctx.db.transaction().execute(async (trx: Kysely<Database>) => {
        const applied = await applyToCase(
          trx,
          c.id,
          () => ({
            actor: { userId: null, role: 'system' },
            changes: [{ action: { type: 'supervise', note: '测试' } }],
          }),
          context,
        );
        expect(applied?.events.map((e) => e.action)).toEqual(['supervise']);
        throw new AppError('CONFLICT', 'the caller rolls back');
      }),
    ).rejects.toThrow(/rolls back/);
    // The caller's transaction was the one: rolling it back took the event with it.
    expect((await chain(c.id)).map((e) => e.action)).toEqual(['report', 'accept', 'dispatch']);
  });
});

describe('CaseEventSubscribers', () => {
  const row = {} as CaseRow;
  const event = (action: string) => ({ action }) as StoredEvent;
  const noop = async () => {};

  it('offers an event only to subscribers that list its action, in the order they were registered', async () => {
    const told: string[] = [];
    const sub = (name: string, actions: CaseEventSubscriber['actions']): CaseEventSubscriber => ({
      name,
      actions,
      onEvent: async (_trx, e) => {
        told.push(`${name}:${e.action}`);
      },
    });
    const subscribers = new CaseEventSubscribers([sub('a', ['sign']), sub('b', 'all')]);
    const trx = {} as Kysely<Database>;
    await subscribers.publish(trx, event('sign'), row, row);
    await subscribers.publish(trx, event('accept'), row, row);
    expect(told).toEqual(['a:sign', 'b:sign', 'b:accept']);
    expect(() => subscribers.subscribe(sub('a', 'all'))).toThrow(/already/);
  });

  it('wants a report when a subscriber listing it has no finer interest, or says yes', async () => {
    const interest = new Map<string, boolean>([['110102', true]]);
    const subscribers = new CaseEventSubscribers([
      { name: 'notices', actions: ['sign'], onEvent: noop },
      { name: 'hooks', actions: 'all', wants: (d) => interest.get(d) ?? false, onEvent: noop },
    ]);
    expect(await subscribers.wants('110102', 'report')).toBe(true);
    expect(await subscribers.wants('110105', 'report')).toBe(false);
    const unsubscribe = subscribers.subscribe({
      name: 'rollups',
      actions: ['report', 'accept'],
      onEvent: noop,
    });
    expect(await subscribers.wants('110105', 'report')).toBe(true);
    unsubscribe();
    expect(await subscribers.wants('110105', 'report')).toBe(false);
  });

  it('hands new reports to onReports in one call when a subscriber has it', async () => {
    const calls: number[] = [];
    const single: string[] = [];
    const subscribers = new CaseEventSubscribers([
      {
        name: 'batched',
        actions: ['report'],
        onEvent: noop,
        onReports: async (_trx, reports) => {
          calls.push(reports.length);
        },
      },
      {
        name: 'single',
        actions: 'all',
        onEvent: async (_trx, e, before) => {
          single.push(`${e.action}:${before === null}`);
        },
      },
    ]);
    const reports = [1, 2, 3].map(() => ({ event: event('report'), after: row }));
    await subscribers.publishReports({} as Kysely<Database>, reports);
    expect(calls).toEqual([3]);
    expect(single).toEqual(['report:true', 'report:true', 'report:true']);
  });
});
