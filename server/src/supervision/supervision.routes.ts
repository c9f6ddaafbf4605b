import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../http/context.ts';
import { indicatorRoutes } from './indicators/indicator.routes.ts';
import { patrolRoutes } from './patrols/patrol.routes.ts';

/** Every route of supervision in the field, one plugin per capability. */
export const supervisionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(indicatorRoutes, { ctx });
  await app.register(patrolRoutes, { ctx });
};
