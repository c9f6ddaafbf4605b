import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { attachmentHeader, XLSX_CONTENT_TYPE } from '../ledgers/ledger.xlsx.ts';
import { bulletinWorkbook } from './bulletin.xlsx.ts';
import {
  bulletinParamsSchema,
  bulletinSchema,
  rankingQuerySchema,
  rankingSchema,
  runNoParamsSchema,
  runParamsSchema,
  runSchema,
  saveSchemeSchema,
  schemeSchema,
} from './evaluation.schema.ts';

export const evaluationRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.evaluation;

  app.get(
    '/api/evaluation/scheme',
    {
      schema: {
        tags: ['evaluation'],
        summary: "Your district's monthly evaluation scheme (latest version)",
        response: { 200: schemeSchema },
      },
    },
    async (request) => svc.scheme(requireActor(request)),
  );

  app.put(
    '/api/evaluation/scheme',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'Save a new version of the scheme: measures and weights per unit type, how many units the bulletin names',
        body: saveSchemeSchema,
        response: { 200: schemeSchema },
      },
    },
    async (request) => svc.saveScheme(requireActor(request), request.body),
  );

  app.get(
    '/api/evaluations/:month/:level',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          "A month's evaluation runs for a unit type, each with its score changes against the run before",
        params: runParamsSchema,
        response: { 200: z.array(runSchema) },
      },
    },
    async (request) => svc.runs(requireActor(request), request.params.month, request.params.level),
  );

  app.post(
    '/api/evaluations/:month/:level',
    {
      schema: {
        tags: ['evaluation'],
        summary: 'Evaluate a month: a new run storing every unit’s figures and score',
        params: runParamsSchema,
        response: { 200: runSchema },
      },
    },
    async (request) => svc.evaluate(requireActor(request), request.params.month, request.params.level),
  );

  for (const to of ['reviewed', 'frozen'] as const) {
    app.post(
      `/api/evaluations/:month/:level/:runNo/${to === 'reviewed' ? 'review' : 'freeze'}`,
      {
        schema: {
          tags: ['evaluation'],
          summary:
            to === 'reviewed'
              ? 'Mark an evaluated run reviewed'
              : 'Freeze a reviewed run: the month’s ranking shows it from now on, whatever happens to its cases',
          params: runNoParamsSchema,
          response: { 200: runSchema },
        },
      },
      async (request) =>
        svc.advance(
          requireActor(request),
          request.params.month,
          request.params.level,
          request.params.runNo,
          to,
        ),
    );
  }

  app.get(
    '/api/rankings',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'Units of a type ranked by score for a month, quarter or year, with their rank in the period before',
        querystring: rankingQuerySchema,
        response: { 200: rankingSchema },
      },
    },
    async (request) => svc.rankings(requireActor(request), request.query),
  );

  // One route for both forms: `2026-Q4` answers JSON (the printable page reads it), `2026-Q4.xlsx` the
  // workbook with the same figures.
  app.get(
    '/api/bulletins/:quarter',
    {
      schema: {
        tags: ['evaluation'],
        summary:
          'The quarterly bulletin (季通报): rankings per unit type and the bottom units named with their overdue and ' +
          'reworked cases; `…/2026-Q4.xlsx` gives the workbook (rankings, 点名 with cases, chart data)',
        params: bulletinParamsSchema,
        produces: ['application/json', XLSX_CONTENT_TYPE],
        response: { 200: bulletinSchema },
      },
    },
    async (request, reply) => {
      const xlsx = request.params.quarter.endsWith('.xlsx');
      const b = await svc.bulletin(requireActor(request), request.params.quarter.replace(/\.xlsx$/, ''));
      if (!xlsx) return b;
      const buffer = await bulletinWorkbook(b, ctx.clock.now());
      return (
        reply
          .type(XLSX_CONTENT_TYPE)
          .header('content-disposition', attachmentHeader(`${b.district.name}${b.quarter}季度通报.xlsx`))
          // The response schema describes the JSON form; a Buffer is sent as it is, unserialised.
          .send(buffer as never)
      );
    },
  );
};
