import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import type { CliContext } from '../cli/context.ts';
import { loadConfig } from '../config/config.ts';
import { registerLedgerCommands } from './ledger.cli.ts';
import {
  CaseDriver,
  type CaseView,
  DEPT,
  NO_PHOTO,
  readWorkbook,
  SHICHAHAI,
  sheetRows,
  XICHANGANJIE,
} from './ledger.fixtures.ts';

/**
 * The case ledger over HTTP and as a workbook: what is open and struck, who may see which entries, and
 * that the spreadsheet holds exactly the columns a street office keeps, with the values of the case.
 */
let env: TestEnv;
let d: CaseDriver;
let closed: CaseView;
let dispatched: CaseView;
let elsewhere: CaseView;

const HEADERS = [
  '编号',
  '问题类型',
  '位置',
  '街巷',
  '责任单位',
  '发现时间',
  '时限',
  '状态',
  '整改情况',
  '复核结果',
  '销账时间',
];
const HOUR = 3_600_000;

/** The Beijing wall-clock time of an instant, as an Excel cell read back by ExcelJS holds it. */
const beijingWall = (iso: string) => new Date(Date.parse(iso) + 8 * HOUR);

interface Entry {
  caseNumber: string;
  problemType: string;
  location: string;
  alleyName: string | null;
  responsibleUnit: string | null;
  state: string;
  stateLabel: string;
  open: boolean;
  rectification: string | null;
  verification: { passed: boolean; text: string; reason: string | null } | null;
  closedAt: string | null;
}

