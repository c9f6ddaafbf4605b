import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { fromWgs84 } from '../territory/geometry.ts';

let env: TestEnv;
let point: [number, number];
let otherStreetPoint: [number, number];

beforeAll(async () => {
  env = await createTestEnv();
  const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
    code: string;
    center: [number, number];
  }[];
  point = streets.find((s) => s.code === '110102001')!.center;
  otherStreetPoint = streets.find((s) => s.code === '110102012')!.center;
});
afterAll(async () => {
  await env?.close();
});

const report = (body: Record<string, unknown>, key?: string) =>
  env.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    headers: key ? { 'idempotency-key': key } : {},
    payload: body,
  });

async function countCases(): Promise<number> {
  const r = await env.ctx.db
    .selectFrom('case_record')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

describe('public intake', () => {
  it('files an anonymous report and returns a tracking code and case number', async () => {
    const res = await report({
      description: '胡同口堆了一堆装修垃圾好几天没人管',
      lng: point[0],
      lat: point[1],
      contact: '13800000000',
      name: '张三',
    });
    expect(res.statusCode).toBe(201);
    const { trackingCode, caseNumber } = res.json();
    expect(trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
    expect(caseNumber).toMatch(/^110102-\d{8}-\d{5}$/);

    const view = await env.app.inject({ method: 'GET', url: `/api/public/reports/${trackingCode}` });
    expect(view.statusCode).toBe(200);
    const body = view.json();
    expect(body).toMatchObject({
      caseNumber,
      status: 'reported',
      street: { code: '110102001', name: '西长安街街道' },
    });
    expect(body.steps).toEqual([expect.objectContaining({ action: 'report', label: '已上报' })]);
    const text = view.body;
    expect(text).not.toContain('13800000000');
    expect(text).not.toContain('张三');
    expect(text).not.toMatch(/reporter|contact|actor/i);
  });

  it('stores points sent in GCJ-02 as WGS-84 and records the system they came in', async () => {
    const [x, y] = fromWgs84(point[0], point[1], 'gcj02');
    const res = await report({ description: '路灯不亮了一个星期', lng: x, lat: y, crs: 'gcj02' });
    expect(res.statusCode).toBe(201);
    const row = await env.ctx.db
      .selectFrom('case_record')
      .selectAll()
      .where('case_number', '=', res.json().caseNumber)
      .executeTakeFirstOrThrow();
    expect(row.crs_in).toBe('gcj02');
    expect(Math.abs(row.lng - point[0])).toBeLessThan(1e-5);
    expect(Math.abs(row.lat - point[1])).toBeLessThan(1e-5);
    expect(row.street_code).toBe('110102001');
    expect(row.h3_r9).toMatch(/^89/);
  });

  it('creates nothing twice for a retried submission with the same Idempotency-Key', async () => {
    const body = { description: '井盖松动，走上去咣当响', lng: point[0], lat: point[1] };
    const before = await countCases();
    const first = await report(body, 'phone-retry-1');
    const again = await report(body, 'phone-retry-1');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(await countCases()).toBe(before + 1);
  });

  it('creates one case when the same key arrives many times at once', async () => {
    const body = { description: '共享单车乱停堵住胡同', lng: point[0], lat: point[1] };
    const before = await countCases();
    const answers = await Promise.all(Array.from({ length: 8 }, () => report(body, 'burst-key')));
    expect(answers.every((a) => a.statusCode === 201)).toBe(true);
    expect(new Set(answers.map((a) => a.json().caseNumber)).size).toBe(1);
    expect(await countCases()).toBe(before + 1);
  });

  it('refuses the same key with a different body', async () => {
    await report({ description: '小广告贴满墙', lng: point[0], lat: point[1] }, 'key-reused');
    const res = await report({ description: '另一件事情', lng: point[0], lat: point[1] }, 'key-reused');
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      details: { field: 'Idempotency-Key' },
    });
  });

  it('names the field at fault and stores nothing for bad input', async () => {
    const before = await countCases();
    const short = await report({ description: 'x', lng: point[0], lat: point[1] });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details.fields[0].field).toBe('description');
    const badCategory = await report({
      description: '路面塌陷一个坑',
      lng: point[0],
      lat: point[1],
      categoryCode: 'potholes',
    });
    expect(badCategory.json().error.details.fields[0].field).toBe('categoryCode');
    const outside = await report({ description: '这里在西城区外面', lng: 116.2, lat: 40.2 });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.code).toBe('OUTSIDE_TERRITORY');
    // …naming the area that is served, so the page can say so.
    expect(outside.json().error.details.served).toEqual(['西城区']);
    expect(await countCases()).toBe(before);
  });

  it('answers an unknown tracking code with 404', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/public/reports/ZZZZZZZZZZ' });
    expect(res.statusCode).toBe(404);
  });
});

