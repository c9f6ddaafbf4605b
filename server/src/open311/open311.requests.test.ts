import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import {
  DEMO_API_KEY,
  errorsOf,
  FORMATS,
  get,
  jsonOf,
  postForm,
  streetCentre,
  W3C_DATETIME,
  xmlItems,
  xmlOf,
} from './open311.testkit.ts';

/**
 * GET requests with every argument of the specification (service_request_id overriding the rest,
 * service_code, start_date/end_date, status), its response volume (90 days or 1,000 requests, whichever
 * is smaller) with page/page_size on top; and the servicerequestupdates extension, both ways.
 */

let env: TestEnv;
let point: [number, number];
const s: Record<string, Session> = {};
let gridWorkerId: string;
const DAY = 86_400_000;
const codes = { garbage: '', other: '' };

type Req = { service_request_id: string; status: string; service_code: string; requested_datetime: string };

beforeAll(async () => {
  env = await createTestEnv();
  point = await streetCentre(env);
  for (const role of ['street_dispatcher', 'grid_worker', 'inspector']) {
    s[role] = await login(env.app, `demo-${role}`);
  }
  gridWorkerId = (
    await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.grid_worker!.cookie } })
  ).json().user.id;
  const services = jsonOf<{ service_code: string }[]>(await get(env, 'services.json')).map(
    (x) => x.service_code,
  );
  codes.garbage = services.find((c) => c.startsWith('event:06'))!;
  codes.other = services.find((c) => c.startsWith('event:09'))!;
});
afterAll(async () => {
  await env?.close();
});

async function file(code: string, description = '问题'): Promise<string> {
  const res = await postForm(env, 'requests.json', [
    ['api_key', DEMO_API_KEY],
    ['service_code', code],
    ['lat', String(point[1])],
    ['long', String(point[0])],
    ['description', description],
  ]);
  expect(res.statusCode, res.body).toBe(201);
  return jsonOf<{ service_request_id: string }[]>(res)[0]!.service_request_id;
}

async function act(as: string, caseNumber: string, action: string, body: Record<string, unknown> = {}) {
  const res = await env.app.inject({
    method: 'POST',
    url: `/api/cases/${caseNumber}/actions/${action}`,
    headers: s[as]!.headers,
    payload: body,
  });
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
}

