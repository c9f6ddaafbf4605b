import { afterAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  consoleLogin,
  launch,
  makeJpeg,
  PHONE,
  type Session,
  screenshot,
} from './support/browser.ts';

interface CoverageAlley {
  id: string;
  name: string;
  lengthM: number;
  covered: boolean;
  geometry: { coordinates: [number, number][] };
}

async function staffGet<T>(username: string, path: string): Promise<T> {
  const login = await fetch(`${baseUrl()}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  const cookie = login.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0])
    .join('; ');
  return (await (await fetch(`${baseUrl()}${path}`, { headers: { cookie } })).json()) as T;
}

/** Points about 20 m apart along a line. */
function along(coords: [number, number][]): { longitude: number; latitude: number }[] {
  const out: { longitude: number; latitude: number }[] = [];
  for (let i = 1; i < coords.length; i++) {
    const [a, b] = [coords[i - 1]!, coords[i]!];
    const metres = Math.hypot((b[0] - a[0]) * 85_000, (b[1] - a[1]) * 111_000);
    const n = Math.max(1, Math.ceil(metres / 20));
    for (let k = i === 1 ? 0 : 1; k <= n; k++)
      out.push({ longitude: a[0] + (k / n) * (b[0] - a[0]), latitude: a[1] + (k / n) * (b[1] - a[1]) });
  }
  return out;
}

/** A patrol walked on the phone, partly offline, ends with the alley covered and a finding filed. */
describe('a daily patrol on the phone', () => {
  let session: Session | undefined;
  afterAll(async () => {
    await session?.close();
  });

  it('covers the alley walked and files a finding as a case', async () => {
    const coverage = await staffGet<{ alleys: CoverageAlley[] }>(
      'demo-street_dispatcher',
      '/api/patrols/coverage?geometry=true',
    );
    const alley = coverage.alleys
      .filter((a) => a.lengthM > 120 && a.lengthM < 300)
      .sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
    const steps = along(alley.geometry.coordinates);
    session = await launch({ ...PHONE, geolocation: steps[0]!, permissions: ['geolocation'] });
    const { page, context } = session;

    await page.goto('/r/login?next=/r/patrol');
    await page.getByLabel('用户名').fill('demo-alley_chief');
    await page.getByLabel('密码').fill('demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/r/patrol');
    await page.getByRole('button', { name: '开始巡查' }).click();
    await page.getByTestId('patrol-status').waitFor();

    // Walk at about 10 m/s of wall time (under the 50 km/h limit); the middle third offline.
    for (const [i, step] of steps.entries()) {
      if (i === Math.floor(steps.length / 3)) await context.setOffline(true);
      if (i === Math.floor((2 * steps.length) / 3)) {
        await page.getByText('当前离线，位置点保存在本机，联网后自动补发。').waitFor();
        await screenshot(page, 'patrol-offline');
        await context.setOffline(false);
      }
      await context.setGeolocation(step);
      await page.waitForTimeout(2000);
    }

    await page.getByLabel('问题描述').fill('胡同口暴露垃圾');
    await page.getByLabel('拍照或选择照片').setInputFiles(await makeJpeg(session));
    await page.locator('.thumbs img').waitFor();
    await page.getByRole('button', { name: '上报问题' }).click();
    await page.getByText(/已立案：\d{6}-\d{8}-\d{5}/).waitFor();
    await screenshot(page, 'patrol-phone');

    await page.getByRole('button', { name: '结束巡查' }).click();
    const done = page.getByTestId('patrol-done');
    await done.waitFor();
    expect(await done.textContent()).toMatch(/覆盖街巷 [1-9]/);

    const after = await staffGet<{ alleys: CoverageAlley[] }>(
      'demo-street_dispatcher',
      '/api/patrols/coverage',
    );
    expect(after.alleys.find((a) => a.id === alley.id)?.covered).toBe(true);
    const cases = await staffGet<{ items: { description: string; channel: string }[] }>(
      'demo-street_dispatcher',
      '/api/cases?state=reported&limit=200',
    );
    expect(cases.items.filter((c) => c.description === '胡同口暴露垃圾').length).toBeGreaterThanOrEqual(1);
    expect(session.pageErrors).toEqual([]);
  });

  it('files a weekly inspection with a photo from the console form, one case per finding', async () => {
    const desk = await launch();
    try {
      const photo = await makeJpeg(desk);
      await consoleLogin(desk.page, 'demo-inspector');
      await desk.page.goto('/supervision');
      await desk.page.getByRole('tab', { name: '检查' }).click();
      const alleys = await staffGet<{ alleys: CoverageAlley[] }>('demo-inspector', '/api/patrols/coverage');
      const alley = alleys.alleys[0];
      if (!alley) throw new Error('the inspector’s street has no alleys');
      const alleyBox = desk.page.getByRole('combobox', { name: '街巷' });
      await alleyBox.click();
      await alleyBox.fill(alley.name);
      await desk.page.getByTitle(alley.name, { exact: true }).click();
      // The alley's list must have closed, or the indicator's pick below may land on it while it fades.
      await desk.page
        .locator('.ant-select-dropdown', { has: desk.page.getByTitle(alley.name, { exact: true }) })
        .waitFor({ state: 'hidden' });
      await desk.page.getByTestId('inspection-sheet').waitFor();
      await desk.page.getByRole('button', { name: '添加问题' }).click();
      await desk.page.getByRole('combobox', { name: '三级指标' }).click();
      await desk.page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().click();
      await desk.page.getByLabel('说明').fill('墙面有两张小广告');
      await desk.page.locator('input[type="file"]').setInputFiles(photo);
      await desk.page.locator('.ant-upload-list-item').first().waitFor();
      await screenshot(desk.page, 'supervision-inspection-form');
      await desk.page.getByRole('button', { name: '提交检查' }).click();
      const created = desk.page.getByTestId('inspection-created');
      await created.waitFor();
      const score = Number((await created.innerText()).match(/得分 (\d+(?:\.\d+)?)/)?.[1]);
      expect(score).toBeLessThan(100);
      await screenshot(desk.page, 'supervision-inspection');
      const caseNumber = (await created.getByRole('link').first().textContent()) ?? '';
      const detail = await staffGet<{ channel: string; photos: { report: unknown[] } }>(
        'demo-inspector',
        `/api/cases/${encodeURIComponent(caseNumber)}`,
      );
      expect(detail.channel).toBe('inspection');
      expect(detail.photos.report).toHaveLength(1);
      expect(desk.pageErrors).toEqual([]);
    } finally {
      await desk.close();
    }
  });

  it('shows the street’s coverage in the console', async () => {
    const desk = await launch();
    try {
      await consoleLogin(desk.page, 'demo-street_dispatcher');
      await desk.page.goto('/supervision');
      await desk.page.getByRole('img', { name: /街巷巡查覆盖图/ }).waitFor();
      await screenshot(desk.page, 'supervision-coverage');
      await desk.page.getByRole('tab', { name: '指标体系' }).click();
      await desk.page.getByText(/第 \d+ 版/).waitFor();
      await screenshot(desk.page, 'supervision-indicators');
      await desk.page.getByRole('tab', { name: '创建计划' }).click();
      await desk.page
        .getByText(/已达标/)
        .first()
        .waitFor();
      await screenshot(desk.page, 'supervision-tiers');

      // A contractor check, twice on the same item: the second finding of the month deducts more.
      const { page } = desk;
      await page.getByRole('tab', { name: '企业考核' }).click();
      // Options are picked by their title, in the dropdown that is open now (a closing one may linger).
      const pick = async (label: string, option: string) => {
        await page.getByRole('combobox', { name: label }).click();
        await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
        await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
      };
      const alleys = await staffGet<{ alleys: CoverageAlley[] }>(
        'demo-street_dispatcher',
        '/api/patrols/coverage',
      );
      const [contractor] = await staffGet<{ name: string }[]>(
        'demo-street_dispatcher',
        '/api/organisations?kind=contractor',
      );
      const [item] = await staffGet<{ code: string; name: string; points: number }[]>(
        'demo-street_dispatcher',
        '/api/contractor-checks/items',
      );
      if (!contractor || !item || !alleys.alleys[0])
        throw new Error('the demo has no contractor, item or alley');
      for (const round of [1, 2]) {
        if (round === 1) {
          await pick('企业', contractor.name);
          await pick('街巷', alleys.alleys[0].name);
        }
        await page.getByRole('button', { name: '添加问题' }).click();
        await pick('检查项', `${item.code} ${item.name}（${item.points}）`);
        await page.getByRole('button', { name: '提交企业检查' }).click();
        await page.getByTestId('contractor-check-created').getByText(`本月第 ${round} 次`).waitFor();
      }
      await screenshot(desk.page, 'supervision-contractors');
      expect(desk.pageErrors).toEqual([]);
    } finally {
      await desk.close();
    }
  });
});
