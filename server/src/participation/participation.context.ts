import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { PointsService } from './points/points.service.ts';

export interface Participation {
  points: PointsService;
}

export interface ParticipationDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** The name of a territory code, or null when there is no such area. */
  areaName(code: string): Promise<string | null>;
}

/** Wires the participation services (context.ts calls this once, before the case-event subscribers). */
export function createParticipation(d: ParticipationDeps): Participation {
  const points = new PointsService(d.db, d.clock, { areaName: d.areaName });
  return { points };
}
