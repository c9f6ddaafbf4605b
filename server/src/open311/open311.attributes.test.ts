import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { jpeg } from '../media/media.fixtures.ts';
import { DEMO_ATTRIBUTE_SERVICE } from './open311.registry.ts';
import {
  API,
  DEMO_API_KEY,
  errorsOf,
  FORMATS,
  get,
  jsonOf,
  multipart,
  postForm,
  streetCentre,
  xmlOf,
} from './open311.testkit.ts';
import { childrenNamed, childText } from './open311.xmlcheck.ts';

/**
 * Service definitions with attributes of all six datatypes, as a district_admin defines them in the
 * console; the answers a request must bring (required ones, each datatype's rules, list values,
 * `attribute[code][]` lists); multipart media; and who may manage clients and attributes.
 */

let env: TestEnv;
let point: [number, number];
let admin: Session;
let code: string;

const QUESTIONS = [
  { code: 'ITEM', datatype: 'string', required: true, order: 1, description: '堆放的是什么？' },
  { code: 'VOLUME', datatype: 'number', required: false, order: 2, description: '大约几立方米？' },
  { code: 'SINCE', datatype: 'datetime', required: false, order: 3, description: '从什么时候开始？' },
  { code: 'DETAIL', datatype: 'text', required: false, order: 4, description: '补充说明' },
  {
    code: 'KIND',
    datatype: 'singlevaluelist',
    required: true,
    order: 5,
    description: '垃圾类型',
    values: [
      { key: 'construction', name: '建筑垃圾' },
      { key: 'household', name: '生活垃圾' },
    ],
  },
  {
    code: 'BLOCKS',
    datatype: 'multivaluelist',
    required: false,
    order: 6,
    description: '影响了什么？',
    values: [
      { key: 'road', name: '道路通行' },
      { key: 'door', name: '院门出入' },
      { key: 'drain', name: '排水口' },
    ],
  },
];

