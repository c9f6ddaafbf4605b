import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import {
  API,
  DEMO_API_KEY,
  errorsOf,
  type Fmt,
  FORMATS,
  get,
  jsonOf,
  postForm,
  streetCentre,
  W3C_DATETIME,
  xmlItems,
  xmlOf,
} from './open311.testkit.ts';
import { childrenNamed, childText } from './open311.xmlcheck.ts';

/**
 * GeoReport v2 conformance, written from the specification's text (../shared/reference/
 * open311-georeport-v2.md): discovery, the service list, service definitions, POST requests with every
 * error the specification names, GET request, tokens, both formats; and that a request is an ordinary
 * case whose personal data never comes back out.
 */

let env: TestEnv;
let point: [number, number];
let serviceCode: string;
const DISTRICT = '110102';

beforeAll(async () => {
  env = await createTestEnv();
  point = await streetCentre(env);
  const services = jsonOf<{ service_code: string }[]>(await get(env, 'services.json'));
  serviceCode = services.find((s) => s.service_code.startsWith('event:06'))!.service_code;
});
afterAll(async () => {
  await env?.close();
});

function newRequest(extra: [string, string][] = [], fmt: Fmt = 'json', headers: Record<string, string> = {}) {
  return postForm(
    env,
    `requests.${fmt}`,
    [
      ['api_key', DEMO_API_KEY],
      ['service_code', serviceCode],
      ['lat', String(point[1])],
      ['long', String(point[0])],
      ['description', '胡同口的垃圾桶满了，垃圾堆在地上'],
      ...extra,
    ],
    headers,
  );
}

describe('service discovery', () => {
  it('lists the v2 endpoint with both formats, in XML and JSON', async () => {
    const json = jsonOf<{
      changeset: string;
      contact: string;
      key_service: string;
      endpoints: { specification: string; url: string; type: string; formats: string[]; changeset: string }[];
    }>(await get(env, 'discovery.json'));
    expect(json.changeset).toMatch(W3C_DATETIME);
    expect(json.endpoints).toHaveLength(1);
    expect(json.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      type: 'production',
      formats: ['text/xml', 'application/json'],
    });
    expect(json.endpoints[0]!.url).toMatch(/\/open311\/v2$/);

    const root = xmlOf(await get(env, 'discovery.xml'));
    expect(root.name).toBe('discovery');
    const endpoint = childrenNamed(childrenNamed(root, 'endpoints')[0]!, 'endpoint')[0]!;
    expect(childrenNamed(childrenNamed(endpoint, 'formats')[0]!, 'format').map((f) => f.text)).toEqual([
      'text/xml',
      'application/json',
    ]);
  });
});

