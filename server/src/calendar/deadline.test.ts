import { describe, expect, it } from 'vitest';
import {
  allowanceUsed,
  clockOf,
  computeDeadline,
  effectiveDeadline,
  extendDeadline,
  initialDeadline,
  slaColour,
  suspendedTime,
  timeLeft,
} from './deadline.ts';
import { loadOfficialCalendar } from './holiday-data.ts';
import { beijingTime } from './working-calendar.ts';

const calendar = loadOfficialCalendar();
const at = (date: string, time: string) => beijingTime(date, time);
const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('computeDeadline', () => {
  it('counts working days, working hours and calendar hours', () => {
    const friday = at('2025-11-14', '15:00');
    expect(computeDeadline(friday, { amount: 1, unit: 'working_days' }, calendar)).toEqual(
      at('2025-11-17', '17:30'),
    );
    expect(computeDeadline(friday, { amount: 4, unit: 'working_hours' }, calendar)).toEqual(
      at('2025-11-17', '10:30'),
    );
    expect(computeDeadline(friday, { amount: 24, unit: 'calendar_hours' }, calendar)).toEqual(
      at('2025-11-15', '15:00'),
    );
  });

  it('1 working day for exposed garbage reported on the eve of National Day', () => {
    expect(computeDeadline(at('2025-09-30', '16:00'), { amount: 1, unit: 'working_days' }, calendar)).toEqual(
      at('2025-10-09', '17:30'),
    );
  });

  it('15 working days for illegal construction reported before Spring Festival', () => {
    expect(
      computeDeadline(at('2026-02-10', '10:00'), { amount: 15, unit: 'working_days' }, calendar),
    ).toEqual(at('2026-03-09', '17:30'));
  });

  it('refuses a negative or non-finite amount', () => {
    expect(() => computeDeadline(new Date(), { amount: -1, unit: 'working_hours' }, calendar)).toThrow(
      RangeError,
    );
    expect(() =>
      computeDeadline(new Date(), { amount: Number.NaN, unit: 'calendar_hours' }, calendar),
    ).toThrow(RangeError);
    expect(() =>
      computeDeadline(new Date(Number.NaN), { amount: 1, unit: 'working_days' }, calendar),
    ).toThrow(RangeError);
  });

  it('maps units to clocks', () => {
    expect(clockOf('working_days')).toBe('working');
    expect(clockOf('working_hours')).toBe('working');
    expect(clockOf('calendar_hours')).toBe('calendar');
  });
});

describe('slaColour', () => {
  // Received Monday 09:00 with 1 working day: due Tuesday 17:30; the allowance is 14 office hours.
  const allowanceStart = at('2025-11-17', '09:00');
  const deadline = calendar.addWorkingDays(allowanceStart, 1);
  const base = { allowanceStart, deadline, calendar };

  it('is green early, yellow at exactly 80 % of the allowance, red once past the deadline', () => {
    expect(deadline).toEqual(at('2025-11-18', '17:30'));
    // 80 % of 14 h = 11 h 12 min: 7 h on Monday, then 4 h 12 min on Tuesday → 14:42.
    const eighty = at('2025-11-18', '14:42');
    expect(slaColour({ ...base, now: at('2025-11-17', '15:00') })).toBe('green');
    expect(slaColour({ ...base, now: new Date(eighty.getTime() - 1) })).toBe('green');
    expect(slaColour({ ...base, now: eighty })).toBe('yellow');
    expect(allowanceUsed({ ...base, now: eighty })).toBeCloseTo(0.8, 12);
    expect(slaColour({ ...base, now: deadline })).toBe('yellow');
    expect(slaColour({ ...base, now: new Date(deadline.getTime() + 1) })).toBe('red');
    // No working time passes overnight, yet the case is overdue.
    expect(slaColour({ ...base, now: at('2025-11-19', '08:00') })).toBe('red');
  });

  it('takes a configured threshold', () => {
    const now = at('2025-11-18', '09:00'); // 7 of 14 h used
    expect(slaColour({ ...base, now, yellowAt: 0.5 })).toBe('yellow');
    expect(slaColour({ ...base, now, yellowAt: 0.6 })).toBe('green');
    expect(() => slaColour({ ...base, now, yellowAt: 0 })).toThrow(RangeError);
    expect(() => slaColour({ ...base, now, yellowAt: 1.2 })).toThrow(RangeError);
  });

  it('does not count suspended working time as used', () => {
    const now = at('2025-11-18', '14:42');
    expect(slaColour({ ...base, now, suspendedMs: MINUTE })).toBe('green');
    expect(slaColour({ ...base, now, suspendedMs: 0 })).toBe('yellow');
  });

  it('moves the deadline out by the suspended working time', () => {
    // Suspended 2 working hours: due Wednesday 11:00 instead of Tuesday 17:30.
    const moved = effectiveDeadline({ deadline, suspendedMs: 2 * HOUR, calendar });
    expect(moved).toEqual(at('2025-11-19', '11:00'));
    expect(slaColour({ ...base, now: at('2025-11-19', '10:00'), suspendedMs: 2 * HOUR })).toBe('yellow');
    expect(slaColour({ ...base, now: at('2025-11-19', '11:00'), suspendedMs: 2 * HOUR })).toBe('yellow');
    expect(slaColour({ ...base, now: at('2025-11-19', '11:01'), suspendedMs: 2 * HOUR })).toBe('red');
  });

  it('measures calendar-hour limits on the wall clock', () => {
    const start = at('2025-11-15', '10:00'); // a Saturday
    const due = computeDeadline(start, { amount: 10, unit: 'calendar_hours' }, calendar);
    const input = { allowanceStart: start, deadline: due, calendar, clock: 'calendar' as const };
    expect(slaColour({ ...input, now: at('2025-11-15', '17:59') })).toBe('green');
    expect(slaColour({ ...input, now: at('2025-11-15', '18:00') })).toBe('yellow');
    expect(slaColour({ ...input, now: at('2025-11-15', '20:01') })).toBe('red');
    expect(slaColour({ ...input, now: at('2025-11-15', '20:01'), suspendedMs: HOUR })).toBe('yellow');
  });
});

