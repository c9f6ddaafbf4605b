import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { beijingTime } from '../calendar/working-calendar.ts';
import { DEPT, demoActor, STREET, streetCentre } from '../deadlines/sla.fixtures.ts';

/**
 * The evaluation contracts over HTTP: measures with zeros and null rates, drill-downs, street scope,
 * a month evaluated, reviewed and frozen that keeps its figures after a case of it is reopened,
 * rankings with the previous period's rank, and the bulletin whose workbook matches the API.
 */

let env: TestEnv;
let admin: Session;
let street: Session;
let leader: Session;
const closedInNovember: string[] = [];

async function closedCase(at: Date, opts: { rework?: boolean; late?: boolean } = {}) {
  env.clock.set(at);
  const ctx = env.ctx;
  const [lng, lat] = await streetCentre(ctx);
  const resident = await demoActor(ctx, 'resident');
  const { result } = await ctx.cases.intake(resident, {
    channel: 'resident',
    description: '门口堆放建筑垃圾',
    lng,
    lat,
    crs: 'wgs84',
  });
  const dispatcher = await demoActor(ctx, 'street_dispatcher');
  const handler = await demoActor(ctx, 'department_handler');
  const inspector = await demoActor(ctx, 'inspector');
  await ctx.cases.act(dispatcher, result.id, 'accept', {
    categoryKey: 'event:06001',
    ...(opts.late && { deadline: new Date(at.getTime() + 2 * 86_400_000).toISOString() }),
  });
  await ctx.cases.act(dispatcher, result.id, 'dispatch', { tier: 2, unitId: DEPT });
  env.clock.set(new Date(at.getTime() + 30 * 60_000));
  await ctx.cases.act(handler, result.id, 'sign', {});
  const fb = { note: '已清运', afterPhotoIds: [], noPhotoReason: '现场已无' };
  await ctx.cases.act(handler, result.id, 'feedback', fb);
  if (opts.rework) {
    await ctx.cases.act(inspector, result.id, 'verify_fail', { reason: '仍有残留' });
    await ctx.cases.act(handler, result.id, 'feedback', fb);
  }
  if (opts.late) env.clock.set(new Date(at.getTime() + 5 * 86_400_000));
  await ctx.cases.act(inspector, result.id, 'verify_pass', {});
  return result.caseNumber;
}

beforeAll(async () => {
  env = await createTestEnv();
  // October: one case closed on time. November: three, one reworked, one late.
  await closedCase(beijingTime('2026-10-12', '10:00'));
  closedInNovember.push(await closedCase(beijingTime('2026-11-09', '10:00')));
  closedInNovember.push(await closedCase(beijingTime('2026-11-10', '10:00'), { rework: true }));
  closedInNovember.push(await closedCase(beijingTime('2026-11-02', '10:00'), { late: true }));
  env.clock.set(beijingTime('2026-12-03', '09:00'));
  admin = await login(env.app, 'demo-district_admin');
  street = await login(env.app, 'demo-street_dispatcher');
  leader = await login(env.app, 'demo-leader');
}, 120_000);
afterAll(async () => {
  await env?.close();
});

const get = (s: Session, url: string) => env.app.inject({ method: 'GET', url, headers: s.headers });

