import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import {
  dashboardQuerySchema,
  dashboardSchema,
  hotspotCasesSchema,
  hotspotParamsSchema,
  measureCasesQuerySchema,
  measureCasesSchema,
  measureParamsSchema,
  measuresQuerySchema,
  measuresSchema,
} from './measures.schema.ts';

export const measureRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/measures',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'Measures (SPEC §6) of every unit of a level in your jurisdiction for a period: counts, rates (null on a zero denominator) and average handling time',
        querystring: measuresQuerySchema,
        response: { 200: measuresSchema },
      },
    },
    async (request) => ctx.measures.measures(requireActor(request), request.query),
  );

  app.get(
    '/api/measures/:measure/cases',
    {
      schema: {
        tags: ['evaluation'],
        summary: "The cases behind one unit's figure; count equals the figure (for a rate, its numerator)",
        params: measureParamsSchema,
        querystring: measureCasesQuerySchema,
        response: { 200: measureCasesSchema },
      },
    },
    async (request) => ctx.measures.cases(requireActor(request), request.params.measure, request.query),
  );

  app.get(
    '/api/dashboard',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'The dashboard of your jurisdiction (the district, or your street): measures and their trend, open and ' +
          'overdue by street or community, top categories, hotspots by H3 cell and grid',
        querystring: dashboardQuerySchema,
        response: { 200: dashboardSchema },
      },
    },
    async (request) => ctx.dashboard.dashboard(requireActor(request), request.query),
  );

  app.get(
    '/api/dashboard/hotspots/:cell/cases',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'The cases reported in one H3 cell (resolution 9) in the period, inside your jurisdiction',
        params: hotspotParamsSchema,
        querystring: dashboardQuerySchema,
        response: { 200: hotspotCasesSchema },
      },
    },
    async (request) =>
      ctx.dashboard.hotspotCases(requireActor(request), { ...request.query, cell: request.params.cell }),
  );
};
