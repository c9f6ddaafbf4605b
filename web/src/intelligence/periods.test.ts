import { describe, expect, it } from 'vitest';
import { monthOf, periodRange } from './periods';

describe('intelligence periods', () => {
  // 2026-12-31 20:00 UTC is already 1 January 2027 in Beijing.
  const newYear = new Date('2026-12-31T20:00:00Z');
  it('counts months in Beijing time', () => {
    expect(periodRange('thisMonth', newYear)).toEqual({
      from: '2027-01-01T00:00:00+08:00',
      to: '2027-02-01T00:00:00+08:00',
    });
    expect(periodRange('lastMonth', newYear)).toEqual({
      from: '2026-12-01T00:00:00+08:00',
      to: '2027-01-01T00:00:00+08:00',
    });
    expect(periodRange('last3Months', newYear).from).toBe('2026-11-01T00:00:00+08:00');
  });
  it('names months around now', () => {
    expect(monthOf(newYear)).toBe('2027-01');
    expect(monthOf(newYear, 1)).toBe('2027-02');
    expect(monthOf(newYear, -1)).toBe('2026-12');
  });
});
