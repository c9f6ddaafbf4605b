import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  act,
  baseUrl,
  consoleLogin,
  DESKTOP,
  label,
  launch,
  type Session,
  screenshot,
  streetCentre,
} from './support/browser.ts';

const STREET = '110102001';
const DEPARTMENT = '西长安街街道城管执法队';
/** A whistle summons at least two units; this one has nobody signed in, so the street records for it. */
const POLICE = '西城区公安分局';

interface ApiSession {
  cookie: string;
  csrf: string;
}

/** Signs a demo account in over HTTP, for the cases the journey starts from (not what it tests). */
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

/** A case filed from patrol and accepted by the street: what a whistle is raised on. */
async function acceptedCase(session: ApiSession, description: string, offset: number) {
  const street = await streetCentre(STREET);
  const [lng, lat] = street.center;
  const created = await apiPost<{ id: string; caseNumber: string }>(session, '/api/cases', {
    channel: 'patrol',
    description,
    lng: lng + offset,
    lat: lat + offset,
    categoryCode: 'event:06010',
  });
  await apiPost(session, `/api/cases/${created.id}/actions/accept`, { categoryKey: 'event:06010' });
  return created;
}

/** Waits until antd's toasts have gone, so a screenshot shows the page rather than them. */
async function toastsGone(page: Session['page']): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
}

/**
 * (d) The third tier and the ledgers in the browser: the street blows the whistle on a case, the
 * department reports in and does its task, the street accepts the result, which closes the case; the
 * ledger shows it and exports it; a campaign shows its burn-down.
 */