describe('GET services', () => {
  it('answers the service list in JSON with the fields of the specification', async () => {
    const list = jsonOf<Record<string, unknown>[]>(await get(env, 'services.json'));
    expect(list.length).toBeGreaterThan(10);
    for (const s of list) {
      expect(Object.keys(s).sort()).toEqual(
        ['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type'].sort(),
      );
      expect(typeof s.service_code).toBe('string');
      expect(typeof s.metadata).toBe('boolean');
      expect(['realtime', 'batch', 'blackbox']).toContain(s.type);
    }
  });

  it('lets web apps on other origins read it (public data, no credentials)', async () => {
    const res = await get(env, 'services.json');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('answers the same list in XML: services › service, the same codes in the same order', async () => {
    const json = jsonOf<{ service_code: string; metadata: boolean }[]>(await get(env, 'services.json'));
    const root = xmlOf(await get(env, 'services.xml'));
    expect(root.name).toBe('services');
    expect(root.children.every((c) => c.name === 'service')).toBe(true);
    const items = xmlItems(root, 'service');
    expect(items.map((i) => i.service_code)).toEqual(json.map((s) => s.service_code));
    expect(items.every((i) => i.metadata === 'true' || i.metadata === 'false')).toBe(true);
  });

  it('takes jurisdiction_id: the district code works, an empty one is as if not sent, another is 404', async () => {
    const plain = (await get(env, 'services.json')).body;
    expect((await get(env, `services.json?jurisdiction_id=${DISTRICT}`)).body).toBe(plain);
    expect((await get(env, 'services.json?jurisdiction_id=')).body).toBe(plain);
    for (const fmt of FORMATS) {
      const [d] = errorsOf(await get(env, `services.${fmt}?jurisdiction_id=sfgov.org`), fmt, 404);
      expect(d).toContain('jurisdiction_id');
    }
  });

  it('refuses a format other than xml or json as a bad URL (400), and an unknown resource as 404', async () => {
    errorsOf(await get(env, 'services.html'), 'xml', 400);
    errorsOf(await get(env, 'services'), 'xml', 400);
    errorsOf(await get(env, 'nothing.json'), 'json', 404);
    errorsOf(await get(env, 'no/such/thing.xml'), 'xml', 404);
  });
});

describe('failures outside the GeoReport code', () => {
  it('answer in the specification’s error format too (a bad bearer token is a 403)', async () => {
    for (const fmt of FORMATS) {
      const res = await env.app.inject({
        method: 'GET',
        url: `${API}/services.${fmt}`,
        headers: { authorization: 'Bearer not-a-token' },
      });
      errorsOf(res, fmt, 403);
    }
  });
});

describe('GET service definition', () => {
  it('answers service_definition with its code and (here) no attributes, in both formats', async () => {
    const json = jsonOf<{ service_code: string; attributes: unknown[] }>(
      await get(env, `services/${serviceCode}.json`),
    );
    expect(json).toEqual({ service_code: serviceCode, attributes: [] });
    const root = xmlOf(await get(env, `services/${serviceCode}.xml`));
    expect(root.name).toBe('service_definition');
    expect(childText(root, 'service_code')).toBe(serviceCode);
    expect(childrenNamed(root, 'attributes')).toHaveLength(1);
  });

  it('accepts the bare 5-digit code of an event and answers with its full key', async () => {
    const bare = serviceCode.split(':')[1]!;
    const json = jsonOf<{ service_code: string }>(await get(env, `services/${bare}.json`));
    expect(json.service_code).toBe(serviceCode);
  });

  it('answers 404 for a service_code that does not exist, in either format', async () => {
    for (const fmt of FORMATS) {
      const [d] = errorsOf(await get(env, `services/event:99999.${fmt}`), fmt, 404);
      expect(d).toContain('service_code');
      errorsOf(await get(env, `services/not-a-code.${fmt}`), fmt, 404);
    }
  });
});

describe('POST requests: errors the specification names', () => {
  it('403 when api_key is missing or not registered', async () => {
    for (const fmt of FORMATS) {
      const missing = await postForm(env, `requests.${fmt}`, [
        ['service_code', serviceCode],
        ['lat', String(point[1])],
        ['long', String(point[0])],
      ]);
      expect(errorsOf(missing, fmt, 403)[0]).toContain('api_key');
      const wrong = await postForm(env, `requests.${fmt}`, [
        ['api_key', 'xyz'],
        ['service_code', serviceCode],
        ['lat', String(point[1])],
        ['long', String(point[0])],
      ]);
      expect(errorsOf(wrong, fmt, 403)[0]).toBe(
        "Invalid api_key received -- can't proceed with create_request",
      );
    }
  });

  it('400 when service_code is not provided, 404 when it does not exist', async () => {
    for (const fmt of FORMATS) {
      const base: [string, string][] = [
        ['api_key', DEMO_API_KEY],
        ['lat', String(point[1])],
        ['long', String(point[0])],
      ];
      expect(errorsOf(await postForm(env, `requests.${fmt}`, base), fmt, 400)[0]).toContain('service_code');
      const unknown = await postForm(env, `requests.${fmt}`, [...base, ['service_code', 'event:99999']]);
      expect(errorsOf(unknown, fmt, 404)[0]).toContain('service_code');
    }
  });

  it('404 for a jurisdiction_id that is not served', async () => {
    for (const fmt of FORMATS) {
      errorsOf(await newRequest([['jurisdiction_id', '310101']], fmt), fmt, 404);
    }
  });

  it('400 without a location, and for half or impossible coordinates, each problem named', async () => {
    for (const fmt of FORMATS) {
      const none = await postForm(env, `requests.${fmt}`, [
        ['api_key', DEMO_API_KEY],
        ['service_code', serviceCode],
      ]);
      expect(errorsOf(none, fmt, 400)[0]).toContain('location');
    }
    const half = await postForm(env, 'requests.json', [
      ['api_key', DEMO_API_KEY],
      ['service_code', serviceCode],
      ['lat', String(point[1])],
    ]);
    expect(errorsOf(half, 'json', 400)[0]).toContain('lat and long');
    const bad = await postForm(env, 'requests.json', [
      ['api_key', DEMO_API_KEY],
      ['service_code', serviceCode],
      ['lat', '91'],
      ['long', 'east'],
    ]);
    const problems = errorsOf(bad, 'json', 400);
    expect(problems.some((p) => p.startsWith('lat '))).toBe(true);
    expect(problems.some((p) => p.startsWith('long '))).toBe(true);
  });

  it('400 for a place outside the jurisdiction and for an address it cannot find', async () => {
    const shanghai = await postForm(env, 'requests.json', [
      ['api_key', DEMO_API_KEY],
      ['service_code', serviceCode],
      ['lat', '31.2304'],
      ['long', '121.4737'],
    ]);
    expect(errorsOf(shanghai, 'json', 400)[0]).toContain('outside');
    const nowhere = await postForm(env, 'requests.json', [
      ['api_key', DEMO_API_KEY],
      ['service_code', serviceCode],
      ['address_string', 'Nowhere Street 1'],
    ]);
    expect(errorsOf(nowhere, 'json', 400)[0]).toContain('address_string');
    const noAlley = await postForm(env, 'requests.json', [
      ['api_key', DEMO_API_KEY],
      ['service_code', serviceCode],
      ['address_id', 'alley-that-is-not'],
    ]);
    expect(errorsOf(noAlley, 'json', 400)[0]).toContain('address_id');
  });

  it('400 for a body that is not a form, a description over 4,000 characters and a bad media_url', async () => {
    const asJson = await env.app.inject({
      method: 'POST',
      url: `${API}/requests.json`,
      payload: { api_key: DEMO_API_KEY, service_code: serviceCode },
    });
    errorsOf(asJson, 'json', 400);
    const long = await newRequest([['description', 'x'.repeat(4001)]]);
    // description is sent twice here (newRequest sets one), which is refused as ambiguous.
    errorsOf(long, 'json', 400);
    const tooLong = await postForm(env, 'requests.json', [
      ['api_key', DEMO_API_KEY],
      ['service_code', serviceCode],
      ['lat', String(point[1])],
      ['long', String(point[0])],
      ['description', 'x'.repeat(4001)],
      ['media_url', 'javascript:alert(1)'],
    ]);
    const problems = errorsOf(tooLong, 'json', 400);
    expect(problems.some((p) => p.includes('4000'))).toBe(true);
    expect(problems.some((p) => p.includes('media_url'))).toBe(true);
  });

  it('a revoked client is refused with 403 at once', async () => {
    const { client, apiKey } = await env.ctx.open311.registry.addClient(SYSTEM_ACTOR, {
      name: '将被撤销的客户端',
      districtCode: DISTRICT,
    });
    const ok = await postForm(env, 'requests.json', [
      ['api_key', apiKey],
      ['service_code', serviceCode],
      ['lat', String(point[1])],
      ['long', String(point[0])],
    ]);
    expect(ok.statusCode).toBe(201);
    const admin = await login(env.app, 'demo-district_admin');
    const revoke = await env.app.inject({
      method: 'POST',
      url: `/api/open311/clients/${client.id}/revoke`,
      headers: admin.headers,
    });
    expect(revoke.statusCode).toBe(200);
    const after = await postForm(env, 'requests.json', [
      ['api_key', apiKey],
      ['service_code', serviceCode],
      ['lat', String(point[1])],
      ['long', String(point[0])],
    ]);
    errorsOf(after, 'json', 403);
  });
});

describe('POST requests: success', () => {
  it('answers service_requests › request with a string service_request_id, no token, in both formats', async () => {
    const json = await newRequest([['account_id', 'acct-7']]);
    expect(json.statusCode).toBe(201);
    const [created] = jsonOf<Record<string, unknown>[]>(json);
    expect(Object.keys(created!).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);
    expect(typeof created!.service_request_id).toBe('string');
    expect(created!.service_request_id).toMatch(/^110102-\d{8}-\d{5}$/);
    expect(created!.account_id).toBe('acct-7');

    const xml = await newRequest([], 'xml');
    expect(xml.statusCode).toBe(201);
    const root = xmlOf(xml);
    expect(root.name).toBe('service_requests');
    const [item] = xmlItems(root, 'request');
    expect(item!.service_request_id).toMatch(/^110102-\d{8}-\d{5}$/);
    expect(item).not.toHaveProperty('token');
  });

  it('reads the form as UTF-8, with api_key in the query string as many clients send it', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: `${API}/requests.json?api_key=${DEMO_API_KEY}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      payload: `service_code=${encodeURIComponent(serviceCode)}&lat=${point[1]}&long=${point[0]}&description=${encodeURIComponent('井盖丢了 ⚠')}`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const [created] = jsonOf<{ service_request_id: string }[]>(res);
    const [shown] = jsonOf<{ description: string }[]>(
      await get(env, `requests/${created!.service_request_id}.json`),
    );
    expect(shown!.description).toBe('井盖丢了 ⚠');
  });

  it('locates a request by address_string naming an alley, and by address_id', async () => {
    const alley = await env.ctx.db
      .selectFrom('alley')
      .select(['id', 'name'])
      .where('district_code', '=', DISTRICT)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    for (const field of [
      ['address_string', `${alley.name}12号门口`],
      ['address_id', alley.id],
    ] as [string, string][]) {
      const res = await postForm(env, 'requests.json', [
        ['api_key', DEMO_API_KEY],
        ['service_code', serviceCode],
        field,
      ]);
      expect(res.statusCode, res.body).toBe(201);
      const [created] = jsonOf<{ service_request_id: string }[]>(res);
      const [shown] = jsonOf<{ address_id: string; address: string }[]>(
        await get(env, `requests/${created!.service_request_id}.json`),
      );
      expect(shown!.address_id).toBe(alley.id);
      expect(shown!.address).toContain(alley.name);
    }
  });

  it('with the same Idempotency-Key answers the first request again instead of filing twice', async () => {
    const first = await newRequest([], 'json', { 'idempotency-key': 'retry-1' });
    const again = await newRequest([], 'json', { 'idempotency-key': 'retry-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(jsonOf(again)).toEqual(jsonOf(first));
  });
});

describe('an Open311 request is an ordinary case', () => {
  it('goes through the same intake and loop: staff see it, accept it, and it gets a deadline', async () => {
    const res = await newRequest([
      ['first_name', '小明'],
      ['last_name', '王'],
      ['email', 'wang@example.cn'],
      ['phone', '13911112222'],
      ['device_id', 'device-42'],
    ]);
    const [{ service_request_id: id }] = jsonOf<{ service_request_id: string }[]>(res) as [
      { service_request_id: string },
    ];
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const view = await env.app.inject({
      method: 'GET',
      url: `/api/cases/${id}`,
      headers: dispatcher.headers,
    });
    expect(view.statusCode, view.body).toBe(200);
    const c = view.json();
    expect(c).toMatchObject({
      caseNumber: id,
      channel: 'open311',
      state: 'reported',
      categoryKey: serviceCode,
      streetCode: '110102001',
      reporter: { name: '小明 王', contact: '13911112222 / wang@example.cn' },
    });
    expect(c.events[0]).toMatchObject({ action: 'report', toState: 'reported' });

    const accept = await env.app.inject({
      method: 'POST',
      url: `/api/cases/${id}/actions/accept`,
      headers: dispatcher.headers,
      payload: {},
    });
    expect(accept.statusCode, accept.body).toBe(200);
    expect(accept.json().case.handlingDeadline).toMatch(/^\d{4}-/);
    const [shown] = jsonOf<{ expected_datetime: string; status: string }[]>(
      await get(env, `requests/${id}.json`),
    );
    expect(shown!.status).toBe('open');
    expect(shown!.expected_datetime).toMatch(W3C_DATETIME);

    // Staff also see what the client sent, the personal fields included.
    const detail = await env.app.inject({
      method: 'GET',
      url: `/api/open311/cases/${id}`,
      headers: dispatcher.headers,
    });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().request).toMatchObject({
      client: { id: 'o311c_demo' },
      serviceCode,
      reporter: { email: 'wang@example.cn', phone: '13911112222', deviceId: 'device-42' },
    });
  });

  it('never shows the reporter’s email, phone, names or device in GET requests, in either format', async () => {
    const secrets = ['secret-person@example.cn', '13700001111', '赵秘密', '钱隐私', 'device-secret-9'];
    const res = await newRequest([
      ['email', secrets[0]!],
      ['phone', secrets[1]!],
      ['first_name', secrets[2]!],
      ['last_name', secrets[3]!],
      ['device_id', secrets[4]!],
    ]);
    const [{ service_request_id: id }] = jsonOf<{ service_request_id: string }[]>(res) as [
      { service_request_id: string },
    ];
    for (const fmt of FORMATS) {
      for (const path of [`requests.${fmt}`, `requests/${id}.${fmt}`, `servicerequestupdates.${fmt}`]) {
        const body = (await get(env, path)).body;
        expect(body).toContain(id);
        for (const s of secrets) expect(body).not.toContain(s);
      }
    }
  });
});

describe('GET request and tokens', () => {
  it('answers one request with every field of the specification, dates with their zone, ids as strings', async () => {
    const [{ service_request_id: id }] = jsonOf<{ service_request_id: string }[]>(
      await newRequest([['media_url', 'https://example.cn/p/1.jpg']]),
    ) as [{ service_request_id: string }];
    const [r] = jsonOf<Record<string, unknown>[]>(await get(env, `requests/${id}.json`));
    expect(Object.keys(r!).sort()).toEqual(
      [
        'address',
        'address_id',
        'agency_responsible',
        'description',
        'expected_datetime',
        'lat',
        'long',
        'media_url',
        'requested_datetime',
        'service_code',
        'service_name',
        'service_notice',
        'service_request_id',
        'status',
        'status_notes',
        'updated_datetime',
        'zipcode',
      ].sort(),
    );
    expect(r!.service_request_id).toBe(id);
    expect(r!.status).toBe('open');
    expect(r!.requested_datetime).toMatch(W3C_DATETIME);
    expect(r!.updated_datetime).toMatch(W3C_DATETIME);
    expect(typeof r!.lat).toBe('number');
    expect(typeof r!.long).toBe('number');

    const root = xmlOf(await get(env, `requests/${id}.xml`));
    expect(root.name).toBe('service_requests');
    const [x] = xmlItems(root, 'request');
    expect(x!.service_request_id).toBe(id);
    expect(x!.requested_datetime).toBe(r!.requested_datetime);
  });

  it('answers 404 for a request id that does not exist', async () => {
    for (const fmt of FORMATS) {
      expect(errorsOf(await get(env, `requests/110102-20000101-99999.${fmt}`), fmt, 404)[0]).toContain(
        'service_request_id',
      );
    }
  });

  it('turns a token (the tracking code) into its service_request_id, and 404 for an unknown token', async () => {
    const [{ service_request_id: id }] = jsonOf<{ service_request_id: string }[]>(await newRequest()) as [
      { service_request_id: string },
    ];
    const row = await env.ctx.db
      .selectFrom('case_record')
      .select('tracking_code')
      .where('case_number', '=', id)
      .executeTakeFirstOrThrow();
    const [t] = jsonOf<{ service_request_id: string; token: string }[]>(
      await get(env, `tokens/${row.tracking_code}.json`),
    );
    expect(t).toEqual({ service_request_id: id, token: row.tracking_code });
    const [x] = xmlItems(xmlOf(await get(env, `tokens/${row.tracking_code}.xml`)), 'request');
    expect(x).toEqual({ service_request_id: id, token: row.tracking_code });
    for (const fmt of FORMATS) errorsOf(await get(env, `tokens/NOSUCHTOKEN.${fmt}`), fmt, 404);
  });
});
