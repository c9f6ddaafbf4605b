import { afterAll, describe, expect, it } from 'vitest';
import { baseUrl, launch, PHONE, type Session, screenshot, streetCentre } from './support/browser.ts';

interface CasePage {
  items: { description: string; trackingCode: string }[];
  total: number;
}

/** Cases whose description is exactly this, as the street dispatcher's queue lists them. */
async function casesDescribed(description: string): Promise<CasePage['items']> {
  const login = await fetch(`${baseUrl()}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'demo-street_dispatcher', password: 'demo' }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0])
    .join('; ');
  const response = await fetch(`${baseUrl()}/api/cases?state=reported&limit=200`, { headers: { cookie } });
  const page = (await response.json()) as CasePage;
  return page.items.filter((item) => item.description === description);
}

/** (c) No network on the phone: the report waits on the device and goes out once when it returns. */
describe('a report written offline', () => {
  let session: Session | undefined;

  afterAll(async () => {
    await session?.close();
  });

  it('is queued while offline and creates exactly one case when the network is back', async () => {
    const street = await streetCentre('110102001');
    const [longitude, latitude] = street.center;
    session = await launch({ ...PHONE, geolocation: { longitude, latitude }, permissions: ['geolocation'] });
    const { page, context } = session;
    const description = `e2e 离线上报：井盖松动 ${Date.now()}`;

    await page.goto('/r/');
    await page.getByRole('button', { name: '使用我的当前位置' }).click();
    await page.getByText(street.name).first().waitFor();
    await page.getByLabel('问题描述').fill(description);

    await context.setOffline(true);
    await page.getByText('当前没有网络。上报会保存在本机，联网后自动发送。').waitFor();
    await page.getByRole('button', { name: '提交上报' }).click();
    await page.getByText('已保存在本机，联网后自动发送。').waitFor();
    const queued = page.locator('.outbox-item', { hasText: description });
    await queued.getByText('等待网络').waitFor();
    await screenshot(page, 'resident-offline');
    expect(await casesDescribed(description)).toHaveLength(0);

    await context.setOffline(false);
    const sent = page.getByText(/离线保存的上报已发送，查询码 [0-9A-Z]{12}/);
    await sent.waitFor();
    await queued.waitFor({ state: 'detached' });
    const code = /查询码 ([0-9A-Z]{12})/.exec((await sent.textContent()) ?? '')?.[1];

    // A reload and another `online` event must not send it again.
    await page.reload();
    await page.getByRole('heading', { name: '上报问题' }).waitFor();
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.waitForTimeout(1000);

    const cases = await casesDescribed(description);
    expect(cases).toHaveLength(1);
    expect(cases[0]?.trackingCode).toBe(code);
    expect(session.pageErrors).toEqual([]);
  });
});
