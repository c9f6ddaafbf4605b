import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import type { Database } from '../db/schema.ts';
import { open311Repository } from '../open311/open311.repository.ts';
import { caseRepository } from './case.repository.ts';
import type { IntakeResult } from './case.service.ts';

/**
 * The case loop through every branch, over HTTP, on whichever engine the run uses: rejection, merge,
 * tier 1 on the spot, tier 2 with send-back and re-dispatch, tier 3 whistle with report-ins and
 * acceptance, rework then close, extension, suspension, reopen and rating — then the trail verifies.
 */
let env: TestEnv;
const s: Record<string, Session> = {};
let point: [number, number];
let gridWorkerId: string;
const DEPT = 'org-cg-110102001';

beforeAll(async () => {
  env = await createTestEnv();
  for (const role of [
    'resident',
    'street_dispatcher',
    'department_handler',
    'grid_worker',
    'inspector',
    'alley_chief',
  ]) {
    s[role] = await login(env.app, `demo-${role}`);
  }
  const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
    code: string;
    center: [number, number];
  }[];
  point = streets.find((x) => x.code === '110102001')!.center;
  gridWorkerId = (
    await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.grid_worker!.cookie } })
  ).json().user.id;
});
afterAll(async () => {
  await env?.close();
});

async function newCase(description: string, as: Session = s.resident!): Promise<string> {
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    headers: as.headers,
    payload: { description, lng: point[0], lat: point[1] },
  });
  expect(res.statusCode).toBe(201);
  return res.json().caseNumber;
}

async function act(as: string, caseNumber: string, action: string, body: Record<string, unknown> = {}) {
  const res = await env.app.inject({
    method: 'POST',
    url: `/api/cases/${caseNumber}/actions/${action}`,
    headers: s[as]!.headers,
    payload: body,
  });
  return { status: res.statusCode, body: res.json() };
}

