import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { DEMO_API_KEY, errorsOf, FORMATS, get, jsonOf, postForm, streetCentre } from './open311.testkit.ts';

/**
 * jurisdiction_id as the specification has it: optional while the endpoint serves one jurisdiction,
 * required (400 when missing) once it serves several, 404 when it names none of them. A client's key
 * belongs to one jurisdiction and cannot post into another.
 */

let env: TestEnv;
let point: [number, number];
let serviceCode: string;

beforeAll(async () => {
  env = await createTestEnv();
  point = await streetCentre(env);
  serviceCode = jsonOf<{ service_code: string }[]>(await get(env, 'services.json'))[0]!.service_code;
  // A second district served by the same endpoint (东城区), with no taxonomy of its own yet.
  await env.ctx.db.insertInto('district').values({ code: '110101', name: '东城区' }).execute();
});
afterAll(async () => {
  await env?.close();
});

describe('an endpoint serving several jurisdictions', () => {
  it('requires jurisdiction_id on every GET (400 naming it), and 404 for one it does not serve', async () => {
    for (const fmt of FORMATS) {
      for (const path of [`services.${fmt}`, `requests.${fmt}`, `services/${serviceCode}.${fmt}`]) {
        expect(errorsOf(await get(env, path), fmt, 400)[0]).toContain('jurisdiction_id');
        errorsOf(await get(env, `${path}?jurisdiction_id=120101`), fmt, 404);
      }
    }
  });

  it('answers each jurisdiction with its own services', async () => {
    expect(jsonOf<unknown[]>(await get(env, 'services.json?jurisdiction_id=110102')).length).toBeGreaterThan(
      10,
    );
    expect(jsonOf<unknown[]>(await get(env, 'services.json?jurisdiction_id=110101'))).toEqual([]);
    errorsOf(await get(env, `services/${serviceCode}.json?jurisdiction_id=110101`), 'json', 404);
  });

  it('takes a POST without jurisdiction_id into the key’s own jurisdiction, and refuses another with 403', async () => {
    const fields: [string, string][] = [
      ['api_key', DEMO_API_KEY],
      ['service_code', serviceCode],
      ['lat', String(point[1])],
      ['long', String(point[0])],
    ];
    expect((await postForm(env, 'requests.json', fields)).statusCode).toBe(201);
    expect(
      (await postForm(env, 'requests.json', [...fields, ['jurisdiction_id', '110102']])).statusCode,
    ).toBe(201);
    errorsOf(await postForm(env, 'requests.json', [...fields, ['jurisdiction_id', '110101']]), 'json', 403);
    errorsOf(await postForm(env, 'requests.json', [...fields, ['jurisdiction_id', '120101']]), 'json', 404);
  });

  it('registers clients per jurisdiction', async () => {
    const { apiKey } = await env.ctx.open311.registry.addClient(SYSTEM_ACTOR, {
      name: '东城 App',
      districtCode: '110101',
    });
    const res = await postForm(env, 'requests.json', [
      ['api_key', apiKey],
      ['service_code', serviceCode],
      ['lat', String(point[1])],
      ['long', String(point[0])],
    ]);
    // 东城区 has no such service: the key is good, the service is not found there.
    errorsOf(res, 'json', 404);
  });

  it('keeps each district_admin to the clients of their own district', async () => {
    const { client } = await env.ctx.open311.registry.addClient(SYSTEM_ACTOR, {
      name: '东城 App 2',
      districtCode: '110101',
    });
    const xicheng = await login(env.app, 'demo-district_admin');
    const listed = await env.app.inject({
      method: 'GET',
      url: '/api/open311/clients',
      headers: xicheng.headers,
    });
    const districts = listed.json().items.map((c: { districtCode: string }) => c.districtCode);
    expect(districts.length).toBeGreaterThan(0);
    expect(districts.every((d: string) => d === '110102')).toBe(true);
    const revoke = await env.app.inject({
      method: 'POST',
      url: `/api/open311/clients/${client.id}/revoke`,
      headers: xicheng.headers,
    });
    expect(revoke.statusCode).toBe(403);
    expect(revoke.json().error.code).toBe('OUT_OF_SCOPE');
    const add = await env.app.inject({
      method: 'POST',
      url: '/api/open311/clients',
      headers: xicheng.headers,
      payload: { name: '越界', districtCode: '110101' },
    });
    expect(add.json().error.code).toBe('OUT_OF_SCOPE');
    const admin = await login(env.app, 'demo-system_admin');
    const all = await env.app.inject({ method: 'GET', url: '/api/open311/clients', headers: admin.headers });
    expect(all.json().items.map((c: { id: string }) => c.id)).toContain(client.id);
  });
});
