import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { fileResponse } from '../http/file-response.ts';
import {
  addItemsSchema,
  burndownDaySchema,
  campaignItemSchema,
  campaignSchema,
  campaignSummarySchema,
  createCampaignSchema,
  SKIP_CODES,
} from './campaign.schema.ts';
import { localDateSchema } from './ledger.schema.ts';
import { attachmentHeader, XLSX_CONTENT_TYPE } from './ledger.xlsx.ts';

const idParams = z.object({ id: z.string().min(1).max(100) });

export const campaignRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.campaigns;

  app.post(
    '/api/campaigns',
    {
      schema: {
        tags: ['ledgers'],
        summary:
          'Launch a campaign ledger that must reach dynamic zero (动态清零), inside the caller jurisdiction',
        body: createCampaignSchema,
        response: { 201: campaignSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await svc.create(requireActor(request), request.body)),
  );

  app.get(
    '/api/campaigns',
    {
      schema: {
        tags: ['ledgers'],
        summary:
          'Campaigns inside the caller jurisdiction, newest first, with their open and cleared items now',
        response: { 200: z.array(campaignSummarySchema) },
      },
    },
    async (request) => svc.list(requireActor(request)),
  );

  app.get(
    '/api/campaigns/:id',
    { schema: { tags: ['ledgers'], params: idParams, response: { 200: campaignSchema } } },
    async (request) => svc.get(requireActor(request), request.params.id),
  );

  app.post(
    '/api/campaigns/:id/items',
    {
      schema: {
        tags: ['ledgers'],
        summary:
          'Add open cases (by id or case number) and pre-registered points; cases outside the territory, ' +
          'of another category, closed or already in are skipped with the reason',
        params: idParams,
        body: addItemsSchema,
        response: {
          200: z.object({
            added: z.number(),
            skipped: z.array(
              z.object({
                ref: z.string(),
                code: z.enum(SKIP_CODES).describe('why, for a page to say in its own language'),
                reason: z.string().describe('why, in English'),
              }),
            ),
          }),
        },
      },
    },
    async (request) => svc.addItems(requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/api/campaigns/:id/items/:itemId/clear',
    {
      schema: {
        tags: ['ledgers'],
        summary: 'Record that a pre-registered point is cleared (a case item clears when its case closes)',
        params: idParams.extend({ itemId: z.string().min(1).max(100) }),
        body: z.object({ note: z.string().trim().max(1000).optional() }).default({}),
        response: { 200: z.object({ id: z.string(), clearedAt: z.string() }) },
      },
    },
    async (request) =>
      svc.clearPoint(requireActor(request), request.params.id, request.params.itemId, request.body?.note),
  );

  app.get(
    '/api/campaigns/:id/items',
    {
      schema: {
        tags: ['ledgers'],
        summary:
          'The items of a campaign with their standing at the end of a day (or now) and the event that cleared ' +
          'each: the cases behind any day of the burn-down',
        params: idParams,
        querystring: z.object({
          on: localDateSchema.optional(),
          status: z.enum(['open', 'cleared', 'all']).default('all'),
        }),
        response: { 200: z.array(campaignItemSchema) },
      },
    },
    async (request) => svc.items(requireActor(request), request.params.id, request.query),
  );

  app.get(
    '/api/campaigns/:id/burndown',
    {
      schema: {
        tags: ['ledgers'],
        summary:
          'Open items per Beijing day from the start of the campaign to today, computed from the case trail',
        params: idParams,
        response: { 200: z.array(burndownDaySchema) },
      },
    },
    async (request) => svc.burndown(requireActor(request), request.params.id),
  );

  app.get(
    '/api/campaigns/:id/ledger.xlsx',
    {
      schema: {
        tags: ['ledgers'],
        summary: 'The campaign ledger (清零台账) and its burn-down (清零进度) as an Excel workbook',
        params: idParams,
        response: {
          200: fileResponse(XLSX_CONTENT_TYPE, 'the workbook; X-Row-Count says how many items it lists'),
        },
      },
    },
    async (request, reply) => {
      const { buffer, filename, count } = await svc.exportXlsx(requireActor(request), request.params.id);
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', attachmentHeader(filename))
        .header('x-row-count', String(count))
        .send(buffer);
    },
  );
};
