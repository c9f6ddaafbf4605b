import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import { CaseDriver, SHICHAHAI, XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';
import { scaleTargets } from '../tiers/tier-plan.rules.ts';
import { demoContractorItems } from './contractor-check.rules.ts';

let env: TestEnv;
let d: CaseDriver;
let contractorId: string;
let alleyId: string;

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(new Date('2026-11-16T10:00:00+08:00'));
  d = new CaseDriver(env);
  await d.signIn('street_dispatcher', 'contractor', 'inspector', 'district_admin', 'leader', 'alley_chief');
  await d.addAccount('shichahai-dispatcher', 'street_dispatcher', SHICHAHAI);
  contractorId = (
    await env.ctx.db
      .selectFrom('app_user')
      .select('organisation_id')
      .where('username', '=', 'demo-contractor')
      .executeTakeFirstOrThrow()
  ).organisation_id!;
  alleyId = (
    await env.ctx.db
      .selectFrom('alley')
      .select('id')
      .where('street_code', '=', XICHANGANJIE)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await env?.close();
});

describe('contractor checks', () => {
  it('has the demo item list of 5 areas and 31 items', async () => {
    const items = (await d.get('street_dispatcher', '/api/contractor-checks/items')).json();
    expect(items).toHaveLength(31);
    expect(new Set(items.map((i: { area: string }) => i.area)).size).toBe(5);
    expect(demoContractorItems()).toHaveLength(31);
  });

  it('scores each check and raises the deduction of a repeated item within the month', async () => {
    const check = (findings: { itemCode: string }[]) =>
      d.send('street_dispatcher', 'POST', '/api/contractor-checks', {
        organisationId: contractorId,
        alleyId,
        findings,
      });
    const first = await check([{ itemCode: 'C101' }, { itemCode: 'C201' }]);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ score: 97, month: '2026-11' });
    const second = await check([{ itemCode: 'C101' }]);
    expect(second.json().findings).toEqual([{ itemCode: 'C101', occurrence: 2, deduction: 2 }]);
    expect(second.json().score).toBe(98);
    const third = await check([{ itemCode: 'C101' }, { itemCode: 'C101' }]);
    expect(third.json().findings.map((f: { deduction: number }) => f.deduction)).toEqual([3, 4]);
    const bad = await check([{ itemCode: 'C999' }]);
    expect(bad.json().error.details.fields[0].field).toBe('findings[0].itemCode');
    const outside = await d.send('shichahai-dispatcher', 'POST', '/api/contractor-checks', {
      organisationId: contractorId,
      alleyId,
      findings: [],
    });
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    expect(
      (
        await d.send('contractor', 'POST', '/api/contractor-checks', {
          organisationId: contractorId,
          alleyId,
          findings: [],
        })
      ).json().error.code,
    ).toBe('FORBIDDEN');
  });

  it('averages the month per contractor; the contractor reads its own checks', async () => {
    const monthly = (await d.get('street_dispatcher', '/api/contractor-checks/monthly?month=2026-11')).json();
    expect(monthly).toEqual([
      expect.objectContaining({
        organisationId: contractorId,
        checks: 3,
        averageScore: 96,
        deductions: 12,
        repeats: 3,
      }),
    ]);
    const own = (await d.get('contractor', '/api/contractor-checks')).json();
    expect(own).toHaveLength(3);
    expect((await d.get('shichahai-dispatcher', '/api/contractor-checks')).json()).toEqual([]);
  });
});

describe('tier plan', () => {
  it('scales the Xicheng plan to the demo city', async () => {
    expect(scaleTargets({ exemplary: 182, fine: 943, compliant: 100 }, 1225)).toEqual({
      exemplary: 182,
      fine: 943,
      compliant: 100,
    });
    expect(scaleTargets({ exemplary: 182, fine: 943, compliant: 100 }, 100)).toEqual({
      exemplary: 15,
      fine: 77,
      compliant: 8,
    });
    const plans = (await d.get('district_admin', '/api/tier-plans')).json();
    expect(plans).toHaveLength(1);
    const alleys = Number(
      (
        await env.ctx.db
          .selectFrom('alley')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst()
      )?.n,
    );
    expect(plans[0].targets).toEqual(scaleTargets({ exemplary: 182, fine: 943, compliant: 100 }, alleys));
  });

  it('grants the tier an inspection score meets and shows progress by street', async () => {
    const target = await env.ctx.db
      .selectFrom('tier_plan_alley')
      .select(['alley_id', 'target_tier'])
      .where('street_code', '=', XICHANGANJIE)
      .where('target_tier', '=', 'fine')
      .orderBy('alley_id')
      .executeTakeFirstOrThrow();
    const res = await d.send('inspector', 'POST', '/api/inspections', {
      alleyId: target.alley_id,
      findings: [],
    });
    expect(res.statusCode, res.body).toBe(201);
    const progress = (await d.get('street_dispatcher', '/api/tier-plans/progress')).json();
    expect(progress.scopeCode).toBe(XICHANGANJIE);
    expect(progress.streets).toHaveLength(1);
    expect(progress.streets[0]).toMatchObject({
      code: XICHANGANJIE,
      met: 1,
      achieved: { exemplary: 1, fine: 0, compliant: 0 },
    });
    expect(progress.overTime).toEqual([{ month: '2026-11', met: 1, cumulative: 1 }]);
    const district = (await d.get('leader', '/api/tier-plans/progress')).json();
    expect(district.streets.length).toBeGreaterThan(1);
    expect(district.byTier.map((t: { tier: string }) => t.tier)).toEqual(['exemplary', 'fine', 'compliant']);
    expect(
      (await d.get('shichahai-dispatcher', `/api/tier-plans/progress?scope=${XICHANGANJIE}`)).json().error
        .code,
    ).toBe('OUT_OF_SCOPE');
  });
});
