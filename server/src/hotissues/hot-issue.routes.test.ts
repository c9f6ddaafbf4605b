import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { CaseDriver, SHICHAHAI, XICHANGANJIE } from '../ledgers/ledger.fixtures.ts';
import { fileCase, near } from './hot-issue.fixtures.ts';

/**
 * Hot issues among the platform's cases: five residents report the same piled rubble at one spot in
 * different words, others report unrelated things, and the issue comes out first with its cases.
 */
let env: TestEnv;
let d: CaseDriver;
const rubble: string[] = [];
const day = (n: number) => new Date(Date.parse('2026-11-02T10:00:00+08:00') + n * 86_400_000);

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  await d.signIn('street_dispatcher', 'department_handler', 'district_admin', 'leader', 'grid_worker');
  await d.addAccount('shichahai-dispatcher', 'street_dispatcher', SHICHAHAI);
  const centre = d.centre(XICHANGANJIE);
  const words = [
    '光明胡同口堆了一大堆装修垃圾，好几天没人清理',
    '光明胡同口装修垃圾堆成山，影响通行',
    '光明胡同路口有人乱倒装修垃圾，堆了一周了',
    '光明胡同口的建筑垃圾一直没人管，请尽快清运',
    '光明胡同口装修垃圾越堆越多，晚上看不清容易绊倒',
  ];
  for (const [i, w] of words.entries()) {
    const c = await fileCase(env, day(i), w, near(centre, i), { contact: `1390000000${i}` });
    rubble.push(c.id);
  }
  // The same person again: one more case, not one more person.
  rubble.push(
    (await fileCase(env, day(5), '光明胡同口装修垃圾还是没清走', near(centre, 5), { contact: '13900000000' }))
      .id,
  );
  const others = ['路灯坏了晚上很黑', '共享单车乱停挡住人行道', '井盖松动踩上去会响', '公厕没有水'];
  for (const [i, w] of others.entries()) await fileCase(env, day(i), w, near(centre, 10 + i));
  await fileCase(env, day(1), '柳荫街装修垃圾堆在路边', near(d.centre(SHICHAHAI), 0));
  await d.setClock(day(8));
});
afterAll(async () => {
  await env?.close();
});

const period = `from=${encodeURIComponent('2026-11-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-12-01T00:00:00+08:00')}`;

describe('GET /api/hot-issues', () => {
  it('groups the same problem at the same place raised by several people, hottest first', async () => {
    const res = await d.get('street_dispatcher', `/api/hot-issues?${period}`);
    expect(res.statusCode, res.body).toBe(200);
    const [first] = res.json().issues;
    expect(new Set(first.caseIds)).toEqual(new Set(rubble));
    expect(first).toMatchObject({ rank: 1, people: 5 });
    expect(first.caseNumbers).toHaveLength(6);
    expect(first.place).toContain('光明胡同');
    expect(first.heat).toBeGreaterThan(0);
    expect(first.lng).toBeCloseTo(d.centre(XICHANGANJIE)[0], 2);
    // Personal data stays out: no reporter contact in the answer.
    expect(res.body).not.toContain('1390000000');
  });

  it('answers only for the territory asked, inside the jurisdiction', async () => {
    const elsewhere = await d.get('street_dispatcher', `/api/hot-issues?${period}&scope=${SHICHAHAI}`);
    expect(elsewhere.json().error.code).toBe('OUT_OF_SCOPE');
    const own = await d.get('shichahai-dispatcher', `/api/hot-issues?${period}`);
    expect(own.statusCode).toBe(200);
    expect(own.json().issues.flatMap((i: { caseIds: string[] }) => i.caseIds)).not.toContain(rubble[0]);
    const district = await d.get('leader', `/api/hot-issues?${period}&scope=${XICHANGANJIE}`);
    expect(district.json().issues[0].caseIds).toContain(rubble[0]);
  });

  it('is refused to departments, to people signed out and to a bad period', async () => {
    expect((await d.get('department_handler', `/api/hot-issues?${period}`)).json().error.code).toBe(
      'FORBIDDEN',
    );
    expect((await d.get(null, `/api/hot-issues?${period}`)).json().error.code).toBe('UNAUTHENTICATED');
    const backwards = await d.get(
      'district_admin',
      `/api/hot-issues?from=${encodeURIComponent('2026-12-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-11-01T00:00:00+08:00')}`,
    );
    expect(backwards.json().error.details.fields[0].field).toBe('to');
  });

  it('counts a report that came in after the period was last mined, without waiting for the cache', async () => {
    const before = (await d.get('street_dispatcher', `/api/hot-issues?${period}`)).json().issues[0];
    const clock = env.clock.now();
    const late = await fileCase(
      env,
      day(6),
      '光明胡同口装修垃圾又多了一车',
      near(d.centre(XICHANGANJIE), 6),
      {
        contact: '13900000009',
      },
    );
    await d.setClock(clock);
    const after = (await d.get('street_dispatcher', `/api/hot-issues?${period}`)).json().issues[0];
    expect(after.caseIds).toContain(late.id);
    expect(after.people).toBe(before.people + 1);
  });
});
