import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { lineStringMidpoint } from '../territory/geometry.ts';
import { DEFAULT_MAPPING } from './hotline.fields.ts';
import { demoFixtureCity, type FixtureCity } from './hotline.fixtures.ts';
import { cellText, readSource } from './hotline.read.ts';
import { RESULT_COLUMNS } from './hotline.results.ts';

/**
 * The hotline over HTTP: the push API with a token, the file upload, and the round trip — orders in,
 * cases driven through the loop, handling results out in every format and read back, and the 三率
 * computed from the same trail.
 */
let env: TestEnv;
let city: FixtureCity;
const s: Record<string, Session> = {};
const STREET = '110102001';
const DEPT = 'org-cg-110102001';
const HOUR = 3_600_000;

beforeAll(async () => {
  env = await createTestEnv();
  city = demoFixtureCity();
  for (const role of [
    'street_dispatcher',
    'district_admin',
    'department_handler',
    'grid_worker',
    'inspector',
    'leader',
  ]) {
    s[role] = await login(env.app, `demo-${role}`);
  }
});
afterAll(async () => {
  await env?.close();
});

/** A point (WGS-84) on the n-th alley of a street. */
function pointIn(street: string, n = 0): [number, number] {
  const alley = city.alleys.filter((a) => a.streetCode === street)[n]!;
  return lineStringMidpoint(alley.coordinates);
}

function multipart(fields: Record<string, string>, file?: { name: string; bytes: Buffer }) {
  const boundary = '----hutong-hotline-test';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function upload(as: string, file: { name: string; bytes: Buffer } | undefined, fields = {}) {
  const body = multipart(fields, file);
  return env.app.inject({
    method: 'POST',
    url: '/api/hotline/import',
    headers: { ...s[as]!.headers, 'content-type': body.contentType },
    payload: body.payload,
  });
}

async function act(as: string, caseNumber: string, action: string, body: Record<string, unknown> = {}) {
  const res = await env.app.inject({
    method: 'POST',
    url: `/api/cases/${caseNumber}/actions/${action}`,
    headers: s[as]!.headers,
    payload: body,
  });
  expect(res.statusCode, `${as} ${action} ${caseNumber}: ${res.body}`).toBe(200);
}

describe('the push API', () => {
  let token: string;

  beforeAll(async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: s.street_dispatcher!.headers,
      payload: { name: '12345 bridge' },
    });
    token = res.json().token;
  });

  const push = (payload: object, auth = `Bearer ${token}`) =>
    env.app.inject({ method: 'POST', url: '/api/hotline/orders', headers: { authorization: auth }, payload });

  it('files a pushed order once, however often it is pushed', async () => {
    const [lng, lat] = pointIn(STREET, 3);
    const order = {
      workOrderNo: 'PUSH-1',
      description: '胡同口有暴露垃圾没人清',
      lng,
      lat,
      crs: 'wgs84',
      category: '暴露垃圾',
    };
    const first = await push(order);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      created: 1,
      results: [{ status: 'created', workOrderNo: 'PUSH-1' }],
    });
    const caseNumber = first.json().results[0].caseNumber;
    expect(caseNumber).toMatch(/^110102-/);
    const again = await push([order]);
    expect(again.json().results[0]).toMatchObject({ status: 'existing', caseNumber });
  });

  it('answers each order of a batch with its case number or the fields at fault', async () => {
    const [lng, lat] = pointIn(STREET, 4);
    const elsewhere = city.alleys.find((a) => a.streetCode === '110102012')!;
    const res = await push({
      orders: [
        { 工单编号: 'PUSH-2', 诉求内容: '路灯不亮晚上很黑', 经度: lng, 纬度: lat },
        { workOrderNo: 'PUSH-3', lng, lat },
        { workOrderNo: 'PUSH-4', description: '路灯不亮晚上很黑', lng, lat, crs: 'beijing54' },
        { workOrderNo: 'PUSH-5', description: '路灯不亮晚上很黑', address: `西城区${elsewhere.name}1号` },
      ],
    });
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ created: 1, rejected: 3 });
    expect(r.results.map((x: { status: string }) => x.status)).toEqual([
      'created',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(r.results[1].errors).toEqual([
      expect.objectContaining({ field: 'description', code: 'required' }),
    ]);
    expect(r.results[2].errors[0]).toMatchObject({ field: 'crs', code: 'unknown_crs' });
    // The token's dispatcher holds 西长安街 only.
    expect(r.results[3].errors[0]).toMatchObject({ field: 'address', code: 'out_of_scope' });
  });

  it('refuses callers that may not file hotline orders, and oversized batches', async () => {
    const denied = await env.app.inject({
      method: 'POST',
      url: '/api/hotline/orders',
      headers: s.inspector!.headers,
      payload: { workOrderNo: 'X', description: '路灯不亮晚上很黑' },
    });
    expect(denied.json().error.code).toBe('FORBIDDEN');
    expect((await push({}, 'Bearer htk_wrong')).statusCode).toBe(401);
    const many = Array.from({ length: 1001 }, (_, i) => ({
      workOrderNo: `M${i}`,
      description: '路灯不亮晚上很黑',
    }));
    expect((await push(many)).json().error.details.fields[0].field).toBe('orders');
  });
});