describe('the whistle, the ledger and a campaign', () => {
  const sessions: Session[] = [];
  const stamp = Date.now();
  const description = `e2e 胡同内多处私搭乱建与堆物，需多部门联合整治 ${stamp}`;
  let jointCase = { id: '', caseNumber: '' };
  let openCase = { id: '', caseNumber: '' };

  beforeAll(async () => {
    const dispatcher = await apiLogin('demo-street_dispatcher');
    jointCase = await acceptedCase(dispatcher, description, 0.0004);
    openCase = await acceptedCase(dispatcher, `e2e 胡同口暴露垃圾待清理 ${stamp}`, -0.0004);
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

  it('the street dispatcher blows the whistle on the case from the whistle page', async () => {
    const dispatcher = await person('demo-street_dispatcher');
    const { page } = dispatcher;
    await page.getByRole('link', { name: '吹哨' }).click();
    await page.getByRole('heading', { name: /吹哨报到/ }).waitFor();
    await page.getByRole('button', { name: label('吹哨') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('combobox', { name: '案件' }).fill(jointCase.caseNumber);
    await page.locator('.ant-select-item-option', { hasText: jointCase.caseNumber }).click();
    await dialog.locator('.ant-select-selection-item', { hasText: jointCase.caseNumber }).waitFor();
    await page.keyboard.press('Escape');
    // The list is virtual and every unit serving the street is in it: search for each by name.
    const units = dialog.getByRole('combobox', { name: '召集单位' });
    for (const unit of [DEPARTMENT, POLICE]) {
      await units.fill(unit);
      await page.locator('.ant-select-item-option', { hasText: unit }).click();
      await dialog.locator('.ant-select-selection-item', { hasText: unit }).waitFor();
    }
    await page.keyboard.press('Escape');
    await dialog.getByLabel('说明（选填）').fill('涉及拆违、清障，召集执法队、公安联合处置。');
    await dialog.getByRole('button', { name: label('吹哨') }).click();
    // A refused case keeps the dialog open with the reason; say it rather than time out on the dialog.
    const outcome = await Promise.race([
      page
        .getByText('已对 1 件案件吹哨。')
        .waitFor({ timeout: 40_000 })
        .then(() => 'raised'),
      dialog
        .getByRole('alert')
        .waitFor({ timeout: 40_000 })
        .then(() => 'refused'),
    ]);
    if (outcome === 'refused')
      throw new Error(`not raised: ${await dialog.getByRole('alert').textContent()}`);
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('link', { name: new RegExp(jointCase.caseNumber) }).click();
    await page.getByRole('heading', { name: `联合行动 ${jointCase.caseNumber}` }).waitFor();
    await page.getByTestId('summoned-units').getByText('待报到').first().waitFor();
    expect(dispatcher.pageErrors).toEqual([]);
  });

  it('the department reports in; the street records the meeting and gives it a task', async () => {
    const department = await person('demo-department_handler');
    const { page } = department;
    await page.goto('/whistle');
    await page.getByRole('link', { name: new RegExp(jointCase.caseNumber) }).click();
    await act(page, '报到');
    await page.getByTestId('summoned-units').getByText('按时报到').first().waitFor();
    expect(department.pageErrors).toEqual([]);

    const [dispatcher] = sessions;
    if (!dispatcher) throw new Error('the dispatcher session is missing');
    const street = dispatcher.page;
    await street.goto(`/whistle/${jointCase.id}`);
    await street.getByTestId('summoned-units').getByText('按时报到').first().waitFor();
    // 公安 answered by phone: the street records its report-in on its behalf.
    const police = street.getByTestId('summoned-units').getByRole('row', { name: new RegExp(POLICE) });
    await police.getByRole('button', { name: label('代为报到') }).click();
    const record = street.getByRole('dialog');
    await record.getByLabel(/依据/).fill('公安分局值班室，电话告知');
    await record.getByRole('button', { name: label('记录') }).click();
    await record.waitFor({ state: 'hidden' });
    await police.getByText(/代为记录/).waitFor();
    await street.getByRole('button', { name: '记录会议纪要' }).click();
    await street.getByLabel('会议纪要').fill('联席会议议定：执法队三日内拆除违建并清理堆物，街道跟踪督办。');
    await street.getByLabel('议定事项').fill('拆除违建\n清理堆物');
    await street.getByRole('button', { name: '记录会议纪要' }).click();
    await street.getByText('会议纪要已保存。').waitFor();

    await street.getByRole('combobox', { name: '责任单位' }).click();
    await street.locator('.ant-select-item-option', { hasText: DEPARTMENT }).click();
    await street.getByLabel('任务内容').fill('拆除胡同内违建并清运堆物');
    await street.getByLabel('工作日数').fill('3');
    await street.getByRole('button', { name: '分配任务' }).click();
    await street.getByText('任务已分配。').waitFor();
    await street.getByRole('cell', { name: '拆除胡同内违建并清运堆物' }).waitFor();
    await toastsGone(street);
    await screenshot(street, 'whistle-joint-action');
    expect(dispatcher.pageErrors).toEqual([]);
  });

  it('the department does its task and reports the joint result back', async () => {
    const department = sessions[1];
    if (!department) throw new Error('the department session is missing');
    const { page } = department;
    await page.reload();
    await page.getByRole('button', { name: '报告完成' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('完成说明').fill('违建已拆除，堆物已清运。');
    await dialog.getByRole('button', { name: '报告完成' }).click();
    await page.getByText('任务已报告完成。').waitFor();
    await act(page, '处置反馈', async () => {
      await page.getByLabel('处置情况').fill('联合整治完成，现场已恢复。');
      await page.getByLabel('无处置后照片的原因').fill('院内整改，不便拍照');
    });
    await page.getByText('处置结果已反馈，等待街道验收；验收通过即结案、销账。').waitFor();
    expect(department.pageErrors).toEqual([]);
  });

  it('the street accepts the result, which closes the case', async () => {
    const dispatcher = sessions[0];
    if (!dispatcher) throw new Error('the dispatcher session is missing');
    const { page } = dispatcher;
    await page.goto('/whistle');
    await toastsGone(page);
    await screenshot(page, 'whistle-list');
    await page.goto(`/whistle/${jointCase.id}`);
    await act(page, '验收通过', async () => {
      await page.getByRole('dialog').getByLabel('备注').fill('现场验收合格。');
    });
    await page.getByText('街道已验收，案件已结案。').waitFor();
    expect(dispatcher.pageErrors).toEqual([]);
  });

  it('the ledger shows the struck entry and exports the workbook', async () => {
    const dispatcher = sessions[0];
    if (!dispatcher) throw new Error('the dispatcher session is missing');
    const { page } = dispatcher;
    await page.getByRole('link', { name: '台账' }).click();
    await page.getByRole('heading', { name: '案件台账' }).waitFor();
    await page.getByRole('combobox', { name: '挂账 / 销账' }).click();
    await page.locator('.ant-select-item-option', { hasText: '全部' }).click();
    const row = page.getByTestId('ledger-table').getByRole('row', { name: new RegExp(jointCase.caseNumber) });
    await row.waitFor();
    await expect(row.getByText('已销账').isVisible()).resolves.toBe(true);
    await page.getByRole('row', { name: new RegExp(openCase.caseNumber) }).waitFor();
    await toastsGone(page);
    await screenshot(page, 'ledgers');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 Excel' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = join(dispatcher.folder, 'ledger.xlsx');
    await download.saveAs(file);
    expect((await stat(file)).size).toBeGreaterThan(1000);
    expect(dispatcher.pageErrors).toEqual([]);
  });

  it('dispatches the other case at tier 1 to a handler picked from those covering its place', async () => {
    const dispatcher = sessions[0];
    if (!dispatcher) throw new Error('the dispatcher session is missing');
    const { page } = dispatcher;
    await page.goto(`/cases/${openCase.id}`);
    await act(page, '派遣', async () => {
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('radio', { name: /一级/ }).check();
      await dialog.getByRole('combobox', { name: /处置人/ }).click();
      // The street's alley chief covers every grid of it; a grid worker only their own grid.
      await page.locator('.ant-select-item-option', { hasText: '示例街巷长' }).click();
    });
    await page.getByText('处置中').first().waitFor();
    expect(dispatcher.pageErrors).toEqual([]);
  });

  it('a campaign of a case and a point shows its burn-down', async () => {
    const dispatcher = sessions[0];
    if (!dispatcher) throw new Error('the dispatcher session is missing');
    const { page } = dispatcher;
    await page.getByRole('link', { name: '清零行动' }).click();
    await page.getByRole('button', { name: '发起清零行动' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill(`e2e 暴露垃圾动态清零 ${stamp}`);
    await dialog.getByRole('button', { name: '发起清零行动' }).click();
    await page.getByText('已发起清零行动。').waitFor();
    await page.getByRole('heading', { name: `e2e 暴露垃圾动态清零 ${stamp}` }).waitFor();

    const street = await streetCentre(STREET);
    await page.getByLabel('案件编号').fill(openCase.caseNumber);
    await page.getByLabel('点位').fill(`${street.center[0]}, ${street.center[1]}, 胡同口暴露垃圾点`);
    await page.getByRole('button', { name: '加入条目' }).click();
    await page.getByText('已加入 2 项。').waitFor();
    await page.getByRole('button', { name: '标记清零' }).click();
    await page.getByText('点位已标记清零。').waitFor();
    const chart = page.getByRole('img', { name: /燃尽图/ });
    await chart.waitFor();
    await expect(chart.getAttribute('aria-label')).resolves.toMatch(/目前未清零 1 项/);
    await chart.locator('canvas').waitFor();
    await toastsGone(page);
    await screenshot(page, 'campaign-burndown');
    expect(dispatcher.pageErrors).toEqual([]);
  });
});
