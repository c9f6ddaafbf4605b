import type { AlleyTier } from '../db/schema.ts';
import type { AppContext } from '../http/context.ts';
import { demoContractorItems } from './contractors/contractor-check.rules.ts';
import { DEMO_INDICATOR_LABEL, demoIndicators } from './indicators/indicator.demo.ts';
import { scaleTargets } from './tiers/tier-plan.rules.ts';

/** Xicheng's third three-year plan (2023–2025), SPEC §2. */
export const XICHENG_PLAN: Record<AlleyTier, number> = { exemplary: 182, fine: 943, compliant: 100 };

const TYPE_RANK: Record<string, number> = { major_street: 0, main_street: 1, lane: 2 };

/**
 * The illustrative supervision data of the demo district: its indicator system, the contractor check
 * items and a tier plan in the proportions of Xicheng's. Idempotent, so that demo databases made
 * before supervision existed get it on their next start.
 */
export async function seedSupervisionDemo(ctx: AppContext, districtCode: string): Promise<void> {
  const s = ctx.supervision;
  await s.indicators.seedDemo(districtCode, demoIndicators(), DEMO_INDICATOR_LABEL);
  await s.contractors.seedItems(districtCode, demoContractorItems());
  if (await s.tiers.hasPlan(districtCode)) return;
  const alleys = await ctx.db
    .selectFrom('alley')
    .select(['id', 'street_code', 'alley_type'])
    .where('district_code', '=', districtCode)
    .orderBy('id')
    .execute();
  if (alleys.length === 0) return;
  // Streets first for 精品, then main streets, then lanes: the plan's most visible alleys lead it.
  alleys.sort((a, b) => (TYPE_RANK[a.alley_type] ?? 3) - (TYPE_RANK[b.alley_type] ?? 3));
  const n = scaleTargets(XICHENG_PLAN, alleys.length);
  await s.tiers.create(null, {
    districtCode,
    name: '背街小巷环境精细化整治提升三年行动（2023–2025，示意）',
    startYear: 2023,
    endYear: 2025,
    illustrative: true,
    alleys: alleys.map((a, i) => ({
      alleyId: a.id,
      streetCode: a.street_code,
      targetTier: i < n.exemplary ? 'exemplary' : i < n.exemplary + n.fine ? 'fine' : 'compliant',
    })),
  });
}
