import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
let admin: Session;
let dispatcher: Session;
let resident: Session;
let centre: Map<string, [number, number]>;

beforeAll(async () => {
  env = await createTestEnv();
  admin = await login(env.app, 'demo-district_admin');
  dispatcher = await login(env.app, 'demo-street_dispatcher');
  resident = await login(env.app, 'demo-resident');
  const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
    code: string;
    center: [number, number];
  }[];
  centre = new Map(streets.map((s) => [s.code, s.center]));
});
afterAll(async () => {
  await env?.close();
});

async function call(
  who: Session | null,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
) {
  const res = await env.app.inject({ method, url, headers: who?.headers ?? {}, payload: payload as object });
  const body = res.body ? res.json() : null;
  return { status: res.statusCode, body, code: res.statusCode >= 400 ? (body.error.code as string) : 'ok' };
}

describe('GET /api/taxonomy', () => {
  it('lists the active categories to anyone, flagging the private ones', async () => {
    const { status, body } = await call(null, 'GET', '/api/taxonomy');
    expect(status).toBe(200);
    expect(body.version).toMatchObject({ districtCode: '110102', number: 1, active: true });
    expect(body.items).toHaveLength(403);
    const garbage = body.items.find((e: { key: string }) => e.key === 'event:06010');
    expect(garbage).toEqual({
      key: 'event:06010',
      kind: 'event',
      code: '06010',
      majorClass: '市容环境类',
      name: '暴露垃圾',
      keywords: ['暴露垃圾'],
      departmentType: 'urban_management',
      responseLimit: { amount: 2, unit: 'working_hours' },
      handlingLimit: { amount: 1, unit: 'working_days' },
      severity: 'normal',
      public: true,
      relatedKeys: expect.arrayContaining(['event:06011', 'event:06042']),
    });
    const hidden = body.items
      .filter((e: { public: boolean }) => !e.public)
      .map((e: { name: string }) => e.name);
    expect(hidden).toEqual(expect.arrayContaining(['流浪乞讨', '噪声扰民']));
  });

  it('filters by kind and by words, keywords or code prefix', async () => {
    expect((await call(null, 'GET', '/api/taxonomy?kind=component')).body.items).toHaveLength(153);
    const garbage = (await call(null, 'GET', `/api/taxonomy?q=${encodeURIComponent('垃圾')}`)).body.items;
    expect(garbage.map((e: { key: string }) => e.key)).toEqual(
      expect.arrayContaining(['event:06010', 'event:06042', 'component:03005']),
    );
    const byKeyword = (await call(null, 'GET', `/api/taxonomy?q=${encodeURIComponent('垃圾桶满溢')}`)).body
      .items;
    expect(byKeyword.map((e: { key: string }) => e.key)).toEqual(['event:06042']);
    const byCode = (await call(null, 'GET', '/api/taxonomy?kind=event&q=07')).body.items;
    expect(byCode).toHaveLength(7);
  });

  it('names the district when it cannot be guessed, and 404s one without a taxonomy', async () => {
    expect((await call(null, 'GET', '/api/taxonomy?district=110101')).code).toBe('NOT_FOUND');
    expect((await call(null, 'GET', '/api/taxonomy?district=1101')).code).toBe('VALIDATION_FAILED');
  });
});

