import type { AppContext } from '../http/context.ts';
import { newId } from '../shared/ids.ts';
import { pointsRepository } from './points/points.repository.ts';
import { DEMO_RULES, DEMO_RULES_LABEL } from './points/points.rules.ts';
import { volunteerRepository } from './volunteers/volunteer.repository.ts';

/** The demo community's small rewards catalogue (illustrative items a community office would stock). */
export const DEMO_REWARDS: readonly { name: string; description: string; cost: number; stock: number }[] = [
  { name: '环保购物袋', description: '可重复使用的帆布袋', cost: 20, stock: 30 },
  { name: '洗衣液一瓶', description: '社区服务站领取', cost: 50, stock: 20 },
  { name: '理发服务一次', description: '社区便民理发点', cost: 80, stock: 10 },
  { name: '绿植一盆', description: '绿萝或吊兰，美化门前', cost: 120, stock: 8 },
];

/**
 * The illustrative participation data of the demo district: a points rules version and, for the first
 * community of the demo street, a rewards catalogue and a volunteer team. Idempotent, so that demo
 * databases made before participation existed get it on their next start.
 */
export async function seedParticipationDemo(
  ctx: AppContext,
  districtCode: string,
  streetCode: string,
): Promise<void> {
  const { points } = ctx.participation;
  await points.seedRules(districtCode, DEMO_RULES, DEMO_RULES_LABEL);
  const community = await ctx.db
    .selectFrom('community')
    .select('code')
    .where('street_code', '=', streetCode)
    .orderBy('code')
    .executeTakeFirst();
  if (!community) return;
  const now = ctx.clock.now();
  const repo = pointsRepository(ctx.db);
  if ((await repo.rewards({ communityCode: community.code, activeOnly: false })).length === 0) {
    for (const r of DEMO_REWARDS) {
      await repo.insertReward({
        district_code: districtCode,
        id: newId('rwd'),
        community_code: community.code,
        name: r.name,
        description: r.description,
        cost: r.cost,
        stock: r.stock,
        created_at: now,
      });
    }
  }
  const volunteers = volunteerRepository(ctx.db);
  if ((await volunteers.teams({ communityPrefix: community.code })).length === 0) {
    await volunteers.insertTeam({
      district_code: districtCode,
      id: newId('vteam'),
      community_code: community.code,
      alley_id: null,
      name: '西城大妈志愿服务队（示例）',
      created_at: now,
    });
  }
}
