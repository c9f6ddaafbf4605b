import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { caseHotIssueSchema, hotIssueQuerySchema } from './hot-issue.schema.ts';

export const hotIssueRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/hot-issues',
    {
      schema: {
        tags: ['intelligence'],
        summary:
          'Hot issues of a period: the same problem at the same place raised by several people, hottest first',
        querystring: hotIssueQuerySchema,
        response: { 200: z.object({ issues: z.array(caseHotIssueSchema) }) },
      },
    },
    async (request) => ({ issues: await ctx.hotIssues.list(requireActor(request), request.query) }),
  );
};
