import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { MIN_JOINT_UNITS } from '../cases/case.service.ts';

/** Routes whose answers the contract work described or added, served for real. */
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('the contract, served', () => {
  it('GET /api/config/cases serves the least number of units a whistle summons', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/config/cases' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ whistle: { minUnits: MIN_JOINT_UNITS } });
  });

  it('the territory export is GeoJSON checked against its schema', async () => {
    const admin = await login(env.app, 'demo-district_admin');
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/territory/geojson?layers=street,alley',
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const fc = res.json() as { type: string; features: { properties: { layer: string } }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(new Set(fc.features.map((f) => f.properties.layer))).toEqual(new Set(['street', 'alley']));
  });
});
