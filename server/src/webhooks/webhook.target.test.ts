import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { WebhookService } from './webhook.service.ts';
import { isNonPublicAddress, postToTarget, targetRefusal } from './webhook.target.ts';

describe('which addresses are not public', () => {
  it('covers loopback, private, link-local and reserved ranges in both families', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.10',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '[::1]',
      'not-an-address',
    ]) {
      expect(isNonPublicAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '202.106.0.20', '2400:3200::1', '::ffff:8.8.8.8']) {
      expect(isNonPublicAddress(a), a).toBe(false);
    }
  });

  it('judges a host name by every address it resolves to', async () => {
    const resolve = async (host: string) =>
      ({ 'hooks.example.org': ['93.184.215.14'], 'mixed.example.org': ['93.184.215.14', '10.0.0.5'] })[
        host
      ] ?? Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    const policy = { allowPrivate: false, resolve };
    expect(await targetRefusal('https://hooks.example.org/in', policy)).toBeNull();
    expect(await targetRefusal('https://mixed.example.org/in', policy)).toMatch(/10\.0\.0\.5/);
    expect(await targetRefusal('https://nowhere.example.org/in', policy)).toMatch(/does not resolve/);
    expect(await targetRefusal('http://127.0.0.1:8080/x', policy)).toMatch(/loopback or private/);
    expect(await targetRefusal('http://[::1]/x', policy)).toMatch(/loopback or private/);
    expect(await targetRefusal('http://localhost:9/x', policy)).toMatch(/server itself/);
    expect(await targetRefusal('http://127.0.0.1:8080/x', { allowPrivate: true })).toBeNull();
  });
});

describe('webhook targets on a site that does not allow private ones (the default)', () => {
  let env: TestEnv;
  let admin: Session;
  let server: Server;
  let hits = 0;
  let local: string;

  beforeAll(async () => {
    env = await createTestEnv();
    admin = await login(env.app, 'demo-district_admin');
    server = createServer((_req, res) => {
      hits += 1;
      res.end('ok');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    local = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    await env?.close();
  });

  it('refuses a subscription to a loopback or metadata address, naming the url', async () => {
    expect(env.ctx.config.security.webhookAllowPrivate).toBe(false);
    for (const url of [
      local,
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:9/x',
      'http://localhost/x',
    ]) {
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/webhooks',
        headers: admin.headers,
        payload: { url, eventTypes: ['*'] },
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details.fields[0].field).toBe('url');
    }
    const listed = await env.app.inject({ method: 'GET', url: '/api/webhooks', headers: admin.headers });
    expect(listed.json().items).toEqual([]);
  });

  it('refuses at delivery too: a subscription stored earlier never reaches a private address', async () => {
    // As if stored before the rule, or by a site that allowed private targets then.
    const allowing = new WebhookService(env.ctx.db, env.clock, {
      timeoutMs: 2_000,
      areaName: async () => '西城区',
      allowPrivate: true,
    });
    const sub = await allowing.create(SYSTEM_ACTOR, {
      url: local,
      eventTypes: ['*'],
      districtCode: '110102',
    });
    await env.ctx.db
      .insertInto('webhook_delivery')
      .values({
        id: 'whd_target_test',
        district_code: '110102',
        subscription_id: sub.id,
        event_type: 'case.accept',
        case_id: null,
        event_seq: null,
        payload: JSON.stringify({ test: true }),
        status: 'pending',
        attempts: 0,
        created_at: env.clock.now(),
      })
      .execute();
    await expect(env.ctx.webhooks.deliver('whd_target_test', { attempt: 1, retryAt: null })).rejects.toThrow(
      /loopback or private/,
    );
    expect(hits).toBe(0);
    const d = await env.ctx.db
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('id', '=', 'whd_target_test')
      .executeTakeFirstOrThrow();
    expect(d.status).toBe('failed');
    expect(d.last_error).toMatch(/loopback or private/);
  });

  it('checks the address a name resolves to when connecting', async () => {
    const port = (server.address() as AddressInfo).port;
    await expect(
      postToTarget(`http://localhost:${port}/hook`, {}, '{}', {
        timeoutMs: 2_000,
        policy: { allowPrivate: false },
      }),
    ).rejects.toThrow(/resolves to .*loopback or private/);
    expect(hits).toBe(0);
    // The same request reaches the receiver where private targets are allowed.
    await expect(
      postToTarget(`http://localhost:${port}/hook`, {}, '{}', {
        timeoutMs: 2_000,
        policy: { allowPrivate: true },
      }),
    ).resolves.toBe(200);
    expect(hits).toBe(1);
  });
});
