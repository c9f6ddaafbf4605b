import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { CaseDriver, type CaseView, DEPT, NO_PHOTO, SHICHAHAI } from '../ledgers/ledger.fixtures.ts';

/**
 * The list of joint actions (GET /api/joint-actions): every tier-3 case from the whistle on, scoped as
 * cases are: the street by territory, a summoned unit by the summons, whoever else not at all.
 */
let env: TestEnv;
let d: CaseDriver;
/** Summoned DEPT and PLANNING, accepted and closed. */
let closed: CaseView;
/** Summoned PLANNING alone, still at work, with one open task. */
let open: CaseView;
/** A tier-2 case: no joint action. */
let plain: CaseView;
const PLANNING = 'org-planning';

const monday = (hhmm: string) => new Date(`2026-11-02T${hhmm}:00+08:00`);

interface Item {
  caseNumber: string;
  status: string;
  units: { organisationId: string; reportedIn: boolean }[];
  whistleAt: string | null;
  reportInDeadline: string | null;
  openTasks: number;
  recorded: boolean;
  closedAt: string | null;
  [k: string]: unknown;
}

async function list(who: string, query = '') {
  const res = await d.get(who, `/api/joint-actions${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Item[]; total: number };
}
const numbers = async (who: string, query = '') => (await list(who, query)).items.map((i) => i.caseNumber);

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  await d.signIn('street_dispatcher', 'department_handler', 'district_admin', 'inspector', 'resident');
  await d.addAccount('planning-handler', 'department_handler', '110102', PLANNING);
  await d.addAccount('shichahai-dispatcher', 'street_dispatcher', SHICHAHAI);
  await d.addAccount('shichahai-cg-handler', 'department_handler', '110102', `org-cg-${SHICHAHAI}`);
  env.clock.set(monday('09:00'));

  closed = await d.report('违法建设占用胡同，多部门都说不归自己管', { address: '西长安街光明胡同8号' });
  await d.ok('street_dispatcher', closed.caseNumber, 'accept', { categoryKey: 'event:06001' });
  await d.ok('street_dispatcher', closed.caseNumber, 'dispatch', { tier: 3, unitIds: [DEPT, PLANNING] });
  await d.ok('department_handler', closed.caseNumber, 'report_in', { unitId: DEPT });
  await d.ok('planning-handler', closed.caseNumber, 'report_in', { unitId: PLANNING });
  await d.ok('department_handler', closed.caseNumber, 'feedback', { note: '违建已拆除', ...NO_PHOTO });
  await d.ok('street_dispatcher', closed.caseNumber, 'accept_joint_action', { note: '验收合格' });

  env.clock.set(monday('10:00'));
  open = await d.report('胡同口堆物堵塞消防通道，涉及多家单位', { address: '西长安街府右街12号' });
  await d.ok('street_dispatcher', open.caseNumber, 'accept', { categoryKey: 'event:06001' });
  await d.ok('street_dispatcher', open.caseNumber, 'dispatch', {
    tier: 3,
    unitIds: [PLANNING, 'org-housing'],
  });
  const task = await d.send('street_dispatcher', 'POST', `/api/cases/${open.caseNumber}/joint-action/tasks`, {
    organisationId: PLANNING,
    description: '出具规划认定意见',
    workingDays: 2,
  });
  expect(task.statusCode, task.body).toBe(201);

  plain = await d.report('共享单车乱停');
  await d.ok('street_dispatcher', plain.caseNumber, 'accept', { categoryKey: 'event:06001' });
  await d.ok('street_dispatcher', plain.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
});
afterAll(async () => {
  await env?.close();
});

describe('the joint-action list', () => {
  it('shows the street its open joint actions by default, and the closed and all with the filter', async () => {
    expect(await numbers('street_dispatcher')).toEqual([open.caseNumber]);
    expect(await numbers('street_dispatcher', '?status=open')).toEqual([open.caseNumber]);
    expect(await numbers('street_dispatcher', '?status=closed')).toEqual([closed.caseNumber]);
    const all = await list('street_dispatcher', '?status=all');
    expect(all.total).toBe(2);
    // Newest first; the tier-2 case is no joint action.
    expect(all.items.map((i) => i.caseNumber)).toEqual([open.caseNumber, closed.caseNumber]);
    expect(await numbers('district_admin', '?status=all')).toEqual([open.caseNumber, closed.caseNumber]);
  });

  it('says who was summoned, the report-in deadline, the open tasks and when it was raised and closed', async () => {
    const [o, c] = (await list('street_dispatcher', '?status=all')).items;
    expect(o).toMatchObject({
      status: 'open',
      state: 'joint_action',
      categoryKey: 'event:06001',
      streetName: expect.any(String),
      units: [
        { organisationId: PLANNING, reportedIn: false },
        { organisationId: 'org-housing', reportedIn: false },
      ],
      // Convened at 10:00 on a working Monday: two working hours to report in.
      whistleAt: monday('10:00').toISOString(),
      reportInDeadline: monday('12:00').toISOString(),
      openTasks: 1,
      recorded: true,
      closedAt: null,
    });
    // Never written minutes or tasks: the joint action still lists, from its whistle.
    expect(c).toMatchObject({
      status: 'closed',
      state: 'closed',
      units: [
        { organisationId: DEPT, name: '西长安街街道城管执法队', reportedIn: true },
        { organisationId: PLANNING, reportedIn: true },
      ],
      whistleAt: monday('09:00').toISOString(),
      reportInDeadline: monday('11:00').toISOString(),
      openTasks: 0,
      recorded: false,
      closedAt: monday('09:00').toISOString(),
    });
    // Nothing about the reporter reaches the list.
    for (const item of [o, c]) {
      expect(JSON.stringify(item)).not.toMatch(/reporter|contact|description/i);
    }
  });

  it('shows a summoned unit the joint actions it was summoned to, wherever it is named', async () => {
    // DEPT was summoned only to the closed one; the tier-2 case it holds is no joint action.
    expect(await numbers('department_handler')).toEqual([]);
    expect(await numbers('department_handler', '?status=all')).toEqual([closed.caseNumber]);
    // PLANNING was the second unit of the closed one and the only unit of the open one.
    expect(await numbers('planning-handler')).toEqual([open.caseNumber]);
    expect(await numbers('planning-handler', '?status=all')).toEqual([open.caseNumber, closed.caseNumber]);
  });

  it('shows an unrelated unit and another street nothing', async () => {
    expect(await list('shichahai-cg-handler', '?status=all')).toEqual({ items: [], total: 0 });
    expect(await list('shichahai-dispatcher', '?status=all')).toEqual({ items: [], total: 0 });
  });

  it('refuses residents and anonymous callers, and a status it does not know', async () => {
    const resident = await d.get('resident', '/api/joint-actions');
    expect(resident.statusCode).toBe(403);
    expect(resident.json().error.code).toBe('FORBIDDEN');
    const anonymous = await d.get(null, '/api/joint-actions');
    expect(anonymous.statusCode).toBe(401);
    const bad = await d.get('street_dispatcher', '/api/joint-actions?status=done');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error)).toContain('status');
  });

  it('pages with limit and offset', async () => {
    const first = await list('street_dispatcher', '?status=all&limit=1');
    expect(first).toMatchObject({ total: 2, items: [{ caseNumber: open.caseNumber }] });
    const second = await list('street_dispatcher', '?status=all&limit=1&offset=1');
    expect(second.items.map((i) => i.caseNumber)).toEqual([closed.caseNumber]);
  });

  it('is described in the OpenAPI document from its schemas', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const op = doc.paths['/api/joint-actions'].get;
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['status', 'limit', 'offset']);
    expect(doc.components.schemas.JointActionListItem.required).toEqual(
      expect.arrayContaining(['caseNumber', 'units', 'reportInDeadline', 'openTasks']),
    );
  });
});
