import { z } from 'zod';
import { crsSchema } from '../territory/territory.schema.ts';

/** Taxonomy keys are `kind:code` (`event:06001`); a bare 5-digit code is read as an event code. */
export const categoryKeySchema = z
  .string()
  .trim()
  .regex(
    /^((component|event):)?\d{5}$/,
    'a 5-digit taxonomy code, optionally prefixed with component: or event:',
  )
  .transform((v) => (v.includes(':') ? v : `event:${v}`));

export const publicReportBodySchema = z.object({
  description: z.string().trim().min(4, 'at least 4 characters').max(2000),
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
  crs: crsSchema.default('wgs84'),
  categoryCode: categoryKeySchema.optional(),
  address: z.string().trim().max(200).optional(),
  contact: z.string().trim().max(100).optional().describe('private: never shown publicly'),
  name: z.string().trim().max(50).optional().describe('private: never shown publicly'),
});
export type PublicReportBody = z.infer<typeof publicReportBodySchema>;

export const publicReportCreatedSchema = z
  .object({ trackingCode: z.string(), caseNumber: z.string() })
  .meta({ id: 'PublicReportCreated' });

export const publicStepSchema = z.object({
  at: z.string(),
  action: z.string(),
  label: z.string(),
  state: z.string(),
});

export const publicReportViewSchema = z
  .object({
    trackingCode: z.string(),
    caseNumber: z.string(),
    status: z.string(),
    statusLabel: z.string(),
    category: z.string().nullable(),
    description: z.string(),
    street: z.object({ code: z.string(), name: z.string() }).nullable(),
    alley: z.object({ id: z.string(), name: z.string() }).nullable(),
    location: z.tuple([z.number(), z.number()]).describe('WGS-84, rounded to about 10 m'),
    reportedAt: z.string(),
    closedAt: z.string().nullable(),
    handlingUnit: z.string().nullable(),
    supporters: z.number(),
    rating: z.string().nullable(),
    steps: z.array(publicStepSchema),
    afterPhotos: z.array(z.object({ url: z.string(), thumbUrl: z.string() })),
  })
  .meta({ id: 'PublicReportView' });
