import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from './support/api.ts';
import { consoleLogin, launch, PHONE, type Session, screenshot } from './support/browser.ts';

const client = apiClient;

/** Residents of a community deliberate: a proposal under vote, one ballot each, a closed tally shown. */
describe('deliberation on the resident page', () => {
  let session: Session | undefined;
  afterAll(async () => {
    await session?.close();
  });

  it('lets a registered resident vote once and shows the count only after the close', async () => {
    const admin = await client('demo-system_admin');
    const chief = await client('demo-alley_chief');
    const community = (
      await chief.get<{ items: { communityCode: string }[] }>('/api/volunteers/teams?street=110102001')
    ).items[0]!.communityCode;
    for (const name of ['e2e-delib-wang', 'e2e-delib-li'])
      await admin.post('/api/users', {
        username: name,
        displayName: name,
        password: 'a-long-password',
        role: 'resident',
        scopeCode: community,
      });
    const wang = await client('e2e-delib-wang', 'a-long-password');
    const li = await client('e2e-delib-li', 'a-long-password');

    // A finished vote: both members voted, so it may close before its deadline; minutes and decision.
    const done = await wang.post<{ id: string }>('/api/proposals', {
      communityCode: community,
      title: '楼门口增设快递暂存架',
      body: '快递堆放在楼道，影响通行',
    });
    const closesAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await chief.post(`/api/proposals/${done.id}/voting`, { closesAt });
    await wang.post(`/api/proposals/${done.id}/votes`, { choice: 'yes' });
    await li.post(`/api/proposals/${done.id}/votes`, { choice: 'no' });
    await chief.post(`/api/proposals/${done.id}/close`);
    await chief.put(`/api/proposals/${done.id}/minutes`, { text: '赞成与反对各一票，暂不设置' });
    await chief.post(`/api/proposals/${done.id}/decision`, { kind: 'none', note: '下月再议' });

    // An open vote: Wang has voted; Li votes on the page.
    const open = await wang.post<{ id: string }>('/api/proposals', {
      communityCode: community,
      title: '胡同口设置非机动车停放线',
      body: '晚间电动车乱停，建议画线集中停放',
    });
    await chief.post(`/api/proposals/${open.id}/voting`, { closesAt });
    await wang.post(`/api/proposals/${open.id}/votes`, { choice: 'yes' });
    const twice = await wang.call<{ error: { code: string } }>('POST', `/api/proposals/${open.id}/votes`, {
      choice: 'no',
    });
    expect(twice.status).toBe(409);
    expect(twice.json.error.code).toBe('ALREADY_VOTED');

    session = await launch(PHONE);
    const { page } = session;
    await page.goto('/r/login?next=/r/proposals');
    await page.getByLabel('用户名').fill('e2e-delib-li');
    await page.getByLabel('密码').fill('a-long-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL('**/r/proposals');
    const voting = page.getByTestId('proposal').filter({ hasText: '胡同口设置非机动车停放线' });
    await voting.getByText('计票结果在表决结束后公布。').waitFor();
    await voting.getByRole('button', { name: '赞成' }).click();
    await page.getByText('投票成功。').waitFor();
    await voting.getByText('您已投票：赞成').waitFor();
    expect(await voting.getByRole('button', { name: '反对' }).count()).toBe(0);
    const closed = page.getByTestId('proposal').filter({ hasText: '楼门口增设快递暂存架' });
    await closed.getByText('赞成 1，反对 1，弃权 0（法定票数 1） · 未通过').waitFor();
    await closed.getByText('决定：不作处理').waitFor();

    // The discussion: Li adds a view under the open proposal; it is listed as a resident's, unnamed.
    await voting.getByRole('button', { name: /^讨论（\d+）$/ }).click();
    const thread = voting.getByTestId('discussion');
    await thread.getByLabel('我的意见').fill('建议画在槐树东侧，不挡消防通道');
    await thread.getByRole('button', { name: '发表意见' }).click();
    await thread.getByText(/居民 · .*：建议画在槐树东侧，不挡消防通道/).waitFor();
    await voting.getByRole('button', { name: '讨论（1）' }).waitFor();
    await screenshot(page, 'resident-proposals');
  }, 120_000);

  it('lets the community run a vote in the console: open it, close it, minutes and a decision', async () => {
    const chief = await client('demo-alley_chief');
    const wang = await client('e2e-delib-wang', 'a-long-password');
    const li = await client('e2e-delib-li', 'a-long-password');
    const community = (
      await chief.get<{ items: { communityCode: string }[] }>('/api/volunteers/teams?street=110102001')
    ).items[0]!.communityCode;
    const alley = (
      await chief.get<{ items: { id: string }[] }>(`/api/territory/alleys?community=${community}&limit=1`)
    ).items[0]!;
    await wang.post('/api/proposals', {
      communityCode: community,
      title: '院内公共区域加装路灯',
      body: '夜间太暗',
    });
    const adopted = await wang.post<{ id: string }>('/api/proposals', {
      communityCode: community,
      alleyId: alley.id,
      title: '胡同两侧补种绿植',
      body: '墙根空地补种月季',
    });
    await chief.post(`/api/proposals/${adopted.id}/voting`, {
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await wang.post(`/api/proposals/${adopted.id}/votes`, { choice: 'yes' });
    await li.post(`/api/proposals/${adopted.id}/votes`, { choice: 'yes' });

    await session?.close();
    session = await launch();
    const { page } = session;
    await consoleLogin(page, 'demo-alley_chief');
    await page.goto('/participation');
    await page.getByRole('tab', { name: '议事协商' }).click();
    const lamp = page.getByRole('row').filter({ hasText: '院内公共区域加装路灯' });
    await lamp.getByRole('button', { name: '开启表决（7 天）' }).click();
    await lamp.getByText('表决结束后公布').waitFor();
    const green = page.getByRole('row').filter({ hasText: '胡同两侧补种绿植' });
    await green.getByText('表决结束后公布').waitFor();
    await green.getByRole('button', { name: '结束表决' }).click();
    await green.getByText(/赞成 2 \/ 反对 0 \/ 弃权 0.*通过/).waitFor();
    await green.getByRole('button', { name: '会议纪要' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('到会居民 2 人，一致同意补种月季 20 株');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^保\s?存$/ })
      .click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await green.getByRole('button', { name: '记录决定' }).click();
    await green.getByText('已决定：纳入一街一策').waitFor();
    await screenshot(page, 'console-deliberation');
    const after = await chief.get<{ decision: { kind: string; ref: string }; minutes: { text: string } }>(
      `/api/proposals/${adopted.id}`,
    );
    expect(after.decision.kind).toBe('plan_item');
    expect(after.minutes.text).toContain('月季');
    const items = await chief.get<{ items: { id: string; proposalId: string }[] }>(
      `/api/plan-items?alley=${alley.id}`,
    );
    expect(items.items.find((i) => i.id === after.decision.ref)?.proposalId).toBe(adopted.id);
  }, 120_000);
});
