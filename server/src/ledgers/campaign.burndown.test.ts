import { describe, expect, it } from 'vitest';
import { burndown, type ItemHistory, itemStatusAt, itemTransitions } from './campaign.burndown.ts';

/** Beijing wall-clock time as an instant. */
const bj = (local: string) => new Date(`${local}+08:00`);

const caseItem = (id: string, added: string, changes: [string, boolean][]): ItemHistory => ({
  itemId: id,
  addedAt: bj(added),
  changes: changes.map(([at, open], i) => ({ at: bj(at), open, seq: i + 1, action: open ? 'x' : 'close' })),
});

describe('campaign burn-down arithmetic', () => {
  const a = caseItem('a', '2026-11-02T09:00', [
    ['2026-11-01T10:00', true],
    ['2026-11-03T10:00', false],
    ['2026-11-04T10:00', true],
    ['2026-11-05T10:00', false],
  ]);
  const point: ItemHistory = {
    itemId: 'p',
    addedAt: bj('2026-11-02T09:30'),
    changes: [{ at: bj('2026-11-04T16:00'), open: false }],
  };
  const late = caseItem('c', '2026-11-03T11:00', [['2026-11-03T08:00', true]]);

  it('counts per Beijing day, and open follows from added, cleared and reopened', () => {
    const days = burndown([a, point, late], '2026-11-02', '2026-11-05');
    expect(days).toEqual([
      { date: '2026-11-02', open: 2, added: 2, cleared: 0, reopened: 0 },
      { date: '2026-11-03', open: 2, added: 1, cleared: 1, reopened: 0 },
      { date: '2026-11-04', open: 2, added: 0, cleared: 1, reopened: 1 },
      { date: '2026-11-05', open: 1, added: 0, cleared: 1, reopened: 0 },
    ]);
    for (let i = 1; i < days.length; i++) {
      const [prev, day] = [days[i - 1]!, days[i]!];
      expect(day.open).toBe(prev.open + day.added - day.cleared + day.reopened);
    }
  });

  it('uses Beijing days: 23:30 UTC is the next morning in Beijing', () => {
    const item: ItemHistory = { itemId: 'x', addedAt: new Date('2026-11-02T23:30:00Z'), changes: [] };
    expect(burndown([item], '2026-11-02', '2026-11-03').map((d) => d.added)).toEqual([0, 1]);
  });

  it('folds what happened before the first day into its opening balance', () => {
    expect(burndown([a, point], '2026-11-04', '2026-11-04')).toEqual([
      { date: '2026-11-04', open: 1, added: 0, cleared: 1, reopened: 1 },
    ]);
  });

  it('enters an item already cleared as added and cleared at once', () => {
    const closedBefore = caseItem('z', '2026-11-03T09:00', [
      ['2026-11-01T09:00', true],
      ['2026-11-02T09:00', false],
    ]);
    expect(itemTransitions(closedBefore).map((t) => t.kind)).toEqual(['added', 'cleared']);
    expect(burndown([closedBefore], '2026-11-03', '2026-11-03')[0]).toMatchObject({
      open: 0,
      added: 1,
      cleared: 1,
    });
  });

  it('says which change cleared an item at an instant', () => {
    expect(itemStatusAt(a, bj('2026-11-03T12:00'))).toMatchObject({
      status: 'cleared',
      clearedAt: bj('2026-11-03T10:00'),
      clearedBy: { seq: 2, action: 'close' },
    });
    expect(itemStatusAt(a, bj('2026-11-04T12:00')).status).toBe('open');
    expect(itemStatusAt(late, bj('2026-11-02T12:00')).status).toBe('not_added');
  });

  it('is empty when the range is', () => {
    expect(burndown([a], '2026-11-05', '2026-11-04')).toEqual([]);
  });
});
