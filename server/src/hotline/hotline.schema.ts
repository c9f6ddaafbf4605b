import { z } from 'zod';
import { HOTLINE_FIELDS } from './hotline.fields.ts';
import { RESULT_COLUMNS, RESULT_FORMATS } from './hotline.results.ts';
import { COUNT_KEYS } from './hotline.sanlv.ts';

const localDate = z.iso.date().describe('a Beijing calendar date, YYYY-MM-DD');

export const periodQuerySchema = z.object({
  from: localDate.describe('first day, inclusive'),
  to: localDate.describe('last day, inclusive'),
});

export const resultsQuerySchema = periodQuerySchema.extend({
  format: z.enum(RESULT_FORMATS).default('json'),
});

export const sanlvQuerySchema = periodQuerySchema.extend({
  unit: z.string().min(1).max(100).optional().describe('only this organisation id'),
  details: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1')
    .describe('list the case numbers behind every count'),
});

const issueSchema = z.object({
  field: z.enum(HOTLINE_FIELDS),
  code: z.string(),
  message: z.string(),
});

export const rowResultSchema = z.object({
  row: z.number().describe('xlsx/csv: the spreadsheet row; JSON: the 1-based position of the order'),
  workOrderNo: z.string().nullable(),
  status: z.enum(['created', 'existing', 'rejected']),
  caseNumber: z.string().nullable(),
  trackingCode: z.string().nullable(),
  placedBy: z.string().nullable(),
  note: z.string().nullable(),
  errors: z.array(issueSchema),
});

export const importSummarySchema = z
  .object({
    file: z.string().nullable(),
    format: z.enum(['xlsx', 'csv', 'json']),
    sheet: z.string().nullable(),
    headerRow: z.number(),
    columns: z.record(z.string(), z.string().nullable()),
    rows: z.number(),
    created: z.number(),
    existing: z.number(),
    rejected: z.number(),
    unlocated: z.number().describe('filed without a place, waiting for a dispatcher to place them (定位)'),
    streetLevel: z.number().describe('filed at the street the order names, not at an alley'),
    dryRun: z.boolean(),
    reasons: z.array(
      z.object({ field: z.enum(HOTLINE_FIELDS), code: z.string(), label: z.string(), count: z.number() }),
    ),
  })
  .meta({ id: 'HotlineImportSummary' });

export const importResponseSchema = z
  .object({
    summary: importSummarySchema,
    report: z.object({
      filename: z.string(),
      contentType: z.string(),
      base64: z.string().describe('the validation report (.xlsx): the rows with 结果 and 原因'),
    }),
    rejected: z.array(rowResultSchema).describe('the rejected rows, with their fields at fault'),
  })
  .meta({ id: 'HotlineImport' });

export const pushBodySchema = z
  .union([
    z.array(z.record(z.string(), z.unknown())).min(1),
    z.object({ orders: z.array(z.record(z.string(), z.unknown())).min(1) }),
    z.record(z.string(), z.unknown()),
  ])
  .describe(
    'one order, an array of orders, or {orders:[...]}; fields workOrderNo, description, address, lng, lat, crs, ' +
      'category, receivedAt, callerName, callerPhone, unit (or their 12345 headers 工单编号, 诉求内容…)',
  );

export const pushResponseSchema = z
  .object({
    created: z.number(),
    existing: z.number(),
    rejected: z.number(),
    results: z.array(rowResultSchema),
  })
  .meta({ id: 'HotlinePush' });

export const resultRecordSchema = z.object(
  Object.fromEntries(RESULT_COLUMNS.map((c) => [c, z.string()])) as Record<
    (typeof RESULT_COLUMNS)[number],
    z.ZodString
  >,
);

const countsSchema = z.object(
  Object.fromEntries(COUNT_KEYS.map((k) => [k, z.number()])) as Record<
    (typeof COUNT_KEYS)[number],
    z.ZodNumber
  >,
);
const casesSchema = z.object(
  Object.fromEntries(COUNT_KEYS.map((k) => [k, z.array(z.string())])) as Record<
    (typeof COUNT_KEYS)[number],
    z.ZodArray<z.ZodString>
  >,
);

export const sanlvResponseSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    asOf: z.string().describe('the instant the pending counts were judged at'),
    weights: z.object({ response: z.number(), resolution: z.number(), satisfaction: z.number() }),
    labels: z.record(z.string(), z.string()).describe('the Chinese name of every count'),
    cases: z
      .number()
      .describe(
        'hotline cases received in the period in the caller scope (rejected and merged ones excluded); for a department or contractor, those its own row counts',
      ),
    units: z.array(
      z.object({
        unitId: z.string(),
        unitName: z.string(),
        counts: countsSchema,
        rates: z.object({
          response: z.number().nullable(),
          resolution: z.number().nullable(),
          satisfaction: z.number().nullable(),
        }),
        score: z.number().nullable().describe('0–100; null when no rate has a denominator'),
        cases: casesSchema.optional(),
      }),
    ),
    unattributed: z
      .object({ count: z.number(), cases: z.array(z.string()).optional() })
      .describe('cases held by no unit yet (awaiting dispatch, or sent back)'),
  })
  .meta({ id: 'HotlineSanlv' });

export const unlocatedQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const unlocatedOrderSchema = z.object({
  workOrderNo: z.string(),
  districtCode: z.string(),
  reason: z.string().describe('why the address placed it nowhere'),
  sourceClass: z.string().nullable().describe("the order's 12345 class (问题分类)"),
  address: z.string().nullable(),
  description: z.string(),
  importedAt: z.date(),
});

export const placeParamsSchema = z.object({ workOrderNo: z.string().min(1).max(100) });

export const placeBodySchema = z.object({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  crs: z.enum(['wgs84', 'gcj02', 'bd09']).default('wgs84'),
});

export const placeResponseSchema = z.object({
  workOrderNo: z.string(),
  caseNumber: z.string(),
  trackingCode: z.string(),
});
