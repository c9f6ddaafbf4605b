import type { Kysely } from 'kysely';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { CaseService } from '../cases/case.service.ts';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/schema.ts';
import type { MediaService } from '../media/media.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { TaxonomyService } from '../taxonomy/taxonomy.service.ts';
import type { TerritoryService } from '../territory/territory.service.ts';
import { ContractorCheckService } from './contractors/contractor-check.service.ts';
import { IndicatorService } from './indicators/indicator.service.ts';
import { type FrontageFindings, InspectionService } from './inspections/inspection.service.ts';
import { PatrolService } from './patrols/patrol.service.ts';
import { TierPlanService } from './tiers/tier-plan.service.ts';

export interface Supervision {
  indicators: IndicatorService;
  patrols: PatrolService;
  inspections: InspectionService;
  tiers: TierPlanService;
  contractors: ContractorCheckService;
}

export interface SupervisionDeps {
  config: Config;
  db: Kysely<Database>;
  clock: Clock;
  calendar: WorkingCalendar;
  territory: TerritoryService;
  taxonomy: TaxonomyService;
  cases: CaseService;
  media: MediaService;
  /** 门前三包: findings naming shops become their checks (participation's frontage service). */
  frontage?: FrontageFindings;
}

/** Wires the supervision services (context.ts calls this once). */
export function createSupervision(d: SupervisionDeps): Supervision {
  const indicators = new IndicatorService(d.db, d.clock, {
    districtFor: (actor, requested) => d.taxonomy.districtFor(actor, requested),
    hasCategory: async (key, district) => (await d.taxonomy.entry(key, district)) !== null,
  });
  const patrols = new PatrolService(d.db, d.clock, d.territory, d.cases, {
    coverage: d.config.supervision.coverage,
    liveStaleMinutes: d.config.supervision.liveStaleMinutes,
  });
  const tiers = new TierPlanService(d.db, d.clock, { areaName: (code) => d.territory.areaName(code) });
  const inspections = new InspectionService(d.db, d.clock, d.calendar, {
    territory: d.territory,
    cases: d.cases,
    indicators,
    listener: tiers,
    findingWorkingDays: d.config.supervision.findingWorkingDays,
    frontage: d.frontage,
  });
  const contractors = new ContractorCheckService(d.db, d.clock);
  return { indicators, patrols, inspections, tiers, contractors };
}
