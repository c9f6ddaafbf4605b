import { z } from 'zod';
import { SCORED_ITEMS, UNIT_TYPES } from './evaluation.ts';
import { figuresSchema, unitSchema } from './measures.schema.ts';

export const unitTypeSchema = z.enum(UNIT_TYPES);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');

const itemsSchema = z
  .array(z.object({ item: z.enum(SCORED_ITEMS), weight: z.number().min(0).max(1000) }))
  .max(20);

export const schemeBodySchema = z.object({
  unitTypes: z.object({
    street: itemsSchema,
    department: itemsSchema,
    contractor: itemsSchema,
    alley: itemsSchema,
  }),
  bottomCount: z.number().int().min(1).max(20),
});

export const schemeSchema = z.object({
  districtCode: z.string(),
  version: z.number().int().describe('0: the default scheme, never edited'),
  scheme: schemeBodySchema,
});

export const saveSchemeSchema = z.object({
  basedOnVersion: z
    .number()
    .int()
    .min(0)
    .describe('the version you edited; refused with 409 if another was saved since'),
  scheme: schemeBodySchema,
});

export const runParamsSchema = z.object({ month, level: unitTypeSchema });
export const runNoParamsSchema = runParamsSchema.extend({ runNo: z.coerce.number().int().min(1) });

const evaluatedUnitSchema = z.object({
  unit: unitSchema,
  figures: figuresSchema,
  inspectionScore: z.number().nullable(),
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  scoreChange: z.number().nullable().describe('against the run before; null for the first run'),
});

export const runSchema = z.object({
  month: z.string(),
  level: z.string(),
  runNo: z.number().int(),
  schemeVersion: z.number().int(),
  status: z.enum(['evaluated', 'reviewed', 'frozen']),
  createdAt: z.string(),
  reviewedAt: z.string().nullable(),
  frozenAt: z.string().nullable(),
  rows: z.array(evaluatedUnitSchema),
});

export const rankingQuerySchema = z.object({
  level: unitTypeSchema,
  period: z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, 'YYYY-MM, YYYY-Qn or YYYY'),
});

export const rankingSchema = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  level: z.string(),
  frozen: z.boolean().describe("a month's frozen evaluation, not today's figures"),
  rows: z.array(
    z.object({
      rank: z.number().int().nullable(),
      unit: unitSchema,
      score: z.number().nullable(),
      previousRank: z.number().int().nullable(),
      figures: figuresSchema,
    }),
  ),
});

export const bulletinParamsSchema = z.object({
  quarter: z.string().regex(/^\d{4}-Q[1-4](\.xlsx)?$/, 'YYYY-Qn, or YYYY-Qn.xlsx for the workbook'),
});

const rankingRows = rankingSchema.shape.rows;
export const bulletinSchema = z.object({
  quarter: z.string(),
  from: z.string(),
  to: z.string(),
  district: z.object({ code: z.string(), name: z.string() }),
  generatedAt: z.string(),
  sections: z.array(
    z.object({
      level: z.string(),
      rows: rankingRows,
      bottom: z.array(
        z.object({
          rank: z.number().int().nullable(),
          unit: unitSchema,
          score: z.number().nullable(),
          overdue: z.array(z.string()),
          reworked: z.array(z.string()),
        }),
      ),
    }),
  ),
});
