import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { computeDeadline } from '../calendar/deadline.ts';
import { beijingTime as bj } from '../calendar/working-calendar.ts';
import { slaState, sweepAt, trailOf } from '../deadlines/sla.fixtures.ts';
import { CaseDriver, DEPT, NO_PHOTO, XICHANGANJIE } from '../ledgers/ledger.fixtures.ts';

/**
 * The case loop's journey (issue 3, "Done when"): cases driven over HTTP, as the demo city's accounts,
 * through every branch — rejection, duplicate merge, tier 1 on the spot, tier 2 with send-back and
 * re-dispatch, rework then close, tier 3 with the whistle, overdue escalation on the official calendar
 * across National Day 2026 and its make-up Saturday, extension, suspension, reopening and rating — with
 * the resident's tracking page checked on the way, and the trail verified at the end. The harness runs
 * it on PGlite, and on PostgreSQL when HUTONG_TEST_DATABASE_URL is set.
 */

let env: TestEnv;
let d: CaseDriver;
const PLANNING = 'org-planning';
const REPORTER = { name: '王秀兰', contact: '13911112222' };
/** Everything that identifies a person and must never reach a public page. */
const personal: string[] = [REPORTER.name, REPORTER.contact, 'demo-'];
const userIds: Record<string, string> = {};
/** Cases closed on the way, reopened (or not) once time has passed. */
const closedEarly: { tier2?: string } = {};

interface PublicView {
  status: string;
  statusLabel: string;
  category: string | null;
  description: string;
  handlingUnit: string | null;
  supporters: number;
  rating: string | null;
  closedAt: string | null;
  mergedInto: { caseNumber: string; status: string; supporters: number; handlingUnit: string | null } | null;
  steps: { action: string; label: string; state: string }[];
}

/** The resident's tracking page, unauthenticated, checked for personal data every time it is read. */
async function tracking(code: string): Promise<PublicView> {
  const res = await env.app.inject({ method: 'GET', url: `/api/public/reports/${code}` });
  expect(res.statusCode, res.body).toBe(200);
  for (const p of personal) expect(res.body, `public page shows ${p}`).not.toContain(p);
  expect(res.body).not.toMatch(/reporter|contact|actorUserId|userId/);
  return res.json() as PublicView;
}

