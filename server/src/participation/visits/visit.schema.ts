import { z } from 'zod';
import { VISIT_KIND_CODES } from './visit.rules.ts';

const community = z.string().regex(/^\d{12}$/);
const id = z.string().min(1).max(100);
const dueStateEnum = z.enum(['ok', 'due', 'overdue']);

export const kindsOut = z.object({
  illustrative: z.boolean(),
  items: z.array(z.object({ code: z.string(), name: z.string(), intervalDays: z.number().int() })),
});

export const householdBodySchema = z.object({
  communityCode: community,
  gridCode: z
    .string()
    .regex(/^\d{15}$/)
    .optional(),
  label: z.string().trim().min(1).max(100),
  address: z.string().trim().min(1).max(200),
  kinds: z.array(z.enum(VISIT_KIND_CODES)).min(1).max(10),
  contactName: z.string().trim().max(50).optional(),
  contactPhone: z.string().trim().max(30).optional(),
  officialUserId: id.optional().describe('the official who answers for its visits; default: you'),
});

export const householdOut = z.object({
  id: z.string(),
  communityCode: z.string(),
  gridCode: z.string().nullable(),
  label: z.string(),
  address: z.string(),
  kinds: z.array(z.string()),
  contactName: z.string(),
  contactPhone: z.string(),
  officialUserId: z.string().nullable(),
  officialName: z.string().nullable(),
  intervalDays: z.number().int(),
  lastVisitAt: z.string().nullable(),
  dueAt: z.string(),
  state: dueStateEnum,
  daysOverdue: z.number().int(),
});
export const householdsQuerySchema = z.object({ community: community.optional() });
export const officialsQuerySchema = z.object({ community });
export const officialsOut = z.object({
  items: z.array(z.object({ userId: z.string(), displayName: z.string(), role: z.string() })),
});
export const householdsOut = z.object({ items: z.array(householdOut) });

export const visitBodySchema = z.object({
  householdId: id,
  visitedAt: z.iso.datetime({ offset: true }).optional().describe('default: now'),
  notes: z.string().trim().max(2000).optional(),
  issue: z
    .object({
      description: z.string().trim().min(1).max(2000),
      lng: z.number().min(-180).max(180),
      lat: z.number().min(-90).max(90),
      categoryCode: z.string().min(1).max(100).optional(),
    })
    .optional()
    .describe('an issue raised: opens a case through staff intake, linked from the visit'),
});
export const visitOut = z.object({
  id: z.string(),
  householdId: z.string(),
  visitorUserId: z.string().nullable(),
  visitorName: z.string().nullable(),
  visitedAt: z.string(),
  notes: z.string(),
  caseId: z.string().nullable(),
  caseNumber: z.string().nullable(),
});
export const visitsQuerySchema = z.object({ household: id });
export const visitsOut = z.object({ items: z.array(visitOut) });

export const dueQuerySchema = z.object({ community: community.optional() });
export const dueOut = z.object({
  officials: z.array(
    z.object({
      officialUserId: z.string().nullable(),
      officialName: z.string().nullable(),
      total: z.number().int(),
      ok: z.number().int(),
      due: z.number().int(),
      overdue: z.number().int(),
    }),
  ),
  households: z.array(householdOut).describe('the due and overdue households, most overdue first'),
});
