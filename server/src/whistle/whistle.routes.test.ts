import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { CaseDriver, type CaseView, DEPT, NO_PHOTO, SHICHAHAI } from '../ledgers/ledger.fixtures.ts';

/**
 * A tier-3 case end to end: the street blows the whistle for two units, one reports in on time and one
 * late, the joint meeting records minutes and gives each unit a task, and the street's acceptance is
 * refused while a task is open, then given once both are done.
 */
let env: TestEnv;
let d: CaseDriver;
let k: CaseView;
const PLANNING = 'org-planning';
let tasks: { id: string; organisationId: string; status: string }[] = [];

/** A Beijing wall-clock time on Monday 2 November 2026 (a working day). */
const monday = (hhmm: string) => new Date(`2026-11-02T${hhmm}:00+08:00`);
const url = () => `/api/cases/${k.caseNumber}/joint-action`;

async function jointAction(who = 'street_dispatcher') {
  const res = await d.get(who, url());
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  await d.signIn('street_dispatcher', 'department_handler', 'district_admin', 'inspector');
  await d.addAccount('planning-handler', 'department_handler', '110102', PLANNING);
  await d.addAccount('shichahai-dispatcher', 'street_dispatcher', SHICHAHAI);
  env.clock.set(monday('09:00'));
  k = await d.report('违法建设占用胡同，多部门都说不归自己管', { address: '西长安街光明胡同8号' });
  await d.ok('street_dispatcher', k.caseNumber, 'accept', { categoryKey: 'event:06001' });
  await d.ok('street_dispatcher', k.caseNumber, 'dispatch', { tier: 3, unitIds: [DEPT, PLANNING] });
});
afterAll(async () => {
  await env?.close();
});

