import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import {
  decideSchema,
  forecastQuerySchema,
  nextWeekSchema,
  proposeResultSchema,
  proposeSchema,
  statsQuerySchema,
  statsSchema,
  taskQuerySchema,
  taskSchema,
} from './forecast.schema.ts';

const idParams = z.object({ id: z.string().min(1).max(100) });

export const forecastRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.forecasts;

  app.get(
    '/api/forecasts/next-week',
    {
      schema: {
        tags: ['intelligence'],
        summary:
          "Next week's case count per grid × category with an 80 % interval, by the model the backtest chose",
        querystring: forecastQuerySchema,
        response: { 200: nextWeekSchema },
      },
    },
    async (request) => {
      const { scope, onlyAboveNormal, limit } = request.query;
      const r = await svc.nextWeek(requireActor(request), { scopeCode: scope });
      const series = onlyAboveNormal ? r.series.filter((s) => s.aboveNormal) : r.series;
      return {
        ...r,
        weekStart: r.weekStart.toISOString(),
        total: series.length,
        series: series.slice(0, limit),
      };
    },
  );

  app.post(
    '/api/proactive-tasks/propose',
    {
      schema: {
        tags: ['intelligence'],
        summary:
          'Propose proactive tasks (未诉先办) where next week looks well above normal; idempotent per week',
        body: proposeSchema,
        response: { 200: proposeResultSchema },
      },
    },
    async (request) => {
      const r = await svc.propose(requireActor(request), { scopeCode: request.body.scopeCode });
      return { ...r, weekStart: r.weekStart.toISOString() };
    },
  );

  app.get(
    '/api/proactive-tasks',
    {
      schema: {
        tags: ['intelligence'],
        summary: 'Proactive tasks inside your jurisdiction, latest week first',
        querystring: taskQuerySchema,
        response: { 200: z.array(taskSchema) },
      },
    },
    async (request) =>
      svc.listTasks(requireActor(request), { state: request.query.state, weekStart: request.query.week }),
  );

  app.post(
    '/api/proactive-tasks/:id/decision',
    {
      schema: {
        tags: ['intelligence'],
        summary: 'Accept or dismiss a proposed proactive task (once)',
        params: idParams,
        body: decideSchema,
        response: { 200: taskSchema },
      },
    },
    async (request) =>
      svc.decide(requireActor(request), request.params.id, request.body.decision, request.body.reason),
  );

  app.get(
    '/api/proactive-tasks/stats',
    {
      schema: {
        tags: ['intelligence'],
        summary: 'How many tasks were proposed and accepted, and whether the complaints then came',
        querystring: statsQuerySchema,
        response: { 200: statsSchema },
      },
    },
    async (request) => svc.stats(requireActor(request), request.query),
  );
};