beforeAll(async () => {
  env = await createTestEnv();
  point = await streetCentre(env);
  admin = await login(env.app, 'demo-district_admin');
  const services = jsonOf<{ service_code: string }[]>(await get(env, 'services.json'));
  code = services.find((s) => s.service_code.startsWith('event:06'))!.service_code;
  for (const q of QUESTIONS) {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/open311/attributes',
      headers: admin.headers,
      payload: { serviceCode: code, ...q },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  await env.app.inject({
    method: 'POST',
    url: '/api/open311/attributes',
    headers: admin.headers,
    payload: {
      serviceCode: code,
      code: 'NOTE',
      variable: false,
      datatype: 'string',
      order: 7,
      description: '请勿填写住户姓名',
    },
  });
});
afterAll(async () => {
  await env?.close();
});

const base = (): [string, string][] => [
  ['api_key', DEMO_API_KEY],
  ['service_code', code],
  ['lat', String(point[1])],
  ['long', String(point[0])],
];

describe('service definition with attributes', () => {
  it('marks the service as having metadata in the service list', async () => {
    const list = jsonOf<{ service_code: string; metadata: boolean }[]>(await get(env, 'services.json'));
    expect(list.find((s) => s.service_code === code)!.metadata).toBe(true);
    // Besides the demo's own service with questions, only this one.
    expect(list.filter((s) => s.metadata && s.service_code !== DEMO_ATTRIBUTE_SERVICE)).toHaveLength(1);
  });

  it('shows the six datatypes in order, with the fields of the specification, in JSON', async () => {
    const def = jsonOf<{ service_code: string; attributes: Record<string, unknown>[] }>(
      await get(env, `services/${code}.json`),
    );
    expect(def.service_code).toBe(code);
    expect(def.attributes.map((a) => a.datatype)).toEqual([
      'string',
      'number',
      'datetime',
      'text',
      'singlevaluelist',
      'multivaluelist',
      'string',
    ]);
    for (const a of def.attributes) {
      expect(Object.keys(a).sort()).toEqual(
        [
          'code',
          'datatype',
          'datatype_description',
          'description',
          'order',
          'required',
          'values',
          'variable',
        ].sort(),
      );
    }
    expect(def.attributes[4]).toMatchObject({
      variable: true,
      code: 'KIND',
      required: true,
      order: 5,
      values: [
        { key: 'construction', name: '建筑垃圾' },
        { key: 'household', name: '生活垃圾' },
      ],
    });
    expect(def.attributes[6]).toMatchObject({ variable: false, required: false });
  });

  it('shows the same definition in XML: attributes › attribute › values › value', async () => {
    const root = xmlOf(await get(env, `services/${code}.xml`));
    const attributes = childrenNamed(childrenNamed(root, 'attributes')[0]!, 'attribute');
    expect(attributes).toHaveLength(7);
    expect(attributes[0]!.children.map((c) => c.name)).toEqual([
      'variable',
      'code',
      'datatype',
      'required',
      'datatype_description',
      'order',
      'description',
      'values',
    ]);
    const multi = attributes[5]!;
    expect(childText(multi, 'datatype')).toBe('multivaluelist');
    const values = childrenNamed(childrenNamed(multi, 'values')[0]!, 'value');
    expect(values.map((v) => [childText(v, 'key'), childText(v, 'name')])).toEqual([
      ['road', '道路通行'],
      ['door', '院门出入'],
      ['drain', '排水口'],
    ]);
  });
});

describe('answers to the attributes', () => {
  it('refuses a request without the required answers, naming each', async () => {
    for (const fmt of FORMATS) {
      const problems = errorsOf(await postForm(env, `requests.${fmt}`, base()), fmt, 400);
      expect(problems.some((p) => p.includes('attribute[ITEM]'))).toBe(true);
      expect(problems.some((p) => p.includes('attribute[KIND]'))).toBe(true);
    }
  });

  it('checks every datatype and reports every wrong answer at once', async () => {
    const res = await postForm(env, 'requests.json', [
      ...base(),
      ['attribute[ITEM]', '第一行\n第二行'],
      ['attribute[VOLUME]', 'three'],
      ['attribute[SINCE]', '2026-13-01'],
      ['attribute[DETAIL]', 'x'.repeat(4001)],
      ['attribute[KIND]', 'furniture'],
      ['attribute[BLOCKS][]', 'road'],
      ['attribute[BLOCKS][]', 'sky'],
      ['attribute[NOTE]', '张三'],
      ['attribute[UNKNOWN]', '1'],
    ]);
    const problems = errorsOf(res, 'json', 400);
    for (const field of ['ITEM', 'VOLUME', 'SINCE', 'DETAIL', 'KIND', 'BLOCKS', 'NOTE', 'UNKNOWN']) {
      expect(
        problems.some((p) => p.includes(`attribute[${field}]`)),
        field,
      ).toBe(true);
    }
  });

  it('refuses two values for a single-value question and a malformed attribute name', async () => {
    const res = await postForm(env, 'requests.json', [
      ...base(),
      ['attribute[ITEM]', '砖块'],
      ['attribute[KIND][]', 'construction'],
      ['attribute[KIND][]', 'household'],
      ['attribute[]', 'x'],
    ]);
    const problems = errorsOf(res, 'json', 400);
    expect(problems.some((p) => p.includes('attribute[KIND]') && p.includes('one value'))).toBe(true);
    expect(problems.some((p) => p.includes('attribute[]'))).toBe(true);
  });

  it('files a request whose answers are right, multi-value list included, and shows them to staff', async () => {
    const res = await postForm(env, 'requests.xml', [
      ...base(),
      ['attribute[ITEM]', '砖块和水泥袋'],
      ['attribute[VOLUME]', '2.5'],
      ['attribute[SINCE]', '2026-11-01T08:00:00+08:00'],
      ['attribute[DETAIL]', '堆在院门口\n挡住了路'],
      ['attribute[KIND]', 'construction'],
      ['attribute[BLOCKS][]', 'road'],
      ['attribute[BLOCKS][]', 'door'],
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const id = childText(childrenNamed(xmlOf(res), 'request')[0]!, 'service_request_id');
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const detail = await env.app.inject({
      method: 'GET',
      url: `/api/open311/cases/${id}`,
      headers: dispatcher.headers,
    });
    expect(detail.json().request.answers).toEqual([
      { code: 'ITEM', question: '堆放的是什么？', value: '砖块和水泥袋', label: '砖块和水泥袋' },
      { code: 'VOLUME', question: '大约几立方米？', value: '2.5', label: '2.5' },
      {
        code: 'SINCE',
        question: '从什么时候开始？',
        value: '2026-11-01T08:00:00+08:00',
        label: '2026-11-01T08:00:00+08:00',
      },
      { code: 'DETAIL', question: '补充说明', value: '堆在院门口\n挡住了路', label: '堆在院门口\n挡住了路' },
      { code: 'KIND', question: '垃圾类型', value: 'construction', label: '建筑垃圾' },
      { code: 'BLOCKS', question: '影响了什么？', value: ['road', 'door'], label: ['道路通行', '院门出入'] },
    ]);
  });
});

describe('multipart media (extension)', () => {
  it('files a request with a photo in media; GET requests links its public copy', async () => {
    const { body, contentType } = multipart(
      [...base(), ['attribute[ITEM]', '旧沙发'], ['attribute[KIND]', 'household']],
      [{ field: 'media', name: 'sofa.jpg', type: 'image/jpeg', bytes: await jpeg() }],
    );
    const res = await env.app.inject({
      method: 'POST',
      url: `${API}/requests.json`,
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(201);
    const [{ service_request_id: id }] = jsonOf<{ service_request_id: string }[]>(res) as [
      { service_request_id: string },
    ];
    const [shown] = jsonOf<{ media_url: string }[]>(await get(env, `requests/${id}.json`));
    expect(shown!.media_url).toMatch(/^http:\/\/[^/]+\/api\/media\/[^/]+\/public$/);
    const photo = await env.app.inject({ method: 'GET', url: new URL(shown!.media_url).pathname });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
  });

  it('refuses a file that is not an image, and files in another field, with 400', async () => {
    for (const file of [
      { field: 'media', name: 'x.jpg', type: 'image/jpeg', bytes: Buffer.from('not an image at all') },
      { field: 'photo', name: 'y.jpg', type: 'image/jpeg', bytes: await jpeg() },
    ]) {
      const { body, contentType } = multipart(
        [...base(), ['attribute[ITEM]', '旧沙发'], ['attribute[KIND]', 'household']],
        [file],
      );
      const res = await env.app.inject({
        method: 'POST',
        url: `${API}/requests.json`,
        headers: { 'content-type': contentType },
        payload: body,
      });
      errorsOf(res, 'json', 400);
    }
  });
});

describe('managing clients and attributes in the console', () => {
  it('lets a district_admin add a client, shows its key once, lists it without the key', async () => {
    const add = await env.app.inject({
      method: 'POST',
      url: '/api/open311/clients',
      headers: admin.headers,
      payload: { name: '市民随手拍 App' },
    });
    expect(add.statusCode, add.body).toBe(201);
    const { client, apiKey } = add.json();
    expect(apiKey.length).toBeGreaterThanOrEqual(32);
    expect(client).toMatchObject({ name: '市民随手拍 App', districtCode: '110102', active: true });
    const listed = await env.app.inject({
      method: 'GET',
      url: '/api/open311/clients',
      headers: admin.headers,
    });
    expect(listed.json().items.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(['o311c_demo', client.id]),
    );
    expect(listed.body).not.toContain(apiKey);
    const works = await postForm(env, 'requests.json', [
      ['api_key', apiKey],
      ['service_code', code],
      ['lat', String(point[1])],
      ['long', String(point[0])],
      ['attribute[ITEM]', '纸箱'],
      ['attribute[KIND]', 'household'],
    ]);
    expect(works.statusCode, works.body).toBe(201);
  });

  it('documents the console routes in the OpenAPI document, with every reference resolved', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/open311/clients', '/api/open311/attributes', '/api/open311/cases/{id}']),
    );
    for (const name of ['Open311Client', 'Open311Attribute', 'Open311CaseDetail']) {
      expect(doc.components.schemas).toHaveProperty(name);
    }
    const refs = [...res.body.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref);
  });

  it('refuses other roles: a dispatcher may neither list clients nor define attributes', async () => {
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const list = await env.app.inject({
      method: 'GET',
      url: '/api/open311/clients',
      headers: dispatcher.headers,
    });
    expect(list.statusCode).toBe(403);
    const define = await env.app.inject({
      method: 'POST',
      url: '/api/open311/attributes',
      headers: dispatcher.headers,
      payload: { serviceCode: code, code: 'X', datatype: 'string', order: 9, description: 'x' },
    });
    expect(define.statusCode).toBe(403);
    const anonymous = await env.app.inject({ method: 'GET', url: '/api/open311/clients' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses a list question without values and a taken order, naming the field', async () => {
    const noValues = await env.app.inject({
      method: 'POST',
      url: '/api/open311/attributes',
      headers: admin.headers,
      payload: { serviceCode: code, code: 'EMPTY', datatype: 'singlevaluelist', order: 8, description: '空' },
    });
    expect(noValues.statusCode).toBe(400);
    expect(noValues.json().error.details.fields[0].field).toBe('values');
    const taken = await env.app.inject({
      method: 'POST',
      url: '/api/open311/attributes',
      headers: admin.headers,
      payload: { serviceCode: code, code: 'AGAIN', datatype: 'string', order: 1, description: '重复' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details.field).toBe('order');
  });

  it('edits and removes an attribute; the definition follows', async () => {
    const list = await env.app.inject({
      method: 'GET',
      url: `/api/open311/attributes?serviceCode=${code}`,
      headers: admin.headers,
    });
    const detail = list.json().items.find((a: { code: string }) => a.code === 'DETAIL');
    const patched = await env.app.inject({
      method: 'PATCH',
      url: `/api/open311/attributes/${detail.id}`,
      headers: admin.headers,
      payload: { required: true },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const def = jsonOf<{ attributes: { code: string; required: boolean }[] }>(
      await get(env, `services/${code}.json`),
    );
    expect(def.attributes.find((a) => a.code === 'DETAIL')!.required).toBe(true);
    const removed = await env.app.inject({
      method: 'DELETE',
      url: `/api/open311/attributes/${detail.id}`,
      headers: admin.headers,
    });
    expect(removed.statusCode).toBe(204);
    const after = jsonOf<{ attributes: { code: string }[] }>(await get(env, `services/${code}.json`));
    expect(after.attributes.map((a) => a.code)).not.toContain('DETAIL');
  });
});
