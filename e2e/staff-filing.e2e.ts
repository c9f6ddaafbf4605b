import { afterAll, describe, expect, it } from 'vitest';
import {
  consoleLogin,
  DESKTOP,
  label,
  launch,
  makeJpeg,
  type Session,
  screenshot,
  streetCentre,
} from './support/browser.ts';

/**
 * Staff file a case from the console (新建案件): the street desk takes a visitor's report at the
 * window with a photo, the same category, location and photo fields as the resident page, and the
 * visitor's name and phone; the new case opens with its photo and the contact that only staff see.
 */
describe('the street desk files a case for a visitor', () => {
  const sessions: Session[] = [];
  const description = `e2e 来访群众反映胡同口井盖松动 ${Date.now()}`;

  afterAll(async () => {
    for (const session of sessions) await session.close();
  });

  it('files a desk case with a photo and sees it on its case page', async () => {
    const street = await streetCentre('110102001');
    const [longitude, latitude] = street.center;
    const desk = await launch({
      ...DESKTOP,
      geolocation: { longitude, latitude, accuracy: 10 },
      permissions: ['geolocation'],
    });
    sessions.push(desk);
    const { page } = desk;

    await consoleLogin(page, 'demo-street_dispatcher');
    await page.goto('/cases');
    await page.getByRole('link', { name: label('新建案件') }).click();
    await page.getByRole('heading', { name: '新建案件 · 巡查上报' }).waitFor();

    // A desk's filing starts at the window and asks for the visitor.
    await expect(page.getByRole('radio', { name: '窗口受理' }).isChecked()).resolves.toBe(true);
    await page.getByLabel('问题描述').fill(description);
    await page.getByLabel('来访人姓名').fill('李大爷');
    await page.getByLabel('来访人电话').fill('13800138000');
    await page.getByRole('button', { name: '使用我的当前位置' }).click();
    await page.getByTestId('coordinates').waitFor();
    await page.getByText(street.name).first().waitFor();
    await page.getByLabel('搜索问题类型').fill('井盖');
    await page.getByRole('button', { name: /井盖/ }).first().click();
    await page.getByText(/^已选：/).waitFor();
    const photo = await makeJpeg(desk);
    await page.getByLabel('拍照或选择照片').setInputFiles(photo);
    await page.getByRole('img', { name: '待上传照片 1' }).waitFor();
    await screenshot(page, 'console-new-case');

    await page.getByRole('button', { name: label('提交立案') }).click();
    await page.getByText('处理过程').waitFor();
    expect(page.url()).toMatch(/\/cases\/[^/]+$/);
    await page.getByText(description).first().waitFor();
    // The visitor's contact is on the staff's case page, the photo among the photos before handling.
    await page.getByText('李大爷 · 13800138000').waitFor();
    await page.getByRole('img', { name: '处置前照片 1' }).waitFor();
    expect(desk.pageErrors).toEqual([]);
  });
});
