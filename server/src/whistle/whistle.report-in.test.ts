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
        { unitId: 'a', summonedAt: at('09:00'), reportedInAt: at('09:30'), reportedInRecorded: null },
        { unitId: 'c', summonedAt: at('10:00'), reportedInAt: at('10:30'), reportedInRecorded: null },
      ],
      refusals: [],
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
      units: [{ unitId: 'a', summonedAt: at('11:00'), reportedInAt: null, reportedInRecorded: null }],
      refusals: [],
    });
    expect(whistleHistory([{ at: at('09:00'), action: 'dispatch', payload: { assignment: null } }])).toEqual({
      whistleAt: null,
      units: [],
      refusals: [],
    });
  });

  it('reads what the street desk recorded for a unit, and the units that refused', () => {
    const h = whistleHistory([
      { at: at('09:00'), action: 'dispatch', payload: joint(['a', 'b', 'c']) },
      {
        at: at('09:20'),
        action: 'report_in',
        actorUserId: 'usr-desk',
        payload: { unitId: 'b', onWordOf: '王工（电话）', attachmentIds: ['m1'] },
      },
      {
        at: at('09:30'),
        action: 'joint_unit_refusal',
        actorUserId: 'usr-desk',
        payload: { unitId: 'c', reason: '不归本单位', onWordOf: '李科长' },
      },
      { at: at('09:30'), action: 'redispatch', payload: joint(['a', 'b']) },
    ]);
    expect(h.units.map((u) => u.unitId)).toEqual(['a', 'b']);
    expect(h.units[1]!.reportedInRecorded).toEqual({
      recordedBy: 'usr-desk',
      onWordOf: '王工（电话）',
      attachmentIds: ['m1'],
    });
    expect(h.refusals).toEqual([
      {
        unitId: 'c',
        at: at('09:30'),
        reason: '不归本单位',
        recordedBy: 'usr-desk',
        onWordOf: '李科长',
        attachmentIds: [],
      },
    ]);
  });

  it('judges a report-in against its deadline', () => {
    expect(reportInStanding(at('10:59'), at('11:00'), at('12:00'))).toBe('on_time');
    expect(reportInStanding(at('11:00'), at('11:00'), at('12:00'))).toBe('on_time');
    expect(reportInStanding(at('11:01'), at('11:00'), at('12:00'))).toBe('late');
    expect(reportInStanding(null, at('11:00'), at('10:00'))).toBe('awaiting');
    expect(reportInStanding(null, at('11:00'), at('11:30'))).toBe('overdue');
  });
});
