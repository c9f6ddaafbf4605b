import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { DEMO_ATTRIBUTE_SERVICE } from './open311.registry.ts';
import { OTHER_SERVICE } from './open311.service.ts';
import {
  DEMO_API_KEY,
  errorsOf,
  get,
  jsonOf,
  postForm,
  streetCentre,
  xmlItems,
  xmlOf,
} from './open311.testkit.ts';

/**
 * GeoReport v2 requires a service_code on every request: a case without a category is listed under
 * the documented catch-all service (`other`), which clients may also post to. And the demo ships a
 * service with questions (metadata true).
 */

let env: TestEnv;
let point: [number, number];

beforeAll(async () => {
  env = await createTestEnv();
  point = await streetCentre(env);
});
afterAll(async () => {
  await env?.close();
});

type Service = { service_code: string; service_name: string; metadata: boolean; group: string };
type Request = { service_request_id: string; service_code: string | null; service_name: string | null };

describe('the catch-all service', () => {
  it('is listed last, without questions, in both formats', async () => {
    const services = jsonOf<Service[]>(await get(env, 'services.json'));
    expect(services.at(-1)).toMatchObject({
      service_code: OTHER_SERVICE.code,
      service_name: OTHER_SERVICE.name,
      metadata: false,
      group: OTHER_SERVICE.group,
    });
    const xml = xmlItems(xmlOf(await get(env, 'services.xml')), 'service');
    expect(xml.at(-1)?.service_code).toBe('other');
    const definition = jsonOf<{ service_code: string; attributes: unknown[] }>(
      await get(env, 'services/other.json'),
    );
    expect(definition).toEqual({ service_code: 'other', attributes: [] });
  });

  it('lists a resident report filed without a category under it, never with a null service_code', async () => {
    const filed = await env.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { description: '不知道算哪一类，胡同口有个坑', lng: point[0], lat: point[1] },
    });
    expect(filed.statusCode).toBe(201);
    const { caseNumber } = filed.json() as { caseNumber: string };

    const all = jsonOf<Request[]>(await get(env, 'requests.json'));
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((r) => typeof r.service_code === 'string' && r.service_code.length > 0)).toBe(true);
    expect(all.find((r) => r.service_request_id === caseNumber)).toMatchObject({
      service_code: 'other',
      service_name: OTHER_SERVICE.name,
    });

    const xml = xmlItems(xmlOf(await get(env, `requests/${caseNumber}.xml`)), 'request');
    expect(xml[0]?.service_code).toBe('other');

    const others = jsonOf<Request[]>(await get(env, 'requests.json?service_code=other'));
    expect(others.map((r) => r.service_request_id)).toContain(caseNumber);
    expect(others.every((r) => r.service_code === 'other')).toBe(true);
  });

  it('files a case without a category when a client posts to it; the dispatcher files it later', async () => {
    const res = await postForm(env, 'requests.json', [
      ['api_key', DEMO_API_KEY],
      ['service_code', 'other'],
      ['lat', String(point[1])],
      ['long', String(point[0])],
      ['description', '路边有个东西不知道归谁管'],
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const service_request_id = jsonOf<{ service_request_id: string }[]>(res)[0]?.service_request_id ?? '';
    const row = await env.ctx.db
      .selectFrom('case_record')
      .select(['category_key', 'channel'])
      .where('case_number', '=', service_request_id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ category_key: null, channel: 'open311' });
  });
});

describe('the demo service with questions', () => {
  it('shows metadata true and asks whether anyone was hurt', async () => {
    const services = jsonOf<Service[]>(await get(env, 'services.json'));
    expect(services.find((s) => s.service_code === DEMO_ATTRIBUTE_SERVICE)?.metadata).toBe(true);
    const definition = jsonOf<{
      attributes: {
        code: string;
        required: boolean;
        datatype: string;
        description: string;
        values: { key: string }[];
      }[];
    }>(await get(env, `services/${DEMO_ATTRIBUTE_SERVICE}.json`));
    expect(definition.attributes[0]).toMatchObject({
      code: 'INJURED',
      required: true,
      datatype: 'singlevaluelist',
      description: '是否有人受伤？',
    });
    expect(definition.attributes[0]?.values.map((v) => v.key)).toEqual(['yes', 'no']);
  });

  it('refuses a report that leaves the required question unanswered and takes one that answers it', async () => {
    const base: [string, string][] = [
      ['api_key', DEMO_API_KEY],
      ['service_code', DEMO_ATTRIBUTE_SERVICE],
      ['lat', String(point[1])],
      ['long', String(point[0])],
      ['description', '井盖丢了一个'],
    ];
    const missing = errorsOf(await postForm(env, 'requests.json', base), 'json', 400);
    expect(missing.join(' ')).toContain('INJURED');
    const ok = await postForm(env, 'requests.json', [
      ...base,
      ['attribute[INJURED]', 'no'],
      ['attribute[COVER_STATE]', 'missing'],
    ]);
    expect(ok.statusCode, ok.body).toBe(201);
  });
});
