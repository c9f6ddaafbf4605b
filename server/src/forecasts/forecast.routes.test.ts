import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { fileCase, near } from '../hotissues/hot-issue.fixtures.ts';
import { CaseDriver, SHICHAHAI, XICHANGANJIE } from '../ledgers/ledger.fixtures.ts';

/**
 * Fourteen weeks of exposed garbage at one spot, two a week, then a rise over the last three weeks:
 * next week's forecast is well above normal, a patrol task is proposed, a dispatcher accepts it, and
 * once the week is over the count says whether the complaints came.
 */
let env: TestEnv;
let d: CaseDriver;
const WEEK = 7 * 86_400_000;
/** Monday 2026-08-03, 10:00 in Beijing: history runs from here. */
const start = Date.parse('2026-08-03T10:00:00+08:00');
const at = (week: number, day = 0) => new Date(start + week * WEEK + day * 86_400_000);
let now: Date;
let taskId: string;

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  const centre = (await (async () => {
    await d.signIn('street_dispatcher', 'department_handler', 'district_admin', 'leader');
    return d.centre(XICHANGANJIE);
  })()) as [number, number];
  const weekly = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 8, 9, 10];
  for (const [w, n] of weekly.entries()) {
    for (let i = 0; i < n; i++) {
      await fileCase(env, at(w, i % 5), `胡同口暴露垃圾第${w}周第${i}件`, near(centre, 0), {
        categoryKey: 'event:06010',
      });
    }
  }
  await d.addAccount('shichahai-dispatcher', 'street_dispatcher', SHICHAHAI);
  now = at(14, 1);
  await d.setClock(now);
});
afterAll(async () => {
  await env?.close();
});

describe('forecasts and proactive tasks', () => {
  it('forecasts next week per grid × category with an interval, flagging what is well above normal', async () => {
    const res = await d.get('leader', '/api/forecasts/next-week?onlyAboveNormal=true');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.weekStart).toBe(new Date(Date.parse('2026-11-09T00:00:00+08:00')).toISOString());
    expect(body.historyWeeks).toBeGreaterThanOrEqual(14);
    const garbage = body.series.find((s: { categoryKey: string }) => s.categoryKey === 'event:06010');
    expect(garbage).toMatchObject({ aboveNormal: true, normal: 2, lastWeek: 10 });
    expect(garbage.forecast).toBeGreaterThan(4);
    expect(garbage.low).toBeLessThanOrEqual(garbage.forecast);
    expect(garbage.high).toBeGreaterThanOrEqual(garbage.forecast);
    expect(garbage.place.startsWith(XICHANGANJIE)).toBe(true);
  });

  it('proposes a patrol focus once per week and place, for the desk that dispatches', async () => {
    expect(
      (await d.send('department_handler', 'POST', '/api/proactive-tasks/propose', {})).json().error.code,
    ).toBe('FORBIDDEN');
    const res = await d.send('street_dispatcher', 'POST', '/api/proactive-tasks/propose', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().proposed).toBeGreaterThanOrEqual(1);
    const again = await d.send('street_dispatcher', 'POST', '/api/proactive-tasks/propose', {});
    expect(again.json().proposed).toBe(0);
    const tasks = (await d.get('street_dispatcher', '/api/proactive-tasks?state=proposed')).json();
    const task = tasks.find((t: { categoryKey: string }) => t.categoryKey === 'event:06010');
    expect(task).toMatchObject({ kind: 'patrol', categoryName: '暴露垃圾', state: 'proposed', actual: null });
    taskId = task.id;
    expect((await d.get('shichahai-dispatcher', '/api/proactive-tasks')).json()).toEqual([]);
  });

  it('is accepted or dismissed once, inside the jurisdiction', async () => {
    const url = `/api/proactive-tasks/${taskId}/decision`;
    expect(
      (await d.send('shichahai-dispatcher', 'POST', url, { decision: 'accept' })).json().error.code,
    ).toBe('OUT_OF_SCOPE');
    expect((await d.send('leader', 'POST', url, { decision: 'accept' })).json().error.code).toBe('FORBIDDEN');
    const res = await d.send('street_dispatcher', 'POST', url, { decision: 'accept', reason: '加派巡查' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'accepted', reason: '加派巡查' });
    const twice = await d.send('street_dispatcher', 'POST', url, { decision: 'dismiss' });
    expect(twice.json().error.code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('counts, once the week is over, whether the complaints came', async () => {
    const centre = d.centre(XICHANGANJIE);
    for (let i = 0; i < 7; i++) {
      await fileCase(env, at(14, 2 + (i % 4)), `暴露垃圾又来了${i}`, near(centre, 0), {
        categoryKey: 'event:06010',
      });
    }
    await d.setClock(at(15, 2));
    const stats = await d.get(
      'street_dispatcher',
      `/api/proactive-tasks/stats?from=${encodeURIComponent('2026-11-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-12-01T00:00:00+08:00')}`,
    );
    expect(stats.statusCode, stats.body).toBe(200);
    expect(stats.json()).toMatchObject({ accepted: 1, cameWhenAccepted: 1, evaluatedAccepted: 1 });
    expect(stats.json().proposed).toBeGreaterThanOrEqual(1);
    const task = (await d.get('street_dispatcher', '/api/proactive-tasks?state=accepted')).json()[0];
    expect(task).toMatchObject({ id: taskId, actual: 7, came: true });
  });
});
