import type { ParkingWindow } from '../../db/schema.ts';
import type { FieldIssue } from '../../shared/errors.ts';

/**
 * The rules of shared parking (错时停车, docs/participation.md), pure so that they are tested without a
 * database: weekly windows in Beijing time (UTC+8, no daylight saving), whether a booking lies inside
 * one of them, and when a booking counts as a no-show.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const BEIJING = 8 * 60 * MINUTE;

/** How far ahead a booking may start. */
export const MAX_DAYS_AHEAD = 14;

/** What a no-show costs (configurable, config.ts HUTONG_PARKING_NO_SHOW_*). */
export interface NoShowPolicy {
  /** A booking not checked in this many minutes after its start is a no-show. */
  graceMinutes: number;
  /** This many no-shows inside `days` suspend new bookings … */
  limit: number;
  /** … counted over this many days back from now. */
  days: number;
}

export const DEFAULT_NO_SHOW_POLICY: NoShowPolicy = { graceMinutes: 15, limit: 3, days: 30 };

const HM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hm: string): number {
  const m = HM.exec(hm);
  if (!m) throw new Error(`not a HH:MM time: ${hm}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** What is wrong with a list of windows (field paths like `windows.0.end`), or an empty list. */
export function windowIssues(windows: readonly ParkingWindow[]): FieldIssue[] {
  const out: FieldIssue[] = [];
  if (windows.length === 0) out.push({ field: 'windows', message: 'at least one window' });
  windows.forEach((w, i) => {
    if (w.days.length === 0 || w.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
      out.push({ field: `windows.${i}.days`, message: 'days are 1 (Monday) to 7 (Sunday)' });
    else if (new Set(w.days).size !== w.days.length)
      out.push({ field: `windows.${i}.days`, message: 'a day is listed twice' });
    if (!HM.test(w.start)) out.push({ field: `windows.${i}.start`, message: 'HH:MM' });
    if (!HM.test(w.end)) out.push({ field: `windows.${i}.end`, message: 'HH:MM' });
  });
  return out;
}

/** Monday = 1 … Sunday = 7 of a Beijing day given as the UTC instant of its midnight in Beijing. */
function isoWeekday(beijingMidnight: number): number {
  const d = new Date(beijingMidnight + BEIJING).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The Beijing midnight (as an instant) of the day an instant falls in. */
function beijingMidnightOf(t: number): number {
  return Math.floor((t + BEIJING) / DAY) * DAY - BEIJING;
}

export interface Opening {
  from: Date;
  to: Date;
}

/**
 * The openings (occurrences of the windows) that overlap [from, to), in start order. A window whose
 * end is at or before its start runs past midnight into the next day (18:00–07:30).
 */
export function openings(windows: readonly ParkingWindow[], from: Date, to: Date): Opening[] {
  const out: Opening[] = [];
  // An opening that starts the day before `from` may still run into it.
  for (let day = beijingMidnightOf(from.getTime()) - DAY; day < to.getTime(); day += DAY) {
    const weekday = isoWeekday(day);
    for (const w of windows) {
      if (!w.days.includes(weekday)) continue;
      const start = minutesOf(w.start);
      let end = minutesOf(w.end);
      if (end <= start) end += 24 * 60;
      const o = { from: new Date(day + start * MINUTE), to: new Date(day + end * MINUTE) };
      if (o.to.getTime() > from.getTime() && o.from.getTime() < to.getTime()) out.push(o);
    }
  }
  return out.sort((a, b) => a.from.getTime() - b.from.getTime());
}

/** The next `count` openings not over yet at `now` (the current one first, from now on). */
export function nextOpenings(windows: readonly ParkingWindow[], now: Date, count: number): Opening[] {
  return openings(windows, now, new Date(now.getTime() + 8 * DAY))
    .slice(0, count)
    .map((o) => ({ from: o.from < now ? now : o.from, to: o.to }));
}

/** Whether [from, to) lies inside one opening of the windows. */
export function insideWindows(windows: readonly ParkingWindow[], from: Date, to: Date): boolean {
  return openings(windows, from, to).some((o) => o.from <= from && to <= o.to);
}

/** Why a booking of [from, to) may not be made at `now`, as the field at fault; null when it may. */
export function bookingRefusal(
  windows: readonly ParkingWindow[],
  from: Date,
  to: Date,
  now: Date,
): FieldIssue | null {
  if (from.getTime() >= to.getTime()) return { field: 'to', message: 'the end must be after the start' };
  if (from.getTime() < now.getTime() - MINUTE) return { field: 'from', message: 'the start is in the past' };
  if (from.getTime() > now.getTime() + MAX_DAYS_AHEAD * DAY)
    return { field: 'from', message: `at most ${MAX_DAYS_AHEAD} days ahead` };
  if (!insideWindows(windows, from, to)) {
    const startsInside = openings(windows, from, new Date(from.getTime() + 1)).some(
      (o) => o.from <= from && from < o.to,
    );
    return startsInside
      ? { field: 'to', message: "the end lies outside the space's window" }
      : { field: 'from', message: "the start lies outside the space's windows" };
  }
  return null;
}

/** Whether a booking still waiting for its check-in has become a no-show at `now`. */
export function isNoShow(
  b: { state: string; startsAt: Date },
  now: Date,
  policy: Pick<NoShowPolicy, 'graceMinutes'>,
): boolean {
  return b.state === 'booked' && now.getTime() >= b.startsAt.getTime() + policy.graceMinutes * MINUTE;
}

/** The instant from which a booking that starts at `startsAt` counts as a no-show if not checked in. */
export function noShowAfter(startsAt: Date, policy: Pick<NoShowPolicy, 'graceMinutes'>): Date {
  return new Date(startsAt.getTime() + policy.graceMinutes * MINUTE);
}

/** A booking may be checked in from this many minutes before its start. */
export const CHECK_IN_EARLY_MINUTES = 15;

export function checkInRefusal(b: { startsAt: Date; endsAt: Date }, now: Date): string | null {
  if (now.getTime() < b.startsAt.getTime() - CHECK_IN_EARLY_MINUTES * MINUTE)
    return `check-in opens ${CHECK_IN_EARLY_MINUTES} minutes before the start`;
  if (now.getTime() >= b.endsAt.getTime()) return 'the booking is over';
  return null;
}
