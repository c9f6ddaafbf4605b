import type { WorkingCalendar } from './working-calendar.ts';

/**
 * Deadlines and their traffic lights (SPEC §4.4). Pure functions over a `WorkingCalendar`; the caller
 * supplies `now`, so sweeps and tests can move time across weekends and holidays.
 */

export type DeadlineUnit = 'working_hours' | 'working_days' | 'calendar_hours';

export interface DeadlineLimit {
  readonly amount: number;
  readonly unit: DeadlineUnit;
}

/**
 * Which clock measures a limit. Calendar hours exist for urgent matters (a manhole cover missing at
 * night) where a weekend must not stop the clock, so their elapsed time is wall time too.
 */
export type SlaClock = 'working' | 'calendar';

export type SlaColour = 'green' | 'yellow' | 'red';

/** Default warning threshold: yellow once 80 % of the allowance is used (SPEC §4.4). */
export const DEFAULT_YELLOW_AT = 0.8;

export function clockOf(unit: DeadlineUnit): SlaClock {
  return unit === 'calendar_hours' ? 'calendar' : 'working';
}

/**
 * The deadline for a limit counted from receipt. Working days end at the close of office hours on the
 * Nth working day after the day of receipt (see `WorkingCalendar.addWorkingDays`); working hours count
 * office time only; calendar hours count wall time.
 */
export function computeDeadline(receivedAt: Date, limit: DeadlineLimit, calendar: WorkingCalendar): Date {
  assertDate(receivedAt, 'receivedAt');
  if (!Number.isFinite(limit.amount) || limit.amount < 0) {
    throw new RangeError('A deadline limit must be a finite amount ≥ 0');
  }
  switch (limit.unit) {
    case 'working_days':
      return calendar.addWorkingDays(receivedAt, limit.amount);
    case 'working_hours':
      return calendar.addWorkingHours(receivedAt, limit.amount);
    case 'calendar_hours':
      return new Date(receivedAt.getTime() + Math.round(limit.amount * 3_600_000));
  }
}

/** A deadline as the trail keeps it: an approved extension moves `deadline`, never `originalDeadline`. */
export interface DeadlineRecord {
  readonly originalDeadline: Date;
  readonly deadline: Date;
}

export function initialDeadline(
  receivedAt: Date,
  limit: DeadlineLimit,
  calendar: WorkingCalendar,
): DeadlineRecord {
  const deadline = computeDeadline(receivedAt, limit, calendar);
  return { originalDeadline: deadline, deadline };
}

/**
 * Applies an approved extension (延期): either a further limit counted from the current deadline, or a
 * fixed new deadline. An extension that does not move the deadline later is a mistake, not a no-op.
 */
export function extendDeadline(
  record: DeadlineRecord,
  extension: DeadlineLimit | { readonly until: Date },
  calendar: WorkingCalendar,
): DeadlineRecord {
  if ('until' in extension) assertDate(extension.until, 'until');
  const next = 'until' in extension ? extension.until : computeDeadline(record.deadline, extension, calendar);
  if (next.getTime() <= record.deadline.getTime()) {
    throw new RangeError('An extension must move the deadline later');
  }
  return { originalDeadline: record.originalDeadline, deadline: new Date(next) };
}

/** Time between two instants on the given clock, negative when `b` precedes `a`. */
export function elapsed(a: Date, b: Date, calendar: WorkingCalendar, clock: SlaClock = 'working'): number {
  return clock === 'working' ? calendar.workingMsBetween(a, b) : b.getTime() - a.getTime();
}

/**
 * Time a case spent suspended (挂起), on the given clock. An open period (`to: null`) counts up to `now`.
 * On the working clock a suspension over a weekend costs nothing, as the weekend cost nothing anyway.
 */
export function suspendedTime(
  periods: readonly { readonly from: Date; readonly to: Date | null }[],
  now: Date,
  calendar: WorkingCalendar,
  clock: SlaClock = 'working',
): number {
  return periods.reduce((sum, p) => sum + Math.max(0, elapsed(p.from, p.to ?? now, calendar, clock)), 0);
}

export interface DeadlineClockInput {
  readonly deadline: Date;
  /** Time suspended so far, on the same clock (see `suspendedTime`). */
  readonly suspendedMs?: number;
  readonly calendar: WorkingCalendar;
  readonly clock?: SlaClock;
}

/** The deadline moved out by the suspended time: suspension stops the clock, it does not forgive. */
export function effectiveDeadline(input: DeadlineClockInput): Date {
  const suspendedMs = checkedSuspended(input.suspendedMs);
  assertDate(input.deadline, 'deadline');
  if ((input.clock ?? 'working') === 'calendar') return new Date(input.deadline.getTime() + suspendedMs);
  return input.calendar.addWorkingMs(input.deadline, suspendedMs);
}

/**
 * Time left until the effective deadline, negative once overdue. On the working clock this is working
 * time: a case due at 17:30 on Friday and looked at on Saturday has 0 left, not −16 hours.
 */
export function timeLeft(input: DeadlineClockInput & { readonly now: Date }): number {
  return elapsed(input.now, effectiveDeadline(input), input.calendar, input.clock);
}

export interface SlaInput extends DeadlineClockInput {
  /** When the allowance began to run (receipt, or dispatch for a unit's own limit). */
  readonly allowanceStart: Date;
  readonly now: Date;
  /** Fraction of the allowance after which the case turns yellow; 0.8 unless configured. */
  readonly yellowAt?: number;
}

/** The fraction of the allowance used so far, suspended time excluded (1 = all of it). */
export function allowanceUsed(input: SlaInput): number {
  const { allowance, used } = measure(input);
  if (allowance <= 0) return used >= 0 ? Number.POSITIVE_INFINITY : 0;
  return used / allowance;
}

/**
 * green / yellow / red. Red is decided on the wall clock against the effective deadline, because
 * after 17:30 on the last day no working time passes yet the case is overdue all the same. Yellow is
 * decided on the case's own clock, at or past `yellowAt` of the allowance.
 */
export function slaColour(input: SlaInput): SlaColour {
  const yellowAt = input.yellowAt ?? DEFAULT_YELLOW_AT;
  if (!(yellowAt > 0 && yellowAt <= 1)) throw new RangeError('yellowAt must be in (0, 1]');
  assertDate(input.now, 'now');
  if (input.now.getTime() > effectiveDeadline(input).getTime()) return 'red';
  const { allowance, used } = measure(input);
  // Rounded to the millisecond so that "exactly 80 %" is not lost to 0.8 being inexact in binary.
  return used >= Math.round(allowance * yellowAt) ? 'yellow' : 'green';
}

function measure(input: SlaInput): { allowance: number; used: number } {
  assertDate(input.allowanceStart, 'allowanceStart');
  const clock = input.clock ?? 'working';
  const allowance = elapsed(input.allowanceStart, input.deadline, input.calendar, clock);
  const used =
    elapsed(input.allowanceStart, input.now, input.calendar, clock) - checkedSuspended(input.suspendedMs);
  return { allowance, used };
}

function checkedSuspended(ms: number | undefined): number {
  const value = ms ?? 0;
  if (!Number.isFinite(value) || value < 0) throw new RangeError('suspendedMs must be finite and ≥ 0');
  return value;
}

function assertDate(value: Date, name: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new RangeError(`${name} is not a valid date`);
}
