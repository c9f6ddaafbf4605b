import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { fileCase, near } from '../hotissues/hot-issue.fixtures.ts';
import { CaseDriver, DEPT, NO_PHOTO, XICHANGANJIE } from '../ledgers/ledger.fixtures.ts';

/**
 * A quarter of cases in 西长安街: five residents complain of the same rubble at 光明胡同, and exposed
 * garbage keeps coming across the street. The district is offered themes for November, adopts the
 * rubble, which opens a campaign with its cases, and follows it to dynamic zero.
 */
let env: TestEnv;
let d: CaseDriver;
const rubble: { id: string; caseNumber: string }[] = [];
const day = (n: number) => new Date(Date.parse('2026-08-03T10:00:00+08:00') + n * 86_400_000);
let issueTheme: { id: string; caseIds: string[] };

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  await d.signIn('street_dispatcher', 'department_handler', 'inspector', 'district_admin', 'leader');
  const centre = d.centre(XICHANGANJIE);
  const words = [
    '光明胡同口堆了一大堆装修垃圾，好几天没人清理',
    '光明胡同口装修垃圾堆成山，影响通行',
    '光明胡同路口有人乱倒装修垃圾，堆了一周了',
    '光明胡同口的装修垃圾一直没人管，请尽快清运',
    '光明胡同口装修垃圾越堆越多，晚上容易绊倒',
  ];
  for (const [i, w] of words.entries()) {
    rubble.push(
      await fileCase(env, day(40 + i), w, near(centre, i), {
        categoryKey: 'event:06010',
        contact: `1380000000${i}`,
      }),
    );
  }
  for (let i = 0; i < 12; i++) {
    await fileCase(env, day(i * 6), `第${i}处垃圾桶边上暴露垃圾没人收`, near(centre, 20 + i), {
      categoryKey: 'event:06010',
    });
  }
  await d.setClock(new Date('2026-10-20T10:00:00+08:00'));
});
afterAll(async () => {
  await env?.close();
});

describe('monthly themes (每月一题)', () => {
  it('are proposed by the district from the hot issues and the measures of recent months', async () => {
    expect((await d.send('street_dispatcher', 'POST', '/api/themes/proposals', {})).json().error.code).toBe(
      'FORBIDDEN',
    );
    const outside = await d.send('district_admin', 'POST', '/api/themes/proposals', { scopeCode: '110105' });
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    const res = await d.send('district_admin', 'POST', '/api/themes/proposals', {});
    expect(res.statusCode, res.body).toBe(200);
    const themes = res.json();
    expect(themes.every((t: { month: string }) => t.month === '2026-11')).toBe(true);
    issueTheme = themes.find(
      (t: { caseIds: string[]; people: number }) => t.caseIds.includes(rubble[0]!.id) && t.people === 5,
    );
    expect(issueTheme).toMatchObject({ state: 'proposed', categoryKeys: ['event:06010'], campaign: null });
    expect(new Set(issueTheme.caseIds)).toEqual(new Set(rubble.map((r) => r.id)));
    expect((issueTheme as unknown as { place: string }).place).toContain('光明胡同');
    const measure = themes.find((t: { title: string }) => t.title.endsWith('暴露垃圾集中整治'));
    expect(measure).toMatchObject({ caseCount: 17, state: 'proposed' });
  });

  it('are read by the street and leaders, not by departments', async () => {
    expect((await d.get('leader', '/api/themes?month=2026-11')).json().length).toBeGreaterThanOrEqual(2);
    expect((await d.get('street_dispatcher', '/api/themes')).statusCode).toBe(200);
    expect((await d.get('department_handler', '/api/themes')).json().error.code).toBe('FORBIDDEN');
  });

  it('once adopted by the district administrator, open a campaign with their open cases', async () => {
    const url = `/api/themes/${issueTheme.id}/adopt`;
    expect((await d.send('street_dispatcher', 'POST', url)).json().error.code).toBe('FORBIDDEN');
    const res = await d.send('district_admin', 'POST', url);
    expect(res.statusCode, res.body).toBe(200);
    const adopted = res.json();
    expect(adopted).toMatchObject({ state: 'adopted', campaign: { items: 5, open: 5, atZero: false } });
    const campaign = (await d.get('district_admin', `/api/campaigns/${adopted.campaignId}`)).json();
    expect(campaign).toMatchObject({ target: 'dynamic_zero', scopeCode: XICHANGANJIE, items: 5 });
    expect((await d.send('district_admin', 'POST', url)).json().error.code).toBe('TRANSITION_NOT_ALLOWED');
    // Proposing again keeps the decision.
    await d.send('district_admin', 'POST', '/api/themes/proposals', {});
    expect((await d.get('district_admin', `/api/themes/${issueTheme.id}`)).json().state).toBe('adopted');
  });

  it('follow their campaign to dynamic zero', async () => {
    for (const c of rubble) {
      await d.ok('street_dispatcher', c.caseNumber, 'accept', { categoryKey: 'event:06010' });
      await d.ok('street_dispatcher', c.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
      await d.ok('department_handler', c.caseNumber, 'sign');
      await d.ok('department_handler', c.caseNumber, 'feedback', { note: '已清运', ...NO_PHOTO });
      await d.ok('inspector', c.caseNumber, 'verify_pass');
    }
    const theme = (await d.get('leader', `/api/themes/${issueTheme.id}`)).json();
    expect(theme.campaign).toMatchObject({ items: 5, open: 0, cleared: 5, atZero: true });
  });

  it('can be set aside instead', async () => {
    const other = (await d.get('district_admin', '/api/themes?month=2026-11'))
      .json()
      .find((t: { state: string }) => t.state === 'proposed');
    const res = await d.send('district_admin', 'POST', `/api/themes/${other.id}/dismiss`);
    expect(res.json()).toMatchObject({ state: 'dismissed', campaign: null });
    expect((await d.send('district_admin', 'POST', `/api/themes/${other.id}/adopt`)).json().error.code).toBe(
      'TRANSITION_NOT_ALLOWED',
    );
  });
});
