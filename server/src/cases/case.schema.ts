import { z } from 'zod';
import { publicMediaSchema } from '../media/media.schema.ts';
import { crsSchema } from '../territory/territory.schema.ts';
import { ACTION_TYPES, CASE_STATES } from './case.state.ts';

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

export const caseStateSchema = z.enum(CASE_STATES).meta({ id: 'CaseState' });
export const caseActionTypeSchema = z.enum(ACTION_TYPES).meta({ id: 'CaseActionType' });
export const caseChannelSchema = z
  .enum(['resident', 'staff', 'patrol', 'inspection', 'camera', 'hotline', 'open311'])
  .meta({ id: 'CaseChannel' });

const allowedActionsSchema = z
  .array(caseActionTypeSchema)
  .describe('the actions the caller may fire now: the state machine and the authorisation module decide');

/** A case as staff see it (`toCaseDto`): the row without its trail. */
export const caseViewSchema = z
  .object({
    id: z.string(),
    caseNumber: z.string(),
    trackingCode: z.string(),
    channel: caseChannelSchema,
    state: caseStateSchema,
    tier: z.number().int().min(1).max(3).nullable().describe('1 on the spot, 2 one unit, 3 a joint action'),
    categoryKey: z.string().nullable(),
    suggestion: z
      .object({ key: z.string(), confidence: z.number().nullable(), model: z.string().nullable() })
      .nullable()
      .describe("the classifier's proposal at intake; null when no model was serving"),
    description: z.string(),
    address: z.string().nullable(),
    location: z.object({ lng: z.number(), lat: z.number(), crsIn: z.string() }),
    streetCode: z.string(),
    communityCode: z.string().nullable(),
    gridCode: z.string().nullable(),
    alleyId: z.string().nullable(),
    severity: z.string().describe('low, normal, high or urgent (from the category filed under)'),
    assignedOrgId: z.string().nullable(),
    supporters: z.number().int(),
    mergedInto: z.string().nullable(),
    reporter: z.object({ name: z.string().nullable(), contact: z.string().nullable() }),
    responseDeadline: z.string().nullable(),
    handlingDeadline: z.string().nullable(),
    originalHandlingDeadline: z.string().nullable(),
    slaState: z.string().describe('green, yellow or red'),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'CaseView' });

/** One row of `GET /api/cases`: the case and what the caller may do on it now. */
export const caseListItemSchema = caseViewSchema
  .extend({ allowedActions: allowedActionsSchema })
  .meta({ id: 'CaseListItem' });

export const caseListSchema = z.object({
  items: z.array(caseListItemSchema),
  total: z.number().int(),
  totalCapped: z.boolean().describe('counting stopped at 10,000: the total is "10,000 or more"'),
});

export const caseEventViewSchema = z
  .object({
    seq: z.number().int(),
    at: z.string(),
    actorRole: z.string().describe('a role, or system for the clock and the auto-rules'),
    action: z.string().describe('report, a case action, or a joint-action step'),
    fromState: caseStateSchema.nullable(),
    toState: caseStateSchema,
    reason: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()).describe("the action's fields as recorded in the trail"),
  })
  .meta({ id: 'CaseEvent' });

/** `GET /api/cases/{id}`: the case, its trail, its photos and what the caller may do on it now. */
export const caseDetailSchema = caseViewSchema
  .extend({
    categoryName: z.string().nullable(),
    assignedUnits: z
      .array(z.object({ organisationId: z.string(), reportedIn: z.boolean().nullable() }))
      .describe('every unit holding the case: the tier-2 unit (reportedIn null), or each summoned unit'),
    allowedActions: allowedActionsSchema,
    photos: z.object({ report: z.array(publicMediaSchema), after: z.array(publicMediaSchema) }),
    routing: z
      .object({
        organisationId: z.string(),
        organisationName: z.string().nullable(),
        reason: z.string().optional(),
      })
      .nullable()
      .describe('where the routing rules send an open case of this category and place'),
    duplicates: z
      .array(
        z.object({
          id: z.string(),
          caseNumber: z.string(),
          distanceMeters: z.number(),
          sameCategory: z.boolean(),
          categoryKey: z.string().nullable(),
          state: caseStateSchema,
          description: z.string(),
          createdAt: z.string(),
        }),
      )
      .describe('open cases nearby that a report may duplicate (only while it is reported)'),
    events: z.array(caseEventViewSchema),
  })
  .meta({ id: 'CaseDetail' });

/** What firing a case action answers: the case after it and the event it wrote. */
export const caseActionResultSchema = z
  .object({
    case: caseViewSchema,
    event: z.object({
      seq: z.number().int(),
      action: caseActionTypeSchema,
      from: caseStateSchema.nullable(),
      to: caseStateSchema,
    }),
  })
  .meta({ id: 'CaseActionResult' });
