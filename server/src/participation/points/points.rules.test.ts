import { describe, expect, it } from 'vitest';
import {
  awardEntries,
  balanceOf,
  covers,
  DEMO_RULES,
  pointsFor,
  redemptionEntries,
  redemptionRefusal,
  ruleIssues,
  unbalanced,
} from './points.rules.ts';

describe('the civic points rules', () => {
  it('earns per verified report, per hour served (rounded down) and per passed sorting check', () => {
    const rules = { report_verified: 10, volunteer_hour: 5, sorting_check: 2 };
    expect(pointsFor(rules, { kind: 'report_verified' })).toBe(10);
    expect(pointsFor(rules, { kind: 'volunteer_hour', minutes: 90 })).toBe(7);
    expect(pointsFor(rules, { kind: 'volunteer_hour', minutes: 120 })).toBe(10);
    expect(pointsFor(rules, { kind: 'volunteer_hour', minutes: 11 })).toBe(0);
    expect(pointsFor(rules, { kind: 'volunteer_hour', minutes: 0 })).toBe(0);
    expect(pointsFor(rules, { kind: 'sorting_check', passed: true })).toBe(2);
    expect(pointsFor(rules, { kind: 'sorting_check', passed: false })).toBe(0);
    // A kind the version leaves out earns nothing.
    expect(pointsFor({ report_verified: 3 }, { kind: 'sorting_check', passed: true })).toBe(0);
  });

  it('names the field of every faulty rule', () => {
    expect(ruleIssues(DEMO_RULES)).toEqual([]);
    expect(ruleIssues({ report_verified: -1, volunteer_hour: 2.5, bogus: 1, sorting_check: 5000 })).toEqual([
      { field: 'rules.report_verified', message: expect.any(String) },
      { field: 'rules.volunteer_hour', message: expect.any(String) },
      { field: 'rules.bogus', message: expect.stringContaining('no rule kind') },
      { field: 'rules.sorting_check', message: expect.any(String) },
    ]);
  });
});

describe('double entry', () => {
  it('accepts only balanced transactions of whole, non-zero amounts over distinct accounts', () => {
    expect(unbalanced(awardEntries('pool', 'res', 10))).toBeNull();
    expect(unbalanced([{ accountId: 'a', amount: 5 }])).toMatch(/at least two/);
    expect(
      unbalanced([
        { accountId: 'a', amount: 5 },
        { accountId: 'b', amount: -4 },
      ]),
    ).toMatch(/sum to 1/);
    expect(
      unbalanced([
        { accountId: 'a', amount: 0 },
        { accountId: 'b', amount: 0 },
      ]),
    ).toMatch(/other than zero/);
    expect(
      unbalanced([
        { accountId: 'a', amount: 1.5 },
        { accountId: 'b', amount: -1.5 },
      ]),
    ).toMatch(/whole/);
    expect(
      unbalanced([
        { accountId: 'a', amount: 1 },
        { accountId: 'a', amount: -1 },
      ]),
    ).toMatch(/once/);
  });

  it('moves a redemption through the hold: reserve and confirm spend, reserve and release give back', () => {
    const acc = { hold: 'hold', redeemed: 'spent' };
    const award = awardEntries('pool', 'res', 30);
    const reserve = redemptionEntries('reserve', acc, 'res', 12);
    const confirm = redemptionEntries('confirm', acc, 'res', 12);
    for (const t of [reserve, confirm, redemptionEntries('release', acc, 'res', 12)])
      expect(unbalanced(t)).toBeNull();
    const spent = [...award, ...reserve, ...confirm];
    expect(balanceOf(spent, 'res')).toBe(18);
    expect(balanceOf(spent, 'hold')).toBe(0);
    expect(balanceOf(spent, 'spent')).toBe(12);
    expect(balanceOf(spent, 'pool')).toBe(-30);
    expect(spent.reduce((s, e) => s + e.amount, 0)).toBe(0);
    const released = [...award, ...reserve, ...redemptionEntries('release', acc, 'res', 12)];
    expect(balanceOf(released, 'res')).toBe(30);
    expect(balanceOf(released, 'hold')).toBe(0);
  });

  it('lets a balance cover only what it holds, and a redemption be decided once', () => {
    expect(covers(10, 10)).toBe(true);
    expect(covers(9, 10)).toBe(false);
    expect(covers(10, 0)).toBe(false);
    expect(redemptionRefusal('reserved', 'confirm')).toBeNull();
    expect(redemptionRefusal('confirmed', 'release')).toMatch(/already confirmed/);
    expect(redemptionRefusal('released', 'confirm')).toMatch(/already released/);
  });
});
