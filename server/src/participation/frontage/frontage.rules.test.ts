import { describe, expect, it } from 'vitest';
import {
  agreementState,
  boardRating,
  type CheckResult,
  checkFromFindings,
  dutyOfIndicator,
  isDay,
  isMonth,
  monthlyRating,
  monthsBefore,
} from './frontage.rules.ts';

const ok: CheckResult = { appearanceOk: true, sanitationOk: true, orderOk: true };
const fail = (n: 0 | 1 | 2 | 3): CheckResult => ({
  appearanceOk: n < 1,
  sanitationOk: n < 2,
  orderOk: n < 3,
});
const many = (c: CheckResult, n: number) => Array.from({ length: n }, () => c);

describe('the monthly star rating', () => {
  it('is "not rated" without a check in the month, never a star', () => {
    expect(monthlyRating([])).toEqual({ stars: null, checks: 0, passed: 0, items: 0, share: null });
  });

  it('gives five stars to a month of clean checks', () => {
    expect(monthlyRating([ok])).toMatchObject({ stars: 5, checks: 1, passed: 3, items: 3, share: 1 });
    expect(monthlyRating(many(ok, 4)).stars).toBe(5);
  });

  it('counts each duty of each check as one item and maps the share to stars', () => {
    // 1 failed item of 3: 67 % → two stars
    expect(monthlyRating([fail(1)]).stars).toBe(2);
    // 1 failed of 6: 83 % → three stars
    expect(monthlyRating([ok, fail(1)]).stars).toBe(3);
    // 1 failed of 9: 89 % → four stars
    expect(monthlyRating([ok, ok, fail(1)]).stars).toBe(4);
    // everything failed → one star, never zero
    expect(monthlyRating([fail(3), fail(3)]).stars).toBe(1);
    // half passed → two stars
    expect(monthlyRating([fail(3), ok]).stars).toBe(2);
  });

  it('holds the thresholds exactly (95 % of 60 items is five stars, not four)', () => {
    const checks = [...many(ok, 17), fail(1), fail(1), fail(1)]; // 57 of 60 = 95 %
    expect(monthlyRating(checks)).toMatchObject({ stars: 5, passed: 57, items: 60 });
    const seventy = [...many(ok, 4), fail(3), fail(1)]; // 14 of 18 = 77.8 % → three
    expect(monthlyRating(seventy).stars).toBe(3);
    const twoThirds = [...many(ok, 6), fail(3), fail(3), fail(3)]; // 18 of 27 = 66.7 % → two
    const r = monthlyRating(twoThirds);
    expect(r.passed / r.items).toBeCloseTo(18 / 27);
    expect(r.stars).toBe(2);
  });
});

describe('inspection findings as checks', () => {
  it('reads the duty from the indicator name', () => {
    expect(dutyOfIndicator('门前杂物未清')).toBe('sanitation');
    expect(dutyOfIndicator('门前积水积雪未除')).toBe('sanitation');
    expect(dutyOfIndicator('责任牌缺失')).toBe('order');
    expect(dutyOfIndicator('出店经营')).toBe('order');
    expect(dutyOfIndicator('牌匾破损')).toBe('appearance');
    expect(dutyOfIndicator('遮阳篷破损')).toBe('appearance');
  });

  it('fails the duties of the findings and passes the others', () => {
    expect(checkFromFindings(['门前杂物未清', '门前积水积雪未除'])).toEqual({
      appearanceOk: true,
      sanitationOk: false,
      orderOk: true,
    });
    expect(checkFromFindings(['牌匾破损', '出店经营'])).toEqual({
      appearanceOk: false,
      sanitationOk: true,
      orderOk: false,
    });
  });
});

describe('months, days and agreements', () => {
  it('steps back a month across the year', () => {
    expect(monthsBefore('2026-01', 1)).toBe('2025-12');
    expect(monthsBefore('2026-11', 1)).toBe('2026-10');
    expect(monthsBefore('2026-12', 11)).toBe('2026-01');
    expect(monthsBefore('2026-03', 15)).toBe('2024-12');
  });

  it('validates months and calendar days', () => {
    expect(isMonth('2026-12')).toBe(true);
    expect(isMonth('2026-13')).toBe(false);
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-30')).toBe(false);
  });

  it('tells a valid, expired, future or missing agreement', () => {
    const a = { signedOn: '2026-01-01', validUntil: '2026-12-31' };
    expect(agreementState(a, '2026-06-01')).toBe('valid');
    expect(agreementState(a, '2026-12-31')).toBe('valid');
    expect(agreementState(a, '2027-01-01')).toBe('expired');
    expect(agreementState(a, '2025-12-31')).toBe('not_yet');
    expect(agreementState(null, '2026-06-01')).toBe('none');
  });

  it('shows the month asked for, or the last rated month before it, or not rated', () => {
    const history = new Map<string, CheckResult[]>([
      ['2026-10', [ok]],
      ['2026-11', [fail(3)]],
      ['2026-12', []],
    ]);
    expect(boardRating('2026-12', history)).toMatchObject({ month: '2026-11', rating: { stars: 1 } });
    expect(boardRating('2026-10', history)).toMatchObject({ month: '2026-10', rating: { stars: 5 } });
    expect(boardRating('2026-09', history)).toMatchObject({ month: null, rating: { stars: null } });
  });
});
