import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadHolidayYears, loadOfficialCalendar } from './holiday-data.ts';
import { beijingDateOf, beijingTime, WorkingCalendar } from './working-calendar.ts';

const calendar = loadOfficialCalendar();
const at = (date: string, time: string) => beijingTime(date, time);
const HOUR = 3_600_000;

describe('holiday data', () => {
  it('loads every bundled year, 2027 still unpublished', () => {
    const years = loadHolidayYears();
    expect(years.map((y) => y.year)).toEqual([2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027]);
    expect(years.find((y) => y.year === 2027)?.days).toEqual([]);
  });

  it('reads a directory an operator fills, and refuses a file that is not what it claims', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hutong-holidays-'));
    try {
      const day = { name: '元旦', date: '2028-01-01', isOffDay: true };
      writeFileSync(join(dir, '2028.json'), JSON.stringify({ year: 2028, papers: [], days: [day] }));
      writeFileSync(join(dir, 'notes.txt'), 'ignored');
      expect(loadOfficialCalendar({ dir }).coverage()).toEqual({ from: '2028-01-01', to: '2028-12-31' });
      writeFileSync(join(dir, '2029.json'), JSON.stringify({ year: 2028, days: [] }));
      expect(() => loadHolidayYears(dir)).toThrow(/2029.json says it is for 2028/);
      writeFileSync(join(dir, '2029.json'), JSON.stringify({ year: 2029, days: [{ date: '2029-01-01' }] }));
      expect(() => loadHolidayYears(dir)).toThrow(/2029.json is not valid/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('covers 2020-01-01 to 2026-12-31 while 2027 is empty', () => {
    expect(calendar.coverage()).toEqual({ from: '2020-01-01', to: '2026-12-31' });
    expect(calendar.isCovered('2026-12-31')).toBe(true);
    expect(calendar.isCovered('2027-01-01')).toBe(false);
    expect(calendar.isCovered('2019-12-31')).toBe(false);
  });

  it('warns at start-up when next year is not published', () => {
    expect(calendar.coversNext(12, at('2026-11-22', '10:00'))).toBe(false);
    expect(calendar.coversNext(1, at('2026-11-22', '10:00'))).toBe(true);
    expect(calendar.coversNext(12, at('2025-11-22', '10:00'))).toBe(true);
    // 31 January + 1 month is the end of February, not 3 March.
    expect(calendar.coversNext(11, at('2026-01-31', '10:00'))).toBe(true);
    expect(calendar.coversNext(12, at('2025-12-31', '10:00'))).toBe(true);
    expect(calendar.coversNext(12, at('2026-01-01', '00:00'))).toBe(false);
  });

  it('stops coverage at a missing year and has none without data', () => {
    const day = (date: string, isOffDay: boolean) => ({ name: 'x', date, isOffDay });
    const gappy = new WorkingCalendar([
      { year: 2024, days: [day('2024-01-01', true)] },
      { year: 2026, days: [day('2026-01-01', true)] },
    ]);
    expect(gappy.coverage()).toEqual({ from: '2024-01-01', to: '2024-12-31' });
    expect(gappy.isWorkingDay('2026-01-01')).toBe(false);
    expect(new WorkingCalendar([]).coverage()).toBeNull();
    expect(new WorkingCalendar([]).coversNext(0, new Date())).toBe(false);
  });

  it('refuses data that contradicts itself or is not a date', () => {
    const day = (date: string, isOffDay: boolean) => ({ name: 'x', date, isOffDay });
    expect(
      () =>
        new WorkingCalendar([
          { year: 2025, days: [day('2025-10-01', true)] },
          { year: 2026, days: [day('2025-10-01', false)] },
        ]),
    ).toThrow(/disagrees/);
    expect(() => new WorkingCalendar([{ year: 2025, days: [day('2025-02-30', true)] }])).toThrow(
      /calendar date/,
    );
  });
});

describe('working days', () => {
  it('National Day 2025: 1–8 October off, make-up Sunday 28 September and Saturday 11 October', () => {
    for (let d = 1; d <= 8; d++) expect(calendar.isWorkingDay(`2025-10-0${d}`)).toBe(false);
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true);
    expect(calendar.isWorkingDay('2025-09-27')).toBe(false);
    expect(calendar.isWorkingDay('2025-10-09')).toBe(true);
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
  });

  it('Spring Festival 2026: 15–23 February off, make-up Saturdays 14 and 28 February', () => {
    for (let d = 15; d <= 23; d++) expect(calendar.isWorkingDay(`2026-02-${d}`)).toBe(false);
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
  });

  it('takes an entry filed under the next year (2022-12-31 in 2023.json)', () => {
    expect(calendar.isWorkingDay('2022-12-31')).toBe(false);
  });

  it('falls back to Monday–Friday outside the covered years', () => {
    expect(calendar.isWorkingDay('2027-10-01')).toBe(true); // a Friday; its holiday is not published yet
    expect(calendar.isWorkingDay('2027-10-02')).toBe(false);
  });

  it('finds the next working day across a holiday', () => {
    expect(calendar.nextWorkingDay('2025-09-30')).toBe('2025-10-09');
    expect(calendar.nextWorkingDay('2025-10-10')).toBe('2025-10-11');
  });

  it('lists office periods on working days only', () => {
    expect(calendar.workingPeriodsOn('2025-10-01')).toEqual([]);
    expect(calendar.workingPeriodsOn('2025-10-11')).toEqual([
      { start: at('2025-10-11', '09:00'), end: at('2025-10-11', '12:00') },
      { start: at('2025-10-11', '13:30'), end: at('2025-10-11', '17:30') },
    ]);
  });
});

describe('addWorkingDays (the Nth working day after the day of receipt, at close of office)', () => {
  it('1 working day received on a Friday afternoon lands on Monday', () => {
    expect(calendar.addWorkingDays(at('2025-11-14', '15:00'), 1)).toEqual(at('2025-11-17', '17:30'));
  });

  it('… or on the make-up Saturday when there is one', () => {
    expect(calendar.addWorkingDays(at('2025-10-10', '15:00'), 1)).toEqual(at('2025-10-11', '17:30'));
    expect(calendar.addWorkingDays(at('2026-02-13', '16:00'), 1)).toEqual(at('2026-02-14', '17:30'));
  });

  it('does not count the day of receipt, even early in the morning', () => {
    expect(calendar.addWorkingDays(at('2025-11-17', '08:00'), 1)).toEqual(at('2025-11-18', '17:30'));
  });

  it('counts from the next working day when received on a holiday', () => {
    expect(calendar.addWorkingDays(at('2025-10-03', '11:00'), 1)).toEqual(at('2025-10-09', '17:30'));
  });

  it('3 working days across National Day', () => {
    expect(calendar.addWorkingDays(at('2025-09-29', '10:00'), 3)).toEqual(at('2025-10-10', '17:30'));
  });

  it('3 working days across Spring Festival', () => {
    expect(calendar.addWorkingDays(at('2026-02-13', '10:00'), 3)).toEqual(at('2026-02-25', '17:30'));
  });

  it('15 working days across Spring Festival and both make-up Saturdays', () => {
    expect(calendar.addWorkingDays(at('2026-02-10', '10:00'), 15)).toEqual(at('2026-03-09', '17:30'));
  });

  it('refuses a count that is not a whole number ≥ 1', () => {
    expect(() => calendar.addWorkingDays(at('2025-11-17', '10:00'), 0)).toThrow(RangeError);
    expect(() => calendar.addWorkingDays(at('2025-11-17', '10:00'), 1.5)).toThrow(RangeError);
  });
});

describe('working hours', () => {
  it('skips lunch', () => {
    expect(calendar.addWorkingHours(at('2025-11-17', '11:00'), 2)).toEqual(at('2025-11-17', '14:30'));
    expect(calendar.addWorkingHours(at('2025-11-17', '12:30'), 1)).toEqual(at('2025-11-17', '14:30'));
  });

  it('ends at 12:00, not 13:30, when the allowance runs out at the end of the morning', () => {
    expect(calendar.addWorkingHours(at('2025-11-17', '10:00'), 2)).toEqual(at('2025-11-17', '12:00'));
  });

  it('skips the night and starts at opening time', () => {
    expect(calendar.addWorkingHours(at('2025-11-17', '16:30'), 2)).toEqual(at('2025-11-18', '10:00'));
    expect(calendar.addWorkingHours(at('2025-11-17', '07:00'), 1)).toEqual(at('2025-11-17', '10:00'));
    expect(calendar.addWorkingHours(at('2025-11-17', '22:00'), 1)).toEqual(at('2025-11-18', '10:00'));
  });

  it('skips a weekend and a golden week', () => {
    expect(calendar.addWorkingHours(at('2025-11-14', '17:00'), 1)).toEqual(at('2025-11-17', '09:30'));
    expect(calendar.addWorkingHours(at('2025-09-30', '16:30'), 2)).toEqual(at('2025-10-09', '10:00'));
  });

  it('adds nothing for zero hours', () => {
    expect(calendar.addWorkingHours(at('2025-11-15', '03:00'), 0)).toEqual(at('2025-11-15', '03:00'));
  });

  it('measures elapsed office time, negative when reversed', () => {
    expect(calendar.workingMsBetween(at('2025-11-17', '00:00'), at('2025-11-18', '00:00'))).toBe(7 * HOUR);
    expect(calendar.workingMsBetween(at('2025-11-14', '17:00'), at('2025-11-17', '10:00'))).toBe(1.5 * HOUR);
    expect(calendar.workingMsBetween(at('2025-11-17', '10:00'), at('2025-11-14', '17:00'))).toBe(-1.5 * HOUR);
    expect(calendar.workingMsBetween(at('2025-09-30', '17:00'), at('2025-10-09', '09:00'))).toBe(0.5 * HOUR);
    expect(calendar.workingMsPerDay).toBe(7 * HOUR);
  });

  it('is configurable', () => {
    const oneBlock = new WorkingCalendar(loadHolidayYears(), {
      workingHours: [{ start: '08:30', end: '17:30' }],
    });
    expect(oneBlock.workingMsPerDay).toBe(9 * HOUR);
    expect(oneBlock.addWorkingHours(at('2025-11-17', '11:00'), 2)).toEqual(at('2025-11-17', '13:00'));
    expect(oneBlock.addWorkingDays(at('2025-11-14', '11:00'), 1)).toEqual(at('2025-11-17', '17:30'));
    expect(() => new WorkingCalendar([], { workingHours: [] })).toThrow(RangeError);
    expect(() => new WorkingCalendar([], { workingHours: [{ start: '12:00', end: '09:00' }] })).toThrow(
      RangeError,
    );
    expect(
      () =>
        new WorkingCalendar([], {
          workingHours: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '17:00' },
          ],
        }),
    ).toThrow(RangeError);
    expect(() => new WorkingCalendar([], { workingHours: [{ start: '9:00', end: '25:00' }] })).toThrow(
      RangeError,
    );
  });

  it('adding working time and measuring it back agree', () => {
    const start = fc.date({
      min: new Date('2020-01-01T00:00:00Z'),
      max: new Date('2026-12-01T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(start, fc.integer({ min: 0, max: 200 * HOUR }), (s, ms) => {
        const end = calendar.addWorkingMs(s, ms);
        expect(calendar.workingMsBetween(s, end)).toBe(ms);
        // Earliest such instant: a millisecond earlier is not enough.
        if (ms > 0) expect(calendar.workingMsBetween(s, new Date(end.getTime() - 1))).toBe(ms - 1);
      }),
      { numRuns: 200 },
    );
  });
});

