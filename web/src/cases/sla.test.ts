import { describe, expect, it } from 'vitest';
import type { CaseDto } from './caseTypes';
import { slaLevel, timeLeft } from './sla';

const HOUR = 3_600_000;
const created = Date.parse('2026-11-02T01:00:00Z');

function dto(
  changes: Partial<CaseDto>,
): Pick<CaseDto, 'state' | 'slaState' | 'handlingDeadline' | 'createdAt'> {
  return {
    state: 'handling',
    slaState: 'green',
    handlingDeadline: new Date(created + 10 * HOUR).toISOString(),
    createdAt: new Date(created).toISOString(),
    ...changes,
  };
}

describe('slaLevel', () => {
  it('is green early, yellow from 80 % of the time, red past the deadline', () => {
    expect(slaLevel(dto({}), created + 1 * HOUR)).toBe('green');
    expect(slaLevel(dto({}), created + 8 * HOUR)).toBe('yellow');
    expect(slaLevel(dto({}), created + 10 * HOUR + 1)).toBe('red');
  });

  it('never shows a case less urgent than the server says', () => {
    expect(slaLevel(dto({ slaState: 'red' }), created + HOUR)).toBe('red');
    expect(slaLevel(dto({ slaState: 'yellow' }), created + HOUR)).toBe('yellow');
  });

  it('has no clock before filing, after closing, or while suspended', () => {
    expect(slaLevel(dto({ state: 'reported', handlingDeadline: null }), created)).toBe('none');
    expect(slaLevel(dto({ state: 'closed' }), created + 20 * HOUR)).toBe('none');
    expect(slaLevel(dto({ state: 'suspended' }), created + 20 * HOUR)).toBe('none');
    expect(slaLevel(dto({ state: 'suspended', slaState: 'red' }), created)).toBe('red');
  });
});

describe('timeLeft', () => {
  it('splits the time to the deadline into days, hours and minutes', () => {
    const deadline = new Date(created + 26 * HOUR + 5 * 60_000).toISOString();
    expect(timeLeft(deadline, created)).toEqual({ overdue: false, days: 1, hours: 2, minutes: 5 });
  });

  it('counts the time since an overdue deadline', () => {
    const deadline = new Date(created).toISOString();
    expect(timeLeft(deadline, created + 90 * 60_000)).toEqual({
      overdue: true,
      days: 0,
      hours: 1,
      minutes: 30,
    });
  });

  it('is null without a deadline', () => {
    expect(timeLeft(null, created)).toBeNull();
  });
});