describe('staff access to cases', () => {
  it('shows the dispatcher of the street the whole case, reporter included, and nobody outside', async () => {
    const created = (
      await report({ description: '门前堆放杂物', lng: point[0], lat: point[1], contact: '13911112222' })
    ).json();
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const res = await env.app.inject({
      method: 'GET',
      url: `/api/cases/${created.caseNumber}`,
      headers: { cookie: dispatcher.cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      caseNumber: created.caseNumber,
      state: 'reported',
      reporter: { contact: '13911112222' },
    });
    expect(res.json().events).toHaveLength(1);

    const admin = await login(env.app, 'demo-system_admin');
    const make = await env.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin.headers,
      payload: {
        username: 'dispatcher-shichahai',
        password: 'long-enough-1',
        role: 'street_dispatcher',
        scopeCode: '110102012',
      },
    });
    expect(make.statusCode).toBe(201);
    const outsider = await login(env.app, 'dispatcher-shichahai', 'long-enough-1');
    const denied = await env.app.inject({
      method: 'GET',
      url: `/api/cases/${created.caseNumber}`,
      headers: { cookie: outsider.cookie },
    });
    // Outside the jurisdiction a case is answered as an unknown number is, so that none can be enumerated.
    expect(denied.statusCode).toBe(404);
    expect(denied.json().error.code).toBe('CASE_NOT_FOUND');
    const unknown = await env.app.inject({
      method: 'GET',
      url: '/api/cases/110102-20000101-99999',
      headers: { cookie: outsider.cookie },
    });
    expect(unknown.statusCode).toBe(404);
    expect(denied.body.replaceAll(created.caseNumber, '?')).toBe(
      unknown.body.replaceAll('110102-20000101-99999', '?'),
    );

    const dept = await login(env.app, 'demo-department_handler');
    const notAssigned = await env.app.inject({
      method: 'GET',
      url: `/api/cases/${created.caseNumber}`,
      headers: { cookie: dept.cookie },
    });
    expect(notAssigned.statusCode).toBe(404);
    expect(notAssigned.json().error.code).toBe('CASE_NOT_FOUND');

    const anon = await env.app.inject({ method: 'GET', url: `/api/cases/${created.caseNumber}` });
    expect(anon.statusCode).toBe(401);
  });

  it('lists only cases in the caller jurisdiction', async () => {
    await report({ description: '什刹海这边垃圾满了', lng: otherStreetPoint[0], lat: otherStreetPoint[1] });
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const list = (
      await env.app.inject({
        method: 'GET',
        url: '/api/cases?limit=200',
        headers: { cookie: dispatcher.cookie },
      })
    ).json();
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.every((c: { streetCode: string }) => c.streetCode === '110102001')).toBe(true);
    const admin = await login(env.app, 'demo-district_admin');
    const all = (
      await env.app.inject({ method: 'GET', url: '/api/cases?limit=200', headers: { cookie: admin.cookie } })
    ).json();
    expect(all.items.some((c: { streetCode: string }) => c.streetCode === '110102012')).toBe(true);
  });

  it('filters the case list by category, a bare code read as the event', async () => {
    await report({
      description: '门口井盖松动了',
      lng: point[0],
      lat: point[1],
      categoryCode: 'event:01001',
    });
    await report({ description: '胡同里有暴露垃圾', lng: point[0], lat: point[1], categoryCode: '06010' });
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const list = async (q: string) =>
      (
        await env.app.inject({
          method: 'GET',
          url: `/api/cases?${q}`,
          headers: { cookie: dispatcher.cookie },
        })
      ).json() as { items: { categoryKey: string | null }[]; total: number };
    const rubbish = await list('category=06010&limit=200');
    expect(rubbish.total).toBeGreaterThan(0);
    expect(rubbish.items.every((c) => c.categoryKey === 'event:06010')).toBe(true);
    const covers = await list('category=event:01001&limit=200');
    expect(covers.items.map((c) => c.categoryKey)).toContain('event:01001');
    expect(covers.items.every((c) => c.categoryKey === 'event:01001')).toBe(true);
    const bad = await env.app.inject({
      method: 'GET',
      url: '/api/cases?category=rubbish',
      headers: { cookie: dispatcher.cookie },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('lets patrol staff file cases inside their jurisdiction only', async () => {
    const chief = await login(env.app, 'demo-alley_chief');
    const ok = await env.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: { ...chief.headers, 'idempotency-key': 'patrol-1' },
      payload: { channel: 'patrol', description: '巡查发现架空线缆脱落', lng: point[0], lat: point[1] },
    });
    expect(ok.statusCode).toBe(201);
    const outside = await env.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: chief.headers,
      payload: {
        channel: 'patrol',
        description: '别的街道的问题',
        lng: otherStreetPoint[0],
        lat: otherStreetPoint[1],
      },
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
  });
});

