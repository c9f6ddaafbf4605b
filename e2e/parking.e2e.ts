import { afterAll, describe, it } from 'vitest';
import { consoleLogin, launch, PHONE, type Session, screenshot } from './support/browser.ts';

/**
 * Shared parking (错时停车): a resident books an evening opening of a demo space on the phone page; the
 * same slot again is refused as taken (the database keeps bookings of a space apart); the community's
 * staff see the booking in the console.
 */
describe('shared parking', () => {
  let session: Session | undefined;
  afterAll(async () => {
    await session?.close();
  });

  it('books an evening slot on the phone page and refuses the same slot twice', async () => {
    session = await launch(PHONE);
    const { page } = session;
    await page.goto('/r/login?next=/r/parking');
    await page.getByLabel('用户名').fill('demo-resident');
    await page.getByLabel('密码').fill('demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/r/parking');
    const space = page.getByTestId('parking-space').filter({ hasText: '小学操场东侧车位 A2' });
    await space.getByText(/18:00–次日07:30/).waitFor();
    // The second opening is a whole evening still to come, whatever the time of the run.
    await space.locator('select').selectOption({ index: 1 });
    await space.getByRole('button', { name: '预约' }).click();
    await page.getByText('已预约：小学操场东侧车位 A2').waitFor();
    await page
      .getByTestId('parking-booking')
      .filter({ hasText: '小学操场东侧车位 A2' })
      .getByText('已预约')
      .waitFor();
    await space.getByRole('button', { name: '预约' }).click();
    await page.getByText('该时段已被预约，请换一个时间或车位。').waitFor();
    await screenshot(page, 'resident-parking');
  });

  it('shows the booking to the community staff in the console', async () => {
    await session?.close();
    session = await launch();
    const { page } = session;
    await consoleLogin(page, 'demo-alley_chief');
    await page.goto('/participation');
    await page.getByRole('tab', { name: '错时停车' }).click();
    await page
      .getByRole('row')
      .filter({ hasText: '小学操场东侧车位 A2' })
      .filter({ hasText: '示例居民' })
      .waitFor();
    await page.getByRole('row').filter({ hasText: '办公楼地面车位 B1' }).first().waitFor();
    await screenshot(page, 'console-parking');
  });
});