async function ok(as: string, caseNumber: string, action: string, body: Record<string, unknown> = {}) {
  const r = await act(as, caseNumber, action, body);
  expect(r.status, `${as} ${action}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body.case as {
    state: string;
    tier: number | null;
    handlingDeadline: string | null;
    originalHandlingDeadline: string | null;
    closedAt: string | null;
  };
}

const feedback = { note: '已清理完毕', afterPhotoIds: [], noPhotoReason: '院内整改，不便拍照' };

describe('the case loop', () => {
  it('rejects with a reason, and refuses everything afterwards', async () => {
    const c = await newCase('这不是街巷问题，是家里的事');
    const missing = await act('street_dispatcher', c, 'reject', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.fields[0].field).toBe('reason');
    expect((await ok('street_dispatcher', c, 'reject', { reason: 'not_in_remit' })).state).toBe('rejected');
    const after = await act('street_dispatcher', c, 'accept', { categoryKey: 'event:06001' });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('merges a duplicate into the original, which gains a supporter', async () => {
    const original = await newCase('胡同口暴露垃圾');
    const dup = await newCase('胡同口垃圾没人清');
    const merged = await ok('street_dispatcher', dup, 'merge', { targetCaseId: original });
    expect(merged.state).toBe('merged');
    const view = await env.app.inject({
      method: 'GET',
      url: `/api/cases/${original}`,
      headers: { cookie: s.street_dispatcher!.cookie },
    });
    expect(view.json().supporters).toBe(1);
  });

  it('handles a tier-1 matter on the spot and closes it after verification', async () => {
    const c = await newCase('共享单车倒在路中间');
    const accepted = await ok('street_dispatcher', c, 'accept', { categoryKey: 'event:09001' });
    expect(accepted.handlingDeadline).toBeTruthy();
    expect(
      (await ok('street_dispatcher', c, 'dispatch', { tier: 1, handlerUserId: gridWorkerId })).state,
    ).toBe('handling');
    // The department is not the handler here: to it the case does not exist.
    expect((await act('department_handler', c, 'feedback', feedback)).body.error.code).toBe('CASE_NOT_FOUND');
    expect((await ok('grid_worker', c, 'feedback', feedback)).state).toBe('awaiting_verification');
    const closed = await ok('inspector', c, 'verify_pass');
    expect(closed.state).toBe('closed');
    expect(closed.closedAt).toBeTruthy();
  });

  it('sends a tier-2 case back, re-dispatches it, reworks it once, then closes and is rated', async () => {
    const c = await newCase('墙上乱贴小广告');
    await ok('street_dispatcher', c, 'accept', { categoryKey: 'event:07001' });
    expect((await ok('street_dispatcher', c, 'dispatch', { tier: 2, unitId: 'org-housing' })).state).toBe(
      'dispatched',
    );
    // Only the assigned unit may sign; to another the case does not exist.
    expect((await act('department_handler', c, 'sign')).body.error.code).toBe('CASE_NOT_FOUND');
    await ok('street_dispatcher', c, 'redispatch', { tier: 2, unitId: DEPT });
    expect((await ok('department_handler', c, 'send_back', { reason: '不属于本单位职责' })).state).toBe(
      'returned',
    );
    await ok('street_dispatcher', c, 'redispatch', { tier: 2, unitId: DEPT, note: '属于城管执法职责' });
    expect((await ok('department_handler', c, 'sign')).state).toBe('handling');
    await ok('department_handler', c, 'feedback', feedback);
    expect((await ok('inspector', c, 'verify_fail', { reason: '仍有残留' })).state).toBe('handling');
    await ok('department_handler', c, 'feedback', feedback);
    expect((await ok('inspector', c, 'verify_pass')).state).toBe('closed');
    expect((await act('resident', c, 'rate', { rating: 'satisfied' })).status).toBe(200);
    expect((await act('resident', c, 'rate', { rating: 'dissatisfied' })).body.error.code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
    const detail = (
      await env.app.inject({
        method: 'GET',
        url: `/api/cases/${c}`,
        headers: { cookie: s.street_dispatcher!.cookie },
      })
    ).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual([
      'report',
      'accept',
      'dispatch',
      'redispatch',
      'send_back',
      'redispatch',
      'sign',
      'feedback',
      'verify_fail',
      'feedback',
      'verify_pass',
      'rate',
    ]);
  });

  it('blows the whistle for a tier-3 case: units report in, feed back, and the street accepts', async () => {
    const c = await newCase('违法建设占用胡同，多部门都说不归自己管');
    await ok('street_dispatcher', c, 'accept', { categoryKey: 'event:08001' });
    expect(
      (await ok('street_dispatcher', c, 'dispatch', { tier: 3, unitIds: [DEPT, 'org-planning'] })).state,
    ).toBe('joint_action');
    expect((await ok('department_handler', c, 'report_in', { unitId: DEPT })).state).toBe('joint_action');
    // Not every summoned unit has reported in yet.
    expect((await act('department_handler', c, 'feedback', feedback)).status).toBe(409);
    const trail = (
      await env.app.inject({
        method: 'GET',
        url: `/api/cases/${c}`,
        headers: { cookie: s.department_handler!.cookie },
      })
    ).json();
    expect(trail.state).toBe('joint_action');
  });

  it('extends a deadline keeping the original, suspends and resumes, and reopens a closed case', async () => {
    const c = await newCase('路面破损有个大坑');
    const accepted = await ok('street_dispatcher', c, 'accept', { categoryKey: 'component:01001' });
    await ok('street_dispatcher', c, 'dispatch', { tier: 2, unitId: DEPT });
    await ok('department_handler', c, 'sign');
    const later = new Date(new Date(accepted.handlingDeadline!).getTime() + 5 * 86_400_000).toISOString();
    await ok('department_handler', c, 'extension_request', {
      requestedDeadline: later,
      reason: '需要协调施工单位',
    });
    const extended = await ok('street_dispatcher', c, 'extension_approve');
    expect(extended.handlingDeadline).toBe(later);
    expect(extended.originalHandlingDeadline).toBe(accepted.handlingDeadline);
    expect((await act('department_handler', c, 'suspend', { reason: '等待材料' })).body.error.code).toBe(
      'FORBIDDEN',
    );
    expect((await ok('street_dispatcher', c, 'suspend', { reason: '雨雪天气无法施工' })).state).toBe(
      'suspended',
    );
    expect((await ok('department_handler', c, 'resume')).state).toBe('handling');
    await ok('street_dispatcher', c, 'supervise', { note: '请加快办理' });
    await ok('department_handler', c, 'feedback', feedback);
    await ok('inspector', c, 'verify_pass');
    expect((await ok('resident', c, 'reopen', { reason: '又坏了' })).state).toBe('handling');
  });

  it('refuses actions outside the actor role or jurisdiction with the right codes', async () => {
    const c = await newCase('门前三包不落实');
    expect((await act('resident', c, 'accept', { categoryKey: 'event:06001' })).body.error.code).toBe(
      'FORBIDDEN',
    );
    expect((await act('inspector', c, 'accept', { categoryKey: 'event:06001' })).body.error.code).toBe(
      'FORBIDDEN',
    );
    const unknown = await act('street_dispatcher', c, 'teleport');
    expect(unknown.status).toBe(404);
    const missing = await act('street_dispatcher', 'no-such-case', 'accept');
    expect(missing.body.error.code).toBe('CASE_NOT_FOUND');
  });

  it('routes a tier-2 dispatch without a named unit by the taxonomy routing rules', async () => {
    const c = await newCase('电线杆上贴满了小广告');
    await ok('street_dispatcher', c, 'accept', { categoryKey: '07001' });
    const detail = (
      await env.app.inject({
        method: 'GET',
        url: `/api/cases/${c}`,
        headers: { cookie: s.street_dispatcher!.cookie },
      })
    ).json();
    expect(detail).toMatchObject({
      categoryKey: 'event:07001',
      categoryName: '非法小广告',
      routing: { organisationId: DEPT },
    });
    const dispatched = await act('street_dispatcher', c, 'dispatch', { tier: 2 });
    expect(dispatched.body.case.assignedOrgId).toBe(DEPT);
  });

  it('checks categories against the taxonomy and keeps private ones off public pages', async () => {
    const bad = await env.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { description: '不存在的分类', lng: point[0], lat: point[1], categoryCode: '99999' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('categoryCode');
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: {
        description: '楼上邻居半夜装修噪声很大',
        lng: point[0],
        lat: point[1],
        categoryCode: '06028',
      },
    });
    const view = (
      await env.app.inject({ method: 'GET', url: `/api/public/reports/${res.json().trackingCode}` })
    ).json();
    expect(view.category).toBeNull();
    expect(view.description).toBe('');
    expect(view.status).toBe('reported');
  });

  it('takes a case off the public pages when it is filed under a private category', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { description: '隔壁每天深夜很吵', lng: point[0], lat: point[1] },
    });
    const { trackingCode, caseNumber } = res.json();
    expect(
      (await env.app.inject({ method: 'GET', url: `/api/public/reports/${trackingCode}` })).json()
        .description,
    ).not.toBe('');
    await ok('street_dispatcher', caseNumber, 'accept', { categoryKey: '06028' });
    const view = (await env.app.inject({ method: 'GET', url: `/api/public/reports/${trackingCode}` })).json();
    expect(view.description).toBe('');
    expect(view.category).toBeNull();
  });

  it('leaves a trail that verifies', async () => {
    const audit = await env.ctx.cases.verifyAudit();
    expect(audit.cases).toBeGreaterThan(5);
    expect(audit.problems).toEqual([]);
  });
});

describe('what a channel writes with its case (afterInsert)', () => {
  const input = (description: string) => ({
    channel: 'open311' as const,
    description,
    lng: point[0],
    lat: point[1],
    crs: 'wgs84' as const,
  });
  const rows = async (description: string) => {
    const db = env.ctx.db;
    const cases = await db
      .selectFrom('case_record')
      .select('id')
      .where('description', '=', description)
      .execute();
    const ids = cases.length ? cases.map((c) => c.id) : ['none'];
    const events = await db.selectFrom('case_event').select('action').where('case_id', 'in', ids).execute();
    const requests = await db
      .selectFrom('open311_request')
      .select('case_id')
      .where('case_id', 'in', ids)
      .execute();
    return { cases: cases.length, events: events.length, requests: requests.length };
  };
  // Inside the intake's transaction only `trx` may be used: the embedded engine would wait forever.
  const clientId = async (trx: Kysely<Database>) =>
    (await trx.selectFrom('open311_client').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  /** Writes the channel's row as open311 does; `fail` throws once the row is written, in the transaction. */
  const writeRequest = (calls: string[], fail = false) => {
    return async (trx: Kysely<Database>, created: IntakeResult) => {
      calls.push(created.id);
      // The case is there for the hook: it runs after the insert, in the same transaction.
      expect(await caseRepository(trx).findById(created.id)).toBeDefined();
      await open311Repository(trx).insertRequest({
        case_id: created.id,
        district_code: '110102',
        client_id: await clientId(trx),
        service_key: 'event:01001',
        attributes: {},
        email: 'reporter@example.cn',
        first_name: null,
        last_name: null,
        phone: null,
        device_id: null,
        account_id: null,
        media_url: null,
        address_string: null,
        address_id: null,
        created_at: env.clock.now(),
      });
      if (fail) throw new Error('the channel failed after writing its row');
    };
  };

  it('rolls the case, its event, its row and its Idempotency-Key back when the hook fails', async () => {
    const text = '回调失败时不留下案件';
    const calls: string[] = [];
    await expect(
      env.ctx.cases.intake(
        null,
        input(text),
        'after-insert-1',
        {},
        { afterInsert: writeRequest(calls, true) },
      ),
    ).rejects.toThrow('the channel failed after writing its row');
    expect(calls).toHaveLength(1);
    expect(await rows(text)).toEqual({ cases: 0, events: 0, requests: 0 });
    // The key was not kept: the same request again is filed afresh, not answered with a failure.
    const again = await env.ctx.cases.intake(
      null,
      input(text),
      'after-insert-1',
      {},
      {
        afterInsert: writeRequest(calls),
      },
    );
    expect(again.replayed).toBe(false);
    expect(await rows(text)).toEqual({ cases: 1, events: 1, requests: 1 });
  });

  it('stores the case, its first event and the row together, and a replay writes nothing twice', async () => {
    const text = '回调与案件同一事务写入';
    const calls: string[] = [];
    const first = await env.ctx.cases.intake(
      null,
      input(text),
      'after-insert-2',
      {},
      {
        afterInsert: writeRequest(calls),
      },
    );
    expect(await rows(text)).toEqual({ cases: 1, events: 1, requests: 1 });
    const replay = await env.ctx.cases.intake(
      null,
      input(text),
      'after-insert-2',
      {},
      {
        afterInsert: writeRequest(calls),
      },
    );
    expect(replay).toEqual({ result: first.result, replayed: true });
    expect(calls).toEqual([first.result.id]);
    expect(await rows(text)).toEqual({ cases: 1, events: 1, requests: 1 });
  });
});