describe('duplicate candidates', () => {
  it('offers open cases nearby with the same code first, within the radius and window only', async () => {
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const near: [number, number] = [point[0] + 0.0002, point[1]];
    const far: [number, number] = [point[0] + 0.002, point[1]];
    const same = (
      await report({ description: '垃圾桶满溢没人清', lng: near[0], lat: near[1], categoryCode: '06001' })
    ).json();
    const other = (
      await report({ description: '另一类问题在旁边', lng: near[0], lat: near[1], categoryCode: '07001' })
    ).json();
    const distant = (
      await report({ description: '远处的同类问题', lng: far[0], lat: far[1], categoryCode: '06001' })
    ).json();
    const fresh = (
      await report({ description: '这里又有同样的问题', lng: point[0], lat: point[1], categoryCode: '06001' })
    ).json();
    const detail = (
      await env.app.inject({
        method: 'GET',
        url: `/api/cases/${fresh.caseNumber}`,
        headers: { cookie: dispatcher.cookie },
      })
    ).json();
    const numbers = detail.duplicates.map((d: { caseNumber: string }) => d.caseNumber);
    expect(numbers).toContain(same.caseNumber);
    expect(numbers).not.toContain(other.caseNumber);
    expect(numbers).not.toContain(distant.caseNumber);
    expect(detail.duplicates[0]).toMatchObject({ sameCategory: true });
    expect(detail.duplicates[0].distanceMeters).toBeLessThanOrEqual(50);
    // Eight days later the old reports no longer count.
    env.clock.advance(8 * 86_400_000);
    const again = await login(env.app, 'demo-street_dispatcher');
    const later = (
      await env.app.inject({
        method: 'GET',
        url: `/api/cases/${fresh.caseNumber}`,
        headers: { cookie: again.cookie },
      })
    ).json();
    expect(later.duplicates).toEqual([]);
  });
});

describe('the alley notice board', () => {
  it('counts public cases of an alley and lists recent ones without personal data', async () => {
    const res = await report({
      description: '板报旁边有垃圾',
      lng: point[0],
      lat: point[1],
      contact: '13700001111',
    });
    const row = await env.ctx.db
      .selectFrom('case_record')
      .selectAll()
      .where('case_number', '=', res.json().caseNumber)
      .executeTakeFirstOrThrow();
    const board = await env.app.inject({ method: 'GET', url: `/api/public/alleys/${row.alley_id}/cases` });
    expect(board.statusCode).toBe(200);
    expect(board.json().openCount).toBeGreaterThan(0);
    expect(board.json().recent.map((r: { caseNumber: string }) => r.caseNumber)).toContain(row.case_number);
    expect(board.body).not.toContain('13700001111');
    const missing = await env.app.inject({ method: 'GET', url: '/api/public/alleys/nope/cases' });
    expect(missing.statusCode).toBe(404);
  });
});

describe('the trail', () => {
  it('verifies, and detects an event edited directly in the table', async () => {
    const clean = await env.ctx.cases.verifyAudit();
    expect(clean.problems).toEqual([]);
    expect(clean.events).toBeGreaterThanOrEqual(clean.cases);
    const victim = await env.ctx.db
      .selectFrom('case_event')
      .select(['case_id', 'seq'])
      .limit(1)
      .executeTakeFirstOrThrow();
    await sql`update case_event set reason = 'edited behind the system' where case_id = ${victim.case_id} and seq = ${victim.seq}`.execute(
      env.ctx.db,
    );
    const tampered = await env.ctx.cases.verifyAudit();
    expect(tampered.problems).toEqual([
      expect.objectContaining({ caseId: victim.case_id, problem: 'edited' }),
    ]);
  });
});
