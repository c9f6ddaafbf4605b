import { z } from 'zod';
import { crsSchema } from '../territory/territory.schema.ts';
import { localDateSchema } from './ledger.schema.ts';

const dateOrInstant = z
  .union([localDateSchema, z.iso.datetime({ offset: true })])
  .describe('a date-time, or a Beijing date meaning its midnight');

export const createCampaignSchema = z.object({
  name: z.string().trim().min(2).max(100),
  description: z.string().trim().max(2000).optional(),
  categoryKeys: z
    .array(
      z
        .string()
        .trim()
        .regex(/^((component|event):)?\d{5}$/, 'a 5-digit taxonomy code or key'),
    )
    .max(50)
    .default([])
    .describe('the categories the campaign clears; none means any'),
  scopeCode: z
    .string()
    .regex(/^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$/, 'a district, street, community or grid code'),
  startsAt: dateOrInstant.optional(),
  endsAt: dateOrInstant.optional(),
});

export const addItemsSchema = z
  .object({
    caseIds: z
      .array(z.string().trim().min(1).max(100))
      .max(5000)
      .optional()
      .describe('case ids or case numbers'),
    points: z
      .array(
        z.object({
          lng: z.number().min(-180).max(180),
          lat: z.number().min(-90).max(90),
          crs: crsSchema.optional(),
          label: z.string().trim().min(1).max(200),
        }),
      )
      .max(5000)
      .optional()
      .describe('pre-registered points, such as exposed-garbage points found on a sweep'),
    addMatching: z
      .boolean()
      .optional()
      .describe("also add every open case of the campaign's categories inside its territory"),
  })
  .refine((b) => b.caseIds?.length || b.points?.length || b.addMatching, {
    message: 'give caseIds, points or addMatching',
    path: ['caseIds'],
  });

const campaignBase = z.object({
  id: z.string(),
  districtCode: z.string(),
  name: z.string(),
  description: z.string(),
  categoryKeys: z.array(z.string()),
  scopeCode: z.string(),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  target: z.literal('dynamic_zero'),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  items: z.number(),
  open: z.number(),
  cleared: z.number(),
});

export const campaignSummarySchema = campaignBase.meta({ id: 'CampaignSummary' });

export const campaignSchema = campaignBase
  .extend({
    scopeName: z.string().nullable(),
    categories: z.array(z.object({ key: z.string(), name: z.string() })),
    atZero: z.boolean().describe('dynamic zero holds: the campaign has items and none is open'),
  })
  .meta({ id: 'Campaign' });

export const campaignItemSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['case', 'point']),
    caseId: z.string().nullable(),
    caseNumber: z.string().nullable(),
    caseState: z.string().nullable(),
    problemType: z.string(),
    label: z.string(),
    location: z.string(),
    lng: z.number(),
    lat: z.number(),
    alleyName: z.string().nullable(),
    responsibleUnit: z.string().nullable(),
    addedAt: z.string(),
    status: z.enum(['open', 'cleared', 'not_added']),
    clearedAt: z.string().nullable(),
    clearedBy: z
      .object({ seq: z.number().nullable(), action: z.string(), at: z.string() })
      .nullable()
      .describe('the case event (or the point clearing) that cleared the item'),
    clearNote: z.string().nullable(),
  })
  .meta({ id: 'CampaignItem' });

export const burndownDaySchema = z
  .object({
    date: z.string(),
    open: z.number().describe('items open at the end of the day'),
    cleared: z.number(),
    added: z.number(),
    reopened: z.number().describe('open = previous open + added − cleared + reopened'),
  })
  .meta({ id: 'BurndownDay' });

/** Why a case may be refused by a campaign: a code for the pages to word, beside the reason in English. */
export const SKIP_CODES = ['not_found', 'outside_scope', 'not_open', 'other_category', 'already_in'] as const;
export type SkipCode = (typeof SKIP_CODES)[number];
