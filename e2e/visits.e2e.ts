import { afterAll, describe, it } from 'vitest';
import { baseUrl, consoleLogin, launch, type Session, screenshot } from './support/browser.ts';

/**
 * Household visits (十必访) in the console: the alley chief sees the demo households with their due
 * state, records a visit that raises an issue (a case is opened) and reads what is due per official.
 */
describe('household visits in the console', () => {
  let session: Session | undefined;
  afterAll(async () => {
    await session?.close();
  });

  it('records a visit with an issue and shows due and overdue per official', async () => {
    const streets = (await (await fetch(`${baseUrl()}/api/territory/streets`)).json()) as {
      code: string;
      center: [number, number];
    }[];
    const [lng, lat] = streets.find((s) => s.code === '110102001')!.center;
    session = await launch();
    const { page } = session;
    await consoleLogin(page, 'demo-alley_chief');
    await page.goto('/participation');
    await page.getByRole('tab', { name: '走访（十必访）' }).click();
    const row = page.getByRole('row').filter({ hasText: '示例户·赵家' }).first();
    await row.filter({ hasText: '逾期' }).waitFor();
    await row.getByRole('button', { name: '登记走访' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByPlaceholder('走访记录').fill('孩子学习情况良好');
    await dialog.getByText('发现问题：立案').click();
    await dialog.getByPlaceholder('问题描述').fill('院内水管冻裂，需要维修');
    await dialog.getByPlaceholder('经度（WGS84）').fill(String(lng));
    await dialog.getByPlaceholder('纬度（WGS84）').fill(String(lat));
    await dialog.getByRole('button', { name: '登记走访' }).click();
    await page.getByText(/已登记走访，已立案/).waitFor();
    await page
      .getByRole('row')
      .filter({ hasText: '示例户·赵家' })
      .first()
      .filter({ hasText: '已访' })
      .waitFor();
    await page.getByRole('row').filter({ hasText: '示例街巷长' }).last().waitFor();
    await screenshot(page, 'console-visits');
  });
});