async function list(query = ''): Promise<Req[]> {
  const res = await get(env, `requests.json${query ? `?${query}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return jsonOf<Req[]>(res);
}

const ids = (rows: { service_request_id: string }[]) => rows.map((r) => r.service_request_id);
const iso = (d: Date) => d.toISOString().replace('.000', '');

describe('GET requests: arguments', () => {
  let open1: string;
  let open2: string;
  let rejected: string;
  let old: string;

  beforeAll(async () => {
    open1 = await file(codes.garbage, '垃圾一');
    open2 = await file(codes.other, '乱停车');
    rejected = await file(codes.garbage, '不归街道管');
    await act('street_dispatcher', rejected, 'reject', { reason: 'not_in_remit' });
    old = await file(codes.garbage, '一百天前的');
    await env.ctx.db
      .updateTable('case_record')
      .set({ created_at: new Date(env.clock.now().getTime() - 100 * DAY) })
      .where('case_number', '=', old)
      .execute();
  });

  it('defaults to the most recent 90 days, newest first, in both formats with the same requests', async () => {
    const rows = await list();
    expect(ids(rows)).toEqual(expect.arrayContaining([open1, open2, rejected]));
    expect(ids(rows)).not.toContain(old);
    const times = rows.map((r) => Date.parse(r.requested_datetime));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const xml = xmlItems(xmlOf(await get(env, 'requests.xml')), 'request');
    expect(xml.map((r) => r.service_request_id)).toEqual(ids(rows));
    for (const r of rows) {
      expect(typeof r.service_request_id).toBe('string');
      expect(r.requested_datetime).toMatch(W3C_DATETIME);
    }
  });

  it('filters by status: open, closed, both (comma delimited), and refuses other words', async () => {
    const open = ids(await list('status=open'));
    const closed = ids(await list('status=closed'));
    expect(open).toEqual(expect.arrayContaining([open1, open2]));
    expect(open).not.toContain(rejected);
    expect(closed).toContain(rejected);
    expect(closed).not.toContain(open1);
    expect(new Set(ids(await list('status=open,closed')))).toEqual(new Set([...open, ...closed]));
    for (const fmt of FORMATS) {
      expect(errorsOf(await get(env, `requests.${fmt}?status=pending`), fmt, 400)[0]).toContain('status');
    }
  });

  it('filters by service_code, one or several comma delimited', async () => {
    const garbage = await list(`service_code=${codes.garbage}`);
    expect(garbage.every((r) => r.service_code === codes.garbage)).toBe(true);
    expect(ids(garbage)).toContain(open1);
    expect(ids(garbage)).not.toContain(open2);
    expect(ids(await list(`service_code=${codes.garbage},${codes.other}`))).toEqual(
      expect.arrayContaining([open1, open2]),
    );
    expect(await list('service_code=event:99999')).toEqual([]);
  });

  it('filters by start_date and end_date in W3C form, Z or an offset, and reaches older requests', async () => {
    const now = env.clock.now();
    const window = `start_date=${iso(new Date(now.getTime() - 110 * DAY))}&end_date=${iso(new Date(now.getTime() - 50 * DAY))}`;
    expect(ids(await list(window))).toEqual([old]);
    // The same instant with a +08:00 offset.
    const local = new Date(now.getTime() - 110 * DAY + 8 * 3_600_000).toISOString().slice(0, 19);
    expect(ids(await list(`start_date=${encodeURIComponent(`${local}+08:00`)}`))).toContain(old);
    // Only end_date: the 90 days before it.
    expect(ids(await list(`end_date=${iso(new Date(now.getTime() - 50 * DAY))}`))).toEqual([old]);
  });

  it('refuses a span over 90 days, a start after the end and a date without its zone', async () => {
    const now = env.clock.now();
    for (const fmt of FORMATS) {
      const span = `start_date=${iso(new Date(now.getTime() - 91 * DAY))}&end_date=${iso(now)}`;
      expect(errorsOf(await get(env, `requests.${fmt}?${span}`), fmt, 400)[0]).toContain('90 days');
      const reversed = `start_date=${iso(now)}&end_date=${iso(new Date(now.getTime() - DAY))}`;
      errorsOf(await get(env, `requests.${fmt}?${reversed}`), fmt, 400);
      const zoneless = await get(env, `requests.${fmt}?start_date=2026-10-01T00:00:00`);
      expect(errorsOf(zoneless, fmt, 400)[0]).toContain('start_date');
      errorsOf(await get(env, `requests.${fmt}?end_date=2026-02-30T00:00:00Z`), fmt, 400);
    }
  });

  it('takes a comma-delimited service_request_id list that overrides every other argument', async () => {
    const rows = await list(
      `service_request_id=${open1},${old},${rejected}&status=open&service_code=${codes.other}`,
    );
    expect(new Set(ids(rows))).toEqual(new Set([open1, old, rejected]));
    expect(await list('service_request_id=110102-19990101-00001')).toEqual([]);
  });

  it('answers 404 for an unknown jurisdiction_id', async () => {
    for (const fmt of FORMATS) errorsOf(await get(env, `requests.${fmt}?jurisdiction_id=000000`), fmt, 404);
  });
});

describe('GET requests: response volume and paging', () => {
  beforeAll(async () => {
    // 1,005 more requests in the window: copies of a filed one, with their own ids, numbers and codes.
    const seed = await file(codes.garbage, '批量');
    const { rows } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_name = 'case_record' and table_schema = current_schema() order by ordinal_position`.execute(
      env.ctx.db,
    );
    const columns = rows.map((r) => r.column_name);
    const value = (c: string) =>
      c === 'id'
        ? `'bulk-' || g`
        : c === 'case_number'
          ? `'110102-20261001-B' || lpad(g::text, 5, '0')`
          : c === 'tracking_code'
            ? `'BULK' || lpad(g::text, 6, '0')`
            : c === 'created_at' || c === 'updated_at'
              ? `c.created_at - (g || ' minutes')::interval`
              : `c.${c}`;
    await sql
      .raw(
        `insert into case_record (${columns.join(', ')})
         select ${columns.map(value).join(', ')} from case_record c, generate_series(1, 1005) g
         where c.case_number = '${seed}'`,
      )
      .execute(env.ctx.db);
  });

  it('answers at most 1,000 requests by default, the newest', async () => {
    const rows = await list();
    expect(rows).toHaveLength(1000);
    const all = await env.ctx.db
      .selectFrom('case_record')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('created_at', '>=', new Date(env.clock.now().getTime() - 90 * DAY))
      .executeTakeFirstOrThrow();
    expect(Number(all.n)).toBeGreaterThan(1000);
  });

  it('pages with page and page_size, without overlap, and refuses sizes over 1,000', async () => {
    const first = await list('page_size=10');
    const second = await list('page_size=10&page=2');
    expect(first).toHaveLength(10);
    expect(second).toHaveLength(10);
    expect(ids(first).filter((id) => ids(second).includes(id))).toEqual([]);
    expect(ids(first).concat(ids(second))).toEqual(ids(await list('page_size=20')));
    const rest = await list('page=2');
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.length).toBeLessThan(1000);
    for (const fmt of FORMATS) {
      errorsOf(await get(env, `requests.${fmt}?page_size=1001`), fmt, 400);
      errorsOf(await get(env, `requests.${fmt}?page=0`), fmt, 400);
      errorsOf(await get(env, `requests.${fmt}?page_size=ten`), fmt, 400);
    }
  });
});

describe('servicerequestupdates', () => {
  let id: string;
  const since = () => iso(new Date(env.clock.now().getTime() - DAY));

  beforeAll(async () => {
    id = await file(codes.other, '共享单车倒在路中间');
    env.clock.advance(60_000);
    await act('street_dispatcher', id, 'accept', {});
    env.clock.advance(60_000);
    await act('street_dispatcher', id, 'dispatch', { tier: 1, handlerUserId: gridWorkerId });
    env.clock.advance(60_000);
    await act('grid_worker', id, 'feedback', {
      note: '已扶起',
      afterPhotoIds: [],
      noPhotoReason: '现场无法拍照',
    });
    env.clock.advance(60_000);
    await act('inspector', id, 'verify_pass');
  });

  type Update = {
    update_id: string;
    service_request_id: string;
    status: string;
    updated_datetime: string;
    description: string;
    media_url: string | null;
  };

  it('lists every change of state of a request with its extended status, oldest first', async () => {
    const res = await get(env, `servicerequestupdates.json?start_date=${since()}&service_request_id=${id}`);
    const updates = jsonOf<Update[]>(res);
    expect(updates.map((u) => u.status)).toEqual([
      'OPEN',
      'INVESTIGATING',
      'IN_PROGRESS',
      'IN_PROGRESS',
      'FIXED',
    ]);
    for (const u of updates) {
      expect(Object.keys(u).sort()).toEqual(
        ['description', 'media_url', 'service_request_id', 'status', 'update_id', 'updated_datetime'].sort(),
      );
      expect(u.service_request_id).toBe(id);
      expect(typeof u.update_id).toBe('string');
      expect(u.updated_datetime).toMatch(W3C_DATETIME);
    }
    const [closed] = jsonOf<{ status: string }[]>(await get(env, `requests/${id}.json`));
    expect(closed!.status).toBe('closed');

    const root = xmlOf(
      await get(env, `servicerequestupdates.xml?start_date=${since()}&service_request_id=${id}`),
    );
    expect(root.name).toBe('service_request_updates');
    expect(root.children.every((c) => c.name === 'request_update')).toBe(true);
    expect(xmlItems(root, 'request_update').map((u) => u.status)).toEqual(updates.map((u) => u.status));
  });

  it('maps a refusal to the extended status of its reason', async () => {
    const other = await file(codes.garbage, '不归这里管');
    await act('street_dispatcher', other, 'reject', { reason: 'not_in_remit' });
    const updates = jsonOf<Update[]>(
      await get(env, `servicerequestupdates.json?service_request_id=${other}`),
    );
    expect(updates.map((u) => u.status)).toEqual(['OPEN', 'NOT_COUNCILS_RESPONSIBILITY']);
  });

  it('takes a client’s update: 403 without a good api_key, 400 for bad fields, 404 for an unknown request', async () => {
    for (const fmt of FORMATS) {
      const url = `servicerequestupdates.${fmt}`;
      errorsOf(
        await postForm(env, url, [
          ['service_request_id', id],
          ['description', 'x'],
        ]),
        fmt,
        403,
      );
      errorsOf(
        await postForm(env, url, [
          ['api_key', 'nope'],
          ['service_request_id', id],
          ['description', 'x'],
        ]),
        fmt,
        403,
      );
      errorsOf(
        await postForm(env, url, [
          ['api_key', DEMO_API_KEY],
          ['description', 'x'],
        ]),
        fmt,
        400,
      );
      errorsOf(
        await postForm(env, url, [
          ['api_key', DEMO_API_KEY],
          ['service_request_id', '110102-19990101-00001'],
          ['description', 'x'],
        ]),
        fmt,
        404,
      );
      const bad = await postForm(env, url, [
        ['api_key', DEMO_API_KEY],
        ['service_request_id', id],
        ['status', 'SOLVED'],
        ['updated_datetime', 'yesterday'],
      ]);
      const problems = errorsOf(bad, fmt, 400);
      expect(problems.some((p) => p.includes('description'))).toBe(true);
      expect(problems.some((p) => p.includes('status'))).toBe(true);
      expect(problems.some((p) => p.includes('updated_datetime'))).toBe(true);
    }
  });

  it('keeps a client’s comment, lists it, shows its suggestion to staff, and never moves the case', async () => {
    const fields: [string, string][] = [
      ['api_key', DEMO_API_KEY],
      ['service_request_id', id],
      ['update_id', 'client-update-1'],
      ['status', 'OPEN'],
      ['updated_datetime', '2026-11-02T09:30:00+08:00'],
      ['description', '居民反映单车又倒了'],
      ['email', 'hidden@example.cn'],
    ];
    const res = await postForm(env, 'servicerequestupdates.json', fields);
    expect(res.statusCode, res.body).toBe(201);
    const [{ update_id }] = jsonOf<{ update_id: string }[]>(res) as [{ update_id: string }];
    expect(typeof update_id).toBe('string');
    // The client retrying with its own update_id gets the same answer, not a second comment.
    const again = await postForm(env, 'servicerequestupdates.json', fields);
    expect(again.statusCode).toBe(200);
    expect(jsonOf(again)).toEqual([{ update_id }]);

    const updates = jsonOf<Update[]>(await get(env, `servicerequestupdates.json?service_request_id=${id}`));
    const comment = updates.find((u) => u.update_id === update_id)!;
    // A comment carries the request's status at that moment; the client's OPEN is only a suggestion.
    expect(comment).toMatchObject({ status: 'FIXED', description: '居民反映单车又倒了' });
    expect(JSON.stringify(updates)).not.toContain('hidden@example.cn');
    const [still] = jsonOf<{ status: string }[]>(await get(env, `requests/${id}.json`));
    expect(still!.status).toBe('closed');

    const detail = await env.app.inject({
      method: 'GET',
      url: `/api/open311/cases/${id}`,
      headers: s.street_dispatcher!.headers,
    });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().updates).toEqual([
      expect.objectContaining({
        clientUpdateId: 'client-update-1',
        clientStatus: 'OPEN',
        suggestedState: { state: 'reported' },
        caseStateThen: 'closed',
        reporter: expect.objectContaining({ email: 'hidden@example.cn' }),
      }),
    ]);
  });

  it('defaults to the last 90 days and refuses a longer span', async () => {
    const all = jsonOf<Update[]>(await get(env, 'servicerequestupdates.json'));
    expect(all.length).toBeGreaterThan(5);
    const now = env.clock.now();
    const span = `start_date=${iso(new Date(now.getTime() - 100 * DAY))}&end_date=${iso(now)}`;
    for (const fmt of FORMATS) errorsOf(await get(env, `servicerequestupdates.${fmt}?${span}`), fmt, 400);
  });
});
