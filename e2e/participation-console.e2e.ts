import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from './support/api.ts';
import { consoleLogin, label, launch, type Session, screenshot } from './support/browser.ts';

const client = apiClient;

/**
 * Setting participation up from the console (居民参与), as the demo alley chief: a volunteer team and
 * an activity, a reward with its stock, a household to visit with its official, and a staff comment in
 * a proposal's discussion. Everything added stays active (other journeys share the demo database); no
 * account's scope changes, so the community's eligible voters stay the same.
 */
describe('setting participation up in the console', () => {
  let session: Session | undefined;
  afterAll(async () => {
    await session?.close();
  });

  it('creates a team, an activity and a reward, registers a household and comments on a proposal', async () => {
    const chief = await client('demo-alley_chief');
    session = await launch();
    const { page } = session;
    await consoleLogin(page, 'demo-alley_chief');
    await page.goto('/participation');
    const dialog = page.getByRole('dialog');
    const save = (name = '保存') => dialog.getByRole('button', { name: label(name) }).click();

    // A team of the first community, then an activity of it. Its name sorts after the demo team's, which
    // other journeys take as the street's first team.
    await page.getByRole('button', { name: label('新建志愿队') }).click();
    await dialog.getByLabel('队名').fill('银杏巡逻队（控制台测试）');
    await save();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: label('新建活动') }).click();
    await dialog.getByLabel('活动').fill('周末胡同夜巡');
    await dialog.getByLabel('地点').fill('社区居委会门口集合');
    await dialog.getByLabel('开始时间（北京时间）').fill('2027-01-09T19:00');
    await dialog.getByLabel('结束时间（北京时间）').fill('2027-01-09T21:00');
    await dialog.getByLabel('名额（不填为不限）').fill('12');
    await save();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: '周末胡同夜巡' }).filter({ hasText: '巡逻' }).waitFor();
    await screenshot(page, 'console-participation-setup');
    const teams = await chief.get<{ items: { id: string; name: string }[] }>(
      '/api/volunteers/teams?street=110102001',
    );
    const team = teams.items.find((x) => x.name === '银杏巡逻队（控制台测试）');
    expect(team).toBeDefined();
    const activities = await chief.get<{ items: { title: string; startsAt: string; capacity: number }[] }>(
      `/api/volunteers/activities?team=${team!.id}&all=true`,
    );
    expect(activities.items).toMatchObject([
      { title: '周末胡同夜巡', startsAt: '2027-01-09T11:00:00.000Z', capacity: 12 },
    ]);

    // A reward of the catalogue with its stock.
    await page.getByRole('tab', { name: '积分规则与奖品' }).click();
    await page.getByRole('button', { name: label('添加奖品') }).click();
    await dialog.getByLabel('奖品').fill('控制台测试·帆布环保袋');
    await dialog.getByLabel('积分').fill('25');
    await dialog.getByLabel('库存').fill('15');
    await save();
    await dialog.waitFor({ state: 'hidden' });
    await page
      .getByRole('row')
      .filter({ hasText: '控制台测试·帆布环保袋' })
      .filter({ hasText: '15' })
      .waitFor();
    await page.getByText(/现行规则：第 \d+ 版/).waitFor();
    await screenshot(page, 'console-catalogue');
    const rewards = await chief.get<{ items: { name: string; cost: number; stock: number }[] }>(
      '/api/points/rewards?district=110102',
    );
    expect(rewards.items.find((r) => r.name === '控制台测试·帆布环保袋')).toMatchObject({
      cost: 25,
      stock: 15,
    });

    // A household to visit: two kinds and the demo alley chief as its official.
    await page.getByRole('tab', { name: '走访（十必访）' }).click();
    await page.getByRole('button', { name: label('登记必访户') }).click();
    await dialog.getByLabel('住户').fill('控制台测试户·孙家');
    await dialog.getByLabel('地址').fill('示例胡同 12 号');
    await dialog.getByLabel('类别').click();
    // Each pick is seen as a tag before the next: a second click that lands while the first re-renders
    // the list was lost once under load.
    for (const kind of ['独居老人', '优抚对象']) {
      await page.locator('.ant-select-item-option').filter({ hasText: kind }).click();
      await dialog.locator('.ant-select-selection-item', { hasText: kind }).waitFor();
    }
    await dialog.locator('.ant-modal-title').click(); // closes the kinds' dropdown
    await dialog.getByLabel('联系人').fill('孙某');
    await dialog.getByLabel('责任人').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '示例街巷长' }).first().click();
    await save('登记必访户');
    await page.getByText('已登记必访户 控制台测试户·孙家').waitFor();
    const row = page.getByRole('row').filter({ hasText: '控制台测试户·孙家' }).first();
    await row.filter({ hasText: '待访' }).filter({ hasText: '示例街巷长' }).waitFor();
    await screenshot(page, 'console-visits-register');
    const households = await chief.get<{ items: { label: string; kinds: string[]; officialName: string }[] }>(
      '/api/visits/households',
    );
    expect(households.items.find((h) => h.label === '控制台测试户·孙家')).toMatchObject({
      kinds: ['elderly_alone', 'entitled'],
      officialName: '示例街巷长',
    });

    // A proposal of the staff's own, discussed in the console (the demo proposals are left alone).
    const community = (
      await chief.get<{ code: string }[]>('/api/territory/communities?street=110102001')
    )[0]!;
    const proposal = await chief.post<{ id: string }>('/api/proposals', {
      communityCode: community.code,
      title: '控制台测试：楼门口加装扶手',
      body: '老人进出不便，建议在楼门台阶两侧加装扶手。',
    });
    await page.getByRole('tab', { name: '议事协商' }).click();
    const lineOf = page.getByRole('row').filter({ hasText: '控制台测试：楼门口加装扶手' });
    await lineOf.getByRole('button', { name: /讨论（0）/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('发言（以工作人员身份，不显示姓名）').fill('已联系物业核实台阶尺寸，下周答复。');
    await drawer.getByRole('button', { name: label('发表') }).click();
    await drawer.getByText('已联系物业核实台阶尺寸，下周答复。').waitFor();
    await drawer.getByText('街巷长', { exact: true }).waitFor();
    await screenshot(page, 'console-deliberation-discussion');
    const comments = await chief.get<{ items: { authorKind: string; body: string }[] }>(
      `/api/proposals/${proposal.id}/comments`,
    );
    expect(comments.items).toMatchObject([
      { authorKind: 'chief', body: '已联系物业核实台阶尺寸，下周答复。' },
    ]);
  }, 180_000);
});
