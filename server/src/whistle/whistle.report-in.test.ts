import { describe, expect, it } from 'vitest';
import { reportInStanding, whistleHistory } from './whistle.report-in.ts';

const at = (hhmm: string) => new Date(`2026-11-02T${hhmm}:00+08:00`);
const joint = (unitIds: string[]) => ({ assignment: { kind: 'joint', unitIds, reportedIn: [] } });

describe('reading summons and report-ins from the trail', () => {
  it('dates each unit from the moment it was summoned, keeping those who stay at the table', () => {
    const h = whistleHistory([
      { at: at('08:00'), action: 'accept', payload: {} },
      { at: at('09:00'), action: 'dispatch', payload: joint(['a', 'b']) },
      { at: at('09:30'), action: 'report_in', payload: { unitId: 'a' } },
      { at: at('10:00'), action: 'redispatch', payload: joint(['a', 'c']) },
      { at: at('10:30'), action: 'report_in', payload: { unitId: 'c' } },
    ]);
    expect(h).toEqual({
      whistleAt: at('09:00'),
      units: [
        { unitId: 'a', summonedAt: at('09:00'), reportedInAt: at('09:30') },
        { unitId: 'c', summonedAt: at('10:00'), reportedInAt: at('10:30') },
      ],
    });
  });

  it('starts afresh after the case leaves tier 3', () => {
    const h = whistleHistory([
      { at: at('09:00'), action: 'dispatch', payload: joint(['a']) },
      { at: at('09:10'), action: 'report_in', payload: { unitId: 'a' } },
      { at: at('10:00'), action: 'redispatch', payload: { assignment: { kind: 'unit', unitId: 'a' } } },
      { at: at('11:00'), action: 'redispatch', payload: joint(['a']) },
    ]);
    expect(h).toEqual({
      whistleAt: at('11:00'),
      units: [{ unitId: 'a', summonedAt: at('11:00'), reportedInAt: null }],
    });
    expect(whistleHistory([{ at: at('09:00'), action: 'dispatch', payload: { assignment: null } }])).toEqual({
      whistleAt: null,
      units: [],
    });
  });

  it('judges a report-in against its deadline', () => {
    expect(reportInStanding(at('10:59'), at('11:00'), at('12:00'))).toBe('on_time');
    expect(reportInStanding(at('11:00'), at('11:00'), at('12:00'))).toBe('on_time');
    expect(reportInStanding(at('11:01'), at('11:00'), at('12:00'))).toBe('late');
    expect(reportInStanding(null, at('11:00'), at('10:00'))).toBe('awaiting');
    expect(reportInStanding(null, at('11:00'), at('11:30'))).toBe('overdue');
  });
});