describe('the file upload', () => {
  it('imports a CSV, rejecting rows outside the jurisdiction, and returns the report', async () => {
    const [lng, lat] = pointIn(STREET, 5);
    const [olng, olat] = pointIn('110102012', 0);
    const csv =
      '工单编号,诉求内容,经度,纬度,坐标系\n' +
      `UP-1,门口堆了很多杂物,${lng},${lat},WGS84\n` +
      `UP-2,门口堆了很多杂物,${olng},${olat},WGS84\n` +
      'UP-3,,,,\n';
    const dry = await upload(
      'street_dispatcher',
      { name: '工单.csv', bytes: Buffer.from(csv) },
      { dryRun: 'true' },
    );
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().summary).toMatchObject({ dryRun: true, created: 1, rejected: 2 });
    const res = await upload('street_dispatcher', { name: '工单.csv', bytes: Buffer.from(csv) });
    const body = res.json();
    expect(body.summary).toMatchObject({ rows: 3, created: 1, rejected: 2, format: 'csv' });
    expect(
      body.rejected.map((r: { row: number; errors: { code: string }[] }) => [r.row, r.errors[0]!.code]),
    ).toEqual([
      [3, 'out_of_scope'],
      [4, 'required'],
    ]);
    expect(body.report.filename).toBe('工单_校验结果.xlsx');
    const report = await readSource(Buffer.from(body.report.base64, 'base64'), DEFAULT_MAPPING);
    expect(report.headers.slice(-5)).toEqual(['结果', '原因', '案件编号', '定位', '原行号']);
    expect(report.rows.map((r) => r.values[5])).toEqual(['导入', '拒绝', '拒绝']);
  });

  it('refuses an upload without a file, a broken mapping, and roles that may not import', async () => {
    expect((await upload('street_dispatcher', undefined)).json().error.details.fields[0].field).toBe('file');
    const bad = await upload(
      'street_dispatcher',
      { name: 'a.csv', bytes: Buffer.from('工单编号,诉求内容\n') },
      {
        mapping: '{nope',
      },
    );
    expect(bad.json().error.details.fields[0].field).toBe('mapping');
    const leader = await upload('leader', { name: 'a.csv', bytes: Buffer.from('工单编号,诉求内容\n') });
    expect(leader.json().error.code).toBe('FORBIDDEN');
  });
});