/** A report over the public endpoint; returns staff's view of it and its tracking code. */
async function report(
  description: string,
  o: { as?: string; categoryCode?: string; at?: [number, number]; personal?: boolean } = {},
) {
  const [lng, lat] = o.at ?? d.centre(XICHANGANJIE);
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    headers: o.as ? d.session(o.as).headers : {},
    payload: {
      description,
      lng,
      lat,
      ...(o.categoryCode && { categoryCode: o.categoryCode }),
      ...(o.personal && REPORTER),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const { trackingCode, caseNumber } = res.json() as { trackingCode: string; caseNumber: string };
  return { trackingCode, caseNumber };
}

async function detail(caseNumber: string) {
  const res = await d.get('district_admin', `/api/cases/${caseNumber}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    id: string;
    state: string;
    categoryKey: string | null;
    supporters: number;
    mergedInto: string | null;
    handlingDeadline: string | null;
    originalHandlingDeadline: string | null;
    slaState: string;
    reporter: { name: string | null; contact: string | null };
    duplicates: { caseNumber: string; sameCategory: boolean; distanceMeters: number }[];
    events: { action: string; actorRole: string; reason: string | null; payload: Record<string, unknown> }[];
  };
}

const actions = async (caseNumber: string) => (await detail(caseNumber)).events.map((e) => e.action);

/** A point about `metres` east of a street's centre. */
function east(street: string, metres: number): [number, number] {
  const [lng, lat] = d.centre(street);
  return [lng + metres / (111_000 * Math.cos((lat * Math.PI) / 180)), lat];
}

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  // The journey starts on Monday 14 September 2026, 09:00 in Beijing.
  env.clock.set(bj('2026-09-14', '09:00'));
  await d.signIn(
    'resident',
    'street_dispatcher',
    'department_handler',
    'grid_worker',
    'alley_chief',
    'inspector',
    'district_admin',
  );
  await d.addAccount('planning-handler', 'department_handler', '110102', PLANNING);
  for (const who of ['resident', 'grid_worker', 'street_dispatcher', 'department_handler']) {
    const me = await d.get(who, '/api/auth/me');
    userIds[who] = me.json().user.id;
    personal.push(userIds[who]!);
  }
});
afterAll(async () => {
  await env?.close();
});

describe('the case loop, end to end', () => {
  it('rejects a report with a reason, keeping the category its reporter gave', async () => {
    const r = await report('楼道里堆了很多杂物，希望有人管管', { categoryCode: '06036', personal: true });
    const noReason = await d.act('street_dispatcher', r.caseNumber, 'reject', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'reason' }] },
    });
    const bad = await d.act('street_dispatcher', r.caseNumber, 'reject', { reason: 'because' });
    expect(bad.body.error.details.fields[0].field).toBe('reason');

    await d.ok('street_dispatcher', r.caseNumber, 'reject', {
      reason: 'not_in_remit',
      note: '属物业管理范围',
    });
    const staff = await detail(r.caseNumber);
    expect(staff).toMatchObject({ state: 'rejected', categoryKey: 'event:06036' });
    // Staff see who reported; the public page below does not.
    expect(staff.reporter).toEqual(REPORTER);
    expect(staff.events.at(-1)).toMatchObject({ action: 'reject', reason: 'not_in_remit' });

    const view = await tracking(r.trackingCode);
    expect(view).toMatchObject({ status: 'rejected', statusLabel: '不予立案' });
    expect(view.steps.map((s) => s.action)).toEqual(['report', 'reject']);
    // Nothing further can happen to a rejected report.
    const later = await d.act('street_dispatcher', r.caseNumber, 'accept', { categoryKey: 'event:06036' });
    expect(later).toMatchObject({ status: 409, body: { error: { code: 'TRANSITION_NOT_ALLOWED' } } });
  });

  it('offers a duplicate for merging; the original gains a supporter and the merged reporter follows it', async () => {
    const original = await report('胡同口垃圾堆了好几天没人清运', { categoryCode: '06010' });
    await d.setClock(bj('2026-09-14', '10:30'));
    const dup = await report('垃圾又堆在胡同口了，味道很大', {
      as: 'resident',
      categoryCode: '06010',
      at: east(XICHANGANJIE, 20),
    });
    const candidates = (await detail(dup.caseNumber)).duplicates;
    expect(candidates[0]).toMatchObject({ caseNumber: original.caseNumber, sameCategory: true });
    expect(candidates[0]!.distanceMeters).toBeGreaterThan(15);
    expect(candidates[0]!.distanceMeters).toBeLessThan(25);

    await d.ok('street_dispatcher', dup.caseNumber, 'merge', { targetCaseId: original.caseNumber });
    const merged = await detail(dup.caseNumber);
    const originalRow = await detail(original.caseNumber);
    expect(merged).toMatchObject({ state: 'merged', mergedInto: originalRow.id, categoryKey: 'event:06010' });
    expect(originalRow.supporters).toBe(1);
    const follower = await env.ctx.db
      .selectFrom('case_follower')
      .select('follower_case_id')
      .where('case_id', '=', originalRow.id)
      .execute();
    expect(follower).toEqual([{ follower_case_id: merged.id }]);

    // The merged report's own tracking code now shows the original's progress.
    expect((await tracking(dup.trackingCode)).mergedInto).toMatchObject({
      caseNumber: original.caseNumber,
      status: 'reported',
      supporters: 1,
    });
    await d.ok('street_dispatcher', original.caseNumber, 'accept', {});
    await d.ok('street_dispatcher', original.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
    const followed = await tracking(dup.trackingCode);
    expect(followed.status).toBe('merged');
    expect(followed.mergedInto).toMatchObject({
      status: 'dispatched',
      handlingUnit: '西长安街街道城管执法队',
    });
    expect((await tracking(original.trackingCode)).supporters).toBe(1);
  });

  it('has a tier-1 matter handled on the spot by the grid worker, verified and closed', async () => {
    const r = await report('共享单车倒在胡同中间挡路', { categoryCode: '09011' });
    await d.ok('street_dispatcher', r.caseNumber, 'accept', {});
    const dispatched = await d.ok('street_dispatcher', r.caseNumber, 'dispatch', {
      tier: 1,
      handlerUserId: userIds.grid_worker,
    });
    expect(dispatched.state).toBe('handling');
    // The tier-1 handler is a person: another handler, or a department, may not feed back.
    expect(
      (await d.act('alley_chief', r.caseNumber, 'feedback', { note: '已扶正', ...NO_PHOTO })).status,
    ).toBe(403);
    const noEvidence = await d.act('grid_worker', r.caseNumber, 'feedback', {
      note: '已扶正',
      afterPhotoIds: [],
    });
    expect(noEvidence.body.error.details.fields[0].field).toBe('afterPhotoIds');
    await d.ok('grid_worker', r.caseNumber, 'feedback', { note: '已扶正停放', ...NO_PHOTO });
    const closed = await d.ok('inspector', r.caseNumber, 'verify_pass', { note: '现场已恢复' });
    expect(closed.state).toBe('closed');
    expect(await actions(r.caseNumber)).toEqual(['report', 'accept', 'dispatch', 'feedback', 'verify_pass']);
    const view = await tracking(r.trackingCode);
    expect(view).toMatchObject({ status: 'closed', statusLabel: '已结案', closedAt: closed.closedAt });
    expect(view.steps.at(-1)).toMatchObject({ label: '核查通过，已结案' });
  });

  it('sends a tier-2 case back, re-dispatches it, reworks it once, closes it and takes a rating', async () => {
    const r = await report('电线杆和墙上贴满了小广告', { as: 'resident', categoryCode: '07001' });
    await d.ok('street_dispatcher', r.caseNumber, 'accept', {});
    // No unit named: the routing rules send 小广告 in 西长安街 to its 城管执法队.
    expect((await d.ok('street_dispatcher', r.caseNumber, 'dispatch', { tier: 2 })).state).toBe('dispatched');
    expect((await detail(r.caseNumber)).events.at(-1)?.payload).toMatchObject({
      assignment: { kind: 'unit', unitId: DEPT },
    });
    const noReason = await d.act('department_handler', r.caseNumber, 'send_back', {});
    expect(noReason.body.error.details.fields[0].field).toBe('reason');
    expect(
      (
        await d.ok('department_handler', r.caseNumber, 'send_back', {
          reason: '涉及房屋外立面，请房管部门处理',
        })
      ).state,
    ).toBe('returned');
    expect((await tracking(r.trackingCode)).status).toBe('returned');
    // Sent back, the case is no longer the unit's: it may neither sign nor learn of it.
    expect((await d.act('department_handler', r.caseNumber, 'sign')).body.error.code).toBe('CASE_NOT_FOUND');
    await d.ok('street_dispatcher', r.caseNumber, 'redispatch', {
      tier: 2,
      unitId: DEPT,
      note: '小广告清理属城管执法职责',
    });
    await d.ok('department_handler', r.caseNumber, 'sign');
    await d.ok('department_handler', r.caseNumber, 'feedback', { note: '已清除', ...NO_PHOTO });

    await d.setClock(bj('2026-09-15', '10:00'));
    const failed = await d.ok('inspector', r.caseNumber, 'verify_fail', { reason: '仍有残留胶痕' });
    expect(failed.state).toBe('handling');
    await d.ok('department_handler', r.caseNumber, 'feedback', { note: '残留已铲除并粉刷', ...NO_PHOTO });
    const closed = await d.ok('inspector', r.caseNumber, 'verify_pass');
    expect(closed.state).toBe('closed');
    const events = (await detail(r.caseNumber)).events;
    expect(events.find((e) => e.action === 'verify_fail')?.payload).toEqual({ reworkCount: 1 });
    expect(events.map((e) => e.action)).toEqual([
      'report',
      'accept',
      'dispatch',
      'send_back',
      'redispatch',
      'sign',
      'feedback',
      'verify_fail',
      'feedback',
      'verify_pass',
    ]);

    // Only the reporter rates their report (or the dispatcher, recording the follow-up call), once.
    // A grid worker of another grid may not even learn of the case.
    expect((await d.act('grid_worker', r.caseNumber, 'rate', { rating: 'satisfied' })).status).toBe(404);
    await d.ok('resident', r.caseNumber, 'rate', { rating: 'basically_satisfied', comment: '清理及时' });
    expect((await d.act('resident', r.caseNumber, 'rate', { rating: 'satisfied' })).status).toBe(409);
    const view = await tracking(r.trackingCode);
    expect(view).toMatchObject({ status: 'closed', rating: 'basically_satisfied' });
    expect(view.steps.map((s) => s.label)).toContain('核查未通过，返工');
    closedEarly.tier2 = r.caseNumber;
  });

  it('reopens a closed case within the window, at the reporter, and closes it again', async () => {
    await d.setClock(bj('2026-09-15', '14:00'));
    const r = await report('路面有个大坑，电动车容易摔倒', { as: 'resident', categoryCode: '06013' });
    await d.ok('street_dispatcher', r.caseNumber, 'accept', {});
    await d.ok('street_dispatcher', r.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
    await d.ok('department_handler', r.caseNumber, 'sign');
    await d.ok('department_handler', r.caseNumber, 'feedback', { note: '已修补', ...NO_PHOTO });
    await d.ok('inspector', r.caseNumber, 'verify_pass');

    // Six days later the hole is back; the window is seven calendar days.
    await d.setClock(bj('2026-09-21', '16:00'));
    expect((await d.act('street_dispatcher', r.caseNumber, 'reopen', { reason: '又塌了' })).status).toBe(403);
    const reopened = await d.ok('resident', r.caseNumber, 'reopen', { reason: '修补处又塌陷了' });
    expect(reopened).toMatchObject({ state: 'handling', closedAt: null });
    expect((await tracking(r.trackingCode)).steps.at(-1)).toMatchObject({ label: '已重新打开' });
    await d.ok('department_handler', r.caseNumber, 'feedback', { note: '重新铺设沥青', ...NO_PHOTO });
    expect((await d.ok('inspector', r.caseNumber, 'verify_pass')).state).toBe('closed');
    await d.ok('resident', r.caseNumber, 'rate', { rating: 'satisfied' });
  });

  it('blows the whistle at tier 3: report-ins, minutes, tasks, and acceptance once every task is done', async () => {
    await d.setClock(bj('2026-09-22', '09:00'));
    const r = await report('胡同里有人私搭乱建占了消防通道，几个部门都说不归自己管', {
      categoryCode: '09012',
    });
    await d.ok('street_dispatcher', r.caseNumber, 'accept', {});
    await d.ok('street_dispatcher', r.caseNumber, 'dispatch', { tier: 3, unitIds: [DEPT, PLANNING] });
    const url = `/api/cases/${r.caseNumber}/joint-action`;
    expect((await d.get('street_dispatcher', url)).json()).toMatchObject({
      active: true,
      reportInDeadline: bj('2026-09-22', '11:00').toISOString(),
    });

    env.clock.set(bj('2026-09-22', '10:00'));
    await d.ok('department_handler', r.caseNumber, 'report_in', { unitId: DEPT });
    // Feedback waits for every summoned unit to report in.
    expect(
      (await d.act('department_handler', r.caseNumber, 'feedback', { note: '已拆', ...NO_PHOTO })).status,
    ).toBe(409);
    env.clock.set(bj('2026-09-22', '11:30'));
    await d.ok('planning-handler', r.caseNumber, 'report_in', { unitId: PLANNING });
    const j = (await d.get('street_dispatcher', url)).json();
    expect(j.units.map((u: { standing: string }) => u.standing)).toEqual(['on_time', 'late']);

    const minutes = await d.send('street_dispatcher', 'PUT', `${url}/minutes`, {
      minutes: '街道召集城管执法队、规划部门现场会商，认定为违法建设。',
      decisions: ['规划部门出具认定意见', '城管执法队依法拆除'],
    });
    expect(minutes.statusCode, minutes.body).toBe(200);
    const t1 = await d.send('street_dispatcher', 'POST', `${url}/tasks`, {
      organisationId: PLANNING,
      description: '出具违法建设认定意见',
      workingDays: 1,
    });
    expect(t1.statusCode, t1.body).toBe(201);
    const t2 = await d.send('street_dispatcher', 'POST', `${url}/tasks`, {
      organisationId: DEPT,
      description: '拆除违建并清运渣土',
      workingDays: 2,
    });
    const [planningTask, deptTask] = t2.json().tasks as { id: string; deadline: string }[];
    // A task of N working days runs to the close of office hours on the Nth working day after today.
    expect(planningTask!.deadline).toBe(bj('2026-09-23', '17:30').toISOString());
    expect(deptTask!.deadline).toBe(bj('2026-09-24', '17:30').toISOString());

    await d.send('planning-handler', 'POST', `${url}/tasks/${planningTask!.id}/done`, { note: '已出具' });
    await d.ok('department_handler', r.caseNumber, 'feedback', { note: '违建已拆除', ...NO_PHOTO });
    const refused = await d.act('street_dispatcher', r.caseNumber, 'accept_joint_action');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'JOINT_TASKS_OPEN',
      details: { openTasks: [{ id: deptTask!.id, organisationId: DEPT }] },
    });
    // The street refuses the result once (rework, counted), the unit finishes its task and reports again.
    await d.ok('street_dispatcher', r.caseNumber, 'refuse_joint_action', { reason: '渣土尚未清运' });
    await d.send('department_handler', 'POST', `${url}/tasks/${deptTask!.id}/done`, { note: '渣土已清运' });
    await d.ok('department_handler', r.caseNumber, 'feedback', {
      note: '违建拆除，渣土清运完毕',
      ...NO_PHOTO,
    });
    const closed = await d.ok('street_dispatcher', r.caseNumber, 'accept_joint_action', { note: '验收合格' });
    expect(closed.state).toBe('closed');
    expect((await d.get('street_dispatcher', url)).json()).toMatchObject({ active: false, openTasks: 0 });
    expect(await actions(r.caseNumber)).toEqual([
      'report',
      'accept',
      'dispatch',
      'report_in',
      'report_in',
      'joint_minutes',
      'joint_task_assign',
      'joint_task_assign',
      'joint_task_done',
      'feedback',
      'refuse_joint_action',
      'joint_task_done',
      'feedback',
      'accept_joint_action',
    ]);
    // The unit given a task was told of it; the other summoned unit was not.
    const notices = await env.ctx.db
      .selectFrom('notification as n')
      .innerJoin('app_user as u', 'u.id', 'n.user_id')
      .select(['u.username'])
      .where('n.case_id', '=', (await detail(r.caseNumber)).id)
      .where('n.title', '=', '联合处置任务待办理')
      .orderBy('u.username')
      .execute();
    expect(notices.map((n) => n.username)).toEqual(['demo-department_handler', 'planning-handler']);
    const view = await tracking(r.trackingCode);
    expect(view.status).toBe('closed');
    expect(view.steps.map((s) => s.label)).toEqual(
      expect.arrayContaining(['已派遣', '部门已报到', '验收未通过，继续处置', '联合处置已验收']),
    );
  });

  it('escalates an overdue case across National Day and its make-up Saturday; suspension stops a clock; extension keeps the original deadline', async () => {
    // Wednesday 30 September 2026, 15:00, the eve of the National Day holiday (1–7 October).
    const filedAt = bj('2026-09-30', '15:00');
    await d.setClock(filedAt);
    const overdue = await report('临街建筑外墙被人大面积涂写', { categoryCode: '06004' });
    const paused = await report('胡同口又立起一块违规户外广告牌', {
      categoryCode: '07003',
      at: east(XICHANGANJIE, 200),
    });
    for (const c of [overdue, paused]) {
      await d.ok('street_dispatcher', c.caseNumber, 'accept', {});
      await d.ok('street_dispatcher', c.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
      await d.ok('department_handler', c.caseNumber, 'sign');
    }
    // Both categories allow three working days. After Wednesday the holiday and its weekend are
    // skipped; Thursday 8, Friday 9 and the make-up Saturday 10 October (调休) are the three days.
    const entry = await env.ctx.taxonomy.entry('event:06004', '110102');
    expect(entry?.handlingLimit).toEqual({ amount: 3, unit: 'working_days' });
    expect((await env.ctx.taxonomy.entry('event:07003', '110102'))?.handlingLimit).toEqual(
      entry?.handlingLimit,
    );
    const deadline = bj('2026-10-10', '17:30');
    expect(computeDeadline(filedAt, entry!.handlingLimit, env.ctx.calendar)).toEqual(deadline);
    const filed = await detail(overdue.caseNumber);
    expect(filed.handlingDeadline).toBe(deadline.toISOString());
    expect(filed.originalHandlingDeadline).toBe(deadline.toISOString());
    const o = filed.id;
    const p = (await detail(paused.caseNumber)).id;
    const afterSign = (await detail(overdue.caseNumber)).events.length;

    // The second case is suspended for the whole of Thursday 8 October: seven working hours.
    await d.setClock(bj('2026-10-08', '09:00'));
    await d.ok('street_dispatcher', paused.caseNumber, 'suspend', { reason: '等待产权单位确认' });
    expect((await tracking(paused.trackingCode)).status).toBe('suspended');
    await d.setClock(bj('2026-10-09', '09:00'));
    const resumed = await d.ok('department_handler', paused.caseNumber, 'resume');
    expect(resumed).toMatchObject({ state: 'handling', handlingDeadline: deadline.toISOString() });
    expect((await detail(paused.caseNumber)).events.at(-1)?.payload).toMatchObject({
      suspendedMs: 24 * 3_600_000,
    });

    // The allowance is 23.5 working hours (2.5 on the 30th, 7 on each of the three days); 80 % of it,
    // 18.8 h, is used up 2 h 18 min into the make-up Saturday: at 11:18.
    for (const [day, time, colour] of [
      ['2026-10-03', '12:00', 'green'], // a Saturday inside the holiday
      ['2026-10-07', '17:00', 'green'], // the last day of the holiday
      ['2026-10-09', '17:30', 'green'], // 16.5 h used
      ['2026-10-10', '11:17', 'green'],
      ['2026-10-10', '11:19', 'yellow'], // the make-up Saturday counts as a working day
      ['2026-10-10', '17:30', 'yellow'],
      ['2026-10-10', '17:31', 'red'],
    ] as const) {
      await sweepAt(env.ctx, env.clock, bj(day, time));
      expect(await slaState(env.ctx, o), `${day} ${time}`).toBe(colour);
    }
    // The suspended day did not count: the paused case is at 16.5 of 23.5 hours, still green.
    expect(await slaState(env.ctx, p)).toBe('green');
    // Sign-in sessions do not outlive the days the clock jumped over.
    await d.setClock(env.clock.now());
    expect(await trailOf(env.ctx, o, afterSign)).toEqual([
      'sla_yellow/system',
      'sla_red/system',
      'supervise/system',
    ]);
    const supervise = (await detail(overdue.caseNumber)).events.at(-1)!;
    expect(supervise).toMatchObject({ action: 'supervise', actorRole: 'system', reason: 'overdue' });
    expect(supervise.payload).toMatchObject({ superviseCount: 1, trigger: 'sla_red' });

    // Escalated to the street's dispatcher, the unit, and the district administration above them.
    const overdueNotices = async () =>
      (
        await env.ctx.db
          .selectFrom('notification as n')
          .innerJoin('app_user as u', 'u.id', 'n.user_id')
          .select('u.username')
          .where('n.case_id', '=', o)
          .where('n.kind', '=', 'overdue')
          .orderBy('u.username')
          .execute()
      ).map((n) => n.username);
    expect(await overdueNotices()).toEqual([
      'demo-department_handler',
      'demo-district_admin',
      'demo-street_dispatcher',
    ]);
    await d.setClock(bj('2026-10-11', '09:00'));
    const inbox = (await d.get('street_dispatcher', '/api/notifications')).json();
    expect(inbox.items).toContainEqual(
      expect.objectContaining({
        kind: 'overdue',
        caseNumber: overdue.caseNumber,
        title: '案件已超期，已督办',
      }),
    );

    // Sweeping again, on a Sunday and on Monday, escalates nothing twice.
    const trailLength = (await detail(overdue.caseNumber)).events.length;
    await sweepAt(env.ctx, env.clock, bj('2026-10-11', '12:00'));
    await sweepAt(env.ctx, env.clock, bj('2026-10-12', '09:00'));
    await d.setClock(env.clock.now());
    expect((await detail(overdue.caseNumber)).events).toHaveLength(trailLength);
    expect(await overdueNotices()).toHaveLength(3);

    // The paused case's deadline moved by the suspended seven working hours: to Monday 12 October.
    await sweepAt(env.ctx, env.clock, bj('2026-10-12', '17:30'));
    expect(await slaState(env.ctx, p)).toBe('yellow');
    await sweepAt(env.ctx, env.clock, bj('2026-10-12', '17:31'));
    expect(await slaState(env.ctx, p)).toBe('red');
    await d.setClock(env.clock.now());
    const red = (await detail(paused.caseNumber)).events.find((e) => e.action === 'sla_red');
    expect(red?.payload).toMatchObject({
      deadline: deadline.toISOString(),
      effectiveDeadline: bj('2026-10-12', '17:30').toISOString(),
    });

    // The overdue unit asks for more time; the street grants it. The original deadline stays on record.
    await d.setClock(bj('2026-10-13', '09:30'));
    const requested = bj('2026-10-16', '17:30').toISOString();
    const tooEarly = await d.act('department_handler', overdue.caseNumber, 'extension_request', {
      requestedDeadline: bj('2026-10-09', '17:30').toISOString(),
      reason: '需协调产权单位',
    });
    expect(tooEarly.body.error.details.fields[0].field).toBe('requestedDeadline');
    await d.ok('department_handler', overdue.caseNumber, 'extension_request', {
      requestedDeadline: requested,
      reason: '墙面需整体粉刷，需协调产权单位',
    });
    expect((await d.act('department_handler', overdue.caseNumber, 'extension_approve')).status).toBe(403);
    const extended = await d.ok('street_dispatcher', overdue.caseNumber, 'extension_approve', {
      note: '同意延期至周五',
    });
    expect(extended).toMatchObject({
      handlingDeadline: requested,
      originalHandlingDeadline: deadline.toISOString(),
    });
    expect((await detail(overdue.caseNumber)).events.at(-1)?.payload).toMatchObject({
      previousDeadline: deadline.toISOString(),
      deadline: requested,
      originalDeadline: deadline.toISOString(),
    });
    // With the new deadline ahead, the next sweep takes the case out of red.
    await sweepAt(env.ctx, env.clock, bj('2026-10-13', '09:31'));
    expect(await slaState(env.ctx, o)).not.toBe('red');
    await d.setClock(bj('2026-10-13', '10:00'));
    await d.ok('department_handler', overdue.caseNumber, 'feedback', { note: '墙面已整体粉刷', ...NO_PHOTO });
    expect((await d.ok('inspector', overdue.caseNumber, 'verify_pass')).state).toBe('closed');
    // The tier-2 case closed on 15 September is long past its seven-day window.
    const late = await d.act('resident', closedEarly.tier2!, 'reopen', { reason: '又贴上了' });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('window');
    // The dispatcher records the hotline's follow-up call for an anonymous reporter.
    await d.ok('street_dispatcher', overdue.caseNumber, 'rate', {
      rating: 'satisfied',
      via: 'follow_up_call',
    });
    expect((await tracking(overdue.trackingCode)).rating).toBe('satisfied');
  });

  it('takes a report filed under a private category off every public page', async () => {
    const r = await report('楼上邻居每天深夜唱歌很吵', { personal: true });
    const { alleyId } = (await detail(r.caseNumber)) as unknown as { alleyId: string | null };
    expect(alleyId).not.toBeNull();
    const board = async () => {
      const res = await env.app.inject({ method: 'GET', url: `/api/public/alleys/${alleyId}/cases` });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().recent as { caseNumber: string }[]).map((c) => c.caseNumber);
    };
    expect((await tracking(r.trackingCode)).description).not.toBe('');
    expect(await board()).toContain(r.caseNumber);
    // 噪声扰民 is about a household: filing under it hides the case, and it stays hidden after.
    await d.ok('street_dispatcher', r.caseNumber, 'accept', { categoryKey: '06028' });
    expect(await tracking(r.trackingCode)).toMatchObject({ category: null, description: '' });
    expect(await board()).not.toContain(r.caseNumber);
    await d.ok('street_dispatcher', r.caseNumber, 'dispatch', { tier: 2 });
    expect(await board()).not.toContain(r.caseNumber);
  });

  it('leaves a trail that verifies', async () => {
    const audit = await env.ctx.cases.verifyAudit();
    expect(audit.cases).toBeGreaterThanOrEqual(10);
    // Every event of every case was checked.
    const { n } = await env.ctx.db
      .selectFrom('case_event')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(audit.events).toBe(Number(n));
    expect(audit.problems).toEqual([]);
  });
});