describe('the OpenAPI document', () => {
  it('describes the taxonomy and routing endpoints', async () => {
    const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/taxonomy',
      '/api/taxonomy/{key}',
      '/api/taxonomy/versions',
      '/api/taxonomy/versions/{id}/activate',
      '/api/routing-rules',
      '/api/routing-rules/{id}',
      '/api/routing/resolve',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});

describe('GET /api/taxonomy/:key', () => {
  it('reads one category by key, and a bare code as the event', async () => {
    const comp = await call(null, 'GET', '/api/taxonomy/component:01001');
    expect(comp.body.entry).toMatchObject({ name: '供水井盖', kind: 'component', severity: 'urgent' });
    expect((await call(null, 'GET', '/api/taxonomy/01001')).body.entry.key).toBe('event:01001');
    expect((await call(null, 'GET', '/api/taxonomy/06010')).body.entry.name).toBe('暴露垃圾');
    expect((await call(null, 'GET', '/api/taxonomy/event:99999')).code).toBe('NOT_FOUND');
    expect((await call(null, 'GET', '/api/taxonomy/garbage')).code).toBe('VALIDATION_FAILED');
  });
});

describe('routing rules', () => {
  it('are readable by staff only', async () => {
    expect((await call(null, 'GET', '/api/routing-rules')).code).toBe('UNAUTHENTICATED');
    expect((await call(resident, 'GET', '/api/routing-rules')).code).toBe('FORBIDDEN');
    const { body } = await call(dispatcher, 'GET', '/api/routing-rules');
    expect(body.length).toBeGreaterThan(15);
    expect(body.every((r: { origin: string }) => r.origin === 'default')).toBe(true);
    const fallback = (await call(dispatcher, 'GET', '/api/routing-rules?keyPattern=*&territory=110102001'))
      .body;
    expect(fallback).toMatchObject([
      { keyPattern: '*', organisationId: 'org-street-110102001', organisationName: '西长安街街道办事处' },
    ]);
  });

  it('resolve a point to the unit and the rule that would take the case', async () => {
    const [lng, lat] = centre.get('110102012')!;
    const { status, body } = await call(
      dispatcher,
      'GET',
      `/api/routing/resolve?key=06010&lng=${lng}&lat=${lat}`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({
      key: 'event:06010',
      entry: { name: '暴露垃圾', departmentType: 'urban_management' },
      location: { streetCode: '110102012' },
      organisation: { id: 'org-cg-110102012', name: expect.stringContaining('城管执法队') },
      match: { key: 'major_class', territoryPrefix: '110102012' },
    });
    expect(body.reason).toContain('event:06');
    expect((await call(resident, 'GET', `/api/routing/resolve?key=06010&lng=${lng}&lat=${lat}`)).code).toBe(
      'FORBIDDEN',
    );
    expect((await call(dispatcher, 'GET', '/api/routing/resolve?key=06010&lng=0&lat=0')).code).toBe(
      'OUTSIDE_TERRITORY',
    );
  });

  it('let a district administrator add, change and delete a rule, and routing follows', async () => {
    const [lng, lat] = centre.get('110102001')!;
    const resolve = async () =>
      (await call(dispatcher, 'GET', `/api/routing/resolve?key=event:06010&lng=${lng}&lat=${lat}`)).body;
    expect((await resolve()).organisation.id).toBe('org-cg-110102001');

    const created = await call(admin, 'POST', '/api/routing-rules', {
      keyPattern: 'event:06010',
      territoryPrefix: '110102001',
      organisationId: 'org-contractor-a',
      note: '暴露垃圾 goes straight to the cleaning company here',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      origin: 'manual',
      priority: 10,
      version: 1,
      districtCode: '110102',
    });
    expect((await resolve()).organisation.id).toBe('org-contractor-a');
    expect((await resolve()).ruleId).toBe(created.body.id);

    const id = created.body.id as string;
    const patched = await call(admin, 'PATCH', `/api/routing-rules/${id}`, {
      organisationId: 'org-contractor-b',
      version: 1,
    });
    expect(patched.body).toMatchObject({ organisationId: 'org-contractor-b', version: 2 });
    const stale = await call(admin, 'PATCH', `/api/routing-rules/${id}`, { priority: 20, version: 1 });
    expect(stale.code).toBe('CONFLICT');

    expect((await call(admin, 'DELETE', `/api/routing-rules/${id}`)).status).toBe(204);
    expect((await call(admin, 'DELETE', `/api/routing-rules/${id}`)).code).toBe('NOT_FOUND');
    expect((await resolve()).organisation.id).toBe('org-cg-110102001');
  });

  it('refuse rules that send a place to a unit that does not serve it, or name no category', async () => {
    const wrongStreet = await call(admin, 'POST', '/api/routing-rules', {
      keyPattern: 'event:06',
      territoryPrefix: '110102001',
      organisationId: 'org-cg-110102012',
    });
    expect(wrongStreet.code).toBe('VALIDATION_FAILED');
    expect(wrongStreet.body.error.details.fields).toEqual([
      { field: 'organisationId', code: 'custom', params: {}, message: expect.stringContaining('110102012') },
    ]);
    const noCategory = await call(admin, 'POST', '/api/routing-rules', {
      keyPattern: 'event:11',
      territoryPrefix: '110102',
      organisationId: 'org-water',
    });
    expect(noCategory.body.error.details.fields[0].field).toBe('keyPattern');
    const badPattern = await call(admin, 'POST', '/api/routing-rules', {
      keyPattern: 'event:060',
      territoryPrefix: '110102',
      organisationId: 'org-water',
    });
    expect(badPattern.code).toBe('VALIDATION_FAILED');
  });

  it('may be written only by district and system administrators, inside their district', async () => {
    const rule = { keyPattern: 'event:06', territoryPrefix: '110102001', organisationId: 'org-cg-110102001' };
    expect((await call(dispatcher, 'POST', '/api/routing-rules', rule)).code).toBe('FORBIDDEN');
    expect((await call(null, 'POST', '/api/routing-rules', rule)).code).toBe('UNAUTHENTICATED');
    const elsewhere = await call(admin, 'POST', '/api/routing-rules', {
      ...rule,
      territoryPrefix: '110101001',
    });
    expect(elsewhere.code).toBe('OUT_OF_SCOPE');
    const anyDefault = (await call(dispatcher, 'GET', '/api/routing-rules?origin=default')).body[0];
    expect((await call(dispatcher, 'DELETE', `/api/routing-rules/${anyDefault.id}`)).code).toBe('FORBIDDEN');
  });

  it('regenerate the default rules, leaving edited ones as people left them', async () => {
    const defaults = (await call(admin, 'GET', '/api/routing-rules?origin=default')).body as {
      id: string;
      keyPattern: string;
      territoryPrefix: string;
      version: number;
    }[];
    const gone = defaults.find((r) => r.keyPattern === 'event:01011')!;
    const edited = defaults.find((r) => r.keyPattern === 'event:07' && r.territoryPrefix === '110102003')!;
    expect((await call(admin, 'DELETE', `/api/routing-rules/${gone.id}`)).status).toBe(204);
    const changed = await call(admin, 'PATCH', `/api/routing-rules/${edited.id}`, {
      priority: 50,
      version: edited.version,
    });
    expect(changed.body.origin).toBe('manual');

    const result = await call(admin, 'POST', '/api/routing-rules/regenerate');
    expect(result.body).toEqual({ total: defaults.length, added: 1, removed: 0 });
    expect((await call(admin, 'GET', `/api/routing-rules/${gone.id}`)).body.origin).toBe('default');
    expect((await call(admin, 'GET', `/api/routing-rules/${edited.id}`)).body).toMatchObject({
      origin: 'manual',
      priority: 50,
    });
    expect((await call(dispatcher, 'POST', '/api/routing-rules/regenerate')).code).toBe('FORBIDDEN');
  });
});
