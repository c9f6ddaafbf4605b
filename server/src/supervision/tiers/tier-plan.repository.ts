import type { Kysely } from 'kysely';
import type { AlleyTier, Database } from '../../db/schema.ts';

export function tierPlanRepository(db: Kysely<Database>) {
  return {
    plans(districtCode: string) {
      return db
        .selectFrom('tier_plan')
        .selectAll()
        .where('district_code', '=', districtCode)
        .orderBy('start_year', 'desc')
        .execute();
    },

    plan(districtCode: string, id: string) {
      return db
        .selectFrom('tier_plan')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    async insertPlan(
      p: {
        district_code: string;
        id: string;
        name: string;
        start_year: number;
        end_year: number;
        targets: Record<AlleyTier, number>;
        thresholds: Record<AlleyTier, number>;
        illustrative: boolean;
        created_at: Date;
      },
      alleys: readonly { alley_id: string; street_code: string; target_tier: AlleyTier }[],
    ) {
      await db
        .insertInto('tier_plan')
        .values({ ...p, targets: JSON.stringify(p.targets), thresholds: JSON.stringify(p.thresholds) })
        .execute();
      for (let i = 0; i < alleys.length; i += 500) {
        await db
          .insertInto('tier_plan_alley')
          .values(
            alleys.slice(i, i + 500).map((a) => ({ ...a, district_code: p.district_code, plan_id: p.id })),
          )
          .execute();
      }
    },

    /**
     * The plans begun by `year` that hold this alley. A plan past its end still takes inspections: the
     * review of a three-year plan goes on after it, and the month each target was met shows lateness.
     */
    alleyPlans(districtCode: string, alleyId: string, year: number) {
      return db
        .selectFrom('tier_plan_alley as a')
        .innerJoin('tier_plan as p', (j) =>
          j.onRef('p.district_code', '=', 'a.district_code').onRef('p.id', '=', 'a.plan_id'),
        )
        .select(['a.plan_id', 'a.target_tier', 'a.achieved_tier', 'a.met_at', 'p.thresholds'])
        .where('a.district_code', '=', districtCode)
        .where('a.alley_id', '=', alleyId)
        .where('p.start_year', '<=', year)
        .execute();
    },

    async setAchieved(
      districtCode: string,
      planId: string,
      alleyId: string,
      v: {
        achieved_tier: AlleyTier | null;
        achieved_score: number;
        inspection_id: string;
        met_at: Date | null;
      },
    ) {
      await db
        .updateTable('tier_plan_alley')
        .set(v)
        .where('district_code', '=', districtCode)
        .where('plan_id', '=', planId)
        .where('alley_id', '=', alleyId)
        .execute();
    },

    alleys(districtCode: string, planId: string, scopePrefix: string | null) {
      let q = db
        .selectFrom('tier_plan_alley')
        .select(['alley_id', 'street_code', 'target_tier', 'achieved_tier', 'achieved_score', 'met_at'])
        .where('district_code', '=', districtCode)
        .where('plan_id', '=', planId);
      if (scopePrefix) q = q.where('street_code', 'like', `${scopePrefix}%`);
      return q.execute();
    },
  };
}
