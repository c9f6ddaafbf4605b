import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import {
  demoFixtureCity,
  type FixtureCity,
  fixtureCsv,
  fixtureWorkbook,
  generateHotlineOrders,
} from './hotline.fixtures.ts';

/**
 * Importing a hotline export at the service, on whichever engine the run uses: a 200-row workbook with
 * a few bad rows, its validation report, a second import that files nothing, a dry run, CSV and JSON,
 * a mapping file, and the trail afterwards.
 */
let env: TestEnv;
let city: FixtureCity;

beforeAll(async () => {
  env = await createTestEnv();
  city = demoFixtureCity();
});
afterAll(async () => {
  await env?.close();
});

async function hotlineCases(): Promise<number> {
  const r = await env.ctx.db
    .selectFrom('case_record')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('channel', '=', 'hotline')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function sheetRows(bytes: Buffer, sheet: string): Promise<(string | number | null)[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(sheet)!;
  const out: (string | number | null)[][] = [];
  ws.eachRow((row) => {
    out.push(
      (row.values as ExcelJS.CellValue[]).slice(1).map((v) => (v === undefined ? null : (v as string))),
    );
  });
  return out;
}

describe('hotline import', () => {
  const rows = () => generateHotlineOrders(city, { rows: 200, badPerKind: 2, prefix: 'GDA' });

  it('files every good row of a 200-row workbook once and rejects the bad ones with their reasons', async () => {
    const orders = rows();
    const before = await hotlineCases();
    const {
      summary,
      rows: results,
      report,
    } = await env.ctx.hotline.importFile(SYSTEM_ACTOR, await fixtureWorkbook(orders), {
      filename: 'orders.xlsx',
    });
    const good = orders.filter((o) => o.expect === 'created').length;
    expect(summary).toMatchObject({
      rows: 200,
      created: good,
      existing: 0,
      rejected: 6,
      format: 'xlsx',
      headerRow: 1,
    });
    expect(summary.columns).toMatchObject({ workOrderNo: '工单编号', lng: '经度', unit: '承办单位' });
    results.forEach((r, i) => {
      const o = orders[i]!;
      expect(r.workOrderNo ?? o.workOrderNo, `row ${r.rowNumber}`).toBe(o.workOrderNo);
      expect(r.outcome, `row ${r.rowNumber} ${JSON.stringify(r.issues)}`).toBe(o.expect);
      if (o.bad === 'missing_content') expect(r.issues.map((x) => x.field)).toEqual(['description']);
      if (o.bad === 'bad_coordinates') expect(r.issues[0]!.field).toBe('lng');
      if (o.bad === 'bad_date')
        expect(r.issues[0]!).toMatchObject({ field: 'receivedAt', code: 'invalid_date' });
      if (o.expect === 'created') {
        expect(r.caseNumber).toMatch(/^110102-\d{8}-\d{5}$/);
        expect(r.placedBy).toMatch(o.placedBy === 'address' ? /^街巷：/ : /^坐标$/);
      }
    });
    expect(summary.reasons.map((x) => [x.field, x.code, x.count]).sort()).toEqual([
      ['description', 'required', 2],
      ['lng', 'not_a_number', 1],
      ['lng', 'outside_territory', 1],
      ['receivedAt', 'invalid_date', 2],
    ]);
    expect(await hotlineCases()).toBe(before + good);

    const sample = await env.ctx.db
      .selectFrom('case_record')
      .selectAll()
      .where('external_ref', '=', orders[0]!.workOrderNo)
      .executeTakeFirstOrThrow();
    expect(sample).toMatchObject({
      channel: 'hotline',
      description: orders[0]!.cells[2],
      address: orders[0]!.cells[3],
      reporter_name: orders[0]!.cells[8],
      reporter_contact: orders[0]!.cells[9],
      state: 'reported',
    });

    const sheet = await sheetRows(report, '校验结果');
    expect(sheet[0]).toEqual([
      '工单编号',
      '受理时间',
      '诉求内容',
      '诉求地址',
      '经度',
      '纬度',
      '坐标系',
      '问题分类',
      '来电人',
      '联系电话',
      '承办单位',
      '结果',
      '原因',
      '案件编号',
      '定位',
      '原行号',
    ]);
    expect(sheet).toHaveLength(201);
    const rejected = sheet.filter((r) => r[11] === '拒绝');
    expect(rejected).toHaveLength(6);
    for (const r of rejected) expect(String(r[12])).not.toBe('');
    expect(rejected.map((r) => r[12])).toContain('诉求内容为空');
    expect(sheet.filter((r) => r[11] === '导入')).toHaveLength(good);
    const overview = await sheetRows(report, '汇总');
    expect(overview).toContainEqual(['拒绝', 6]);
  });

  it('imports the same file again without filing anything twice', async () => {
    const orders = rows();
    const before = await hotlineCases();
    const { summary, rows: results } = await env.ctx.hotline.importFile(
      SYSTEM_ACTOR,
      await fixtureWorkbook(orders),
      {
        filename: 'orders.xlsx',
      },
    );
    const good = orders.filter((o) => o.expect === 'created').length;
    expect(summary).toMatchObject({ created: 0, existing: good, rejected: 6 });
    expect(results.filter((r) => r.outcome === 'existing').every((r) => r.caseNumber)).toBe(true);
    expect(await hotlineCases()).toBe(before);
  });

  it('checks everything in a dry run and files nothing', async () => {
    const orders = generateHotlineOrders(city, { rows: 30, badPerKind: 1, prefix: 'GDDRY', seed: 7 });
    const before = await hotlineCases();
    const { summary, report } = await env.ctx.hotline.importFile(
      SYSTEM_ACTOR,
      await fixtureWorkbook(orders),
      {
        filename: 'dry.xlsx',
        dryRun: true,
      },
    );
    expect(summary).toMatchObject({ dryRun: true, created: 27, rejected: 3 });
    expect(await hotlineCases()).toBe(before);
    expect((await sheetRows(report, '校验结果')).filter((r) => r[11] === '可导入')).toHaveLength(27);
  });

  it('reads the same orders from CSV and JSON, and a number twice in a file files once', async () => {
    const orders = generateHotlineOrders(city, { rows: 20, badPerKind: 0, prefix: 'GDCSV', seed: 9 });
    const csv = fixtureCsv([...orders, orders[0]!]);
    const first = await env.ctx.hotline.importFile(SYSTEM_ACTOR, new TextEncoder().encode(csv), {
      filename: 'o.csv',
    });
    expect(first.summary).toMatchObject({ format: 'csv', created: 20, existing: 1, rejected: 0 });
    expect(first.rows[20]).toMatchObject({ outcome: 'existing', note: '与第 2 行工单编号相同' });
    expect(first.rows[20]!.caseNumber).toBe(first.rows[0]!.caseNumber);

    const json = JSON.stringify({
      orders: orders.map((o) =>
        Object.fromEntries(['工单编号', '诉求内容', '诉求地址'].map((h, i) => [h, o.cells[[0, 2, 3][i]!]])),
      ),
    });
    const again = await env.ctx.hotline.importFile(SYSTEM_ACTOR, new TextEncoder().encode(json), {
      filename: 'o.json',
    });
    expect(again.summary).toMatchObject({ format: 'json', created: 0, existing: 20 });
  });

  it('knows an order filed through another door by its work-order number', async () => {
    const street = (await env.ctx.territory.listStreets()).find((s) => s.code === '110102001')!;
    await env.ctx.cases.intake(null, {
      channel: 'hotline',
      description: '电话反映：路灯不亮',
      lng: street.center[0],
      lat: street.center[1],
      crs: 'wgs84',
      externalRef: 'DESK-1',
    });
    const csv = `工单编号,诉求内容,经度,纬度\nDESK-1,电话反映：路灯不亮,${street.center[0]},${street.center[1]}\n`;
    const r = await env.ctx.hotline.importFile(SYSTEM_ACTOR, new TextEncoder().encode(csv), {
      filename: 'd.csv',
    });
    expect(r.summary).toMatchObject({ created: 0, existing: 1 });
  });

  it('follows a mapping file: other headers, a default coordinate system and category aliases', async () => {
    const alley = city.alleys.find((a) => a.streetCode === '110102003')!;
    const mapping = env.ctx.hotline.mapping({
      columns: { workOrderNo: 'ID', description: ['内容', '描述'], category: '类别', address: '位置' },
      crs: 'gcj02',
      categories: { 垃圾满地: 'event:06010' },
    });
    const json = JSON.stringify([
      { ID: 'MAP-1', 描述: '胡同口垃圾满地没人管', 类别: '垃圾满地', 位置: `西城区${alley.name}5号` },
      { ID: 'MAP-2', 描述: '胡同口垃圾满地没人管', 类别: '没有这一类', 位置: `西城区${alley.name}6号` },
      {
        ID: 'MAP-3',
        描述: '胡同口垃圾满地没人管',
        类别: '垃圾满地',
        位置: `西城区${alley.name}6号`,
        extra: 1,
      },
    ]);
    const r = await env.ctx.hotline.importFile(SYSTEM_ACTOR, new TextEncoder().encode(json), {
      mapping,
      filename: 'm.json',
    });
    // A class the taxonomy does not know is kept as the order's source class, not refused.
    expect(r.rows.map((x) => x.outcome)).toEqual(['created', 'created', 'created']);
    const kept = await env.ctx.db
      .selectFrom('hotline_order')
      .select(['source_class', 'location_precision'])
      .where('work_order_no', '=', 'MAP-2')
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ source_class: '没有这一类', location_precision: 'alley' });
    const c = await env.ctx.db
      .selectFrom('case_record')
      .select(['category_key', 'street_code', 'address'])
      .where('external_ref', '=', 'MAP-1')
      .executeTakeFirstOrThrow();
    expect(c).toMatchObject({ category_key: 'event:06010', address: `西城区${alley.name}5号` });
    expect(() => env.ctx.hotline.mapping({ columns: { nonsense: 'x' } })).toThrow();
  });

  it('refuses a file without a work-order column and names the columns it has', async () => {
    const csv = '编号,内容\n1,路面有坑很危险\n';
    await expect(
      env.ctx.hotline.importFile(SYSTEM_ACTOR, new TextEncoder().encode(csv), { filename: 'x.csv' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: {
        fields: [
          expect.objectContaining({ field: 'workOrderNo' }),
          expect.objectContaining({ field: 'description' }),
        ],
      },
    });
  });

  it('leaves trails that verify', async () => {
    const audit = await env.ctx.cases.verifyAudit();
    expect(audit.problems).toEqual([]);
    expect(audit.cases).toBeGreaterThan(200);
  });
});
