/**
 * Volunteers' pure rules (SPEC §8): activity kinds, the minutes an attendance counts, service hours
 * per person and team, and when a sign-up or a confirmation may happen. No I/O.
 */

export const ACTIVITY_KINDS = ['patrol', 'sorting_guidance', 'cleaning', 'care_visit', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

const MINUTE_MS = 60_000;

/** An activity's length in whole minutes. */
export function durationMinutes(a: { startsAt: Date; endsAt: Date }): number {
  return Math.max(0, Math.floor((a.endsAt.getTime() - a.startsAt.getTime()) / MINUTE_MS));
}

/**
 * The minutes an attendance counts: what the organiser states, never more than the activity lasted;
 * the whole activity when the organiser states nothing; none for an absence.
 */
export function attendedMinutes(
  activity: { startsAt: Date; endsAt: Date },
  attendance: { attended: boolean; minutes?: number | null },
): number {
  if (!attendance.attended) return 0;
  const whole = durationMinutes(activity);
  if (attendance.minutes === undefined || attendance.minutes === null) return whole;
  return Math.min(Math.max(0, Math.floor(attendance.minutes)), whole);
}

/** Minutes as hours to one decimal (what a certificate shows). */
export function hoursOf(minutes: number): number {
  return Math.round((minutes / 60) * 10) / 10;
}

/** Service hours per key (a person, a team) from confirmed attendances. */
export function sumHours<K extends string>(
  rows: readonly { key: K; minutes: number | null; attended: boolean | null }[],
): Map<K, { minutes: number; hours: number; activities: number }> {
  const out = new Map<K, { minutes: number; hours: number; activities: number }>();
  for (const r of rows) {
    if (!r.attended || !r.minutes) continue;
    const e = out.get(r.key) ?? { minutes: 0, hours: 0, activities: 0 };
    e.minutes += r.minutes;
    e.activities += 1;
    e.hours = hoursOf(e.minutes);
    out.set(r.key, e);
  }
  return out;
}

/** Why a person may not sign up now, or null. */
export function signUpRefusal(
  activity: { startsAt: Date; endsAt: Date; capacity: number | null },
  signedUp: number,
  membership: 'applied' | 'approved' | 'rejected' | null,
  now: Date,
): { code: 'FORBIDDEN' | 'TRANSITION_NOT_ALLOWED' | 'ACTIVITY_FULL'; message: string } | null {
  if (membership !== 'approved')
    return { code: 'FORBIDDEN', message: "only the team's approved volunteers sign up for its activities" };
  if (now.getTime() >= activity.endsAt.getTime())
    return { code: 'TRANSITION_NOT_ALLOWED', message: 'the activity is over' };
  if (activity.capacity !== null && signedUp >= activity.capacity)
    return { code: 'ACTIVITY_FULL', message: `the activity is full (${activity.capacity})` };
  return null;
}

/** Why attendance may not be confirmed now, or null: only once the activity has started. */
export function confirmRefusal(activity: { startsAt: Date }, now: Date): string | null {
  return now.getTime() < activity.startsAt.getTime()
    ? 'attendance is confirmed once the activity has started'
    : null;
}
