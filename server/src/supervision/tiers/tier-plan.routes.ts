import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';

const tiers = z.object({ exemplary: z.number(), fine: z.number(), compliant: z.number() });
const planSchema = z.object({
  id: z.string(),
  name: z.string(),
  startYear: z.number().int(),
  endYear: z.number().int(),
  targets: tiers,
  thresholds: tiers,
  illustrative: z.boolean(),
});

export const tierPlanRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.supervision.tiers;

  app.get(
    '/api/tier-plans',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'The district tier plans (精品 / 优美 / 达标): targets and the score thresholds that grant a tier',
        querystring: z.object({
          district: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        response: { 200: z.array(planSchema) },
      },
    },
    async (request) => svc.list(requireActor(request), request.query.district),
  );

  app.get(
    '/api/tier-plans/progress',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Progress of a tier plan by street: target against achieved, and targets met month by month',
        querystring: z.object({
          planId: z.string().max(100).optional(),
          scope: z
            .string()
            .regex(/^\d{6}(\d{3}){0,3}$/)
            .optional(),
        }),
        response: {
          200: z.object({
            plan: planSchema,
            scopeCode: z.string(),
            alleys: z.number().int(),
            met: z.number().int(),
            byTier: z.array(z.object({ tier: z.string(), target: z.number().int(), met: z.number().int() })),
            streets: z.array(
              z.object({
                code: z.string(),
                name: z.string(),
                alleys: z.number().int(),
                met: z.number().int(),
                target: tiers,
                achieved: tiers,
              }),
            ),
            overTime: z.array(
              z.object({ month: z.string(), met: z.number().int(), cumulative: z.number().int() }),
            ),
          }),
        },
      },
    },
    async (request) => svc.progress(requireActor(request), request.query),
  );
};
