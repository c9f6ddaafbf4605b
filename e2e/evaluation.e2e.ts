import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  consoleLogin,
  DESKTOP,
  launch,
  type Session,
  screenshot,
  streetCentre,
} from './support/browser.ts';

const STREET = '110102001';
const DEPT = `org-cg-${STREET}`;

interface ApiSession {
  cookie: string;
  csrf: string;
}

async function apiLogin(username: string): Promise<ApiSession> {
  const response = await fetch(`${baseUrl()}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}

async function apiPost<T>(session: ApiSession, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${baseUrl()}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', cookie: session.cookie, 'X-CSRF-Token': session.csrf },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function apiGet(session: ApiSession, path: string): Promise<Response> {
  return fetch(`${baseUrl()}${path}`, { headers: { cookie: session.cookie } });
}

const quarterOf = (d: Date) => {
  const local = new Date(d.getTime() + 8 * 3_600_000);
  return `${local.getUTCFullYear()}-Q${Math.ceil((local.getUTCMonth() + 1) / 3)}`;
};

/**
 * Evaluation in the browser: cases handled today through the loop; the leader's dashboard shows them
 * and each number opens its cases; the district's ranking; the bulletin's printable page; the .xlsx
 * carries the API's figures.
 */
describe('dashboard, ranking and the quarterly bulletin', () => {
  const sessions: Session[] = [];
  const quarter = quarterOf(new Date());
  let admin: ApiSession;

  beforeAll(async () => {
    const dispatcher = await apiLogin('demo-street_dispatcher');
    const handler = await apiLogin('demo-department_handler');
    const inspector = await apiLogin('demo-inspector');
    admin = await apiLogin('demo-district_admin');
    const [lng, lat] = (await streetCentre(STREET)).center;
    for (const [i, rework] of [false, true, false].entries()) {
      const c = await apiPost<{ id: string }>(dispatcher, '/api/cases', {
        channel: 'patrol',
        description: `胡同口堆放杂物 评估 ${i}`,
        lng: lng + i * 0.0003,
        lat,
        categoryCode: 'event:06010',
      });
      const act = (s: ApiSession, a: string, body: unknown = {}) =>
        apiPost(s, `/api/cases/${c.id}/actions/${a}`, body);
      await act(dispatcher, 'accept', { categoryKey: 'event:06010' });
      await act(dispatcher, 'dispatch', { tier: 2, unitId: DEPT });
      await act(handler, 'sign');
      const fb = { note: '已清理', afterPhotoIds: [], noPhotoReason: '现场已无杂物' };
      await act(handler, 'feedback', fb);
      if (rework) {
        await act(inspector, 'verify_fail', { reason: '仍有残留' });
        await act(handler, 'feedback', fb);
      }
      await act(inspector, 'verify_pass');
    }
  });

  afterAll(async () => {
    for (const session of sessions) await session.close();
  });

  async function person(username: string): Promise<Session> {
    const session = await launch(DESKTOP);
    sessions.push(session);
    await consoleLogin(session.page, username);
    return session;
  }

  it("the leader's home is the dashboard, and a number opens the cases behind it", async () => {
    const { page } = await person('demo-leader');
    await page.getByTestId('dashboard').waitFor();
    await page.getByRole('region', { name: '问题热点地图，点击六边形查看案件' }).waitFor();
    await page.getByRole('img', { name: /趋势图/ }).waitFor();
    await screenshot(page, 'evaluation-dashboard');
    await page.getByRole('link', { name: '立案数的案件' }).click();
    const list = page.getByTestId('measure-cases');
    await list
      .getByRole('link', { name: /^110102-/ })
      .first()
      .waitFor();
    expect(await list.getByRole('link', { name: /^110102-/ }).count()).toBeGreaterThanOrEqual(3);
  });

  it('the district sees the streets ranked, with the previous rank', async () => {
    const { page } = await person('demo-district_admin');
    await page.goto(`/rankings?level=street&period=${quarter}`);
    const table = page.getByTestId('ranking-table');
    await table.getByRole('row', { name: /西长安街/ }).waitFor();
    await expect
      .poll(async () => (await table.getByRole('row', { name: /西长安街/ }).textContent()) ?? '')
      .toMatch(/^1/);
    await screenshot(page, 'evaluation-ranking');
  });

  it('the bulletin prints on A4, and its workbook carries the API’s figures', async () => {
    const { page } = await person('demo-district_admin');
    await page.goto(`/bulletins/${quarter}`);
    await page.getByTestId('bulletin').getByText('点名', { exact: false }).first().waitFor();
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'evaluation-bulletin-print');
    await page.emulateMedia({ media: 'screen' });

    const json = (await (await apiGet(admin, `/api/bulletins/${quarter}`)).json()) as {
      sections: {
        level: string;
        rows: { rank: number | null; unit: { code: string }; score: number | null }[];
      }[];
    };
    const response = await apiGet(admin, `/api/bulletins/${quarter}.xlsx`);
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.getWorksheet('街道排名');
    const streets = json.sections.find((s) => s.level === 'street')?.rows ?? [];
    expect(streets.length).toBe(15);
    streets.forEach((r, i) => {
      const row = sheet?.getRow(i + 2);
      expect(row?.getCell(3).value).toBe(r.unit.code);
      expect(row?.getCell(4).value ?? null).toBe(r.score);
      expect(row?.getCell(1).value ?? null).toBe(r.rank);
    });
  });
});