describe('GET /api/measures', () => {
  it('answers one row per street of the district, zeros and null rates for the empty ones', async () => {
    const res = await get(admin, '/api/measures?level=street&from=2026-11-01&to=2026-11-30');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    expect(body.rows).toHaveLength(15);
    const mine = body.rows.find((r: { unit: { code: string } }) => r.unit.code === STREET);
    expect(mine).toMatchObject({
      unit: { level: 'street', code: STREET, name: expect.any(String) },
      filed: 3,
      due: 3,
      closed: 3,
      closedOnTime: 2,
      overdue: 1,
      reworked: 1,
      closureRate: 1,
      onTimeRate: 0.6667,
      reworkRate: 0.3333,
      responseRate: 1,
    });
    const empty = body.rows.find((r: { unit: { code: string } }) => r.unit.code === '110102012');
    expect(empty).toMatchObject({ filed: 0, due: 0, closureRate: null, onTimeRate: null, reworkRate: null });
  });

  it('drills every figure down to its cases', async () => {
    const res = await get(
      admin,
      `/api/measures/closedOnTime/cases?level=street&unit=${STREET}&from=2026-11-01&to=2026-11-30`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ count: 2 });
    const rate = await get(
      admin,
      `/api/measures/reworkRate/cases?level=department&unit=${DEPT}&from=2026-11-01&to=2026-11-30`,
    );
    expect(rate.json()).toMatchObject({ count: 1, caseNumbers: [closedInNovember[1]] });
  });

  it('keeps a street to its own street', async () => {
    const res = await get(street, '/api/measures?level=street&from=2026-11-01&to=2026-11-30');
    expect(res.statusCode).toBe(200);
    expect(res.json().rows.map((r: { unit: { code: string } }) => r.unit.code)).toEqual([STREET]);
    const other = await get(street, '/api/measures?level=grid&from=2026-11-01&to=2026-11-30&scope=110102012');
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('OUT_OF_SCOPE');
    const drill = await get(
      street,
      '/api/measures/filed/cases?level=street&unit=110102012&from=2026-11-01&to=2026-11-30',
    );
    expect(drill.statusCode).toBe(403);
    expect(drill.json().error.code).toBe('OUT_OF_SCOPE');
    const grids = await get(street, `/api/measures?level=grid&from=2026-11-01&to=2026-11-30&scope=${STREET}`);
    expect(grids.statusCode).toBe(200);
    expect(grids.json().rows.every((r: { unit: { code: string } }) => r.unit.code.startsWith(STREET))).toBe(
      true,
    );
  });

  it('refuses roles that do not read measures', async () => {
    const handler = await login(env.app, 'demo-department_handler');
    expect((await get(handler, '/api/measures?level=street&from=2026-11-01&to=2026-11-30')).statusCode).toBe(
      403,
    );
  });
});

describe('GET /api/dashboard', () => {
  it('shows the district to a leader and a street to its dispatcher, each hotspot explained by its cases', async () => {
    const district = (await get(leader, '/api/dashboard?from=2026-11-01&to=2026-11-30')).json();
    expect(district.scope).toMatchObject({ level: 'district', code: '110102' });
    expect(district.trend).toHaveLength(12);
    expect(district.trend.at(-1)).toMatchObject({ month: '2026-11', filed: 3 });
    expect(district.byArea).toHaveLength(15);
    expect(district.topCategories[0]).toMatchObject({ key: 'event:06001', filed: 3 });
    expect(district.hotspots.length).toBeGreaterThan(0);
    const cell = district.hotspots[0];
    const cases = (
      await get(leader, `/api/dashboard/hotspots/${cell.cell}/cases?from=2026-11-01&to=2026-11-30`)
    ).json();
    expect(cases.count).toBe(cell.count);

    const own = await get(street, '/api/dashboard?from=2026-11-01&to=2026-11-30');
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ scope: { level: 'street', code: STREET }, areaLevel: 'community' });
    expect((await get(street, '/api/dashboard?from=2026-11-01&to=2026-11-30&scope=110102')).statusCode).toBe(
      403,
    );
  });
});

