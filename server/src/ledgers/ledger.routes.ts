import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { fileResponse } from '../http/file-response.ts';
import { ledgerEntryDto } from './ledger.entry.ts';
import { ledgerListQuerySchema, ledgerListSchema, ledgerSelectionSchema } from './ledger.schema.ts';
import { attachmentHeader, XLSX_CONTENT_TYPE } from './ledger.xlsx.ts';

export const ledgerRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/ledgers/cases',
    {
      schema: {
        tags: ['ledgers'],
        summary:
          'The case ledger (台账): open entries (挂账) and struck ones (销账) in the caller jurisdiction, or for ' +
          'departments and contractors the cases of their organisation; newest first',
        querystring: ledgerListQuerySchema,
        response: { 200: ledgerListSchema },
      },
    },
    async (request) => {
      const result = await ctx.ledgers.list(requireActor(request), request.query);
      return { ...result, items: result.items.map(ledgerEntryDto) };
    },
  );

  app.get(
    '/api/ledgers/cases.xlsx',
    {
      schema: {
        tags: ['ledgers'],
        summary:
          'The case ledger as an Excel workbook: 编号, 问题类型, 位置, 街巷, 责任单位, 发现时间, 时限, 状态, 整改情况, ' +
          '复核结果, 销账时间 (times in Beijing), oldest first',
        querystring: ledgerSelectionSchema,
        produces: [XLSX_CONTENT_TYPE],
        response: {
          200: fileResponse(XLSX_CONTENT_TYPE, 'the workbook; X-Row-Count says how many cases it lists'),
        },
      },
    },
    async (request, reply) => {
      const { buffer, filename, count } = await ctx.ledgers.exportCases(requireActor(request), request.query);
      return reply
        .type(XLSX_CONTENT_TYPE)
        .header('content-disposition', attachmentHeader(filename))
        .header('x-row-count', String(count))
        .send(buffer);
    },
  );
};