describe('the whistle', () => {
  it('sets a report-in deadline two working hours after the whistle', async () => {
    const j = await jointAction();
    expect(j).toMatchObject({
      state: 'joint_action',
      active: true,
      recorded: false,
      whistleAt: monday('09:00').toISOString(),
      reportInWorkingHours: 2,
      reportInDeadline: monday('11:00').toISOString(),
      openTasks: 0,
      acceptance: { awaiting: false, blockedBy: 'NOT_AWAITING_ACCEPTANCE' },
    });
    expect(j.units).toEqual([
      expect.objectContaining({ organisationId: DEPT, name: '西长安街街道城管执法队', standing: 'awaiting' }),
      expect.objectContaining({ organisationId: PLANNING, reportedIn: false, standing: 'awaiting' }),
    ]);
    // A case without a whistle has no joint action.
    const plain = await d.report('共享单车乱停');
    expect((await d.get('street_dispatcher', `/api/cases/${plain.caseNumber}/joint-action`)).statusCode).toBe(
      404,
    );
  });

  it('lists the case for every summoned unit and the street, not for a unit left out', async () => {
    await d.addAccount('shichahai-cg-handler', 'department_handler', '110102', `org-cg-${SHICHAHAI}`);
    const listed = async (who: string, query = '') => {
      const res = await d.get(who, `/api/cases${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { caseNumber: string }[]).map((c) => c.caseNumber);
    };
    // The first unit is the case's assigned organisation; the second was summoned with it.
    for (const who of ['department_handler', 'planning-handler', 'street_dispatcher']) {
      expect(await listed(who), who).toContain(k.caseNumber);
      expect(await listed(who, '?state=joint_action'), who).toContain(k.caseNumber);
    }
    // A queue of states no joint action is in leaves it out for every unit.
    expect(await listed('planning-handler', '?state=dispatched,handling')).not.toContain(k.caseNumber);
    expect(await listed('shichahai-cg-handler')).toEqual([]);
  });

  it('shows who reported in on time, who late and who not yet', async () => {
    env.clock.set(monday('10:15'));
    await d.ok('department_handler', k.caseNumber, 'report_in', { unitId: DEPT });
    // Lunch is not office time: 11:00 is past, so the planning bureau is overdue at 12:30.
    env.clock.set(monday('12:30'));
    let j = await jointAction();
    expect(j.units.map((u: { standing: string }) => u.standing)).toEqual(['on_time', 'overdue']);
    env.clock.set(monday('14:00'));
    await d.ok('planning-handler', k.caseNumber, 'report_in', { unitId: PLANNING });
    j = await jointAction('planning-handler');
    expect(j.units).toEqual([
      expect.objectContaining({
        reportedIn: true,
        reportedInAt: monday('10:15').toISOString(),
        onTime: true,
      }),
      expect.objectContaining({
        reportedIn: true,
        reportedInAt: monday('14:00').toISOString(),
        onTime: false,
        standing: 'late',
      }),
    ]);
  });

  it('records the joint meeting minutes, by the street of the case only', async () => {
    const body = {
      minutes: '街道召集城管执法、规划部门召开联席会议，现场研判违建性质。',
      decisions: ['城管执法队负责拆除', '规划部门出具认定意见'],
      meetingAt: monday('14:30').toISOString(),
    };
    expect((await d.send('department_handler', 'PUT', `${url()}/minutes`, body)).json().error.code).toBe(
      'FORBIDDEN',
    );
    // Another street's case is answered as an unknown one.
    expect((await d.send('shichahai-dispatcher', 'PUT', `${url()}/minutes`, body)).json().error.code).toBe(
      'CASE_NOT_FOUND',
    );
    const res = await d.send('street_dispatcher', 'PUT', `${url()}/minutes`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      recorded: true,
      meeting: { minutes: body.minutes, decisions: body.decisions, meetingAt: body.meetingAt },
    });
  });

  it('gives each summoned unit a task with its own deadline', async () => {
    const other = await d.send('street_dispatcher', 'POST', `${url()}/tasks`, {
      organisationId: 'org-housing',
      description: '房屋安全鉴定',
      workingDays: 2,
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.details.fields[0].field).toBe('organisationId');
    expect(
      (
        await d.send('department_handler', 'POST', `${url()}/tasks`, {
          organisationId: DEPT,
          description: '拆除',
        })
      ).json().error.code,
    ).toBe('FORBIDDEN');
    const first = await d.send('street_dispatcher', 'POST', `${url()}/tasks`, {
      organisationId: DEPT,
      description: '拆除违建并清运',
      workingDays: 2,
    });
    expect(first.statusCode, first.body).toBe(201);
    const second = await d.send('street_dispatcher', 'POST', `${url()}/tasks`, {
      organisationId: PLANNING,
      description: '出具规划认定意见',
      deadline: '2026-11-03T17:30:00+08:00',
    });
    expect(second.statusCode, second.body).toBe(201);
    tasks = second.json().tasks;
    expect(tasks).toEqual([
      expect.objectContaining({
        organisationId: DEPT,
        status: 'open',
        // Two working days from Monday: the close of office hours on Wednesday.
        deadline: new Date('2026-11-04T17:30:00+08:00').toISOString(),
      }),
      expect.objectContaining({
        organisationId: PLANNING,
        status: 'open',
        organisationName: expect.any(String),
      }),
    ]);
    expect(second.json().openTasks).toBe(2);
  });

  it('lets only the unit given a task report it done', async () => {
    const [mine, theirs] = tasks;
    const wrong = await d.send('department_handler', 'POST', `${url()}/tasks/${theirs!.id}/done`);
    expect(wrong.json().error.code).toBe('OUT_OF_SCOPE');
    expect(
      (await d.send('street_dispatcher', 'POST', `${url()}/tasks/${mine!.id}/done`)).json().error.code,
    ).toBe('FORBIDDEN');
    const done = await d.send('department_handler', 'POST', `${url()}/tasks/${mine!.id}/done`, {
      note: '已拆除',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().tasks[0]).toMatchObject({ status: 'done', note: '已拆除' });
    expect((await d.send('department_handler', 'POST', `${url()}/tasks/${mine!.id}/done`)).statusCode).toBe(
      409,
    );
  });

  it('refuses the acceptance while a task is open, then accepts once all are done', async () => {
    await d.ok('department_handler', k.caseNumber, 'feedback', {
      note: '违建已拆除，现场已清理',
      ...NO_PHOTO,
    });
    // While the result awaits acceptance the meeting gives no new tasks.
    const late = await d.send('street_dispatcher', 'POST', `${url()}/tasks`, {
      organisationId: DEPT,
      description: '再补一项',
      workingDays: 1,
    });
    expect(late.json().error.code).toBe('TRANSITION_NOT_ALLOWED');

    // Someone who may not accept hears that, not about the tasks.
    expect((await d.act('department_handler', k.caseNumber, 'accept_joint_action')).body.error.code).toBe(
      'FORBIDDEN',
    );
    const refused = await d.act('street_dispatcher', k.caseNumber, 'accept_joint_action');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: 'JOINT_TASKS_OPEN',
      details: { openTasks: [expect.objectContaining({ id: tasks[1]!.id })] },
    });
    expect((await jointAction()).acceptance).toEqual({ awaiting: true, blockedBy: 'JOINT_TASKS_OPEN' });

    await d.send('planning-handler', 'POST', `${url()}/tasks/${tasks[1]!.id}/done`, { note: '意见已出具' });
    const closed = await d.ok('street_dispatcher', k.caseNumber, 'accept_joint_action', { note: '验收合格' });
    expect(closed.state).toBe('closed');

    const j = await jointAction();
    expect(j).toMatchObject({ state: 'closed', active: false, openTasks: 0 });
    const afterwards = await d.send('street_dispatcher', 'PUT', `${url()}/minutes`, {
      minutes: '补记',
      decisions: [],
    });
    expect(afterwards.json().error.code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('keeps the meeting on the case trail, which still verifies, and in the ledger', async () => {
    const detail = (await d.get('street_dispatcher', `/api/cases/${k.caseNumber}`)).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual([
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
      'joint_task_done',
      'accept_joint_action',
    ]);
    const audit = await env.ctx.cases.verifyAudit();
    expect(audit.problems).toEqual([]);
    const ledger = (await d.get('street_dispatcher', '/api/ledgers/cases?state=closed')).json();
    expect(ledger.items[0]).toMatchObject({
      caseNumber: k.caseNumber,
      responsibleUnit: expect.stringContaining('西长安街街道城管执法队、'),
      verification: { passed: true, kind: 'acceptance', text: '通过（街道验收）：验收合格' },
    });
  });
});
