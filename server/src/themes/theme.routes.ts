import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { proposeThemesSchema, themeQuerySchema, themeSchema } from './theme.schema.ts';

const idParams = z.object({ id: z.string().min(1).max(100) });

export const themeRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.themes;

  app.post(
    '/api/themes/proposals',
    {
      schema: {
        tags: ['intelligence'],
        summary:
          "Propose next month's themes (每月一题) from the recent hot issues and measures; proposing again keeps decisions",
        body: proposeThemesSchema,
        response: { 200: z.array(themeSchema) },
      },
    },
    async (request) => svc.propose(requireActor(request), request.body),
  );

  app.get(
    '/api/themes',
    {
      schema: {
        tags: ['intelligence'],
        summary: 'Monthly themes inside your jurisdiction, latest month first',
        querystring: themeQuerySchema,
        response: { 200: z.array(themeSchema) },
      },
    },
    async (request) => svc.list(requireActor(request), request.query),
  );

  app.get(
    '/api/themes/:id',
    { schema: { tags: ['intelligence'], params: idParams, response: { 200: themeSchema } } },
    async (request) => svc.get(requireActor(request), request.params.id),
  );

  app.post(
    '/api/themes/:id/adopt',
    {
      schema: {
        tags: ['intelligence'],
        summary: 'Adopt a theme: opens a dynamic-zero campaign with its open cases, which the theme follows',
        params: idParams,
        response: { 200: themeSchema },
      },
    },
    async (request) => svc.adopt(requireActor(request), request.params.id),
  );

  app.post(
    '/api/themes/:id/dismiss',
    {
      schema: {
        tags: ['intelligence'],
        summary: 'Set a proposed theme aside',
        params: idParams,
        response: { 200: themeSchema },
      },
    },
    async (request) => svc.dismiss(requireActor(request), request.params.id),
  );
};