describe('the round trip', () => {
  const day = '2026-11-02';
  const n: Record<string, string> = {};
  let gridWorkerId: string;

  beforeAll(async () => {
    gridWorkerId = (
      await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.grid_worker!.cookie } })
    ).json().user.id;
    // Orders received on Monday 2026-11-02 at 09:00 (the test clock), all in 西长安街.
    const rows = ['A', 'B', 'C', 'D', 'E'].map((k, i) => {
      const [lng, lat] = pointIn(STREET, 10 + i);
      return `RT-${k},胡同里的问题${k}需要处理,${lng},${lat},wgs84`;
    });
    const csv = `工单编号,诉求内容,经度,纬度,坐标系\n${rows.join('\n')}\n`;
    const res = await upload('district_admin', { name: 'rt.csv', bytes: Buffer.from(csv) });
    expect(res.json().summary.created).toBe(5);
    for (const r of await env.ctx.db
      .selectFrom('case_record')
      .select(['external_ref', 'case_number'])
      .where('external_ref', 'like', 'RT-%')
      .execute()) {
      n[r.external_ref!.slice(3)] = r.case_number;
    }
    const feedback = { note: '已处理完毕', afterPhotoIds: [], noPhotoReason: '现场已恢复' };
    // 09:00 — filed and dispatched: A, B, D to the department (tier 2), C to the grid worker (tier 1).
    for (const k of ['A', 'B', 'C', 'D'])
      await act('street_dispatcher', n[k]!, 'accept', { categoryKey: 'event:06010' });
    for (const k of ['A', 'B', 'D'])
      await act('street_dispatcher', n[k]!, 'dispatch', { tier: 2, unitId: DEPT });
    await act('street_dispatcher', n.C!, 'dispatch', { tier: 1, handlerUserId: gridWorkerId });
    // 09:30 — A signed within the 2 working hours; A and C report back.
    env.clock.advance(0.5 * HOUR);
    await act('department_handler', n.A!, 'sign');
    await act('department_handler', n.A!, 'feedback', { ...feedback, note: 'A 已清理完毕' });
    await act('grid_worker', n.C!, 'feedback', { ...feedback, note: 'C 已现场处置' });
    // 10:00 — verified and closed; the hotline's follow-up call for A is recorded.
    env.clock.advance(0.5 * HOUR);
    await act('inspector', n.A!, 'verify_pass');
    await act('inspector', n.C!, 'verify_pass');
    await act('street_dispatcher', n.A!, 'rate', { rating: 'satisfied', via: 'follow_up_call' });
    // 14:00 — B signed late (limit 11:00), handled, closed and rated; D never signed; E never filed.
    env.clock.advance(4 * HOUR);
    await act('department_handler', n.B!, 'sign');
    await act('department_handler', n.B!, 'feedback', { ...feedback, note: 'B 已处理' });
    await act('inspector', n.B!, 'verify_pass');
    await act('street_dispatcher', n.B!, 'rate', { rating: 'basically_satisfied', via: 'follow_up_call' });
  });

  const expected = () => [
    ['RT-A', '西长安街街道城管执法队', `${day} 09:30:00`, `${day} 10:00:00`, 'A 已清理完毕', '是', '满意'],
    ['RT-B', '西长安街街道城管执法队', `${day} 14:00:00`, `${day} 14:00:00`, 'B 已处理', '是', '基本满意'],
    ['RT-C', '西长安街街道办事处', `${day} 09:00:00`, `${day} 10:00:00`, 'C 已现场处置', '是', ''],
    ['RT-D', '西长安街街道城管执法队', '', '', '', '否', ''],
    ['RT-E', '', '', '', '', '否', ''],
  ];

  async function exported(format: 'json' | 'csv' | 'xlsx'): Promise<string[][]> {
    const res = await env.app.inject({
      method: 'GET',
      url: `/api/hotline/results?from=${day}&to=${day}&format=${format}`,
      headers: { cookie: s.district_admin!.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    if (format === 'json') {
      return (res.json() as Record<string, string>[]).map((r) => RESULT_COLUMNS.map((c) => r[c]!));
    }
    expect(res.headers['content-disposition']).toContain(`.${format}`);
    const table = await readSource(res.rawPayload, DEFAULT_MAPPING, { format });
    expect(table.headers).toEqual([...RESULT_COLUMNS]);
    return table.rows.map((r) => r.values.map(cellText));
  }

  it('sends back exactly what the trail says, read back the same from JSON, CSV and xlsx', async () => {
    for (const format of ['json', 'csv', 'xlsx'] as const) {
      const rows = (await exported(format)).filter((r) => r[0]!.startsWith('RT-'));
      expect(rows, format).toEqual(expected());
    }
  });

  it('reads the same results at the command line path, and keeps them to the caller jurisdiction', async () => {
    const cli = await env.ctx.hotline.results(SYSTEM_ACTOR, { from: day, to: day });
    expect(cli.filter((r) => r.workOrderNo.startsWith('RT-')).map((r) => r.workOrderNo)).toHaveLength(5);
    const leader = await env.app.inject({
      method: 'GET',
      url: `/api/hotline/results?from=${day}&to=${day}`,
      headers: { cookie: s.leader!.cookie },
    });
    expect(leader.statusCode).toBe(200);
    const inspector = await env.app.inject({
      method: 'GET',
      url: `/api/hotline/results?from=${day}&to=${day}`,
      headers: { cookie: s.inspector!.cookie },
    });
    expect(inspector.json().error.code).toBe('FORBIDDEN');
    const empty = await env.ctx.hotline.results(SYSTEM_ACTOR, { from: '2026-11-03', to: '2026-11-03' });
    expect(empty).toEqual([]);
  });

  it('computes the 三率 per unit from the same trail, with the cases behind each count', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: `/api/hotline/sanlv?from=${day}&to=${day}&details=true`,
      headers: { cookie: s.street_dispatcher!.cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.weights).toEqual({ response: 30, resolution: 35, satisfaction: 35 });
    expect(body.labels.dueResponse).toBe('应响应');
    const dept = body.units.find((u: { unitId: string }) => u.unitId === DEPT);
    const rt = (list: string[]) => list.filter((c) => Object.values(n).includes(c)).sort();
    expect(rt(dept.cases.dueResponse)).toEqual([n.A, n.B, n.D].sort());
    expect(rt(dept.cases.respondedOnTime)).toEqual([n.A]);
    expect(rt(dept.cases.respondedLate)).toEqual([n.B]);
    expect(rt(dept.cases.notResponded)).toEqual([n.D]);
    expect(rt(dept.cases.resolved)).toEqual([n.A, n.B].sort());
    expect(rt(dept.cases.inProgress)).toEqual([n.D]);
    expect(rt(dept.cases.satisfied)).toEqual([n.A]);
    expect(rt(dept.cases.basicallySatisfied)).toEqual([n.B]);
    const office = body.units.find((u: { unitId: string }) => u.unitId === `org-street-${STREET}`);
    expect(office.unitName).toBe('西长安街街道办事处');
    expect(rt(office.cases.respondedOnTime)).toEqual([n.C]);
    expect(rt(office.cases.resolved)).toEqual([n.C]);
    expect(rt(body.unattributed.cases)).toEqual([n.E]);
    // The worked example of docs/hotline.md.
    expect(dept.rates).toEqual({ response: 0.3333, resolution: 1, satisfaction: 1 });
    expect(dept.score).toBe(80);
    expect(office.rates).toEqual({ response: 1, resolution: 1, satisfaction: null });
    expect(office.score).toBe(100);

    // Only the round-trip cases are in the department's row once the others are left out by unit.
    const only = await env.ctx.hotline.sanlv(SYSTEM_ACTOR, { from: day, to: day, unit: DEPT, details: true });
    expect(only.units.map((u) => u.unitId)).toEqual([DEPT]);
    expect(only.unattributed.count).toBe(0);
  });

  it('shows a department its own row only', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: `/api/hotline/sanlv?from=${day}&to=${day}&unit=org-street-${STREET}`,
      headers: { cookie: s.department_handler!.cookie },
    });
    expect(res.json().units.map((u: { unitId: string }) => u.unitId)).toEqual([DEPT]);
    // Nor does it learn how many hotline cases the district received: only those its row counts.
    const district = await env.app.inject({
      method: 'GET',
      url: `/api/hotline/sanlv?from=${day}&to=${day}&details=true`,
      headers: { cookie: s.district_admin!.cookie },
    });
    const deptRow = district.json().units.find((u: { unitId: string }) => u.unitId === DEPT);
    const own = new Set(Object.values(deptRow.cases as Record<string, string[]>).flat());
    expect(own.size).toBeGreaterThan(0);
    expect(district.json().cases).toBeGreaterThan(own.size);
    expect(res.json().cases).toBe(own.size);
    expect(res.json().unattributed.count).toBe(0);
    const inspector = await env.app.inject({
      method: 'GET',
      url: `/api/hotline/sanlv?from=${day}&to=${day}`,
      headers: { cookie: s.inspector!.cookie },
    });
    expect(inspector.json().error.code).toBe('FORBIDDEN');
  });

  it('refuses a period that ends before it starts', async () => {
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/hotline/sanlv?from=2026-11-05&to=2026-11-01',
      headers: { cookie: s.district_admin!.cookie },
    });
    expect(res.json().error.details.fields[0].field).toBe('to');
  });
});