describe('monthly evaluation, rankings and the bulletin', () => {
  it('a frozen month keeps its figures after a case of that month is reopened', async () => {
    const post = (url: string) => env.app.inject({ method: 'POST', url, headers: admin.headers });
    const run = await post('/api/evaluations/2026-11/street');
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ runNo: 1, status: 'evaluated' });
    expect((await post('/api/evaluations/2026-11/street/1/freeze')).statusCode).toBe(409);
    expect((await post('/api/evaluations/2026-11/street/1/review')).json().status).toBe('reviewed');
    const frozen = await post('/api/evaluations/2026-11/street/1/freeze');
    expect(frozen.json().status).toBe('frozen');
    const before = frozen.json().rows.find((r: { unit: { code: string } }) => r.unit.code === STREET);
    expect(before.figures.closed).toBe(3);

    // The reporter reopens a November case within the window (the clock is put back to days after it closed).
    env.clock.set(beijingTime('2026-11-12', '09:00'));
    const resident = await demoActor(env.ctx, 'resident');
    await env.ctx.cases.act(resident, closedInNovember[0] as string, 'reopen', { reason: '又堆上了' });
    env.clock.set(beijingTime('2026-12-03', '09:00'));

    const live = (await get(admin, '/api/measures?level=street&from=2026-11-01&to=2026-11-30')).json();
    expect(live.rows.find((r: { unit: { code: string } }) => r.unit.code === STREET).closed).toBe(2);
    const ranking = (await get(admin, '/api/rankings?level=street&period=2026-11')).json();
    expect(ranking.frozen).toBe(true);
    const row = ranking.rows.find((r: { unit: { code: string } }) => r.unit.code === STREET);
    expect(row.figures.closed).toBe(3);
    expect(row.score).toBe(before.score);

    // A second run sees the reopening, and shows the change against the frozen one.
    const again = await post('/api/evaluations/2026-11/street');
    const mine = again.json().rows.find((r: { unit: { code: string } }) => r.unit.code === STREET);
    expect(mine.figures.closed).toBe(2);
    expect(mine.scoreChange).toBeLessThan(0);
  });

  it('ranks with the previous period’s rank, and a street sees only its own place', async () => {
    const res = await get(leader, '/api/rankings?level=street&period=2026-Q4');
    expect(res.statusCode).toBe(200);
    const rows = res.json().rows;
    expect(rows).toHaveLength(15);
    expect(rows[0]).toMatchObject({ rank: 1, unit: { code: STREET }, previousRank: null });
    const nov = (await get(admin, '/api/rankings?level=street&period=2026-12')).json().rows;
    expect(nov.find((r: { unit: { code: string } }) => r.unit.code === STREET).previousRank).toBe(1);
    const own = (await get(street, '/api/rankings?level=street&period=2026')).json().rows;
    expect(own.map((r: { unit: { code: string } }) => r.unit.code)).toEqual([STREET]);
    expect((await get(street, '/api/bulletins/2026-Q4')).statusCode).toBe(403);
  });

  it('the bulletin names the bottom units with their cases, and its workbook matches the API', async () => {
    const json = (await get(leader, '/api/bulletins/2026-Q4')).json();
    const dept = json.sections.find((s: { level: string }) => s.level === 'department');
    expect(dept.bottom.length).toBeGreaterThan(0);
    const named = dept.bottom.find((b: { unit: { code: string } }) => b.unit.code === DEPT);
    expect(named.overdue.length + named.reworked.length).toBeGreaterThan(0);

    const res = await get(leader, '/api/bulletins/2026-Q4.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('街道排名');
    expect(sheet).toBeDefined();
    const streets = json.sections.find((s: { level: string }) => s.level === 'street').rows;
    streets.forEach((r: { rank: number | null; unit: { code: string }; score: number | null }, i: number) => {
      const row = sheet?.getRow(i + 2);
      expect(row?.getCell(3).value).toBe(r.unit.code);
      expect(row?.getCell(4).value ?? null).toBe(r.score);
      expect(row?.getCell(1).value ?? null).toBe(r.rank);
    });
    const naming = wb.getWorksheet('点名');
    const listed = new Set<string>();
    naming?.eachRow((row, n) => {
      if (n > 1 && typeof row.getCell(6).value === 'string') listed.add(row.getCell(6).value as string);
    });
    for (const c of [...named.overdue, ...named.reworked]) expect(listed.has(c)).toBe(true);
    expect(wb.getWorksheet('图表数据')).toBeDefined();
  });

  it('the scheme is versioned and only the district edits it', async () => {
    const current = (await get(admin, '/api/evaluation/scheme')).json();
    expect(current.version).toBe(0);
    const put = (s: Session, body: unknown) =>
      env.app.inject({
        method: 'PUT',
        url: '/api/evaluation/scheme',
        headers: s.headers,
        payload: body as object,
      });
    const scheme = { ...current.scheme, bottomCount: 2 };
    expect((await put(street, { basedOnVersion: 0, scheme })).statusCode).toBe(403);
    const saved = await put(admin, { basedOnVersion: 0, scheme });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().version).toBe(1);
    expect((await put(admin, { basedOnVersion: 0, scheme })).statusCode).toBe(409);
  });
});
