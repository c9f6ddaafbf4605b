import { z } from 'zod';
import { MEASURE_LEVELS } from './measures.service.ts';
import { MEASURE_NAMES, PUBLIC_COUNTS, RATE_MEASURES } from './measures.ts';

const day = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD')
  .describe('a Beijing calendar date');

export const measureLevelSchema = z.enum(MEASURE_LEVELS);

export const measuresQuerySchema = z.object({
  level: measureLevelSchema,
  from: day,
  to: day,
  scope: z
    .string()
    .regex(/^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$/, 'a district, street, community or grid code')
    .optional()
    .describe('only the units inside this territory (it must lie in your jurisdiction)'),
});

export const unitSchema = z.object({ level: z.string(), code: z.string(), name: z.string() });

const countShape = Object.fromEntries(PUBLIC_COUNTS.map((m) => [m, z.number()])) as Record<
  (typeof PUBLIC_COUNTS)[number],
  z.ZodNumber
>;
const rateShape = Object.fromEntries(
  Object.keys(RATE_MEASURES).map((m) => [m, z.number().min(0).max(1).nullable()]),
) as Record<keyof typeof RATE_MEASURES, z.ZodNullable<z.ZodNumber>>;

export const figuresSchema = z.object({
  ...countShape,
  ...rateShape,
  avgHandlingHours: z.number().nullable().describe('平均处置时长, working hours; null with nothing closed'),
});

export const measureRowSchema = figuresSchema.extend({ unit: unitSchema });

export const measuresSchema = z.object({
  from: z.string(),
  to: z.string(),
  rows: z.array(measureRowSchema),
});

export const measureParamsSchema = z.object({
  measure: z.enum(MEASURE_NAMES as unknown as [string, ...string[]]),
});

export const measureCasesQuerySchema = z.object({
  level: measureLevelSchema,
  unit: z.string().min(1).max(100),
  from: day,
  to: day,
});

export const measureCasesSchema = z.object({
  measure: z.string(),
  unit: unitSchema,
  from: z.string(),
  to: z.string(),
  count: z.number().describe("equals the unit's figure for the measure (for a rate: its numerator)"),
  caseNumbers: z.array(z.string()),
});

export const dashboardQuerySchema = z.object({
  from: day,
  to: day,
  scope: measuresQuerySchema.shape.scope,
});

export const dashboardSchema = z.object({
  scope: unitSchema,
  from: z.string(),
  to: z.string(),
  figures: figuresSchema,
  trend: z
    .array(figuresSchema.extend({ month: z.string() }))
    .describe('twelve months up to the period’s end'),
  areaLevel: z.enum(['street', 'community']),
  byArea: z.array(
    z.object({
      unit: unitSchema,
      open: z.number().int().describe('open now'),
      overdueOpen: z.number().int().describe('open now and past their deadline (red)'),
      filed: z.number(),
      overdue: z.number(),
      onTimeRate: z.number().nullable(),
    }),
  ),
  topCategories: z.array(z.object({ key: z.string(), name: z.string(), filed: z.number() })),
  hotspots: z.array(
    z.object({ cell: z.string(), count: z.number().int(), boundary: z.array(z.array(z.number())) }),
  ),
  grids: z.array(z.object({ code: z.string(), filed: z.number() })),
});

export const hotspotParamsSchema = z.object({ cell: z.string().regex(/^[0-9a-f]{15}$/, 'an H3 cell') });
export const hotspotCasesSchema = z.object({ count: z.number().int(), caseNumbers: z.array(z.string()) });
