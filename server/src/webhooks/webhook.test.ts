import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { CaseEventSubscribers } from '../cases/case.apply.ts';
import { CaseService, DEFAULT_CASE_OPTIONS } from '../cases/case.service.ts';
import { DEPT, demoActor, dispatchedCase, streetCentre, sweepAt } from '../deadlines/sla.fixtures.ts';
import { verifySignature, webhookEventSchema } from './webhook.payload.ts';
import { enqueueWebhooks, WebhookService } from './webhook.service.ts';

/** A receiver on 127.0.0.1 that answers with the given statuses in turn (the last one from then on). */
interface Receiver {
  url: string;
  requests: { headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

async function receiver(statuses: number[] | 'never'): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (statuses === 'never') return;
      res.statusCode = statuses[Math.min(requests.length - 1, statuses.length - 1)]!;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hutong`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let env: TestEnv;
const s: Record<string, Session> = {};
const receivers: Receiver[] = [];
const SECRET = 'a-shared-secret-of-32-characters';

beforeAll(async () => {
  // The receivers listen on 127.0.0.1, which a site reaches only when it allows private targets
  // (webhook.target.test.ts shows the refusal otherwise).
  env = await createTestEnv({
    configure: (c) => ({ ...c, security: { ...c.security, webhookAllowPrivate: true } }),
  });
});
// Some tests move the clock by days, past the life of a sign-in session.
beforeEach(async () => {
  for (const role of ['district_admin', 'system_admin', 'street_dispatcher']) {
    s[role] = await login(env.app, `demo-${role}`);
  }
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await env?.close();
});

async function subscribe(as: string, body: Record<string, unknown>) {
  return env.app.inject({ method: 'POST', url: '/api/webhooks', headers: s[as]!.headers, payload: body });
}

async function delivery(subscriptionId: string) {
  return env.ctx.db
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .orderBy('created_at', 'desc')
    .executeTakeFirstOrThrow();
}

describe('webhook subscriptions', () => {
  it('are for district and system administrators only, and never show their secret again', async () => {
    const r = await receiver([200]);
    receivers.push(r);
    expect((await subscribe('street_dispatcher', { url: r.url, eventTypes: ['*'] })).statusCode).toBe(403);
    expect(
      (
        await env.app.inject({
          method: 'GET',
          url: '/api/webhooks',
          headers: { cookie: s.street_dispatcher!.cookie },
        })
      ).statusCode,
    ).toBe(403);

    const bad = await subscribe('district_admin', { url: 'ftp://example.org/x', eventTypes: ['case.nope'] });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['eventTypes.0', 'url']);
    // A system administrator has no district of its own: it must name one, and one that exists.
    expect(
      (await subscribe('system_admin', { url: r.url, eventTypes: ['*'] })).json().error.details.fields[0]
        .field,
    ).toBe('districtCode');
    expect(
      (await subscribe('system_admin', { url: r.url, eventTypes: ['*'], districtCode: '999999' })).statusCode,
    ).toBe(400);

    const created = await subscribe('district_admin', { url: r.url, eventTypes: ['case.accept'] });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      districtCode: '110102',
      active: true,
      eventTypes: ['case.accept'],
    });
    expect(created.json().secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const list = await env.app.inject({
      method: 'GET',
      url: '/api/webhooks',
      headers: { cookie: s.district_admin!.cookie },
    });
    const mine = list.json().items.find((i: { id: string }) => i.id === created.json().id);
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty('secret');
    expect(list.body).not.toContain(created.json().secret);
  });

  it('deliver a signed event that fails once, is retried with back-off, and arrives', async () => {
    const r = await receiver([500, 200]);
    receivers.push(r);
    const sub = await subscribe('district_admin', {
      url: r.url,
      eventTypes: ['case.dispatch', 'case.sla_red'],
      secret: SECRET,
      description: '城管执法系统对接',
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const subId = sub.json().id as string;

    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt: env.clock.now() });
    // The outbox row was written with the dispatch: pending, not yet attempted.
    let d = await delivery(subId);
    expect(d).toMatchObject({ status: 'pending', attempts: 0, event_type: 'case.dispatch', case_id: c.id });

    const start = env.clock.now();
    await env.ctx.jobs.drain();
    d = await delivery(subId);
    expect(d).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500',
    });
    expect(d.next_attempt_at?.getTime()).toBe(start.getTime() + 30_000);
    expect(r.requests).toHaveLength(1);

    // Not before the back-off has passed.
    env.clock.advance(29_000);
    await env.ctx.jobs.drain();
    expect(r.requests).toHaveLength(1);
    env.clock.advance(1_000);
    await env.ctx.jobs.drain();
    d = await delivery(subId);
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 200, last_error: null });
    expect(d.delivered_at?.toISOString()).toBe(env.clock.now().toISOString());

    expect(r.requests).toHaveLength(2);
    for (const req of r.requests) {
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['x-hutong-event']).toBe('case.dispatch');
      expect(req.headers['x-hutong-delivery']).toBe(d.id);
      expect(verifySignature(req.body, SECRET, req.headers['x-hutong-signature'] as string)).toBe(true);
      expect(
        verifySignature(req.body, 'another secret entirely', req.headers['x-hutong-signature'] as string),
      ).toBe(false);
    }
    expect(r.requests[1]!.body).toBe(r.requests[0]!.body);
    const body = webhookEventSchema.parse(JSON.parse(r.requests[0]!.body));
    expect(body).toMatchObject({
      type: 'case.dispatch',
      districtCode: '110102',
      case: { id: c.id, caseNumber: c.caseNumber, state: 'dispatched', tier: 2 },
      event: { action: 'dispatch', actorRole: 'street_dispatcher', toState: 'dispatched' },
    });
    expect(body.id).toBe(`${c.id}:${body.event.seq}`);
    // The reporter stays private.
    expect(r.requests[0]!.body).not.toMatch(/reporter/i);

    const deliveries = await env.app.inject({
      method: 'GET',
      url: `/api/webhooks/${subId}/deliveries`,
      headers: { cookie: s.district_admin!.cookie },
    });
    expect(deliveries.json().items[0]).toMatchObject({ id: d.id, status: 'delivered', attempts: 2 });
  });

  it('carry the sweep’s escalation too, and give up after the last attempt', async () => {
    const r = await receiver([503]);
    receivers.push(r);
    const sub = await subscribe('district_admin', {
      url: r.url,
      eventTypes: ['case.sla_red'],
      secret: SECRET,
    });
    const subId = sub.json().id as string;
    const receivedAt = env.clock.now();
    const c = await dispatchedCase(env.ctx, env.clock, {
      receivedAt,
      deadline: new Date(receivedAt.getTime() + 3_600_000),
    });
    await sweepAt(env.ctx, env.clock, new Date(receivedAt.getTime() + 2 * 86_400_000));
    // Cases of the earlier tests are overdue by now too: follow this one's delivery.
    const forCase = () => r.requests.filter((q) => JSON.parse(q.body).case.id === c.id);
    let d = await env.ctx.db
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('subscription_id', '=', subId)
      .where('case_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(d).toMatchObject({ event_type: 'case.sla_red', attempts: 1, status: 'pending' });
    expect(JSON.parse(forCase()[0]!.body).event.actorRole).toBe('system');

    const maxAttempts = env.ctx.config.webhooks.maxAttempts;
    for (let i = 1; i < maxAttempts; i++) {
      env.clock.advance(2 * 3_600_000);
      await env.ctx.jobs.drain();
    }
    d = (await env.ctx.db
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('id', '=', d.id)
      .executeTakeFirst())!;
    expect(d).toMatchObject({
      status: 'failed',
      attempts: maxAttempts,
      last_status_code: 503,
      next_attempt_at: null,
    });
    env.clock.advance(24 * 3_600_000);
    await env.ctx.jobs.drain();
    expect(forCase()).toHaveLength(maxAttempts);
  });

  it('count a receiver that does not answer in time as a failed attempt', async () => {
    const r = await receiver('never');
    receivers.push(r);
    const sub = await subscribe('district_admin', {
      url: r.url,
      eventTypes: ['case.accept'],
      secret: SECRET,
    });
    await dispatchedCase(env.ctx, env.clock, { receivedAt: env.clock.now() });
    const d = await delivery(sub.json().id);
    const impatient = new WebhookService(env.ctx.db, env.clock, {
      timeoutMs: 200,
      areaName: async () => null,
      allowPrivate: true,
    });
    await expect(impatient.deliver(d.id, { attempt: 1, retryAt: null })).rejects.toThrow(
      /no answer within 0.2 s/,
    );
    expect(await delivery(sub.json().id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_status_code: null,
    });
    // Switched off so that later tests' drains do not wait on it.
    await env.ctx.webhooks.remove(await demoActor(env.ctx, 'district_admin'), sub.json().id);
  });

  it('stop on deactivation: pending deliveries are cancelled and new events enqueue nothing', async () => {
    const r = await receiver([500]);
    receivers.push(r);
    const sub = await subscribe('district_admin', { url: r.url, eventTypes: ['*'], secret: SECRET });
    const subId = sub.json().id as string;
    await dispatchedCase(env.ctx, env.clock, { receivedAt: env.clock.now() });
    const pending = await env.ctx.db
      .selectFrom('webhook_delivery')
      .select('id')
      .where('subscription_id', '=', subId)
      .execute();
    // The intake's report event feeds the outbox like the case actions: report, accept, dispatch.
    expect(pending).toHaveLength(3);

    const del = await env.app.inject({
      method: 'DELETE',
      url: `/api/webhooks/${subId}`,
      headers: s.district_admin!.headers,
    });
    expect(del.statusCode, del.body).toBe(204);
    const statuses = await env.ctx.db
      .selectFrom('webhook_delivery')
      .select('status')
      .where('subscription_id', '=', subId)
      .execute();
    expect(statuses.map((x) => x.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    await env.ctx.jobs.drain();
    expect(r.requests).toHaveLength(0);

    await dispatchedCase(env.ctx, env.clock, { receivedAt: env.clock.now() });
    const after = await env.ctx.db
      .selectFrom('webhook_delivery')
      .select('id')
      .where('subscription_id', '=', subId)
      .execute();
    expect(after).toHaveLength(3);
    const list = await env.app.inject({
      method: 'GET',
      url: '/api/webhooks',
      headers: { cookie: s.district_admin!.cookie },
    });
    expect(list.json().items.find((i: { id: string }) => i.id === subId)).toMatchObject({
      active: false,
      deliveries: { cancelled: 3, pending: 0 },
    });
    // Another district's administrator would not even see it; a second delete is harmless.
    expect(
      (
        await env.app.inject({
          method: 'DELETE',
          url: `/api/webhooks/${subId}`,
          headers: s.district_admin!.headers,
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await env.app.inject({
          method: 'DELETE',
          url: '/api/webhooks/whk_nope',
          headers: s.district_admin!.headers,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('are enqueued in the transaction of the event: a failed action leaves no delivery', async () => {
    const r = await receiver([200]);
    receivers.push(r);
    const sub = await subscribe('district_admin', {
      url: r.url,
      eventTypes: ['case.send_back'],
      secret: SECRET,
    });
    const c = await dispatchedCase(env.ctx, env.clock, { receivedAt: env.clock.now() });
    const failing = new CaseService(env.ctx.db, env.ctx.territory, env.clock, env.ctx.calendar, {
      ...DEFAULT_CASE_OPTIONS,
      subscribers: new CaseEventSubscribers([
        {
          name: 'failing',
          actions: 'all',
          onEvent: async (trx, event, _before, row) => {
            expect(await enqueueWebhooks(trx, event, row, { maxAttempts: 3 })).toBe(1);
            throw new Error('crash after the outbox write');
          },
        },
      ]),
    });
    const handler = await demoActor(env.ctx, 'department_handler');
    await expect(failing.act(handler, c.id, 'send_back', { reason: '不属于本部门' })).rejects.toThrow(
      /crash/,
    );
    const rows = await env.ctx.db
      .selectFrom('webhook_delivery')
      .select('id')
      .where('subscription_id', '=', sub.json().id)
      .execute();
    expect(rows).toEqual([]);
    const jobs = await env.ctx.db
      .selectFrom('job')
      .select('id')
      .where('kind', '=', 'webhook.deliver')
      .execute();
    expect(jobs.every((j) => j.id.startsWith('webhook:whd_'))).toBe(true);
  });

  it("carry the intake's report and the whistle's meeting record like the case actions", async () => {
    const r = await receiver([200]);
    receivers.push(r);
    const sub = await subscribe('district_admin', {
      url: r.url,
      eventTypes: ['case.report', 'case.joint_minutes', 'case.joint_task_assign', 'case.joint_task_done'],
      secret: SECRET,
    });
    expect(sub.statusCode, sub.body).toBe(201);
    const [lng, lat] = await streetCentre(env.ctx);
    const reported = await env.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { description: '胡同里违建占了消防通道', lng, lat, contact: '13700001111' },
    });
    expect(reported.statusCode, reported.body).toBe(201);
    const { caseNumber } = reported.json() as { caseNumber: string };
    const dispatcher = await demoActor(env.ctx, 'street_dispatcher');
    await env.ctx.cases.act(dispatcher, caseNumber, 'accept', { categoryKey: 'event:09012' });
    await env.ctx.cases.act(dispatcher, caseNumber, 'dispatch', { tier: 3, unitIds: [DEPT, 'org-planning'] });
    await env.ctx.whistle.putMinutes(dispatcher, caseNumber, {
      minutes: '现场会商',
      decisions: ['限期拆除'],
    });
    const view = await env.ctx.whistle.addTask(dispatcher, caseNumber, {
      organisationId: DEPT,
      description: '拆除违建',
      workingDays: 2,
    });
    const unit = await demoActor(env.ctx, 'department_handler');
    await env.ctx.whistle.completeTask(unit, caseNumber, view.tasks[0]!.id, '已拆除');
    await env.ctx.jobs.drain();

    // Deliveries due at the same instant go out in any order; the event's seq orders them.
    const received = r.requests
      .map((q) => webhookEventSchema.parse(JSON.parse(q.body)))
      .sort((a, b) => a.event.seq - b.event.seq);
    expect(received.map((e) => e.type)).toEqual([
      'case.report',
      'case.joint_minutes',
      'case.joint_task_assign',
      'case.joint_task_done',
    ]);
    expect(received.map((e) => e.event.seq)).toEqual([1, 4, 5, 6]);
    expect(received[0]).toMatchObject({ case: { caseNumber, state: 'reported' } });
    expect(received[2]!.event.payload).toMatchObject({ organisationId: DEPT, description: '拆除违建' });
    // The reporter's contact never leaves the server.
    expect(r.requests.some((q) => q.body.includes('13700001111'))).toBe(false);
    // The task is news for the unit it names, in its inbox, with the task's own deadline.
    const notices = await env.ctx.notifications.list(unit, { unreadOnly: true, limit: 50, offset: 0 });
    const task = notices.items.find((n) => n.caseNumber === caseNumber && n.title === '联合处置任务待办理');
    expect(task?.body).toContain('任务：拆除违建');
    expect(task?.body).toContain('任务时限：');
    await env.ctx.webhooks.remove(await demoActor(env.ctx, 'district_admin'), sub.json().id);
  });

  it('leave a report nobody listens for to its one-statement write, and hook it when someone does', async () => {
    const hooked: string[] = [];
    let listening = false;
    const cases = new CaseService(env.ctx.db, env.ctx.territory, env.clock, env.ctx.calendar, {
      ...DEFAULT_CASE_OPTIONS,
      subscribers: new CaseEventSubscribers([
        {
          name: 'listener',
          actions: ['report'],
          wants: () => listening,
          onEvent: async (_trx, event) => {
            hooked.push(event.action);
          },
        },
      ]),
    });
    const [lng, lat] = await streetCentre(env.ctx);
    const input = {
      channel: 'resident' as const,
      description: '路灯不亮了',
      lng,
      lat,
      crs: 'wgs84' as const,
    };
    await cases.intake(null, input);
    expect(hooked).toEqual([]);
    listening = true;
    await cases.intake(null, input);
    expect(hooked).toEqual(['report']);
  });

  it('are described in the OpenAPI document', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const id of [
      'WebhookEvent',
      'WebhookCase',
      'WebhookSubscription',
      'WebhookDelivery',
      'WebhookEventType',
    ]) {
      expect(doc.components.schemas, id).toHaveProperty(id);
    }
    expect(doc.components.schemas.WebhookEvent.properties).toHaveProperty('case');
    expect(doc.paths['/api/webhooks'].post.summary).toMatch(/WebhookEvent/);
    expect(doc.paths['/api/webhooks'].post.description).toMatch(/X-Hutong-Signature/);
  });
});
