import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../http/context.ts';
import { contractorCheckRoutes } from './contractors/contractor-check.routes.ts';
import { indicatorRoutes } from './indicators/indicator.routes.ts';
import { inspectionRoutes } from './inspections/inspection.routes.ts';
import { patrolRoutes } from './patrols/patrol.routes.ts';
import { tierPlanRoutes } from './tiers/tier-plan.routes.ts';

/** Every route of supervision in the field, one plugin per capability. */
export const supervisionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(indicatorRoutes, { ctx });
  await app.register(patrolRoutes, { ctx });
  await app.register(inspectionRoutes, { ctx });
  await app.register(contractorCheckRoutes, { ctx });
  await app.register(tierPlanRoutes, { ctx });
};
