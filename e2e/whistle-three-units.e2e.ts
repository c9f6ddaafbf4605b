import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  act,
  baseUrl,
  consoleLogin,
  DESKTOP,
  label,
  launch,
  makeJpeg,
  PHONE,
  type Session,
  screenshot,
  streetCentre,
} from './support/browser.ts';

const STREET = '110102001';
const CG = '西长安街街道城管执法队';
const POLICE = '西城区公安分局';
const POWER = '西城区供电服务单位（示例）';

interface ApiSession {
  cookie: string;
  csrf: string;
}

/** Signs a demo account in over HTTP, for the case the journey starts from (not what it tests). */
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

async function toastsGone(page: Session['page']): Promise<void> {
  await expect.poll(() => page.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
}

/**
 * A whistle over three units, one of which has nobody at a keyboard: the street summons 城管, 公安 and
 * 供电; 城管 and 公安 report in from their own accounts (公安 on a phone), the street desk records 供电's
 * report-in on the word of its engineer, with a photo of the signed sheet; 城管 reports the joint result
 * and the street accepts it, which closes the case. The case page names all three units.
 */
describe('a three-unit whistle with one unit recorded by the street desk', () => {
  const sessions: Session[] = [];
  const stamp = Date.now();
  let jointCase = { id: '', caseNumber: '' };

  beforeAll(async () => {
    const dispatcher = await apiLogin('demo-street_dispatcher');
    const street = await streetCentre(STREET);
    const [lng, lat] = street.center;
    jointCase = await apiPost<{ id: string; caseNumber: string }>(dispatcher, '/api/cases', {
      channel: 'patrol',
      description: `e2e 胡同内架空线缆下垂、违建占道，夜间有人聚集 ${stamp}`,
      lng: lng - 0.0003,
      lat: lat + 0.0002,
      categoryCode: 'event:06010',
    });
    await apiPost(dispatcher, `/api/cases/${jointCase.id}/actions/accept`, { categoryKey: 'event:06010' });
  });

  afterAll(async () => {
    for (const session of sessions) await session.close();
  });

  async function person(username: string, options = DESKTOP): Promise<Session> {
    const session = await launch(options);
    sessions.push(session);
    await consoleLogin(session.page, username);
    return session;
  }

  async function pickUnit(page: Session['page'], name: string): Promise<void> {
    await page.locator('.ant-select-item-option', { hasText: name }).click();
  }

  it('the street summons three units; the dialog will not take one', async () => {
    const dispatcher = await person('demo-street_dispatcher');
    const { page } = dispatcher;
    await page.goto(`/cases/${jointCase.id}`);
    await page.getByRole('button', { name: label('吹哨') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: /三级/ }).check();
    await dialog.getByRole('combobox', { name: /召集/ }).click();
    await pickUnit(page, CG);
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: label('确定') }).click();
    // One unit is a tier-2 dispatch, not a whistle: the server says so, naming the field.
    await dialog.getByText(/至少/).first().waitFor();
    await dialog.getByRole('combobox', { name: /召集/ }).click();
    await pickUnit(page, POLICE);
    await pickUnit(page, POWER);
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: label('确定') }).click();
    await dialog.waitFor({ state: 'hidden' });
    const units = page.getByTestId('assigned-units');
    await units.getByText(POWER, { exact: false }).waitFor();
    await expect(units.textContent()).resolves.toContain(POLICE);
    await expect(units.textContent()).resolves.toContain(CG);
    expect(dispatcher.pageErrors).toEqual([]);
  });

  it('城管 reports in at its desk, 公安 on a phone', async () => {
    const cg = await person('demo-department_handler');
    await cg.page.goto(`/whistle/${jointCase.id}`);
    await act(cg.page, '报到');
    await cg.page.getByTestId('summoned-units').getByText('按时报到').first().waitFor();
    expect(cg.pageErrors).toEqual([]);

    const police = await person('demo-org-public_security', PHONE);
    await police.page.goto(`/whistle/${jointCase.id}`);
    await act(police.page, '报到');
    await expect.poll(() => police.page.getByTestId('summoned-units').getByText('按时报到').count()).toBe(2);
    await toastsGone(police.page);
    await screenshot(police.page, 'whistle-phone-report-in');
    expect(police.pageErrors).toEqual([]);
  });

  it('the street desk records 供电 reporting in, on its engineer’s word, with a photo', async () => {
    const [dispatcher] = sessions;
    if (!dispatcher) throw new Error('the dispatcher session is missing');
    const { page } = dispatcher;
    await page.goto(`/whistle/${jointCase.id}`);
    const row = page.getByTestId('summoned-units').getByRole('row', { name: new RegExp(POWER) });
    await row.getByRole('button', { name: label('代为报到') }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel(/依据/).fill('供电所王工，电话告知已到场');
    await dialog.getByLabel(/说明/).fill('王工下午两点到现场勘查线缆');
    await dialog.locator('input[type=file]').setInputFiles(await makeJpeg(dispatcher));
    await dialog
      .locator('.ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)')
      .first()
      .waitFor();
    await dialog.getByRole('button', { name: label('记录') }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(/已代 .* 记录报到/).waitFor();
    await row.getByText(/代为记录，依据：供电所王工/).waitFor();
    await toastsGone(page);
    await screenshot(page, 'whistle-recorded-for-unit');
    expect(dispatcher.pageErrors).toEqual([]);
  });

  it('城管 reports the joint result; the street accepts it and the case closes', async () => {
    const cg = sessions[1];
    const dispatcher = sessions[0];
    if (!cg || !dispatcher) throw new Error('a session is missing');
    await cg.page.reload();
    await act(cg.page, '处置反馈', async () => {
      await cg.page.getByLabel('处置情况').fill('线缆已整理，违建已拆除，巡逻已加密。');
      await cg.page.getByLabel('无处置后照片的原因').fill('夜间整治，照片另附纸质材料');
    });
    await cg.page.getByText('处置结果已反馈，等待街道验收；验收通过即结案、销账。').waitFor();
    expect(cg.pageErrors).toEqual([]);

    const { page } = dispatcher;
    await page.goto(`/whistle/${jointCase.id}`);
    await act(page, '验收通过', async () => {
      await page.getByRole('dialog').getByLabel('备注').fill('三单位联合处置完成，现场验收合格。');
    });
    await page.getByText('街道已验收，案件已结案。').waitFor();

    await page.goto(`/cases/${jointCase.id}`);
    await page.getByText('已结案').first().waitFor();
    const units = page.getByTestId('assigned-units');
    await units.getByText(POWER, { exact: false }).waitFor();
    await page
      .getByText(/由街道代 .*供电服务单位.* 记录，依据：供电所王工/)
      .first()
      .waitFor();
    await toastsGone(page);
    await screenshot(page, 'case-page-joint-units');
    expect(dispatcher.pageErrors).toEqual([]);
  });
});
