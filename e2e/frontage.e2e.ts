import { afterAll, describe, it } from 'vitest';
import { baseUrl, consoleLogin, launch, PHONE, type Session, screenshot } from './support/browser.ts';

/**
 * 门前三包 (frontage responsibility): the street desk registers a shop of 东斜街 with its agreement in
 * the console and records a check (sanitation and appearance passed, order failed: two stars); the
 * alley's public board then shows the shop with its stars, without its responsible person or phone.
 */
describe('frontage responsibility from the console to the alley board', () => {
  const sessions: Session[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.close();
  });

  it('registers a shop, records a check and shows the stars on the alley board', async () => {
    const name = '示例修鞋铺';
    const desk = await launch();
    sessions.push(desk);
    const { page } = desk;
    await consoleLogin(page, 'demo-street_dispatcher');
    await page.goto('/participation');
    await page.getByRole('tab', { name: '门前三包' }).click();
    await page.getByTestId('frontage-tab').getByText('东斜街').first().waitFor();

    await page.getByRole('button', { name: '登记商户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: '所在街巷' }).click();
    await dialog.getByRole('combobox', { name: '所在街巷' }).fill('东斜街');
    await page.locator('.ant-select-dropdown:visible').getByTitle('东斜街', { exact: true }).click();
    await dialog.getByLabel('商户名称').fill(name);
    await dialog.getByLabel('门牌地址').fill('东斜街26号');
    await dialog.getByLabel('责任人姓名').fill('李师傅');
    await dialog.getByLabel('责任人电话').fill('13912345678');
    await dialog.getByLabel(/责任区范围/).fill('26号门前');
    await dialog.getByLabel('责任区长度（米）').fill('5');
    await dialog.getByLabel('签订日期').fill('2026-03-01');
    await dialog.getByLabel('有效期至').fill('2027-02-28');
    await dialog.getByRole('button', { name: /^保\s?存$/ }).click();
    await dialog.waitFor({ state: 'hidden' });

    const row = page.getByRole('row').filter({ hasText: name });
    await row.filter({ hasText: '未评级' }).waitFor();
    await row.getByText('李师傅 13912345678').waitFor();
    await row.getByRole('button', { name: '记录检查' }).click();
    const check = page.getByRole('dialog');
    await check.getByText('秩序', { exact: true }).click();
    await check.getByLabel('检查说明').fill('门前摆放修鞋摊');
    await check.getByRole('button', { name: /^保\s?存$/ }).click();
    await check.waitFor({ state: 'hidden' });
    await row.getByRole('img', { name: '2/5' }).waitFor();
    await row.filter({ hasText: '1 次检查，2/3 项合格' }).waitFor();
    await screenshot(page, 'console-frontage');

    const alley = (
      (await (await fetch(`${baseUrl()}/api/territory/alleys?q=${encodeURIComponent('东斜街')}`)).json()) as {
        items: { id: string; name: string }[];
      }
    ).items.find((a) => a.name === '东斜街')!;
    const resident = await launch(PHONE);
    sessions.push(resident);
    await resident.page.goto(`/r/alley/${encodeURIComponent(alley.id)}`);
    const shops = resident.page.getByTestId('frontage-shops');
    const line = shops.getByTestId('frontage-shop').filter({ hasText: name });
    await line.getByRole('img', { name: '2 星（满 5 星）' }).waitFor();
    await line.getByText('责任区：26号门前').waitFor();
    const text = await shops.innerText();
    if (text.includes('李师傅') || text.includes('13912345678'))
      throw new Error('the public board shows the responsible person');
    await shops.scrollIntoViewIfNeeded();
    await screenshot(resident.page, 'alley-board-frontage', false);
  });
});
