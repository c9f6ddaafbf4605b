import { describe, expect, it } from 'vitest';
import { loadOfficialCalendar } from '../calendar/holiday-data.ts';
import { beijingTime } from '../calendar/working-calendar.ts';
import { assessSla, timelineOf, worsens } from './sla.ts';

const calendar = loadOfficialCalendar();
const bj = beijingTime;

describe('timelineOf', () => {
  it('starts the allowance at the latest filing or reopening that set a deadline', () => {
    const deadline = bj('2026-11-10', '17:30');
    const t = timelineOf(
      deadline,
      [
        { action: 'accept', at: bj('2026-11-05', '10:00'), payload: {} },
        { action: 'reopen', at: bj('2026-11-06', '10:00'), payload: { reason: 'x' } },
      ],
      bj('2026-11-05', '09:00'),
    );
    // A reopening without a new deadline keeps the old allowance.
    expect(t.allowanceStart).toEqual(bj('2026-11-05', '10:00'));
    const reopened = timelineOf(
      deadline,
      [
        { action: 'accept', at: bj('2026-11-05', '10:00'), payload: {} },
        { action: 'reopen', at: bj('2026-11-06', '10:00'), payload: { deadline: deadline.toISOString() } },
      ],
      bj('2026-11-05', '09:00'),
    );
    expect(reopened.allowanceStart).toEqual(bj('2026-11-06', '10:00'));
    expect(timelineOf(deadline, [], bj('2026-11-05', '09:00')).allowanceStart).toEqual(
      bj('2026-11-05', '09:00'),
    );
  });

  it('pairs suspensions with their resumptions and keeps only those since the allowance began', () => {
    const t = timelineOf(
      bj('2026-11-10', '17:30'),
      [
        { action: 'suspend', at: bj('2026-11-01', '10:00'), payload: {} },
        { action: 'resume', at: bj('2026-11-02', '10:00'), payload: {} },
        { action: 'accept', at: bj('2026-11-05', '10:00'), payload: {} },
        { action: 'suspend', at: bj('2026-11-06', '10:00'), payload: {} },
        { action: 'resume', at: bj('2026-11-09', '11:00'), payload: {} },
        { action: 'suspend', at: bj('2026-11-10', '09:00'), payload: {} },
      ],
      bj('2026-11-01', '09:00'),
    );
    expect(t.suspensions).toEqual([
      { from: bj('2026-11-06', '10:00'), to: bj('2026-11-09', '11:00') },
      { from: bj('2026-11-10', '09:00'), to: null },
    ]);
  });
});

describe('assessSla', () => {
  // Filed Thursday 10:00, three working days: Fri, Mon, Tue → Tue 17:30. 27 working hours; yellow at 21.6 h.
  const accept = { action: 'accept', at: bj('2026-11-05', '10:00'), payload: {} };
  const deadline = bj('2026-11-10', '17:30');
  const colourAt = (now: Date, events = [accept], yellowAt?: number) =>
    assessSla(timelineOf(deadline, events, accept.at), { now, calendar, yellowAt }).colour;

  it('stays green over the weekend and turns yellow at 80 % of the working allowance', () => {
    expect(colourAt(bj('2026-11-07', '12:00'))).toBe('green');
    expect(colourAt(bj('2026-11-10', '10:35'))).toBe('green');
    expect(colourAt(bj('2026-11-10', '10:36'))).toBe('yellow');
    expect(colourAt(bj('2026-11-10', '17:30'))).toBe('yellow');
    expect(colourAt(bj('2026-11-10', '17:31'))).toBe('red');
  });

  it('honours another warning threshold', () => {
    // 50 % of 27 h = 13.5 h: Thu 6 h + Fri 7 h = 13 h, then half an hour on Monday.
    expect(colourAt(bj('2026-11-09', '09:29'), [accept], 0.5)).toBe('green');
    expect(colourAt(bj('2026-11-09', '09:30'), [accept], 0.5)).toBe('yellow');
  });

  it('does not advance while suspended, and pushes the deadline out by the working time suspended', () => {
    const suspended = [accept, { action: 'suspend', at: bj('2026-11-06', '10:00'), payload: {} }];
    // Past the original deadline and still green: the clock stopped on Friday at 10:00.
    expect(colourAt(bj('2026-11-11', '09:00'), suspended)).toBe('green');
    const resumed = [...suspended, { action: 'resume', at: bj('2026-11-11', '10:00'), payload: {} }];
    const a = assessSla(timelineOf(deadline, resumed, accept.at), {
      now: bj('2026-11-11', '10:00'),
      calendar,
    });
    // 21 working hours suspended (Fri 6, Mon 7, Tue 7, Wed 1): Tue 17:30 + 21 h = Fri 17:30.
    expect(a.effectiveDeadline).toEqual(bj('2026-11-13', '17:30'));
    expect(colourAt(bj('2026-11-13', '10:35'), resumed)).toBe('green');
    expect(colourAt(bj('2026-11-13', '10:36'), resumed)).toBe('yellow');
    expect(colourAt(bj('2026-11-13', '17:31'), resumed)).toBe('red');
  });

  it('orders the colours', () => {
    expect(worsens('green', 'yellow')).toBe(true);
    expect(worsens('yellow', 'red')).toBe(true);
    expect(worsens('red', 'yellow')).toBe(false);
    expect(worsens('yellow', 'green')).toBe(false);
  });
});
