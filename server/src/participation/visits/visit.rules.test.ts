import { describe, expect, it } from 'vitest';
import { dueState, intervalOf, tallyByOfficial, unknownKinds, VISIT_KINDS } from './visit.rules.ts';

const day = 86_400_000;
const t0 = new Date('2026-11-01T09:00:00+08:00');
const at = (days: number) => new Date(t0.getTime() + days * day);

describe('visit kinds', () => {
  it('lists ten kinds with positive intervals and distinct codes', () => {
    expect(VISIT_KINDS).toHaveLength(10);
    expect(new Set(VISIT_KINDS.map((k) => k.code)).size).toBe(10);
    for (const k of VISIT_KINDS) expect(k.intervalDays).toBeGreaterThan(0);
  });

  it('names unknown kinds', () => {
    expect(unknownKinds(['elderly_alone', 'nope'])).toEqual(['nope']);
  });

  it('takes the shortest interval of a household of several kinds', () => {
    expect(intervalOf(['entitled'])).toBe(90);
    expect(intervalOf(['entitled', 'elderly_alone'])).toBe(30);
    const custom = [{ code: 'x', name: 'x', intervalDays: 14 }];
    expect(intervalOf(['x'], custom)).toBe(14);
    expect(() => intervalOf(['nope'])).toThrow();
  });
});

describe('dueState', () => {
  it('is ok within the interval, due once it has passed, overdue after the grace', () => {
    const h = { registeredAt: at(-100), lastVisitAt: t0, intervalDays: 30 };
    expect(dueState(h, at(29)).state).toBe('ok');
    expect(dueState(h, at(30)).state).toBe('due');
    expect(dueState(h, at(36)).state).toBe('due');
    const late = dueState(h, at(37));
    expect(late.state).toBe('overdue');
    expect(late.daysOverdue).toBe(7);
    expect(late.dueAt).toEqual(at(30));
    expect(dueState(h, at(31), 0).state).toBe('overdue');
  });

  it('makes a household never visited due from its registration', () => {
    const h = { registeredAt: t0, lastVisitAt: null, intervalDays: 90 };
    expect(dueState(h, at(1)).state).toBe('due');
    expect(dueState(h, at(8)).state).toBe('overdue');
  });
});

describe('tallyByOfficial', () => {
  it('counts states per official', () => {
    const m = tallyByOfficial([
      { official: 'a', state: 'ok' },
      { official: 'a', state: 'overdue' },
      { official: null, state: 'due' },
    ]);
    expect(m.get('a')).toEqual({ total: 2, ok: 1, due: 0, overdue: 1 });
    expect(m.get(null)).toEqual({ total: 1, ok: 0, due: 1, overdue: 0 });
  });
});
