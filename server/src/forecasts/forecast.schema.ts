import { z } from 'zod';

const scope = z
  .string()
  .regex(/^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$/, 'a district, street, community or grid code')
  .optional()
  .describe('a territory inside your jurisdiction; default: all of it');

export const forecastQuerySchema = z.object({
  scope,
  onlyAboveNormal: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
});

export const seriesOutlookSchema = z.object({
  place: z.string().describe('grid code, or street code for cases without a grid'),
  categoryKey: z.string(),
  forecast: z.number(),
  low: z.number().describe('low end of the 80 % interval'),
  high: z.number(),
  normal: z.number().describe('median of the last 13 weeks'),
  lastWeek: z.number(),
  aboveNormal: z.boolean(),
});

export const nextWeekSchema = z.object({
  weekStart: z.string(),
  model: z.string().describe('the model the backtest chose'),
  mase: z.number().describe('its MASE against seasonal naive (1)'),
  coverage80: z.number(),
  historyWeeks: z.number().int(),
  total: z.number().int(),
  series: z.array(seriesOutlookSchema),
});

export const proposeSchema = z.object({ scopeCode: scope });

export const proposeResultSchema = z.object({
  weekStart: z.string(),
  model: z.string(),
  proposed: z.number().int(),
  considered: z.number().int(),
});

export const taskQuerySchema = z.object({
  state: z.enum(['proposed', 'accepted', 'dismissed']).optional(),
  week: z.iso.datetime({ offset: true }).optional().describe('the Monday the forecast is for'),
});

export const taskSchema = z.object({
  id: z.string(),
  weekStart: z.string(),
  scopeCode: z.string(),
  scopeName: z.string(),
  categoryKey: z.string(),
  categoryName: z.string(),
  kind: z.enum(['patrol', 'campaign', 'notice']),
  model: z.string(),
  forecast: z.number(),
  low: z.number(),
  high: z.number(),
  normal: z.number(),
  state: z.enum(['proposed', 'accepted', 'dismissed']),
  decidedAt: z.string().nullable(),
  reason: z.string().nullable(),
  actual: z.number().nullable().describe('cases that came in the week, once it is over'),
  came: z.boolean().nullable().describe('the week ended above normal'),
});

export const decideSchema = z.object({
  decision: z.enum(['accept', 'dismiss']),
  reason: z.string().trim().max(500).optional(),
});

export const statsQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});

export const statsSchema = z.object({
  proposed: z.number().int(),
  accepted: z.number().int(),
  dismissed: z.number().int(),
  evaluated: z.number().int(),
  came: z.number().int(),
  cameWhenAccepted: z.number().int(),
  evaluatedAccepted: z.number().int(),
});
