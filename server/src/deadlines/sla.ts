import {
  allowanceUsed,
  DEFAULT_YELLOW_AT,
  effectiveDeadline,
  type SlaClock,
  type SlaColour,
  slaColour,
  suspendedTime,
} from '../calendar/deadline.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';

/**
 * A case's traffic light (SPEC §4.4), worked out from its deadline and its trail. Pure: the sweep
 * feeds it rows and events, tests feed it dates.
 */

/** The events that bear on a case's clock, in trail order. */
export interface TimingEvent {
  readonly action: string;
  readonly at: Date;
  readonly payload: unknown;
}

export interface SlaTimeline {
  readonly deadline: Date;
  /** When the allowance began: the filing (accept), or a reopening that set a fresh deadline. */
  readonly allowanceStart: Date;
  /** Suspensions (挂起) since the allowance began; an open one has `to: null`. */
  readonly suspensions: readonly { readonly from: Date; readonly to: Date | null }[];
}

export const TIMING_ACTIONS = ['accept', 'reopen', 'suspend', 'resume'] as const;

/**
 * The case service computes the deadline when the case is accepted (and a reopening may set a new
 * one), and leaves it where it is across a suspension: the suspended time is read back from the
 * trail here. `fallbackStart` serves a case whose trail has no accept (imported, say).
 */
export function timelineOf(deadline: Date, events: readonly TimingEvent[], fallbackStart: Date): SlaTimeline {
  let allowanceStart = fallbackStart;
  for (const e of events) {
    if (e.action === 'accept' || (e.action === 'reopen' && hasDeadline(e.payload))) allowanceStart = e.at;
  }
  const suspensions: { from: Date; to: Date | null }[] = [];
  let open: Date | null = null;
  for (const e of events) {
    if (e.action === 'suspend') open = e.at;
    if (e.action === 'resume' && open) {
      suspensions.push({ from: open, to: e.at });
      open = null;
    }
  }
  if (open) suspensions.push({ from: open, to: null });
  const since = allowanceStart.getTime();
  return {
    deadline,
    allowanceStart,
    suspensions: suspensions
      .filter((p) => p.to === null || p.to.getTime() > since)
      .map((p) => ({ from: new Date(Math.max(p.from.getTime(), since)), to: p.to })),
  };
}

function hasDeadline(payload: unknown): boolean {
  return (
    typeof payload === 'object' && payload !== null && typeof Reflect.get(payload, 'deadline') === 'string'
  );
}

export interface SlaAssessment {
  colour: SlaColour;
  /** The deadline pushed out by the time spent suspended. */
  effectiveDeadline: Date;
  /** Fraction of the allowance used, suspended time excluded. */
  used: number;
}

export function assessSla(
  timeline: SlaTimeline,
  at: { now: Date; calendar: WorkingCalendar; clock?: SlaClock; yellowAt?: number },
): SlaAssessment {
  const clock = at.clock ?? 'working';
  const suspendedMs = suspendedTime(timeline.suspensions, at.now, at.calendar, clock);
  const input = {
    deadline: timeline.deadline,
    allowanceStart: timeline.allowanceStart,
    suspendedMs,
    calendar: at.calendar,
    clock,
    now: at.now,
    yellowAt: at.yellowAt ?? DEFAULT_YELLOW_AT,
  };
  return {
    colour: slaColour(input),
    effectiveDeadline: effectiveDeadline(input),
    used: allowanceUsed(input),
  };
}

const RANK: Record<SlaColour, number> = { green: 0, yellow: 1, red: 2 };

export function isSlaColour(value: string): value is SlaColour {
  return Object.hasOwn(RANK, value);
}

/** Whether moving from one colour to the other is a worsening (the only moves that notify). */
export function worsens(from: SlaColour, to: SlaColour): boolean {
  return RANK[to] > RANK[from];
}
