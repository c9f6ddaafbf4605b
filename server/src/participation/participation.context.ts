import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { DeliberationService } from './deliberation/deliberation.service.ts';
import { FrontageService } from './frontage/frontage.service.ts';
import type { NoShowPolicy } from './parking/parking.rules.ts';
import { ParkingService } from './parking/parking.service.ts';
import { PointsService } from './points/points.service.ts';
import { VisitService } from './visits/visit.service.ts';
import { VolunteerService } from './volunteers/volunteer.service.ts';

export interface Participation {
  points: PointsService;
  volunteers: VolunteerService;
  deliberation: DeliberationService;
  parking: ParkingService;
  visits: VisitService;
  frontage: FrontageService;
}

export interface ParticipationDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The name of a territory code, or null when there is no such area. */
  areaName(code: string): Promise<string | null>;
  /** What a parking no-show costs (config.ts); the defaults of parking.rules.ts when absent. */
  parkingNoShow?: NoShowPolicy;
}

/**
 * Wires the participation services (context.ts calls this once, before the case-event subscribers;
 * it binds deliberation's decision targets, the case intake and campaigns, once those exist).
 */
export function createParticipation(d: ParticipationDeps): Participation {
  const points = new PointsService(d.db, d.clock, { areaName: d.areaName });
  const volunteers = new VolunteerService(d.db, d.clock, points, { areaName: d.areaName });
  const deliberation = new DeliberationService(d.db, d.clock, { areaName: d.areaName });
  const parking = new ParkingService(d.db, d.clock, { areaName: d.areaName, noShow: d.parkingNoShow });
  const visits = new VisitService(d.db, d.clock, { areaName: d.areaName });
  const frontage = new FrontageService(d.db, d.clock);
  return { points, volunteers, deliberation, parking, visits, frontage };
}
