import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { computeDeadline } from '../calendar/deadline.ts';
import { beijingTime as bj } from '../calendar/working-calendar.ts';
import { loadConfig } from '../config/config.ts';
import { createContext } from '../context.ts';
import { demoActor, dispatchedCase, slaState, sweepAt, trailOf } from './sla.fixtures.ts';

/**
 * The sweep as the server runs it — scheduler tick, then the runner works the queue — with the clock
 * moved across weekends, public holidays and make-up working days of the bundled 2026 calendar.
 * Every case is filed at 10:00 on a working day with three working days to handle it: 27 working
 * hours (6 on the day of filing, 7 on each of the three), so it turns yellow after 21.6 h.
 */
let env: TestEnv;
const threeDays = { amount: 3, unit: 'working_days' } as const;

beforeAll(async () => {
  env = await createTestEnv();
  // The category used below runs on working time, not calendar hours.
  const entry = await env.ctx.taxonomy.entry('event:07001', '110102');
  expect(entry?.handlingLimit.unit).not.toBe('calendar_hours');
});
afterAll(async () => {
  await env?.close();
});

async function notices(caseId: string) {
  return env.ctx.db
    .selectFrom('notification as n')
    .innerJoin('app_user as u', 'u.id', 'n.user_id')
    .select(['n.kind', 'u.username'])
    .where('n.case_id', '=', caseId)
    .orderBy('n.kind')
    .orderBy('u.username')
    .execute();
}

