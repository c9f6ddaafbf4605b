import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from './support/api.ts';
import { consoleLogin, label, launch, type Session, screenshot } from './support/browser.ts';

const client = async (username: string) => (await apiClient(username)).send;

/** A 12345 order whose address named nowhere waits for the desk, which places it in the alley it means. */
describe('12345 orders waiting to be placed', () => {
  let session: Session | undefined;
  afterAll(async () => {
    await session?.close();
  });

  it('lists the order and files it in the alley the desk picks, once', async () => {
    const admin = await client('demo-district_admin');
    const workOrderNo = `E2E-WAIT-${Date.now()}`;
    await admin('POST', '/api/hotline/orders', {
      orders: [
        {
          workOrderNo,
          description: '胡同深处有人倾倒装修垃圾，已经堆了一周',
          address: '老槐树往里走第二个院门口',
          district: '西城区',
          category: '城乡建设',
        },
      ],
    });

    session = await launch();
    const { page } = session;
    await consoleLogin(page, 'demo-district_admin');
    await page.getByRole('link', { name: '待定位工单' }).click();
    const row = page.getByRole('row').filter({ hasText: workOrderNo });
    await row.getByText('老槐树往里走第二个院门口').waitFor();
    await screenshot(page, 'hotline-unlocated');
    await row.getByRole('button', { name: label('定位') }).click();
    const dialog = page.getByRole('dialog');
    const alley = dialog.getByRole('combobox', { name: '街巷' });
    await alley.fill('光明胡同');
    await page.getByTitle('光明胡同', { exact: true }).click();
    await dialog.getByRole('button', { name: '在此街巷立案' }).click();
    const placed = page.getByTestId('order-placed');
    await placed.waitFor();
    const caseNumber = (await placed.getByRole('link').textContent()) ?? '';
    expect(caseNumber).toMatch(/^110102-/);
    await expect.poll(() => page.getByRole('row').filter({ hasText: workOrderNo }).count()).toBe(0);
    const detail = await admin<{ channel: string; address: string | null }>(
      'GET',
      `/api/cases/${encodeURIComponent(caseNumber)}`,
    );
    expect(detail.channel).toBe('hotline');
    expect(session.pageErrors).toEqual([]);
  });
});
