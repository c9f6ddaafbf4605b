import { z } from 'zod';
import { ACTIVITY_KINDS } from './volunteer.rules.ts';

const community = z.string().regex(/^\d{12}$/);
const id = z.string().min(1).max(100);

export const idParams = z.object({ id });
export const memberParams = z.object({ id, userId: id });

export const teamsQuerySchema = z.object({
  community: community.optional(),
  street: z
    .string()
    .regex(/^\d{9}$/)
    .optional(),
  alley: id.optional(),
});
export const teamOut = z.object({
  id: z.string(),
  communityCode: z.string(),
  alleyId: z.string().nullable(),
  name: z.string(),
  members: z.number().int(),
  hours: z.number(),
});
export const teamsOut = z.object({ items: z.array(teamOut) });
export const teamBodySchema = z.object({
  communityCode: community,
  name: z.string().trim().min(1).max(100),
  alleyId: id.optional(),
});

export const teamPatchSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  alleyId: id.nullable().optional().describe('null: the whole community'),
});

export const applyBodySchema = z.object({ note: z.string().max(500).optional() });
export const membershipOut = z.object({
  teamId: z.string(),
  userId: z.string(),
  state: z.enum(['applied', 'approved', 'rejected']),
});
export const decisionBodySchema = z.object({ approve: z.boolean() });
export const membersOut = z.object({
  items: z.array(
    z.object({
      userId: z.string(),
      username: z.string(),
      displayName: z.string(),
      state: z.enum(['applied', 'approved', 'rejected']),
      note: z.string(),
      appliedAt: z.string(),
      decidedAt: z.string().nullable(),
      hours: z.number(),
    }),
  ),
});

export const activityKind = z.enum(ACTIVITY_KINDS);
export const activityBodySchema = z.object({
  kind: activityKind,
  title: z.string().trim().min(1).max(200),
  place: z.string().trim().min(1).max(200),
  alleyId: id.optional(),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  capacity: z.number().int().min(1).max(10_000).optional(),
});
export const activityOut = z.object({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  communityCode: z.string(),
  kind: activityKind,
  title: z.string(),
  place: z.string(),
  alleyId: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int().nullable(),
  signedUp: z.number().int(),
});
export const activitiesQuerySchema = z.object({
  team: id.optional(),
  community: community.optional(),
  all: z.enum(['true', 'false']).optional().describe('true: past activities too'),
});
export const activitiesOut = z.object({ items: z.array(activityOut) });

export const signupOut = z.object({ activityId: z.string(), userId: z.string(), signedUp: z.boolean() });
export const signupsOut = z.object({
  items: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      signedUpAt: z.string(),
      attended: z.boolean().nullable(),
      minutes: z.number().int().nullable(),
      confirmedAt: z.string().nullable(),
    }),
  ),
});

export const attendanceBodySchema = z.object({
  attendances: z
    .array(
      z.object({
        userId: id,
        attended: z.boolean(),
        minutes: z
          .number()
          .int()
          .min(0)
          .max(24 * 60)
          .optional()
          .describe('default: the whole activity'),
      }),
    )
    .min(1)
    .max(500),
});
export const attendanceOut = z.object({
  activityId: z.string(),
  durationMinutes: z.number().int(),
  results: z.array(
    z.object({
      userId: z.string(),
      attended: z.boolean(),
      minutes: z.number().int(),
      points: z.number().int(),
      alreadyConfirmed: z.boolean(),
    }),
  ),
});

export const mineOut = z.object({
  memberships: z.array(
    z.object({
      teamId: z.string(),
      teamName: z.string(),
      communityCode: z.string(),
      state: z.enum(['applied', 'approved', 'rejected']),
      hours: z.number(),
    }),
  ),
  hours: z.number(),
  activities: z.array(
    z.object({
      activityId: z.string(),
      teamName: z.string(),
      title: z.string(),
      kind: z.string(),
      startsAt: z.string(),
      hours: z.number(),
    }),
  ),
});
