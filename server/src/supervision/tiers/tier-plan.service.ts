import type { Kysely } from 'kysely';
import { type Actor, authorise } from '../../accounts/authorisation.ts';
import type { AlleyTier, Database } from '../../db/schema.ts';
import type { Clock } from '../../shared/clock.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { tierPlanRepository } from './tier-plan.repository.ts';
import { DEFAULT_THRESHOLDS, meets, TIERS, tierForScore } from './tier-plan.rules.ts';

const BEIJING_MS = 8 * 3_600_000;

/**
 * The tier plan (精品/优美/达标, SPEC §2): each alley of a district's plan has a target tier; an
 * inspection whose score meets a tier's threshold grants that tier; progress is target against achieved
 * per street, and over time by the month each alley first met its target.
 */
export class TierPlanService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly names: { areaName(code: string): Promise<string | null> },
  ) {}

  private get repo() {
    return tierPlanRepository(this.db);
  }

  async create(
    actor: Actor | null,
    p: {
      districtCode: string;
      name: string;
      startYear: number;
      endYear: number;
      thresholds?: Record<AlleyTier, number>;
      illustrative?: boolean;
      alleys: readonly { alleyId: string; streetCode: string; targetTier: AlleyTier }[];
    },
  ) {
    if (actor) authorise(actor, 'tier_plan.write', { territoryCodes: [p.districtCode] });
    if (p.endYear < p.startYear)
      throw AppError.validation([{ field: 'endYear', message: 'before startYear' }]);
    const targets = { exemplary: 0, fine: 0, compliant: 0 };
    for (const a of p.alleys) targets[a.targetTier]++;
    const id = newId('tierplan');
    await this.db.transaction().execute((trx) =>
      tierPlanRepository(trx).insertPlan(
        {
          district_code: p.districtCode,
          id,
          name: p.name,
          start_year: p.startYear,
          end_year: p.endYear,
          targets,
          thresholds: p.thresholds ?? DEFAULT_THRESHOLDS,
          illustrative: p.illustrative ?? false,
          created_at: this.clock.now(),
        },
        p.alleys.map((a) => ({ alley_id: a.alleyId, street_code: a.streetCode, target_tier: a.targetTier })),
      ),
    );
    return { id, targets };
  }

  async hasPlan(districtCode: string): Promise<boolean> {
    return (await this.repo.plans(districtCode)).length > 0;
  }

  /**
   * Grants the tier an inspection's score meets in every plan in force that holds the alley; the latest
   * inspection decides (an alley can fall back), and the first time the target is met is kept. Runs in
   * the inspection's transaction.
   */
  async onInspection(
    trx: Kysely<Database>,
    i: { districtCode: string; alleyId: string; score: number; inspectionId: string; at: Date },
  ): Promise<void> {
    const repo = tierPlanRepository(trx);
    const year = new Date(i.at.getTime() + BEIJING_MS).getUTCFullYear();
    for (const p of await repo.alleyPlans(i.districtCode, i.alleyId, year)) {
      const achieved = tierForScore(i.score, p.thresholds);
      await repo.setAchieved(i.districtCode, p.plan_id, i.alleyId, {
        achieved_tier: achieved,
        achieved_score: i.score,
        inspection_id: i.inspectionId,
        met_at: p.met_at ?? (meets(achieved, p.target_tier) ? i.at : null),
      });
    }
  }

  async list(actor: Actor, districtCode?: string) {
    const district = districtCode ?? actor.scopeCode?.slice(0, 6);
    authorise(actor, 'tier_plan.read', { territoryCodes: district ? [district] : [] });
    if (!district)
      throw AppError.validation([{ field: 'district', message: 'name the district (6 digits)' }]);
    return (await this.repo.plans(district)).map((p) => ({
      id: p.id,
      name: p.name,
      startYear: p.start_year,
      endYear: p.end_year,
      targets: p.targets,
      thresholds: p.thresholds,
      illustrative: p.illustrative,
    }));
  }

  /** Target against achieved per street (inside the caller's jurisdiction), and met targets by month. */
  async progress(actor: Actor, q: { planId?: string; scope?: string }) {
    const scope = q.scope ?? actor.scopeCode;
    authorise(actor, 'tier_plan.read', { territoryCodes: scope ? [scope] : [] });
    if (!scope) throw AppError.validation([{ field: 'scope', message: 'name the district or street' }]);
    const district = scope.slice(0, 6);
    const plans = await this.repo.plans(district);
    const plan = q.planId ? plans.find((p) => p.id === q.planId) : plans[0];
    if (!plan) throw AppError.notFound('tier plan', q.planId ?? district);
    const rows = await this.repo.alleys(district, plan.id, scope!.length > 6 ? scope! : null);
    const empty = () => ({ exemplary: 0, fine: 0, compliant: 0 });
    const streets = new Map<
      string,
      {
        code: string;
        target: Record<AlleyTier, number>;
        achieved: Record<AlleyTier, number>;
        met: number;
        alleys: number;
      }
    >();
    const months = new Map<string, number>();
    for (const r of rows) {
      const s = streets.get(r.street_code) ?? {
        code: r.street_code,
        target: empty(),
        achieved: empty(),
        met: 0,
        alleys: 0,
      };
      s.alleys++;
      s.target[r.target_tier]++;
      if (r.achieved_tier) s.achieved[r.achieved_tier]++;
      if (r.met_at) {
        s.met++;
        const m = new Date(r.met_at.getTime() + BEIJING_MS).toISOString().slice(0, 7);
        months.set(m, (months.get(m) ?? 0) + 1);
      }
      streets.set(r.street_code, s);
    }
    const byStreet = await Promise.all(
      [...streets.values()]
        .sort((a, b) => (a.code < b.code ? -1 : 1))
        .map(async (s) => ({ ...s, name: (await this.names.areaName(s.code)) ?? s.code })),
    );
    let cumulative = 0;
    const overTime = [...months.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([month, n]) => {
        cumulative += n;
        return { month, met: n, cumulative };
      });
    return {
      plan: {
        id: plan.id,
        name: plan.name,
        startYear: plan.start_year,
        endYear: plan.end_year,
        targets: plan.targets,
        thresholds: plan.thresholds,
        illustrative: plan.illustrative,
      },
      scopeCode: scope!,
      alleys: rows.length,
      met: rows.filter((r) => r.met_at !== null).length,
      byTier: TIERS.map((t) => ({
        tier: t,
        target: rows.filter((r) => r.target_tier === t).length,
        met: rows.filter((r) => r.target_tier === t && meets(r.achieved_tier, t)).length,
      })),
      streets: byStreet,
      overTime,
    };
  }
}