it('keeps its report readable by Excel tools', async () => {
  const [lng, lat] = pointIn(STREET, 20);
  const { report } = await env.ctx.hotline.importFile(
    SYSTEM_ACTOR,
    Buffer.from(`工单编号,诉求内容,经度,纬度\nXL-1,路面有坑很危险,${lng},${lat}\n`),
    { filename: 'x.csv' },
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(report as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toEqual(['校验结果', '汇总']);
});

it('describes its routes in the OpenAPI document', async () => {
  const doc = (await env.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  for (const p of [
    '/api/hotline/import',
    '/api/hotline/orders',
    '/api/hotline/results',
    '/api/hotline/sanlv',
  ]) {
    expect(Object.keys(doc.paths)).toContain(p);
  }
  expect(doc.components.schemas.HotlineSanlv).toBeDefined();
});

describe('orders waiting to be placed', () => {
  const order = {
    workOrderNo: 'WAIT-0001',
    description: '路边有一堆建筑垃圾很久无人清理',
    address: '某个说不清的地方',
    district: '西城区',
    category: '城乡建设',
  };

  it('lists an order the address placed nowhere, and files it where a dispatcher places it, once', async () => {
    const pushed = await env.app.inject({
      method: 'POST',
      url: '/api/hotline/orders',
      headers: s.district_admin!.headers,
      payload: { orders: [order] },
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(pushed.json().results[0]).toMatchObject({ status: 'created', caseNumber: null });

    const list = (as: string) =>
      env.app.inject({ method: 'GET', url: '/api/hotline/unlocated', headers: s[as]!.headers });
    const waiting = await list('district_admin');
    expect(waiting.statusCode, waiting.body).toBe(200);
    expect(waiting.json()).toContainEqual(
      expect.objectContaining({
        workOrderNo: order.workOrderNo,
        sourceClass: '城乡建设',
        address: order.address,
      }),
    );
    expect((await list('grid_worker')).statusCode).toBe(403);

    const [lng, lat] = pointIn(city.streets[0]!.code);
    const place = () =>
      env.app.inject({
        method: 'POST',
        url: `/api/hotline/unlocated/${order.workOrderNo}/place`,
        headers: s.district_admin!.headers,
        payload: { lng, lat },
      });
    const placed = await place();
    expect(placed.statusCode, placed.body).toBe(200);
    expect(placed.json().caseNumber).toMatch(/^110102-/);
    expect((await place()).statusCode).toBe(404);
    expect((await list('district_admin')).json()).not.toContainEqual(
      expect.objectContaining({ workOrderNo: order.workOrderNo }),
    );
    const row = await env.ctx.db
      .selectFrom('hotline_order')
      .select(['source_class', 'location_precision'])
      .where('work_order_no', '=', order.workOrderNo)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ source_class: '城乡建设', location_precision: 'point' });
  });
});
