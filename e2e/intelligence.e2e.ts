import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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

/** An anonymous report from the public page's endpoint: each one is its own person. */
async function publicReport(description: string, lng: number, lat: number): Promise<void> {
  const response = await fetch(`${baseUrl()}/api/public/reports`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ description, lng, lat }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
}

/**
 * (e) Intelligence in the browser: five residents report the same rubble at one alley; the leader sees
 * it as this month's hot issue on the map and in the list and opens its cases; the district
 * administrator is offered it as next month's theme and adopts it, which opens its campaign; the
 * dispatcher's proactive-work page shows next week's forecast and the tasks.
 */
describe('hot issues, the monthly theme and proactive work', () => {
  const sessions: Session[] = [];
  const stamp = Date.now();
  const marker = `光明胡同口装修垃圾 ${stamp}`;

  beforeAll(async () => {
    const [lng, lat] = (await streetCentre(STREET)).center;
    const words = [
      '堆了好几天没人清理',
      '堆成山影响通行',
      '越堆越多晚上容易绊倒',
      '一直没人管请尽快清运',
      '又多了一车',
    ];
    for (const [i, w] of words.entries()) {
      await publicReport(`${marker}${w}`, lng + i * 0.00004, lat + i * 0.00003);
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

  it('the leader sees the hot issue on the map and in the list, and opens its cases', async () => {
    const { page } = await person('demo-leader');
    await page.getByRole('link', { name: '热点问题' }).click();
    await page.getByRole('heading', { name: '热点问题' }).waitFor();
    const row = page.locator('tr', { hasText: String(stamp) }).first();
    await row.waitFor({ timeout: 60_000 });
    // The five reports are one issue; a report of the same rubble from another journey sharing the demo
    // database (a 12345 order placed at the street) may rightly join it, so at least five.
    await expect
      .poll(async () => Number(/(\d+)人，\d+件/u.exec((await row.textContent()) ?? '')?.[1] ?? 0))
      .toBeGreaterThanOrEqual(5);
    await page.getByRole('region', { name: '热点问题地图' }).waitFor();
    await screenshot(page, 'intelligence-hot-issues');
    await row.getByRole('button').first().click();
    const firstCase = page.getByRole('link', { name: /^110102-/ }).first();
    await firstCase.click();
    await page.getByText(marker, { exact: false }).first().waitFor();
  });

  it('the district administrator adopts it as next month’s theme, which opens its campaign', async () => {
    const { page } = await person('demo-district_admin');
    await page.getByRole('link', { name: '每月一题' }).click();
    await page.getByRole('heading', { name: '每月一题' }).waitFor();
    await page.getByRole('button', { name: label('提出主题建议') }).click();
    const card = page.locator('.ant-card', { hasText: String(stamp) }).first();
    await card.waitFor({ timeout: 60_000 });
    await card.getByRole('button', { name: label('采纳') }).click();
    await card.getByRole('link', { name: '专项台账' }).waitFor();
    await expect.poll(() => card.textContent()).toContain('已清零0/5');
    await screenshot(page, 'intelligence-themes');
    await card.getByRole('link', { name: '专项台账' }).click();
    await page.getByText('动态清零', { exact: false }).first().waitFor();
  });

  it('the dispatcher sees next week’s forecast and the proactive tasks', async () => {
    const { page } = await person('demo-street_dispatcher');
    await page.getByRole('link', { name: '未诉先办' }).click();
    await page.getByRole('heading', { name: '未诉先办' }).waitFor();
    await page.getByText(/当周明显高于常态/).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: label('提出下周任务') }).click();
    await page.getByText(/新提出\d+项任务/).waitFor();
    await screenshot(page, 'intelligence-proactive');
  });
});
