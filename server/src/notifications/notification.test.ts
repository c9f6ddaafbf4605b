import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { CaseEventSubscribers } from '../cases/case.apply.ts';
import { CaseService, DEFAULT_CASE_OPTIONS } from '../cases/case.service.ts';
import { DEPT, demoActor, dispatchedCase } from '../deadlines/sla.fixtures.ts';
import { notifyForEvent } from './notification.service.ts';

let env: TestEnv;
const s: Record<string, Session> = {};

beforeAll(async () => {
  env = await createTestEnv();
  for (const role of ['street_dispatcher', 'department_handler', 'grid_worker', 'inspector']) {
    s[role] = await login(env.app, `demo-${role}`);
  }
});
afterAll(async () => {
  await env?.close();
});

interface Inbox {
  items: {
    id: string;
    kind: string;
    caseId: string;
    caseNumber: string;
    title: string;
    body: string;
    readAt: string | null;
  }[];
  unread: number;
}

async function inbox(role: string, query = ''): Promise<Inbox> {
  const res = await env.app.inject({
    method: 'GET',
    url: `/api/notifications${query}`,
    headers: { cookie: s[role]!.cookie },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function forCase(role: string, caseId: string) {
  return (await inbox(role)).items.filter((n) => n.caseId === caseId).map((n) => n.kind);
}

describe('the in-app inbox', () => {
  it('tells the unit of a dispatch, and lets only its owner mark it read', async () => {
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt: env.clock.now() });
    const unread = await inbox('department_handler', '?unread=true');
    const notice = unread.items.find((n) => n.caseId === c.id);
    expect(notice).toMatchObject({
      kind: 'assigned',
      caseNumber: c.caseNumber,
      title: '新案件待办理',
      readAt: null,
    });
    expect(notice?.body).toContain(c.caseNumber);
    expect(notice?.body).toContain('办理时限');
    // The dispatcher fired the dispatch and is not told of it.
    expect(await forCase('street_dispatcher', c.id)).toEqual([]);

    const stranger = await env.app.inject({
      method: 'POST',
      url: `/api/notifications/${notice!.id}/read`,
      headers: s.street_dispatcher!.headers,
    });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().error.code).toBe('NOT_FOUND');

    const read = await env.app.inject({
      method: 'POST',
      url: `/api/notifications/${notice!.id}/read`,
      headers: s.department_handler!.headers,
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().unread).toBe(unread.unread - 1);
    expect((await inbox('department_handler', '?unread=true')).items.map((n) => n.id)).not.toContain(
      notice!.id,
    );
    const all = await inbox('department_handler');
    expect(all.items.find((n) => n.id === notice!.id)?.readAt).toBe(env.clock.now().toISOString());
  });

  it('follows the case: sent back → the street; tier 1 → the handler; rework, verification and rating → the handler', async () => {
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt: env.clock.now() });
    const handler = await demoActor(env.ctx, 'department_handler');
    const dispatcher = await demoActor(env.ctx, 'street_dispatcher');
    const gridWorker = await demoActor(env.ctx, 'grid_worker');
    const inspector = await demoActor(env.ctx, 'inspector');

    await env.ctx.cases.act(handler, c.id, 'send_back', { reason: '不属于本部门职责' });
    const sentBack = (await inbox('street_dispatcher')).items.find((n) => n.caseId === c.id);
    expect(sentBack).toMatchObject({ kind: 'sent_back', title: '案件被退回，待重新派遣' });
    expect(sentBack?.body).toContain('原因：不属于本部门职责');

    await env.ctx.cases.act(dispatcher, c.id, 'redispatch', { tier: 1, handlerUserId: gridWorker.userId });
    const feedback = { note: '已清理', afterPhotoIds: [], noPhotoReason: '院内整改，不便拍照' };
    await env.ctx.cases.act(gridWorker, c.id, 'feedback', feedback);
    await env.ctx.cases.act(inspector, c.id, 'verify_fail', { reason: '仍有残留' });
    await env.ctx.cases.act(gridWorker, c.id, 'feedback', feedback);
    await env.ctx.cases.act(inspector, c.id, 'verify_pass', {});
    await env.ctx.cases.act(dispatcher, c.id, 'rate', { rating: 'satisfied', via: 'follow_up_call' });

    expect((await forCase('grid_worker', c.id)).sort()).toEqual(['assigned', 'rated', 'rework', 'verified']);
    const rated = (await inbox('grid_worker')).items.find((n) => n.caseId === c.id && n.kind === 'rated');
    expect(rated?.title).toBe('案件已获评价：满意');
    // The unit that sent the case back hears nothing more of it.
    expect(await forCase('department_handler', c.id)).toEqual(['assigned']);
    expect(await forCase('inspector', c.id)).toEqual([]);
  });

  it('marks everything read at once, and answers 401 to anyone not signed in', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/notifications/read-all',
      headers: s.grid_worker!.headers,
    });
    expect(res.json()).toEqual({ unread: 0 });
    expect((await inbox('grid_worker', '?unread=true')).items).toEqual([]);
    expect((await env.app.inject({ method: 'GET', url: '/api/notifications' })).statusCode).toBe(401);
  });

  it('writes notices in the transaction of the action: an action that fails leaves neither event nor notice', async () => {
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt: env.clock.now() });
    const failing = new CaseService(env.ctx.db, env.ctx.territory, env.clock, env.ctx.calendar, {
      ...DEFAULT_CASE_OPTIONS,
      subscribers: new CaseEventSubscribers([
        {
          name: 'failing',
          actions: 'all',
          onEvent: async (trx, event, _before, row) => {
            await notifyForEvent(trx, event, row);
            throw new Error('the outbox is full');
          },
        },
      ]),
    });
    const handler = await demoActor(env.ctx, 'department_handler');
    const before = await env.ctx.db
      .selectFrom('notification')
      .select('id')
      .where('case_id', '=', c.id)
      .execute();
    await expect(failing.act(handler, c.id, 'send_back', { reason: '不属于本部门' })).rejects.toThrow(
      /outbox/,
    );
    const after = await env.ctx.db
      .selectFrom('notification')
      .select('id')
      .where('case_id', '=', c.id)
      .execute();
    expect(after).toEqual(before);
    const state = await env.ctx.db
      .selectFrom('case_record')
      .select('state')
      .where('id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(state.state).toBe('dispatched');
    expect(DEPT).toBe(handler.organisationId);
  });
});
