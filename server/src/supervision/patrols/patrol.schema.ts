import { z } from 'zod';

const lng = z.coerce.number().min(-180).max(180);
/** A flag from JSON (true) or a multipart field ("true", "1"); "false" must not read as true. */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');
const lat = z.coerce.number().min(-90).max(90);

export const startPatrolSchema = z
  .object({
    streetCode: z
      .string()
      .regex(/^\d{9}(\d{3}){0,2}$/)
      .optional(),
  })
  .describe('{} walks the caller’s own jurisdiction; a street (or community, grid) inside it may be named');

export const pointsSchema = z.object({
  points: z
    .array(z.object({ lng: z.number(), lat: z.number(), t: z.iso.datetime({ offset: true }) }))
    .min(1)
    .max(5000),
});

export const pointsAddedSchema = z.object({
  id: z.string(),
  added: z.number().int(),
  duplicates: z.number().int(),
});

const excludedSchema = z.object({
  index: z.number().int(),
  reason: z.enum(['outside_territory', 'out_of_order', 'too_fast']),
  t: z.string(),
  lng: z.number(),
  lat: z.number(),
});

export const finishSchema = z.object({
  id: z.string(),
  lengthM: z.number(),
  coveredAlleys: z.array(z.string()),
  points: z.object({ received: z.number().int(), kept: z.number().int() }),
  excluded: z.array(excludedSchema).describe('points kept out of coverage, and why'),
});

export const patrolSchema = finishSchema.extend({
  userId: z.string(),
  scopeCode: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  track: z.array(z.object({ lng: z.number(), lat: z.number(), t: z.string() })),
  findings: z.array(
    z.object({ caseId: z.string(), caseNumber: z.string(), state: z.string(), onSpot: z.boolean() }),
  ),
});

export const findingBodySchema = z.object({
  lng,
  lat,
  crs: z.enum(['wgs84', 'gcj02', 'bd09']).default('wgs84'),
  description: z.string().trim().min(1).max(2000),
  categoryKey: z.string().min(1).max(40),
  /** Set when the finder fixed it there and then. */
  onSpot: flag.default(false),
  onSpotNote: z.string().max(2000).optional(),
  noPhotoReason: z.string().max(500).optional(),
  /** Multipart only: for each file in `photos`, `report` (before) or `after`; all `report` by default. */
  photoRoles: z.string().max(200).optional(),
});

export const findingFiledSchema = z.object({
  id: z.string(),
  caseNumber: z.string(),
  trackingCode: z.string(),
  onSpot: z.boolean(),
});

export const liveSchema = z.array(
  z.object({
    patrolId: z.string(),
    userId: z.string(),
    displayName: z.string(),
    role: z.string(),
    scopeCode: z.string(),
    startedAt: z.string(),
    lng: z.number(),
    lat: z.number(),
    at: z.string(),
    stale: z.boolean().describe('older than the configured minutes (10 by default): shown greyed'),
  }),
);

export const coverageQuerySchema = z.object({
  scope: z
    .string()
    .regex(/^\d{6}(\d{3}){0,3}$/)
    .optional(),
  period: z.enum(['day', 'week']).default('day'),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  person: z.string().max(100).optional().describe('a user id, or `me`: only that person’s patrols count'),
  geometry: flag.default(false),
});

const groupSchema = z.object({
  code: z.string(),
  alleyCount: z.number().int(),
  coveredCount: z.number().int(),
});

export const coverageSchema = z.object({
  scopeCode: z.string(),
  period: z.enum(['day', 'week']),
  from: z.string(),
  to: z.string(),
  alleyCount: z.number().int(),
  coveredCount: z.number().int(),
  alleys: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      streetCode: z.string(),
      communityCode: z.string().nullable(),
      gridCodes: z.array(z.string()),
      lengthM: z.number(),
      covered: z.boolean(),
      walkedBy: z.array(z.string()),
      geometry: z
        .object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])) })
        .optional(),
    }),
  ),
  streets: z.array(groupSchema),
  grids: z.array(groupSchema),
  people: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      role: z.string(),
      patrols: z.number().int(),
      lengthM: z.number(),
      coveredAlleys: z.number().int(),
    }),
  ),
});
