import { z } from 'zod';

export const proposeThemesSchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
    .optional()
    .describe('the month to propose for; default: next month'),
  scopeCode: z
    .string()
    .regex(/^\d{6}(\d{3})?$/, 'a district or street code')
    .optional()
    .describe('default: your district'),
});

export const themeQuerySchema = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM')
    .optional(),
});

export const themeSchema = z.object({
  id: z.string(),
  month: z.string(),
  scopeCode: z.string(),
  title: z.string(),
  problem: z.string(),
  place: z.string(),
  people: z.number().int(),
  caseCount: z.number().int(),
  heat: z.number(),
  categoryKeys: z.array(z.string()),
  departments: z.array(z.object({ id: z.string(), name: z.string() })),
  rootFix: z.string(),
  caseIds: z.array(z.string()),
  state: z.enum(['proposed', 'adopted', 'dismissed']),
  campaignId: z.string().nullable(),
  campaign: z
    .object({
      id: z.string(),
      items: z.number().int(),
      open: z.number().int(),
      cleared: z.number().int(),
      atZero: z.boolean().describe('dynamic zero: nothing of the campaign is open'),
    })
    .nullable(),
  decidedAt: z.string().nullable(),
});
