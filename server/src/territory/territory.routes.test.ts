import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { fromWgs84, type Polygonal, pointInPolygonal } from './geometry.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

const XICHENG_STREETS = [
  '110102001',
  '110102003',
  '110102007',
  '110102009',
  '110102010',
  '110102011',
  '110102012',
  '110102013',
  '110102014',
  '110102015',
  '110102016',
  '110102017',
  '110102018',
  '110102019',
  '110102020',
];

describe('GET /api/territory/streets', () => {
  it('lists the 15 real streets of Xicheng, each with a centre that lies inside it', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/territory/streets?geometry=true' });
    expect(res.statusCode).toBe(200);
    const streets = res.json() as {
      code: string;
      name: string;
      center: [number, number];
      boundary: Polygonal;
    }[];
    expect(streets.map((s) => s.code)).toEqual(XICHENG_STREETS);
    expect(streets.find((s) => s.code === '110102001')?.name).toBe('西长安街街道');
    for (const s of streets)
      expect(pointInPolygonal(s.boundary, s.center[0], s.center[1]), s.name).toBe(true);
  });
});

describe('GET /api/territory/locate', () => {
  it('places a street centre in that street, with its community, grid and nearest alley', async () => {
    const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
      code: string;
      center: [number, number];
    }[];
    for (const s of streets) {
      const res = await env.app.inject({
        method: 'GET',
        url: `/api/territory/locate?lng=${s.center[0]}&lat=${s.center[1]}`,
      });
      expect(res.statusCode).toBe(200);
      const loc = res.json();
      expect(loc.street.code).toBe(s.code);
      expect(loc.community.code.startsWith(s.code)).toBe(true);
      expect(loc.grid.code.startsWith(loc.community.code)).toBe(true);
      expect(loc.grid.code).toHaveLength(15);
    }
  });

  it('gives the same answer for a point sent in GCJ-02 or BD-09 as for its WGS-84 original', async () => {
    const alley = (await env.app.inject({ method: 'GET', url: '/api/territory/alleys?q=光明胡同' })).json()
      .items[0];
    const detail = (await env.app.inject({ method: 'GET', url: `/api/territory/alleys/${alley.id}` })).json();
    const [lng, lat] = detail.geometry.coordinates[1] as [number, number];
    const wgs = (
      await env.app.inject({ method: 'GET', url: `/api/territory/locate?lng=${lng}&lat=${lat}` })
    ).json();
    expect(wgs.alley.name).toBe('光明胡同');
    expect(wgs.alley.distanceMeters).toBeLessThan(1);
    for (const crs of ['gcj02', 'bd09'] as const) {
      const [x, y] = fromWgs84(lng, lat, crs);
      // The shift between systems is hundreds of metres in Beijing: a naive reader would miss the alley.
      expect(Math.abs(x - lng) + Math.abs(y - lat)).toBeGreaterThan(0.002);
      const res = (
        await env.app.inject({ method: 'GET', url: `/api/territory/locate?lng=${x}&lat=${y}&crs=${crs}` })
      ).json();
      expect(res.street).toEqual(wgs.street);
      expect(res.alley.id).toBe(wgs.alley.id);
      expect(res.alley.distanceMeters).toBeLessThan(2);
    }
  });

  it('answers 404 OUTSIDE_TERRITORY outside every street, and names a bad coordinate', async () => {
    const out = await env.app.inject({ method: 'GET', url: '/api/territory/locate?lng=116.2&lat=40.2' });
    expect(out.statusCode).toBe(404);
    expect(out.json().error.code).toBe('OUTSIDE_TERRITORY');
    const bad = await env.app.inject({ method: 'GET', url: '/api/territory/locate?lng=500&lat=39.9' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0].field).toBe('querystring.lng');
  });
});

describe('the alley registry', () => {
  async function findAlley(name: string) {
    const res = await env.app.inject({
      method: 'GET',
      url: `/api/territory/alleys?q=${encodeURIComponent(name)}`,
    });
    return res.json().items[0] as { id: string; streetCode: string };
  }

  it('shows the registry with the public notice-board fields and whether the viewer may edit', async () => {
    const alley = await findAlley('光明胡同');
    const anon = (await env.app.inject({ method: 'GET', url: `/api/territory/alleys/${alley.id}` })).json();
    expect(anon).toMatchObject({ name: '光明胡同', streetCode: '110102001', streetName: '西长安街街道' });
    expect(anon.chief.name).toBeTruthy();
    expect(anon.permissions.edit).toBe(false);
    const s = await login(env.app, 'demo-street_dispatcher');
    const mine = (
      await env.app.inject({
        method: 'GET',
        url: `/api/territory/alleys/${alley.id}`,
        headers: { cookie: s.cookie },
      })
    ).json();
    expect(mine.permissions.edit).toBe(true);
  });

  it('edits the 十有十无 checklist with optimistic concurrency', async () => {
    const alley = await findAlley('东斜街');
    const s = await login(env.app, 'demo-alley_chief');
    const before = (await env.app.inject({ method: 'GET', url: `/api/territory/alleys/${alley.id}` })).json();
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/territory/alleys/${alley.id}`,
      headers: s.headers,
      payload: {
        version: before.version,
        checklist: { nots: { disorderly_parking: true } },
        council: '东斜街理事会',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ council: '东斜街理事会', version: before.version + 1 });
    expect(res.json().checklist.nots.disorderly_parking).toBe(true);
    // Untouched keys survive a partial checklist edit.
    expect(Object.keys(res.json().checklist.haves)).toEqual(Object.keys(before.checklist.haves));

    const stale = await env.app.inject({
      method: 'PATCH',
      url: `/api/territory/alleys/${alley.id}`,
      headers: s.headers,
      payload: { version: before.version, council: 'lost update' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT');

    const badKey = await env.app.inject({
      method: 'PATCH',
      url: `/api/territory/alleys/${alley.id}`,
      headers: s.headers,
      payload: { version: before.version + 1, checklist: { haves: { swimming_pool: true } } },
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error.details.fields[0].field).toBe('checklist.haves.swimming_pool');
  });

  it('refuses an edit outside the editor jurisdiction with OUT_OF_SCOPE', async () => {
    const alley = await findAlley('柳荫街');
    expect(alley.streetCode).toBe('110102012');
    const s = await login(env.app, 'demo-street_dispatcher');
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/territory/alleys/${alley.id}`,
      headers: s.headers,
      payload: { version: 1, council: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('OUT_OF_SCOPE');
  });
});

describe('OpenAPI', () => {
  it('describes the API with resolvable component schemas', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/health', '/api/auth/login', '/api/territory/locate']),
    );
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[\w-]+/g) ?? [];
    for (const ref of refs) expect(doc.components.schemas[ref.split('/').at(-1)!], ref).toBeDefined();
  });

  it('reports health with the engine and the latest migration', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toMatchObject({
      status: 'ok',
      database: { engine: env.engine, migration: { pending: 0 } },
      demo: true,
    });
    expect(res.json().database.migration.latest).toMatch(/^\d{8}_\d{4}_/);
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });
});
