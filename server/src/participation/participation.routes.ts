import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../http/context.ts';
import { deliberationRoutes } from './deliberation/deliberation.routes.ts';
import { frontageRoutes } from './frontage/frontage.routes.ts';
import { parkingRoutes } from './parking/parking.routes.ts';
import { pointsRoutes } from './points/points.routes.ts';
import { visitRoutes } from './visits/visit.routes.ts';
import { volunteerRoutes } from './volunteers/volunteer.routes.ts';

/** Every route of participation (SPEC §8), one plugin per capability. */
export const participationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(pointsRoutes, { ctx });
  await app.register(volunteerRoutes, { ctx });
  await app.register(deliberationRoutes, { ctx });
  await app.register(parkingRoutes, { ctx });
  await app.register(visitRoutes, { ctx });
  await app.register(frontageRoutes, { ctx });
};