async function lastSeq(caseId: string): Promise<number> {
  const r = await env.ctx.db
    .selectFrom('case_event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return Number(r.seq);
}

describe('the SLA sweep on the official calendar', () => {
  it('Spring Festival 2026: counts the make-up Saturday, not the nine days off and their weekend', async () => {
    const receivedAt = bj('2026-02-12', '10:00'); // Thursday
    const deadline = computeDeadline(receivedAt, threeDays, env.ctx.calendar);
    // Fri 13, Sat 14 (调休, a working day), then 15–23 off: the third working day is Tue 24.
    expect(deadline).toEqual(bj('2026-02-24', '17:30'));
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt, deadline });

    for (const [date, time] of [
      ['2026-02-13', '17:30'],
      ['2026-02-14', '17:29'], // 19 h 59 min used on the make-up Saturday
      ['2026-02-18', '12:00'], // the holiday
      ['2026-02-22', '12:00'], // a Sunday inside the holiday
      ['2026-02-23', '17:30'], // a Monday inside the holiday
      ['2026-02-24', '10:35'], // 21 h 35 min
    ] as const) {
      await sweepAt(env.ctx, env.clock, bj(date, time));
      expect(await slaState(env.ctx, c.id), `${date} ${time}`).toBe('green');
    }
    await sweepAt(env.ctx, env.clock, bj('2026-02-24', '10:36'));
    expect(await slaState(env.ctx, c.id)).toBe('yellow');
    await sweepAt(env.ctx, env.clock, bj('2026-02-24', '17:30'));
    expect(await slaState(env.ctx, c.id)).toBe('yellow');
    await sweepAt(env.ctx, env.clock, bj('2026-02-24', '17:31'));
    expect(await slaState(env.ctx, c.id)).toBe('red');
  });

  it('National Day 2026: green through Golden Week, yellow on the make-up Saturday, red and escalated once', async () => {
    const receivedAt = bj('2026-09-30', '10:00'); // Wednesday, the eve of the holiday
    const deadline = computeDeadline(receivedAt, threeDays, env.ctx.calendar);
    // 1–7 October off; Thu 8, Fri 9, and Sat 10 (调休) are the three working days.
    expect(deadline).toEqual(bj('2026-10-10', '17:30'));
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt, deadline });
    const afterDispatch = await lastSeq(c.id);

    for (const [date, time] of [
      ['2026-10-03', '12:00'], // a Saturday inside the holiday
      ['2026-10-07', '17:30'],
      ['2026-10-09', '17:29'],
      ['2026-10-10', '10:35'],
    ] as const) {
      await sweepAt(env.ctx, env.clock, bj(date, time));
      expect(await slaState(env.ctx, c.id), `${date} ${time}`).toBe('green');
    }
    // The unit never signed: its response deadline (2 working hours after the dispatch) is recorded
    // as passed, once, by the first sweep after it.
    expect(await trailOf(env.ctx, c.id, afterDispatch)).toEqual(['response_overdue/system']);

    await sweepAt(env.ctx, env.clock, bj('2026-10-10', '10:36'));
    expect(await slaState(env.ctx, c.id)).toBe('yellow');
    expect(await trailOf(env.ctx, c.id, afterDispatch)).toEqual([
      'response_overdue/system',
      'sla_yellow/system',
    ]);
    expect(await notices(c.id)).toContainEqual({ kind: 'due_soon', username: 'demo-department_handler' });

    await sweepAt(env.ctx, env.clock, bj('2026-10-10', '17:30'));
    expect(await slaState(env.ctx, c.id)).toBe('yellow');
    await sweepAt(env.ctx, env.clock, bj('2026-10-10', '17:31'));
    expect(await slaState(env.ctx, c.id)).toBe('red');
    expect(await trailOf(env.ctx, c.id, afterDispatch)).toEqual([
      'response_overdue/system',
      'sla_yellow/system',
      'sla_red/system',
      'supervise/system',
    ]);

    const dispatcher = await demoActor(env.ctx, 'street_dispatcher');
    const detail = await env.ctx.cases.caseDetail(dispatcher, c.id);
    expect(detail.slaState).toBe('red');
    const supervise = detail.events.at(-1)!;
    expect(supervise).toMatchObject({ action: 'supervise', actorRole: 'system', reason: 'overdue' });
    expect(supervise.payload).toMatchObject({ superviseCount: 1, trigger: 'sla_red' });
    const escalation = (
      await env.ctx.db
        .selectFrom('case_event')
        .select('actor_user_id')
        .where('case_id', '=', c.id)
        .where('action', 'in', ['sla_red', 'supervise'])
        .execute()
    ).map((r) => r.actor_user_id);
    expect(escalation).toEqual([null, null]);
    // The street's dispatcher, the unit's handler and the district administration above them are
    // told once; nobody else.
    expect((await notices(c.id)).filter((n) => n.kind === 'overdue')).toEqual([
      { kind: 'overdue', username: 'demo-department_handler' },
      { kind: 'overdue', username: 'demo-district_admin' },
      { kind: 'overdue', username: 'demo-street_dispatcher' },
    ]);

    // Later sweeps, and a restarted server with fresh services on the same database, change nothing.
    const seq = await lastSeq(c.id);
    await sweepAt(env.ctx, env.clock, bj('2026-10-11', '09:00'));
    const restarted = createContext({ ...loadConfig(), demo: false }, env.handle, env.clock);
    await sweepAt(restarted, env.clock, bj('2026-10-12', '09:00'));
    expect(await restarted.sla.checkCase(c.id)).toBeNull();
    expect(await lastSeq(c.id)).toBe(seq);
    expect((await notices(c.id)).filter((n) => n.kind === 'overdue')).toHaveLength(3);

    const audit = await env.ctx.cases.verifyAudit();
    expect(audit.problems).toEqual([]);
  });

  it('stops the clock while a case is suspended, and counts only working time when it resumes', async () => {
    const receivedAt = bj('2026-11-05', '10:00'); // Thursday
    const deadline = computeDeadline(receivedAt, threeDays, env.ctx.calendar);
    expect(deadline).toEqual(bj('2026-11-10', '17:30')); // Fri 6, (weekend), Mon 9, Tue 10
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt, deadline, sign: true });
    const dispatcher = await demoActor(env.ctx, 'street_dispatcher');

    // Without the suspension it would be yellow on Tuesday at 10:36 and red from 17:30.
    env.clock.set(bj('2026-11-06', '10:00'));
    await env.ctx.cases.act(dispatcher, c.id, 'suspend', { reason: '等待产权单位确认' });
    await sweepAt(env.ctx, env.clock, bj('2026-11-10', '17:31'));
    await sweepAt(env.ctx, env.clock, bj('2026-11-11', '09:00'));
    expect(await slaState(env.ctx, c.id)).toBe('green');

    // Suspended 21 working hours (Fri 6, Mon 7, Tue 7, Wed 1): due Friday 13 at 17:30 instead.
    env.clock.set(bj('2026-11-11', '10:00'));
    await env.ctx.cases.act(dispatcher, c.id, 'resume', {});
    await sweepAt(env.ctx, env.clock, bj('2026-11-13', '10:35'));
    expect(await slaState(env.ctx, c.id)).toBe('green');
    await sweepAt(env.ctx, env.clock, bj('2026-11-13', '10:36'));
    expect(await slaState(env.ctx, c.id)).toBe('yellow');
    await sweepAt(env.ctx, env.clock, bj('2026-11-13', '17:30'));
    expect(await slaState(env.ctx, c.id)).toBe('yellow');
    await sweepAt(env.ctx, env.clock, bj('2026-11-13', '17:31'));
    expect(await slaState(env.ctx, c.id)).toBe('red');
    const sla = await env.ctx.db
      .selectFrom('case_event')
      .select('payload')
      .where('case_id', '=', c.id)
      .where('action', '=', 'sla_red')
      .executeTakeFirstOrThrow();
    expect(sla.payload).toMatchObject({
      from: 'yellow',
      to: 'red',
      deadline: bj('2026-11-10', '17:30').toISOString(),
      effectiveDeadline: bj('2026-11-13', '17:30').toISOString(),
    });
  });

  it('turns green again after an extension, and escalates a new overdue once more', async () => {
    const receivedAt = bj('2026-11-16', '10:00'); // Monday
    const deadline = computeDeadline(receivedAt, threeDays, env.ctx.calendar);
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt, deadline, sign: true });
    await sweepAt(env.ctx, env.clock, bj('2026-11-19', '17:31'));
    expect(await slaState(env.ctx, c.id)).toBe('red');

    const handler = await demoActor(env.ctx, 'department_handler');
    const dispatcher = await demoActor(env.ctx, 'street_dispatcher');
    env.clock.set(bj('2026-11-20', '09:00'));
    await env.ctx.cases.act(handler, c.id, 'extension_request', {
      requestedDeadline: bj('2026-12-04', '17:30').toISOString(),
      reason: '需协调燃气公司停气施工',
    });
    await env.ctx.cases.act(dispatcher, c.id, 'extension_approve', {});
    const afterExtension = await lastSeq(c.id);
    await sweepAt(env.ctx, env.clock, bj('2026-11-20', '09:01'));
    expect(await slaState(env.ctx, c.id)).toBe('green');

    // Straight from green to red (the sweep was not running while it was yellow): one escalation.
    await sweepAt(env.ctx, env.clock, bj('2026-12-07', '09:00'));
    expect(await slaState(env.ctx, c.id)).toBe('red');
    expect(await trailOf(env.ctx, c.id, afterExtension)).toEqual([
      'sla_green/system',
      'sla_red/system',
      'supervise/system',
    ]);
    const detail = await env.ctx.cases.caseDetail(dispatcher, c.id);
    expect(detail.events.at(-1)?.payload).toMatchObject({ superviseCount: 2 });
  });

  it('leaves closed cases alone', async () => {
    const receivedAt = bj('2026-12-01', '10:00');
    const c = await dispatchedCase(env.ctx, env.clock, {
      receivedAt,
      deadline: computeDeadline(receivedAt, threeDays, env.ctx.calendar),
      sign: true,
    });
    const handler = await demoActor(env.ctx, 'department_handler');
    await env.ctx.cases.act(handler, c.id, 'feedback', {
      note: '已清除',
      afterPhotoIds: [],
      noPhotoReason: '院内整改',
    });
    await env.ctx.cases.act(await demoActor(env.ctx, 'inspector'), c.id, 'verify_pass', {});
    const seq = await lastSeq(c.id);
    await sweepAt(env.ctx, env.clock, bj('2026-12-10', '09:00'));
    expect(await slaState(env.ctx, c.id)).toBe('green');
    expect(await lastSeq(c.id)).toBe(seq);
  });
});

describe('the calendar warning', () => {
  it('reports in /api/health how far the holiday data reaches and whether it covers the next 12 months', async () => {
    env.clock.set(new Date('2026-11-02T01:00:00Z'));
    let res = await env.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    // 2027's arrangement is not published yet (its file is empty), so today the server warns.
    expect(res.json().calendar).toEqual({ coveredUntil: '2026-12-31', coversNext12Months: false });
    env.clock.set(bj('2025-12-01', '09:00'));
    res = await env.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json().calendar).toEqual({ coveredUntil: '2026-12-31', coversNext12Months: true });
  });
});
