import { describe, expect, it } from 'vitest';
import {
  bookingRefusal,
  insideWindows,
  isNoShow,
  nextOpenings,
  openings,
  windowIssues,
} from './parking.rules.ts';

const evenings = [{ days: [1, 2, 3, 4, 5], start: '18:00', end: '07:30' }];
const at = (s: string) => new Date(s);

describe('parking windows (Beijing time)', () => {
  it('runs an evening window past midnight into the next morning', () => {
    // 2026-12-07 is a Monday.
    expect(insideWindows(evenings, at('2026-12-07T18:00+08:00'), at('2026-12-08T07:30+08:00'))).toBe(true);
    expect(insideWindows(evenings, at('2026-12-08T01:00+08:00'), at('2026-12-08T06:00+08:00'))).toBe(true);
    expect(insideWindows(evenings, at('2026-12-07T17:30+08:00'), at('2026-12-07T19:00+08:00'))).toBe(false);
    expect(insideWindows(evenings, at('2026-12-08T07:00+08:00'), at('2026-12-08T08:00+08:00'))).toBe(false);
    // Friday night runs into Saturday morning; Saturday evening is closed.
    expect(insideWindows(evenings, at('2026-12-12T02:00+08:00'), at('2026-12-12T07:00+08:00'))).toBe(true);
    expect(insideWindows(evenings, at('2026-12-12T19:00+08:00'), at('2026-12-12T20:00+08:00'))).toBe(false);
    // Sunday night is closed, so Monday 02:00 is not inside.
    expect(insideWindows(evenings, at('2026-12-07T02:00+08:00'), at('2026-12-07T03:00+08:00'))).toBe(false);
  });

  it('does not join two openings into one booking', () => {
    const twoSlots = [
      { days: [1], start: '08:00', end: '10:00' },
      { days: [1], start: '10:00', end: '12:00' },
    ];
    expect(insideWindows(twoSlots, at('2026-12-07T09:00+08:00'), at('2026-12-07T11:00+08:00'))).toBe(false);
    expect(openings(twoSlots, at('2026-12-07T09:00+08:00'), at('2026-12-07T11:00+08:00'))).toHaveLength(2);
  });

  it('lists the next openings from now, the current one cut at now', () => {
    const now = at('2026-12-07T20:00+08:00');
    const next = nextOpenings(evenings, now, 2);
    expect(next[0]).toEqual({ from: now, to: at('2026-12-08T07:30+08:00') });
    expect(next[1]!.from).toEqual(at('2026-12-08T18:00+08:00'));
  });

  it('names the field at fault', () => {
    const now = at('2026-12-07T12:00+08:00');
    const r = (f: string, t: string) => bookingRefusal(evenings, at(f), at(t), now)?.field ?? null;
    expect(r('2026-12-07T19:00+08:00', '2026-12-07T21:00+08:00')).toBeNull();
    expect(r('2026-12-07T21:00+08:00', '2026-12-07T19:00+08:00')).toBe('to');
    expect(r('2026-12-07T10:00+08:00', '2026-12-07T11:00+08:00')).toBe('from');
    expect(r('2026-12-07T13:00+08:00', '2026-12-07T19:00+08:00')).toBe('from');
    expect(r('2026-12-07T19:00+08:00', '2026-12-08T09:00+08:00')).toBe('to');
    expect(r('2026-12-29T19:00+08:00', '2026-12-29T20:00+08:00')).toBe('from');
  });

  it('checks the windows themselves', () => {
    expect(windowIssues([])).toHaveLength(1);
    expect(windowIssues([{ days: [0, 8], start: '25:00', end: '7:30' }]).map((i) => i.field)).toEqual([
      'windows.0.days',
      'windows.0.start',
      'windows.0.end',
    ]);
    expect(windowIssues(evenings)).toEqual([]);
  });

  it('counts a booking not checked in within the grace minutes as a no-show', () => {
    const b = { state: 'booked', startsAt: at('2026-12-07T18:00+08:00') };
    expect(isNoShow(b, at('2026-12-07T18:14+08:00'), { graceMinutes: 15 })).toBe(false);
    expect(isNoShow(b, at('2026-12-07T18:15+08:00'), { graceMinutes: 15 })).toBe(true);
    expect(isNoShow({ ...b, state: 'checked_in' }, at('2026-12-07T20:00+08:00'), { graceMinutes: 15 })).toBe(
      false,
    );
  });
});
