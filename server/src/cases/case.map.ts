import { z } from 'zod';
import type { Actor } from '../accounts/authorisation.ts';
import type { CaseService } from './case.service.ts';
import { CASE_STATES, type CaseState, isOpen } from './case.state.ts';

/** The states of an open ledger entry (挂账), as `isOpen` decides it. */
export const OPEN_STATES = CASE_STATES.filter((state) => isOpen({ state }));

/** At most this many points per answer: the newest open cases of the caller's queue. */
export const CASE_POINTS_MAX = 2000;

export const casePointsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(CASE_POINTS_MAX).default(CASE_POINTS_MAX),
});

export const casePointsSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string(),
        properties: z.object({
          id: z.string(),
          caseNumber: z.string(),
          state: z.enum(CASE_STATES),
          categoryKey: z.string().nullable(),
          overdue: z.boolean().describe('past its deadline (SLA red)'),
          createdAt: z.string(),
        }),
        geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
      }),
    ),
    total: z.number().describe('open cases in the queue (counted up to 10,000)'),
    truncated: z.boolean().describe('more open cases exist than the points listed'),
  })
  .meta({ id: 'CasePoints', description: 'WGS-84 GeoJSON points; no reporter, no description' });

export type CasePoints = z.infer<typeof casePointsSchema>;

/**
 * The open cases the caller's queue holds, as map points: the same jurisdiction or assignment filter
 * as `GET /api/cases` (the case service decides it), and only what a map needs to draw and link them.
 */
export async function openCasePoints(cases: CaseService, actor: Actor, limit: number): Promise<CasePoints> {
  const { items, total } = await cases.queue(actor, { states: [...OPEN_STATES], limit, offset: 0 });
  return {
    type: 'FeatureCollection',
    features: items.map((c) => ({
      type: 'Feature',
      id: c.id,
      properties: {
        id: c.id,
        caseNumber: c.case_number,
        state: c.state as CaseState,
        categoryKey: c.category_key,
        overdue: c.sla_state === 'red',
        createdAt: c.created_at.toISOString(),
      },
      geometry: { type: 'Point', coordinates: [c.lng, c.lat] },
    })),
    total,
    truncated: total > items.length,
  };
}
