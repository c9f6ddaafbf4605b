import { z } from 'zod';

export const localDateSchema = z.iso.date().describe('a Beijing calendar date, YYYY-MM-DD');

export const ledgerSelectionSchema = z.object({
  street: z
    .string()
    .regex(/^\d{9}$/, 'must be 9 digits')
    .optional()
    .describe('only this street; outside the caller jurisdiction 403 OUT_OF_SCOPE'),
  state: z
    .enum(['open', 'closed', 'all'])
    .default('open')
    .describe('open entries (挂账), struck ones (销账), or both'),
  from: localDateSchema.optional().describe('found on or after this day'),
  to: localDateSchema.optional().describe('found on or before this day'),
  category: z
    .string()
    .regex(
      /^((component|event):)?\d{5}$/,
      'a 5-digit taxonomy code, optionally prefixed with component: or event:',
    )
    .optional(),
  unit: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe(
      'only cases held by this organisation (责任单位, by id), including joint actions it was summoned to; ' +
        'narrows what the caller may see, never widens it',
    ),
});

export const ledgerListQuerySchema = ledgerSelectionSchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export const ledgerEntrySchema = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    categoryKey: z.string().nullable(),
    problemType: z.string().describe('问题类型: the taxonomy name of the category, else its key'),
    description: z.string(),
    location: z.string().describe('位置: the address, else street and community with the coordinates'),
    lng: z.number(),
    lat: z.number(),
    streetCode: z.string(),
    streetName: z.string().nullable(),
    alleyId: z.string().nullable(),
    alleyName: z.string().nullable(),
    responsibleUnit: z.string().nullable().describe('责任单位'),
    foundAt: z.string(),
    deadline: z.string().nullable().describe('时限: the handling deadline now in force'),
    state: z.string(),
    stateLabel: z.string(),
    open: z.boolean(),
    rectification: z.string().nullable().describe('整改情况: the latest feedback note'),
    rectifiedAt: z.string().nullable(),
    verification: z
      .object({
        passed: z.boolean(),
        kind: z.enum(['verification', 'acceptance']),
        text: z.string(),
        reason: z.string().nullable(),
        at: z.string(),
      })
      .nullable()
      .describe('复核结果: the latest verification, or the street acceptance of a joint action'),
    closedAt: z.string().nullable().describe('销账时间'),
  })
  .meta({ id: 'LedgerEntry' });

export const ledgerListSchema = z.object({
  items: z.array(ledgerEntrySchema),
  total: z.number(),
  open: z.number(),
  closed: z.number(),
});
