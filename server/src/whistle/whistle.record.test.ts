import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { seedUnitAccounts } from '../demo/demo-loader.ts';
import { CaseDriver, type CaseView, DEPT, NO_PHOTO } from '../ledgers/ledger.fixtures.ts';

/**
 * A whistle over three units, two of which have no one signed in: the street desk records a report-in,
 * a refusal and a task result on their behalf, and the case still closes. What each person may do is
 * said by the server (`allowedActions`), and the trail says who recorded what on whose word.
 */
let env: TestEnv;
let d: CaseDriver;
let k: CaseView;
const PLANNING = 'org-planning';
const POWER = 'org-power';
const HOUSING = 'org-housing';
const monday = (hhmm: string) => new Date(`2026-11-02T${hhmm}:00+08:00`);
const url = () => `/api/cases/${k.caseNumber}/joint-action`;

async function jointAction(who = 'street_dispatcher') {
  const res = await d.get(who, url());
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

beforeAll(async () => {
  env = await createTestEnv();
  // The demo's accounts for every unit a whistle can summon (the test template leaves them out).
  expect(await seedUnitAccounts(env.ctx)).toBeGreaterThan(20);
  d = new CaseDriver(env);
  await d.signIn('street_dispatcher', 'department_handler', 'district_admin');
  env.clock.set(monday('09:00'));
  k = await d.report('胡同内架空线缆下垂、违建遮挡电箱，需多部门处置', { address: '西长安街光明胡同3号' });
  await d.ok('street_dispatcher', k.caseNumber, 'accept', { categoryKey: 'event:06001' });
});
afterAll(async () => {
  await env?.close();
});

describe('a whistle recorded partly by the street desk', () => {
  it('needs at least two units', async () => {
    const one = await d.act('street_dispatcher', k.caseNumber, 'dispatch', { tier: 3, unitIds: [DEPT] });
    expect(one.status).toBe(400);
    expect(one.body.error.details.fields[0].field).toBe('unitIds');
    await d.ok('street_dispatcher', k.caseNumber, 'dispatch', { tier: 3, unitIds: [DEPT, PLANNING, POWER] });
    const detail = (await d.get('street_dispatcher', `/api/cases/${k.caseNumber}`)).json();
    expect(detail.assignedUnits.map((u: { organisationId: string }) => u.organisationId)).toEqual([
      DEPT,
      PLANNING,
      POWER,
    ]);
  });

  it('gives every summoned unit a demo account, and says who may do what', async () => {
    const power = await login(env.app, 'demo-org-power');
    const asPower = await env.app.inject({ method: 'GET', url: url(), headers: { cookie: power.cookie } });
    expect(asPower.json().allowedActions).toEqual(['report_in']);
    expect((await jointAction('department_handler')).allowedActions).toEqual(['report_in']);
    expect((await jointAction()).allowedActions).toEqual([
      'record_minutes',
      'assign_task',
      'record_for_unit',
      'resummon',
    ]);
    const detail = (await d.get('department_handler', `/api/cases/${k.caseNumber}`)).json();
    expect(detail.allowedActions).toEqual(['report_in', 'extension_request']);
  });

  it('records a report-in for a unit on its word, with the recorder in the trail', async () => {
    env.clock.set(monday('09:40'));
    await d.ok('department_handler', k.caseNumber, 'report_in', { unitId: DEPT });
    const forbidden = await d.send('department_handler', 'POST', `${url()}/units/${POWER}/record`, {
      kind: 'report_in',
      onWordOf: '供电所王工（电话）',
    });
    expect(forbidden.json().error.code).toBe('FORBIDDEN');
    const res = await d.send('street_dispatcher', 'POST', `${url()}/units/${POWER}/record`, {
      kind: 'report_in',
      onWordOf: '供电所王工（电话）',
      note: '王工确认下午到场',
    });
    expect(res.statusCode, res.body).toBe(200);
    const power = res.json().units.find((u: { organisationId: string }) => u.organisationId === POWER);
    expect(power).toMatchObject({
      reportedIn: true,
      standing: 'on_time',
      reportInRecorded: { onWordOf: '供电所王工（电话）', recordedByName: '示例街道指挥中心' },
    });
    const again = await d.send('street_dispatcher', 'POST', `${url()}/units/${POWER}/record`, {
      kind: 'report_in',
      onWordOf: '供电所王工（电话）',
    });
    expect(again.statusCode).toBe(400);
    const events = (await d.get('street_dispatcher', `/api/cases/${k.caseNumber}`)).json().events;
    expect(events.at(-1)).toMatchObject({
      action: 'report_in',
      actorRole: 'street_dispatcher',
      payload: { unitId: POWER, onBehalfOf: POWER, onWordOf: '供电所王工（电话）' },
    });
  });

  it('records a refusal, which takes the unit off the table but never below two units', async () => {
    const res = await d.send('street_dispatcher', 'POST', `${url()}/units/${PLANNING}/record`, {
      kind: 'refusal',
      reason: '不属于规划职责，建议由城管认定',
      onWordOf: '规划分局李科长（书面回复）',
    });
    expect(res.statusCode, res.body).toBe(200);
    const j = res.json();
    expect(j.units.map((u: { organisationId: string }) => u.organisationId)).toEqual([DEPT, POWER]);
    // Those already at the table keep their report-in.
    expect(j.units.every((u: { reportedIn: boolean }) => u.reportedIn)).toBe(true);
    expect(j.refusals).toEqual([
      expect.objectContaining({
        organisationId: PLANNING,
        reason: '不属于规划职责，建议由城管认定',
        onWordOf: '规划分局李科长（书面回复）',
      }),
    ]);
    const tooFew = await d.send('street_dispatcher', 'POST', `${url()}/units/${POWER}/record`, {
      kind: 'refusal',
      reason: '不归我们管',
      onWordOf: '供电所王工（电话）',
    });
    expect(tooFew.statusCode).toBe(400);
    const notSummoned = await d.send('street_dispatcher', 'POST', `${url()}/units/${HOUSING}/record`, {
      kind: 'report_in',
      onWordOf: '房管局（电话）',
    });
    expect(notSummoned.statusCode).toBe(400);
  });

  it('records a task done for a unit, then the case closes', async () => {
    const added = await d.send('street_dispatcher', 'POST', `${url()}/tasks`, {
      organisationId: POWER,
      description: '整理下垂线缆、加固电箱',
      workingDays: 2,
    });
    expect(added.statusCode, added.body).toBe(201);
    const task = added.json().tasks[0];
    expect(task.canComplete).toBe(false);
    const done = await d.send('street_dispatcher', 'POST', `${url()}/units/${POWER}/record`, {
      kind: 'task_done',
      taskId: task.id,
      onWordOf: '供电所王工（现场照片）',
      note: '线缆已整理',
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().tasks[0]).toMatchObject({ status: 'done', doneOnWordOf: '供电所王工（现场照片）' });
    expect((await jointAction('department_handler')).allowedActions).toEqual(['feedback']);
    await d.ok('department_handler', k.caseNumber, 'feedback', {
      note: '违建已拆除，线缆已整理',
      ...NO_PHOTO,
    });
    expect((await jointAction()).allowedActions).toEqual(['record_minutes', 'accept', 'refuse']);
    const closed = await d.ok('street_dispatcher', k.caseNumber, 'accept_joint_action', { note: '验收合格' });
    expect(closed.state).toBe('closed');
    expect((await env.ctx.cases.verifyAudit()).problems).toEqual([]);
  });

  it('describes each case action and the record for a unit in the OpenAPI document', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.components.schemas).toHaveProperty('CaseAction_feedback');
    expect(doc.components.schemas).toHaveProperty('RecordForUnit');
    expect(doc.paths).toHaveProperty(['/api/cases/{id}/actions']);
    expect(doc.paths).toHaveProperty(['/api/cases/{id}/joint-action/units/{organisationId}/record']);
  });

  it('takes an action with its type in the body', async () => {
    const other = await d.report('胡同口共享单车堆放', { address: '西长安街光明胡同9号' });
    const res = await d.send('street_dispatcher', 'POST', `/api/cases/${other.caseNumber}/actions`, {
      type: 'reject',
      reason: 'duplicate',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().case.state).toBe('rejected');
    const bad = await d.send('street_dispatcher', 'POST', `/api/cases/${other.caseNumber}/actions`, {
      type: 'reject',
      reason: 'bored',
    });
    expect(bad.statusCode).toBe(400);
  });
});