async function ledger(who: string, query: string) {
  const res = await d.get(who, `/api/ledgers/cases?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Entry[]; total: number; open: number; closed: number };
}

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  await d.signIn('street_dispatcher', 'department_handler', 'inspector', 'district_admin', 'resident');
  await d.addAccount('shichahai-dispatcher', 'street_dispatcher', SHICHAHAI);

  // Reported at 09:00 on Monday 2 November 2026, handled, failed once, then passed and struck.
  closed = await d.report('胡同口私搭乱建的棚子', { address: '西长安街光明胡同12号门口' });
  await d.ok('street_dispatcher', closed.caseNumber, 'accept', { categoryKey: 'event:06001' });
  await d.ok('street_dispatcher', closed.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
  env.clock.advance(HOUR);
  await d.ok('department_handler', closed.caseNumber, 'sign');
  await d.ok('department_handler', closed.caseNumber, 'feedback', { note: '已拆除一半', ...NO_PHOTO });
  await d.ok('inspector', closed.caseNumber, 'verify_fail', { reason: '仍有残留' });
  env.clock.advance(HOUR);
  await d.ok('department_handler', closed.caseNumber, 'feedback', {
    note: '已全部拆除，恢复原状',
    ...NO_PHOTO,
  });
  env.clock.advance(HOUR);
  await d.ok('inspector', closed.caseNumber, 'verify_pass', { note: '现场复核合格' });
  closed = await d.view(closed.caseNumber);

  // Open, with another department, and with no address.
  dispatched = await d.report('路边堆放的建筑垃圾');
  await d.ok('street_dispatcher', dispatched.caseNumber, 'accept', { categoryKey: 'event:06010' });
  await d.ok('street_dispatcher', dispatched.caseNumber, 'dispatch', { tier: 2, unitId: 'org-housing' });
  dispatched = await d.view(dispatched.caseNumber);

  // In another street, awaiting filing.
  elsewhere = await d.report('什刹海边上的垃圾桶满了', { street: SHICHAHAI });
});
afterAll(async () => {
  await env?.close();
});

describe('the case ledger', () => {
  it('lists open entries by default, struck ones on request, both with all', async () => {
    const open = await ledger('street_dispatcher', `street=${XICHANGANJIE}`);
    expect(open.items.map((e) => e.caseNumber)).toEqual([dispatched.caseNumber]);
    const struck = await ledger('street_dispatcher', `street=${XICHANGANJIE}&state=closed`);
    expect(struck.items.map((e) => e.caseNumber)).toEqual([closed.caseNumber]);
    const all = await ledger('street_dispatcher', 'state=all');
    expect(all.items.map((e) => e.caseNumber)).toEqual([dispatched.caseNumber, closed.caseNumber]);
    expect(all).toMatchObject({ total: 2, open: 1, closed: 1 });
    // The district sees both streets.
    const district = await ledger('district_admin', 'state=all');
    expect(district.items.map((e) => e.caseNumber)).toContain(elsewhere.caseNumber);
  });

  it('filters by category and by the day the case was found', async () => {
    const cat = await ledger('street_dispatcher', 'state=all&category=06010');
    expect(cat.items.map((e) => e.caseNumber)).toEqual([dispatched.caseNumber]);
    expect((await ledger('street_dispatcher', 'state=all&from=2026-11-02&to=2026-11-02')).total).toBe(2);
    expect((await ledger('street_dispatcher', 'state=all&from=2026-11-03')).total).toBe(0);
    const bad = await d.get('street_dispatcher', '/api/ledgers/cases?from=2026-13-01');
    expect(bad.statusCode).toBe(400);
  });

  it('assembles each entry from the case, its place, its unit and its trail', async () => {
    const [entry] = (await ledger('street_dispatcher', 'state=closed')).items;
    expect(entry).toMatchObject({
      caseNumber: closed.caseNumber,
      problemType: '私搭乱建',
      location: '西长安街光明胡同12号门口',
      responsibleUnit: '西长安街街道城管执法队',
      stateLabel: '已销账',
      open: false,
      rectification: '已全部拆除，恢复原状',
      verification: { passed: true, text: '通过：现场复核合格', reason: '现场复核合格' },
      closedAt: closed.closedAt,
    });
    const [open] = (await ledger('street_dispatcher', 'state=open')).items;
    // No address: the street and community with the coordinates rounded to about a metre.
    expect(open!.location).toMatch(/^西长安街街道.*（116\.\d{5}, 39\.\d{5}）$/);
    expect(open).toMatchObject({ stateLabel: '已派遣', rectification: null, verification: null });
  });

  it("shows a department only its own organisation's cases", async () => {
    const dept = await ledger('department_handler', 'state=all');
    expect(dept.items.map((e) => e.caseNumber)).toEqual([closed.caseNumber]);
  });

  it('filters by the responsible unit in the query, counts included', async () => {
    const cg = await ledger('street_dispatcher', `state=all&unit=${DEPT}`);
    expect(cg.items.map((e) => e.caseNumber)).toEqual([closed.caseNumber]);
    expect(cg).toMatchObject({ total: 1, open: 0, closed: 1 });
    const housing = await ledger('street_dispatcher', 'state=all&unit=org-housing');
    expect(housing.items.map((e) => e.caseNumber)).toEqual([dispatched.caseNumber]);
    expect(housing).toMatchObject({ total: 1, open: 1, closed: 0 });
    // The unit narrows the jurisdiction, it does not replace it.
    expect((await ledger('shichahai-dispatcher', `state=all&unit=${DEPT}`)).total).toBe(0);
    const bad = await d.get('street_dispatcher', '/api/ledgers/cases?unit=');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('unit');
  });

  it("never shows a department another unit's cases by naming that unit", async () => {
    expect((await ledger('department_handler', 'state=all&unit=org-housing')).total).toBe(0);
    const own = await ledger('department_handler', `state=all&unit=${DEPT}`);
    expect(own.items.map((e) => e.caseNumber)).toEqual([closed.caseNumber]);
    const xlsx = await d.get('department_handler', '/api/ledgers/cases.xlsx?state=all&unit=org-housing');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['x-row-count']).toBe('0');
  });

  it('refuses a street outside the jurisdiction, and anyone who is not staff', async () => {
    const list = await d.get('shichahai-dispatcher', `/api/ledgers/cases?street=${XICHANGANJIE}`);
    expect(list.statusCode).toBe(403);
    expect(list.json().error.code).toBe('OUT_OF_SCOPE');
    const xlsx = await d.get('shichahai-dispatcher', `/api/ledgers/cases.xlsx?street=${XICHANGANJIE}`);
    expect(xlsx.statusCode).toBe(403);
    expect(xlsx.json().error.code).toBe('OUT_OF_SCOPE');
    // Its own street is its own.
    const own = await ledger('shichahai-dispatcher', 'state=all');
    expect(own.items.map((e) => e.caseNumber)).toEqual([elsewhere.caseNumber]);
    expect((await d.get('resident', '/api/ledgers/cases')).json().error.code).toBe('FORBIDDEN');
    expect((await d.get(null, '/api/ledgers/cases')).statusCode).toBe(401);
  });
});

describe('the ledger as a workbook', () => {
  it('has the street office columns, frozen and filterable, with a row per case', async () => {
    const res = await d.get('street_dispatcher', `/api/ledgers/cases.xlsx?street=${XICHANGANJIE}&state=all`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''`);
    const workbook = await readWorkbook(res.rawPayload);
    const sheet = workbook.getWorksheet('台账')!;
    const rows = sheetRows(sheet);
    expect(rows[0]).toEqual(HEADERS);
    expect(rows).toHaveLength(3);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.getColumn(3).width).toBeGreaterThan(sheet.getColumn(8).width!);

    const entry = (await ledger('street_dispatcher', 'state=closed')).items[0]!;
    // The locator puts the street centre next to one of the demo alleys.
    expect(entry.alleyName).toEqual(expect.any(String));
    // Oldest first, as a ledger is kept.
    expect(rows[1]).toEqual([
      closed.caseNumber,
      '私搭乱建',
      '西长安街光明胡同12号门口',
      entry.alleyName,
      '西长安街街道城管执法队',
      beijingWall(closed.createdAt),
      beijingWall(closed.handlingDeadline!),
      '已销账',
      '已全部拆除，恢复原状',
      '通过：现场复核合格',
      beijingWall(closed.closedAt!),
    ]);
    // Real dates, shown in Beijing time.
    expect(rows[1]![5]).toEqual(new Date('2026-11-02T09:00:00Z'));
    expect(sheet.getRow(2).getCell(6).numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(rows[2]!.slice(0, 2)).toEqual([dispatched.caseNumber, '暴露垃圾']);
    expect(rows[2]![7]).toBe('已派遣');
    expect(rows[2]![10]).toBeNull();
  });

  it('holds only the rows of the unit asked for', async () => {
    const res = await d.get('street_dispatcher', '/api/ledgers/cases.xlsx?state=all&unit=org-housing');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['x-row-count']).toBe('1');
    const rows = sheetRows((await readWorkbook(res.rawPayload)).getWorksheet('台账')!);
    expect(rows.slice(1).map((r) => r[0])).toEqual([dispatched.caseNumber]);
  });

  it('is written by `hutong ledger export` for a street', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-ledger-'));
    const out = path.join(dir, 'ledger.xlsx');
    const printed: string[] = [];
    const cli: CliContext = {
      config: { ...loadConfig(), demo: false },
      // The test's database stays open for the other tests.
      openDatabase: async () => ({ ...env.handle, close: async () => {} }),
      print: (line) => printed.push(line),
    };
    const program = new Command('hutong').exitOverride();
    registerLedgerCommands(program, cli);
    await program.parseAsync(['ledger', 'export', '--street', XICHANGANJIE, '--state', 'all', '--out', out], {
      from: 'user',
    });
    expect(printed).toEqual([`wrote 2 entries to ${out}`]);
    const rows = sheetRows((await readWorkbook(await fs.readFile(out))).getWorksheet('台账')!);
    expect(rows[0]).toEqual(HEADERS);
    expect(rows.slice(1).map((r) => r[0])).toEqual([closed.caseNumber, dispatched.caseNumber]);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
