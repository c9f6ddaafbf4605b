import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from './support/api.ts';
import { baseUrl, consoleLogin, launch, PHONE, type Session, screenshot } from './support/browser.ts';

const client = apiClient;

/** A resident with points redeems a reward and signs up for an activity of the team they joined. */
describe('civic points and volunteering on the resident page', () => {
  let session: Session | undefined;
  let before = 0;
  afterAll(async () => {
    await session?.close();
  });

  it('shows the balance, reserves a reward and signs up for an activity', async () => {
    const chief = await client('demo-alley_chief');
    const resident = await client('demo-resident');
    const me = await resident.get<{ user: { id: string } }>('/api/auth/me');
    // Other journeys of the run may already have earned the demo resident points (a verified report).
    before = (await resident.get<{ balance: number }>('/api/points/balance')).balance;
    const team = (
      await chief.get<{ items: { id: string; communityCode: string }[] }>(
        '/api/volunteers/teams?street=110102001',
      )
    ).items[0]!;
    await chief.post('/api/points/awards', {
      userId: me.user.id,
      points: 60,
      reason: '协助清理楼道杂物',
      sourceRef: 'e2e-participation-1',
      communityCode: team.communityCode,
    });
    await resident.post(`/api/volunteers/teams/${team.id}/applications`, { note: '周末有空' });
    await chief.post(`/api/volunteers/teams/${team.id}/members/${me.user.id}/decision`, { approve: true });
    const start = new Date(Date.now() + 24 * 3_600_000);
    await chief.post(`/api/volunteers/teams/${team.id}/activities`, {
      kind: 'sorting_guidance',
      title: '垃圾分类桶前值守',
      place: '社区垃圾分类驿站',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
      capacity: 5,
    });

    session = await launch(PHONE);
    const { page } = session;
    await page.goto('/r/login?next=/r/points');
    await page.getByLabel('用户名').fill('demo-resident');
    await page.getByLabel('密码').fill('demo');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/r/points');
    await expect
      .poll(() => page.getByTestId('points-balance').textContent())
      .toBe(`当前积分：${before + 60}`);
    await page
      .getByTestId('volunteer-team')
      .filter({ hasText: '西城大妈志愿服务队' })
      .getByText(/已加入/)
      .waitFor();
    const bag = page.getByRole('listitem').filter({ hasText: '环保购物袋' });
    await bag.getByRole('button', { name: '兑换' }).click();
    await page.getByText('已预约兑换“环保购物袋”，请到社区领取。').waitFor();
    await expect
      .poll(() => page.getByTestId('points-balance').textContent())
      .toBe(`当前积分：${before + 40}`);
    const activity = page.getByRole('listitem').filter({ hasText: '垃圾分类桶前值守' });
    await activity.getByRole('button', { name: '报名' }).click();
    await page.getByText('已报名“垃圾分类桶前值守”。').waitFor();
    await activity.getByText('已报名 1/5').waitFor();
    await screenshot(page, 'resident-points');

    // The alley board names the volunteer teams that serve it (here: its street's, as it has none of its own).
    const alley = (
      (await (
        await fetch(`${baseUrl()}/api/territory/alleys?q=${encodeURIComponent('光明胡同')}`)
      ).json()) as {
        items: { id: string }[];
      }
    ).items[0]!;
    await page.goto(`/r/alley/${encodeURIComponent(alley.id)}`);
    await page
      .getByTestId('volunteer-teams')
      .getByText(/西城大妈志愿服务队（示例）：1 人/)
      .waitFor();
    await page.getByTestId('volunteer-teams').scrollIntoViewIfNeeded();
    await screenshot(page, 'alley-board-volunteers', false);
  });

  it('lets the community approve a volunteer, confirm attendance and hand a reward over in the console', async () => {
    const chief = await client('demo-alley_chief');
    const resident = await client('demo-resident');
    const volunteer = await client('demo-volunteer');
    const team = (await chief.get<{ items: { id: string }[] }>('/api/volunteers/teams?street=110102001'))
      .items[0]!;
    await volunteer.post(`/api/volunteers/teams/${team.id}/applications`, { note: '小巷管家，每天早晚巡查' });
    const start = new Date(Date.now() - 3_600_000);
    const running = await chief.post<{ id: string }>(`/api/volunteers/teams/${team.id}/activities`, {
      kind: 'patrol',
      title: '胡同夜间巡逻',
      place: '光明胡同',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
    });
    await resident.post(`/api/volunteers/activities/${running.id}/signups`);

    await session?.close();
    session = await launch();
    const { page } = session;
    await consoleLogin(page, 'demo-alley_chief');
    await page.goto('/participation');
    await page.getByLabel('选择志愿队').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '西城大妈志愿服务队' }).click();
    const applicant = page.getByRole('row').filter({ hasText: '示例志愿者' });
    // Ant Design spaces out a two-character Chinese button label (通 过).
    await applicant.getByRole('button', { name: /^通\s?过$/ }).click();
    await applicant.getByText('已通过').waitFor();
    await page.getByRole('row').filter({ hasText: '胡同夜间巡逻' }).click();
    const attendee = page.getByRole('row').filter({ hasText: '示例居民' }).last();
    await attendee.getByRole('button', { name: /^到\s?场$/ }).click();
    await attendee.getByText('120 分钟').waitFor();
    await screenshot(page, 'console-participation');
    // Two hours at the demo's 5 points an hour, on top of the 40 left after the reservation.
    expect((await resident.get<{ balance: number }>('/api/points/balance')).balance).toBe(before + 50);

    await page.getByRole('tab', { name: '积分兑换' }).click();
    const bag = page.getByRole('row').filter({ hasText: '环保购物袋' });
    await bag.getByRole('button', { name: '已领取' }).click();
    await bag.waitFor({ state: 'detached' });
    const mine = await resident.get<{ items: { state: string }[] }>('/api/points/redemptions?mine=true');
    expect(mine.items.map((r) => r.state)).toEqual(['confirmed']);

    // The resident's service certificate now lists the patrol the chief confirmed.
    await session.close();
    session = await launch();
    const paper = session.page;
    await paper.goto('/r/login?next=/r/certificate');
    await paper.getByLabel('用户名').fill('demo-resident');
    await paper.getByLabel('密码').fill('demo');
    await paper.getByRole('button', { name: '登录' }).click();
    await paper.waitForURL('**/r/certificate');
    const certificate = paper.getByTestId('certificate');
    await certificate.getByRole('cell', { name: '胡同夜间巡逻' }).waitFor();
    expect(await certificate.textContent()).toMatch(
      /兹证明 示例居民 为西城大妈志愿服务队（示例）成员.*服务时长 2 小时/,
    );
    await screenshot(paper, 'resident-certificate');
  });

  it('lets a resident of the community apply to its team on the page; the community approves', async () => {
    const admin = await client('demo-system_admin');
    const chief = await client('demo-alley_chief');
    const team = (
      await chief.get<{ items: { id: string; communityCode: string }[] }>(
        '/api/volunteers/teams?street=110102001',
      )
    ).items[0]!;
    const zhao = await admin.post<{ id: string }>('/api/users', {
      username: 'e2e-volunteer-zhao',
      displayName: '赵阿姨',
      password: 'a-long-password',
      role: 'resident',
      scopeCode: team.communityCode,
    });
    await session?.close();
    session = await launch(PHONE);
    const { page } = session;
    await page.goto('/r/login?next=/r/points');
    await page.getByLabel('用户名').fill('e2e-volunteer-zhao');
    await page.getByLabel('密码').fill('a-long-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/r/points');
    const row = page.getByTestId('volunteer-team').filter({ hasText: '西城大妈志愿服务队' });
    await row.getByRole('button', { name: '申请加入' }).click();
    await page.getByText(/已申请加入“西城大妈志愿服务队/).waitFor();
    await row.getByText('已申请，待社区审核').waitFor();
    await chief.post(`/api/volunteers/teams/${team.id}/members/${zhao.id}/decision`, { approve: true });
    await page.reload();
    await row.getByText(/已加入/).waitFor();
    await page.getByRole('link', { name: '我的志愿服务证明' }).waitFor();
    // Zhao moves away: her account is closed, so the community's later votes count its members as before.
    await admin.patch(`/api/users/${zhao.id}`, { active: false });
  });
});
