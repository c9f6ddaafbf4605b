import { z } from 'zod';

const community = z.string().regex(/^\d{12}$/);
const id = z.string().min(1).max(100);
const hm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

export const idParams = z.object({ id });

export const windowSchema = z.object({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).describe('1 = Monday … 7 = Sunday'),
  start: hm.describe('Beijing time'),
  end: hm.describe('Beijing time; at or before the start: the next day'),
});
const windows = z.array(windowSchema).min(1).max(14);

export const spacesQuerySchema = z.object({
  community: community.optional(),
  street: z
    .string()
    .regex(/^\d{9}$/)
    .optional(),
  alley: id.optional(),
  all: z.enum(['true', 'false']).optional().describe('true: withdrawn spaces too (staff, their scope)'),
});
export const spaceOut = z.object({
  id: z.string(),
  name: z.string(),
  unitName: z.string(),
  note: z.string(),
  communityCode: z.string(),
  alleyId: z.string().nullable(),
  state: z.enum(['open', 'withdrawn']),
  windows: z.array(windowSchema),
  next: z.array(z.object({ from: z.string(), to: z.string() })).describe('the next openings, from now'),
});
export const spacesOut = z.object({ items: z.array(spaceOut) });
export const spaceBodySchema = z.object({
  communityCode: community,
  alleyId: id.optional(),
  name: z.string().trim().min(1).max(100),
  unitName: z.string().trim().min(1).max(100).describe('the unit offering it (a school, an office)'),
  note: z.string().max(500).optional(),
  windows,
});
export const spacePatchSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  unitName: z.string().trim().min(1).max(100).optional(),
  note: z.string().max(500).optional(),
  alleyId: id.nullable().optional(),
  windows: windows.optional(),
});
export const withdrawOut = spaceOut.extend({ cancelledBookings: z.number().int() });

const bookingState = z.enum(['booked', 'checked_in', 'checked_out', 'cancelled', 'no_show']);
export const bookingBodySchema = z.object({
  spaceId: id,
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
});
export const bookingOut = z.object({
  id: z.string(),
  spaceId: z.string(),
  spaceName: z.string(),
  unitName: z.string(),
  communityCode: z.string(),
  from: z.string(),
  to: z.string(),
  state: bookingState,
  createdAt: z.string(),
  checkedInAt: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  noShowAfter: z.string().describe('not checked in by then: a no-show'),
});
const policyOut = z.object({
  graceMinutes: z.number().int(),
  limit: z.number().int(),
  days: z.number().int(),
});
export const mineOut = z.object({
  items: z.array(bookingOut),
  noShows: z.number().int(),
  suspended: z.boolean(),
  policy: policyOut,
});
export const bookingsQuerySchema = z.object({
  space: id.optional(),
  community: community.optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('default: bookings not over a day ago'),
});
export const staffBookingsOut = z.object({
  items: z.array(bookingOut.extend({ userId: z.string(), displayName: z.string() })),
});
export const noShowsOut = z.object({
  policy: policyOut,
  items: z.array(
    z.object({
      userId: z.string(),
      displayName: z.string(),
      count: z.number().int(),
      lastAt: z.string(),
      suspended: z.boolean(),
    }),
  ),
});
