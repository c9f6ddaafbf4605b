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
    mergedInto: z
      .object({
        caseNumber: z.string(),
        status: z.string(),
        statusLabel: z.string(),
        category: z.string().nullable(),
        handlingUnit: z.string().nullable(),
        supporters: z.number(),
        closedAt: z.string().nullable(),
      })
      .nullable()
      .describe('a report merged as a duplicate follows the original case: its progress, public fields only'),
    steps: z.array(publicStepSchema),
    afterPhotos: z.array(z.object({ url: z.string(), thumbUrl: z.string() })),
    handlerFeedback: z
      .object({ text: z.string(), at: z.string() })
      .nullable()
      .describe("the handling unit's own words on what was done (the latest feedback's note)"),
  })
  .meta({ id: 'PublicReportView' });

/**
 * A video-analytics event (SPEC §4.1): what a vision system saw, where, when and how sure it is, with
 * the frame it saw it in. The snapshot travels as base64 inside the JSON, as such systems push it.
 */
export const cameraEventBodySchema = z
  .object({
    deviceId: z.string().trim().min(1).max(64).describe('the camera, as the vision system names it'),
    eventId: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe("the vision system's own event id: a retry with it files nothing twice"),
    detectedAt: z.iso.datetime({ offset: true }).describe('when the camera saw it (ISO 8601 with offset)'),
    categoryCode: categoryKeySchema.describe('what was detected, as a taxonomy code (e.g. 06036 乱堆杂物)'),
    confidence: z.number().min(0).max(1).describe('the detection confidence, 0–1'),
    lng: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    crs: crsSchema.default('wgs84'),
    snapshot: z
      .string()
      .min(1)
      .describe('the frame as base64 (JPEG, PNG or WebP), optionally as a data: URL; checked by content'),
    description: z.string().trim().max(2000).optional(),
    address: z.string().trim().max(200).optional(),
  })
  .meta({ id: 'CameraEvent' });
export type CameraEventBody = z.infer<typeof cameraEventBodySchema>;

export const cameraEventFiledSchema = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    trackingCode: z.string(),
    outcome: z
      .enum(['accepted', 'awaiting_confirmation'])
      .describe('accepted by the auto-rule, or filed as a report for a dispatcher to confirm'),
    confidence: z.number(),
    minConfidence: z.number(),
  })
  .meta({ id: 'CameraEventFiled' });
