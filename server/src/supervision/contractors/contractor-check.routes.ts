import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../http/auth.ts';
import type { AppContext } from '../../http/context.ts';

const month = z.string().regex(/^\d{4}-\d{2}$/);
const findingOut = z.object({ itemCode: z.string(), occurrence: z.number().int(), deduction: z.number() });

export const contractorCheckRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.supervision.contractors;

  app.get(
    '/api/contractor-checks/items',
    {
      schema: {
        tags: ['supervision'],
        summary: 'The district contractor check items (areas and items, points per finding)',
        querystring: z.object({
          district: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        response: {
          200: z.array(
            z.object({ code: z.string(), area: z.string(), name: z.string(), points: z.number() }),
          ),
        },
      },
    },
    async (request) => svc.items(requireActor(request), request.query.district),
  );

  app.post(
    '/api/contractor-checks',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'Check a contractor in an alley or street; the n-th finding on an item in the month deducts n × its points',
        body: z.object({
          organisationId: z.string().min(1).max(100),
          alleyId: z.string().max(100).optional(),
          streetCode: z
            .string()
            .regex(/^\d{9}$/)
            .optional(),
          findings: z
            .array(z.object({ itemCode: z.string().min(1).max(20), note: z.string().max(1000).optional() }))
            .max(100),
        }),
        response: {
          201: z.object({
            id: z.string(),
            organisationId: z.string(),
            month,
            score: z.number(),
            findings: z.array(findingOut),
          }),
        },
      },
    },
    async (request, reply) => reply.code(201).send(await svc.create(requireActor(request), request.body)),
  );

  app.get(
    '/api/contractor-checks',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Contractor checks in your jurisdiction (a contractor: its own), newest first',
        querystring: z.object({ month: month.optional(), organisationId: z.string().max(100).optional() }),
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              organisationId: z.string(),
              organisationName: z.string(),
              streetCode: z.string(),
              alleyId: z.string().nullable(),
              month,
              score: z.number(),
              createdAt: z.string(),
              findings: z.array(findingOut.extend({ note: z.string() })),
            }),
          ),
        },
      },
    },
    async (request) => svc.list(requireActor(request), request.query),
  );

  app.get(
    '/api/contractor-checks/monthly',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Each contractor’s month: checks, average score, deductions and repeated findings',
        querystring: z.object({ month }),
        response: {
          200: z.array(
            z.object({
              organisationId: z.string(),
              name: z.string(),
              month,
              checks: z.number().int(),
              averageScore: z.number(),
              deductions: z.number(),
              repeats: z.number().int(),
            }),
          ),
        },
      },
    },
    async (request) => svc.monthly(requireActor(request), request.query),
  );
};