describe('time-zone independence', () => {
  it('reads instants on the Beijing calendar, not the UTC one', () => {
    // 16:30 UTC on 8 October (a holiday) is 00:30 on Thursday 9 October in Beijing (a working day).
    const lateUtc = new Date('2025-10-08T16:30:00Z');
    expect(beijingDateOf(lateUtc)).toBe('2025-10-09');
    expect(calendar.isWorkingDay(lateUtc)).toBe(true);
    // 23:00 UTC on 30 September is 07:00 on 1 October in Beijing.
    expect(calendar.isWorkingDay(new Date('2025-09-30T23:00:00Z'))).toBe(false);
    // Received 07:30 UTC Friday = 15:30 Beijing Friday; due at 17:30 Beijing = 09:30 UTC on the make-up Saturday.
    expect(calendar.addWorkingDays(new Date('2025-10-10T07:30:00Z'), 1)).toEqual(
      new Date('2025-10-11T09:30:00Z'),
    );
  });

  it('gives the same answers whatever the process TZ', () => {
    const saved = process.env.TZ;
    const answers = () => [
      calendar.isWorkingDay(new Date('2025-10-08T16:30:00Z')),
      calendar.addWorkingDays(new Date('2025-10-10T07:30:00Z'), 1).toISOString(),
      calendar.addWorkingHours(new Date('2025-11-17T03:00:00Z'), 2).toISOString(),
      calendar.workingMsBetween(new Date('2025-11-14T09:00:00Z'), new Date('2025-11-17T02:00:00Z')),
      beijingDateOf(new Date('2026-02-14T20:00:00Z')),
    ];
    try {
      process.env.TZ = 'UTC';
      const utc = answers();
      process.env.TZ = 'America/Los_Angeles';
      const la = answers();
      process.env.TZ = 'Asia/Tokyo';
      expect(answers()).toEqual(utc);
      expect(la).toEqual(utc);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});