describe('suspension and time left', () => {
  it('counts suspended working time only, with an open period up to now', () => {
    const periods = [
      { from: at('2025-11-14', '16:30'), to: at('2025-11-17', '10:00') }, // Fri 1 h + Mon 1 h
      { from: at('2025-11-18', '17:00'), to: null }, // still suspended: 0.5 h so far
    ];
    expect(suspendedTime(periods, at('2025-11-18', '20:00'), calendar)).toBe(2.5 * HOUR);
    expect(suspendedTime(periods, at('2025-11-18', '20:00'), calendar, 'calendar')).toBe((65.5 + 3) * HOUR);
  });

  it('a weekend-long suspension moves nothing', () => {
    const periods = [{ from: at('2025-11-15', '09:00'), to: at('2025-11-16', '18:00') }];
    expect(suspendedTime(periods, at('2025-11-17', '09:00'), calendar)).toBe(0);
  });

  it('gives working time left, negative once overdue', () => {
    const deadline = at('2025-11-18', '17:30');
    expect(timeLeft({ deadline, now: at('2025-11-18', '16:00'), calendar })).toBe(1.5 * HOUR);
    expect(timeLeft({ deadline, now: at('2025-11-18', '20:00'), calendar })).toBe(0);
    expect(timeLeft({ deadline, now: at('2025-11-19', '10:00'), calendar })).toBe(-HOUR);
    expect(timeLeft({ deadline, now: at('2025-11-19', '10:00'), suspendedMs: 3 * HOUR, calendar })).toBe(
      2 * HOUR,
    );
    expect(timeLeft({ deadline, now: at('2025-11-18', '20:00'), calendar, clock: 'calendar' })).toBe(
      -2.5 * HOUR,
    );
  });
});

describe('extensions', () => {
  const record = initialDeadline(at('2025-09-29', '10:00'), { amount: 3, unit: 'working_days' }, calendar);

  it('keeps the original deadline on record', () => {
    expect(record).toEqual({
      originalDeadline: at('2025-10-10', '17:30'),
      deadline: at('2025-10-10', '17:30'),
    });
    const extended = extendDeadline(record, { amount: 2, unit: 'working_days' }, calendar);
    // Friday 10 October + 2 working days: make-up Saturday 11th, then Monday 13th.
    expect(extended).toEqual({
      originalDeadline: at('2025-10-10', '17:30'),
      deadline: at('2025-10-13', '17:30'),
    });
    const again = extendDeadline(extended, { until: at('2025-10-20', '12:00') }, calendar);
    expect(again).toEqual({
      originalDeadline: at('2025-10-10', '17:30'),
      deadline: at('2025-10-20', '12:00'),
    });
  });

  it('refuses an extension that does not move the deadline later', () => {
    expect(() => extendDeadline(record, { until: at('2025-10-10', '17:30') }, calendar)).toThrow(RangeError);
    expect(() => extendDeadline(record, { amount: 0, unit: 'working_hours' }, calendar)).toThrow(RangeError);
  });
});
