import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import { type Actor, SYSTEM_ACTOR } from '../../accounts/authorisation.ts';
import type { Role } from '../../accounts/roles.ts';
import { CaseDriver, DEPT, NO_PHOTO, XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';
import { AppError } from '../../shared/errors.ts';
import type { PointsService } from './points.service.ts';

let env: TestEnv;
let points: PointsService;
let d: CaseDriver;
let community: string;
let staff: Actor;
const DISTRICT = '110102';

async function person(
  name: string,
  role: Role = 'resident',
  scopeCode: string | null = null,
): Promise<Actor> {
  const u = await env.ctx.accounts.createUser(SYSTEM_ACTOR, {
    username: name,
    displayName: name,
    password: 'a-long-password',
    role,
    scopeCode,
    organisationId: null,
  });
  return { userId: u.id, username: u.username, role, scopeCode, organisationId: null };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(new Date('2026-11-16T10:00:00+08:00'));
  points = env.ctx.participation.points;
  d = new CaseDriver(env);
  await d.signIn('street_dispatcher', 'department_handler', 'inspector', 'district_admin');
  community = (
    await env.ctx.db
      .selectFrom('community')
      .select('code')
      .where('street_code', '=', XICHANGANJIE)
      .orderBy('code')
      .executeTakeFirstOrThrow()
  ).code;
  staff = await person('points-chief', 'alley_chief', XICHANGANJIE);
  await points.setRules(SYSTEM_ACTOR, {
    districtCode: DISTRICT,
    label: 'test rules',
    rules: { report_verified: 10, volunteer_hour: 6, sorting_check: 2 },
  });
});
afterAll(async () => {
  await env?.close();
});

describe('rules versions', () => {
  it('keeps every version and activates the newest; refuses faulty rules naming the field', async () => {
    const before = await points.rules(null, DISTRICT);
    expect(before.active?.rules).toEqual({ report_verified: 10, volunteer_hour: 6, sorting_check: 2 });
    const bad = points.setRules(SYSTEM_ACTOR, {
      districtCode: DISTRICT,
      label: 'x',
      rules: { report_verified: -3 },
    });
    await expect(bad).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const outside = await person('points-admin-elsewhere', 'street_dispatcher', '110102012');
    expect(await codeOf(points.setRules(outside, { districtCode: DISTRICT, label: 'x', rules: {} }))).toBe(
      'FORBIDDEN',
    );
  });
});

