import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

export const hotIssueQuerySchema = z.object({
  from: instant.describe('start of the period (inclusive)'),
  to: instant.describe('end of the period (exclusive); at most 366 days after from'),
  scope: z
    .string()
    .regex(/^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$/, 'a district, street, community or grid code')
    .optional()
    .describe('a territory inside your jurisdiction; default: all of it'),
  top: z.coerce.number().int().min(1).max(100).default(20),
});

export const caseHotIssueSchema = z.object({
  rank: z.number().int(),
  heat: z.number().describe('people × (1 + ln(1 + support)) × concentration × recency (docs/hot-issues.md)'),
  place: z.string(),
  description: z.string(),
  from: z.string(),
  to: z.string(),
  people: z.number().int(),
  support: z.number().int(),
  caseIds: z.array(z.string()),
  caseNumbers: z.array(z.string()),
  categoryKeys: z.array(z.string()),
  streetCode: z.string().nullable().describe('the street all its cases lie in, or null'),
  lng: z.number(),
  lat: z.number(),
});
