import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { readMultipartFiles } from '../media/media.multipart.ts';
import { AppError } from '../shared/errors.ts';
import { type ResultRecord, resultRecord } from './hotline.results.ts';
import {
  importResponseSchema,
  placeBodySchema,
  placeParamsSchema,
  placeResponseSchema,
  pushBodySchema,
  pushResponseSchema,
  resultRecordSchema,
  resultsQuerySchema,
  sanlvQuerySchema,
  sanlvResponseSchema,
  unlocatedOrderSchema,
  unlocatedQuerySchema,
} from './hotline.schema.ts';
import type { RowResult } from './hotline.service.ts';
import { attachmentHeader, XLSX_CONTENT_TYPE } from './hotline.xlsx.ts';

/** A month's export of a busy district as xlsx is a few megabytes; this leaves room without inviting abuse. */
const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;

export function rowDto(r: RowResult) {
  return {
    row: r.rowNumber,
    workOrderNo: r.workOrderNo,
    status: r.outcome,
    caseNumber: r.caseNumber,
    trackingCode: r.trackingCode,
    placedBy: r.placedBy,
    note: r.note,
    errors: r.outcome === 'rejected' ? r.issues : [],
  };
}

export const hotlineRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/hotline/import',
    {
      schema: {
        tags: ['hotline'],
        summary:
          'Import 12345 work orders from a file (multipart: `file` as .xlsx, .csv or .json; optional `mapping`, ' +
          'a JSON column mapping; optional `dryRun=true`). Each valid row becomes a hotline case, once: orders ' +
          'already filed come back as existing. Answers the summary, the rejected rows and the validation report.',
        consumes: ['multipart/form-data'],
        response: { 200: importResponseSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const upload = await readMultipartFiles(request, {
        fileField: 'file',
        maxFiles: 1,
        maxBytes: MAX_UPLOAD_BYTES,
        maxFields: 5,
      });
      const file = upload.files[0];
      if (!file) throw AppError.validation([{ field: 'file', message: 'send the work-order file' }]);
      let mappingJson: unknown;
      if (upload.fields.mapping?.trim()) {
        try {
          mappingJson = JSON.parse(upload.fields.mapping);
        } catch {
          throw AppError.validation([{ field: 'mapping', message: 'not valid JSON' }]);
        }
      }
      const dryRun = ['true', '1', 'yes'].includes((upload.fields.dryRun ?? '').toLowerCase());
      const { summary, rows, report } = await ctx.hotline.importFile(actor, file.bytes, {
        filename: file.filename,
        mapping: ctx.hotline.mapping(mappingJson),
        dryRun,
      });
      const base = (file.filename ?? '12345工单').replace(/\.[^.]+$/, '');
      return {
        summary,
        report: {
          filename: `${base}_校验结果.xlsx`,
          contentType: XLSX_CONTENT_TYPE,
          base64: report.toString('base64'),
        },
        rejected: rows.filter((r) => r.outcome === 'rejected').map(rowDto),
      };
    },
  );

  app.post(
    '/api/hotline/orders',
    {
      schema: {
        tags: ['hotline'],
        summary:
          'Push 12345 work orders (for the hotline system, with `Authorization: Bearer <token>`): one order, an ' +
          'array or {orders}, at most 1,000. Idempotent by work-order number. Answers per order the case ' +
          'number, or the fields at fault.',
        body: pushBodySchema,
        response: { 200: pushResponseSchema },
      },
    },
    async (request) => {
      const { summary, rows } = await ctx.hotline.push(requireActor(request), request.body);
      return {
        created: summary.created,
        existing: summary.existing,
        rejected: summary.rejected,
        results: rows.map(rowDto),
      };
    },
  );

  app.get(
    '/api/hotline/results',
    {
      schema: {
        tags: ['hotline'],
        summary:
          'Handling results for the hotline (回传) of the hotline cases whose trail moved in the period: ' +
          '工单编号, 承办单位, 签收时间, 办结时间, 办理结果, 是否解决, 满意度, as JSON, csv or xlsx',
        querystring: resultsQuerySchema,
        produces: ['application/json', 'text/csv', XLSX_CONTENT_TYPE],
        response: { 200: resultRecordSchema.array() },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (request.query.format === 'json') {
        return (await ctx.hotline.results(actor, request.query)).map(resultRecord);
      }
      const out = await ctx.hotline.exportResults(actor, request.query);
      return (
        reply
          .type(out.contentType)
          .header('content-disposition', attachmentHeader(out.filename))
          .header('x-row-count', String(out.count))
          // Fastify sends a Buffer as it is; the response schema describes the JSON form only.
          .send(out.body as unknown as ResultRecord[])
      );
    },
  );

  app.get(
    '/api/hotline/sanlv',
    {
      schema: {
        tags: ['hotline'],
        summary:
          '12345 三率 per unit over the hotline cases received in the period: counts (应响应, 按时响应, 已解决, 满意, ' +
          '基本满意…), response, resolution and satisfaction rates, the weighted score, and with details=true ' +
          'the case numbers behind every count',
        querystring: sanlvQuerySchema,
        response: { 200: sanlvResponseSchema },
      },
    },
    async (request) => ctx.hotline.sanlv(requireActor(request), request.query),
  );

  app.get(
    '/api/hotline/unlocated',
    {
      schema: {
        tags: ['hotline'],
        summary:
          'Imported orders waiting to be placed (待定位): the address named no alley, road, landmark or street ' +
          "of the territory. Oldest first, in the caller's district.",
        querystring: unlocatedQuerySchema,
        response: { 200: unlocatedOrderSchema.array() },
      },
    },
    async (request) => ctx.hotline.unlocated(requireActor(request), request.query.limit),
  );

  app.post(
    '/api/hotline/unlocated/:workOrderNo/place',
    {
      schema: {
        tags: ['hotline'],
        summary:
          'Place a waiting order at a point: its case is filed there through the ordinary intake, once ' +
          '(the order then leaves the waiting list)',
        params: placeParamsSchema,
        body: placeBodySchema,
        response: { 200: placeResponseSchema },
      },
    },
    async (request) =>
      ctx.hotline.placeUnlocated(requireActor(request), request.params.workOrderNo, request.body),
  );
};