describe('awards', () => {
  it('posts an award once per source and answers the first one on a retry', async () => {
    const r = await person('points-award');
    const first = await points.award(staff, {
      userId: r.userId,
      points: 15,
      reason: '清理楼道',
      sourceRef: 'desk-1',
      communityCode: community,
    });
    expect(first).toMatchObject({ points: 15, created: true });
    const again = await points.award(staff, {
      userId: r.userId,
      points: 99,
      reason: 'again',
      sourceRef: 'desk-1',
      communityCode: community,
    });
    expect(again).toEqual({ transactionId: first.transactionId, points: 15, created: false });
    expect((await points.balance(r)).balance).toBe(15);
    const posts = await points.postings(r);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ kind: 'award', amount: 15, sourceKind: 'staff' });
  });

  it('posts racing awards of one source exactly once', async () => {
    const r = await person('points-race-award');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        points.award(staff, {
          userId: r.userId,
          points: 5,
          reason: 'race',
          sourceRef: 'race-1',
          communityCode: community,
        }),
      ),
    );
    expect(results.every((x) => x.status === 'fulfilled')).toBe(true);
    expect((await points.balance(r)).balance).toBe(5);
  });

  it('awards only inside the jurisdiction, only residents and volunteers, only positive points', async () => {
    const r = await person('points-scope');
    const outside = await person('points-chief-2', 'alley_chief', '110102012');
    expect(
      await codeOf(
        points.award(outside, {
          userId: r.userId,
          points: 1,
          reason: 'x',
          sourceRef: 's',
          communityCode: community,
        }),
      ),
    ).toBe('OUT_OF_SCOPE');
    expect(
      await codeOf(
        points.award(r, {
          userId: r.userId,
          points: 1,
          reason: 'x',
          sourceRef: 's',
          communityCode: community,
        }),
      ),
    ).toBe('FORBIDDEN');
    expect(
      await codeOf(
        points.award(staff, {
          userId: staff.userId,
          points: 1,
          reason: 'x',
          sourceRef: 's',
          communityCode: community,
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      await codeOf(
        points.award(staff, {
          userId: r.userId,
          points: 0,
          reason: 'x',
          sourceRef: 's0',
          communityCode: community,
        }),
      ),
    ).toBe('VALIDATION_FAILED');
  });

  it('earns the rule for a passed garbage-sorting check, nothing for a failed one', async () => {
    const r = await person('points-sorting');
    expect(
      await points.recordSortingCheck(staff, { communityCode: community, userId: r.userId, passed: true }),
    ).toMatchObject({
      points: 2,
    });
    expect(
      await points.recordSortingCheck(staff, { communityCode: community, userId: r.userId, passed: false }),
    ).toMatchObject({
      points: 0,
    });
    expect((await points.balance(r)).balance).toBe(2);
  });
});

describe('redemptions', () => {
  it('reserves, confirms or releases; refuses what the balance or the stock does not cover', async () => {
    const r = await person('points-redeem');
    await points.award(staff, {
      userId: r.userId,
      points: 25,
      reason: 'x',
      sourceRef: 'redeem-1',
      communityCode: community,
    });
    const reward = await points.createReward(staff, {
      communityCode: community,
      name: '环保袋',
      cost: 10,
      stock: 1,
    });
    const first = await points.redeem(r, { rewardId: reward.id });
    expect(first).toMatchObject({ state: 'reserved', balance: 15 });
    expect(await codeOf(points.redeem(r, { rewardId: reward.id }))).toBe('OUT_OF_STOCK');
    // Releasing gives back the points and the stock.
    await points.cancelRedemption(r, first.id);
    expect((await points.balance(r)).balance).toBe(25);
    expect(
      (await points.rewards(null, { communityCode: community })).find((x) => x.id === reward.id)?.stock,
    ).toBe(1);
    expect(await codeOf(points.confirmRedemption(staff, first.id))).toBe('TRANSITION_NOT_ALLOWED');
    const second = await points.redeem(r, { rewardId: reward.id });
    // The resident cannot confirm their own reservation; the community's staff do.
    expect(await codeOf(points.confirmRedemption(r, second.id))).toBe('FORBIDDEN');
    expect(await points.confirmRedemption(staff, second.id)).toMatchObject({ state: 'confirmed' });
    expect(await codeOf(points.cancelRedemption(r, second.id))).toBe('TRANSITION_NOT_ALLOWED');
    expect((await points.balance(r)).balance).toBe(15);
    const big = await points.createReward(staff, {
      communityCode: community,
      name: '电影票',
      cost: 16,
      stock: 5,
    });
    await expect(points.redeem(r, { rewardId: big.id })).rejects.toMatchObject({
      code: 'INSUFFICIENT_POINTS',
      details: { balance: 15, cost: 16 },
    });
    expect(
      (await points.rewards(null, { communityCode: community })).find((x) => x.id === big.id)?.stock,
    ).toBe(5);
    const mine = await points.redemptions(r, {});
    expect(mine.map((m) => m.state).sort()).toEqual(['confirmed', 'released']);
  });

  it('lets exactly as many racing redemptions through as the balance covers', async () => {
    const r = await person('points-race-balance');
    await points.award(staff, {
      userId: r.userId,
      points: 30,
      reason: 'x',
      sourceRef: 'race-balance',
      communityCode: community,
    });
    const reward = await points.createReward(staff, {
      communityCode: community,
      name: '毛巾',
      cost: 10,
      stock: 100,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => points.redeem(r, { rewardId: reward.id })),
    );
    const ok = results.filter((x) => x.status === 'fulfilled').length;
    const refused = results.filter(
      (x) => x.status === 'rejected' && (x.reason as AppError).code === 'INSUFFICIENT_POINTS',
    ).length;
    expect(ok).toBe(3);
    expect(refused).toBe(47);
    expect((await points.balance(r)).balance).toBe(0);
    expect(
      (await points.rewards(null, { communityCode: community })).find((x) => x.id === reward.id)?.stock,
    ).toBe(97);
  });

  it('lets exactly as many racing redemptions through as the stock holds', async () => {
    const people = await Promise.all(Array.from({ length: 12 }, (_, i) => person(`points-race-stock-${i}`)));
    for (const p of people)
      await points.award(staff, {
        userId: p.userId,
        points: 50,
        reason: 'x',
        sourceRef: `stock-${p.userId}`,
        communityCode: community,
      });
    const reward = await points.createReward(staff, {
      communityCode: community,
      name: '绿植',
      cost: 20,
      stock: 4,
    });
    const results = await Promise.allSettled(
      people.flatMap((p) => [
        points.redeem(p, { rewardId: reward.id }),
        points.redeem(p, { rewardId: reward.id }),
      ]),
    );
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(4);
    expect(
      results
        .filter((x) => x.status === 'rejected')
        .every((x) => (x.reason as AppError).code === 'OUT_OF_STOCK'),
    ).toBe(true);
    expect(
      (await points.rewards(null, { communityCode: community })).find((x) => x.id === reward.id)?.stock,
    ).toBe(0);
  });
});

describe('verified reports', () => {
  it('awards the reporter of a verified report once, if signed in as resident; anonymous reports earn nothing', async () => {
    await d.addAccount('points-reporter', 'resident', null);
    const reporterId = (
      await env.ctx.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', 'points-reporter')
        .executeTakeFirstOrThrow()
    ).id;
    const reporter: Actor = {
      userId: reporterId,
      username: 'points-reporter',
      role: 'resident',
      scopeCode: null,
      organisationId: null,
    };
    const close = async (ref: string) => {
      await d.ok('street_dispatcher', ref, 'accept', { categoryKey: 'event:06001' });
      await d.ok('street_dispatcher', ref, 'dispatch', { tier: 2, unitId: DEPT });
      await d.ok('department_handler', ref, 'sign');
      await d.ok('department_handler', ref, 'feedback', { note: '已清理', ...NO_PHOTO });
    };
    const mine = await d.report('路边堆放杂物', { as: 'points-reporter' });
    const anonymous = await d.report('路边堆放杂物（匿名）');
    await close(mine.caseNumber);
    await close(anonymous.caseNumber);
    await d.ok('inspector', mine.caseNumber, 'verify_fail', { reason: '仍有残留' });
    expect((await points.balance(reporter)).balance).toBe(0);
    await d.ok('department_handler', mine.caseNumber, 'feedback', { note: '已全部清理', ...NO_PHOTO });
    await d.ok('inspector', mine.caseNumber, 'verify_pass');
    await d.ok('inspector', anonymous.caseNumber, 'verify_pass');
    expect((await points.balance(reporter)).balance).toBe(10);
    const posts = await points.postings(reporter);
    expect(posts).toEqual([expect.objectContaining({ sourceKind: 'case', sourceRef: mine.id, amount: 10 })]);
    // Reopened and verified again: the case has earned already.
    await d.ok('points-reporter', mine.caseNumber, 'reopen', { reason: '又堆上了' });
    await d.ok('department_handler', mine.caseNumber, 'feedback', { note: '再次清理', ...NO_PHOTO });
    await d.ok('inspector', mine.caseNumber, 'verify_pass');
    expect((await points.balance(reporter)).balance).toBe(10);
  });
});

describe('the ledger', () => {
  it('sums to zero across accounts, every transaction balanced, no resident or hold below zero', async () => {
    const check = await points.check(DISTRICT);
    expect(check).toEqual({ total: 0, unbalancedTransactions: [], negativeAccounts: [] });
    const entries = await env.ctx.db
      .selectFrom('points_entry')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(entries.n)).toBeGreaterThan(20);
  });
});
