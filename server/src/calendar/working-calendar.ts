/**
 * Working time on the Chinese official calendar (SPEC §4.4): Monday–Friday, minus the State Council's
 * holiday off days, plus its make-up working weekends (调休), within configurable office hours.
 *
 * Pure: the holiday data comes in as parsed values (`holiday-data.ts` reads the bundled files), so the
 * rules can be tested and reused without touching the disk.
 *
 * Every answer is given in Beijing time whatever the machine's TZ: Asia/Shanghai has kept UTC+8
 * without daylight saving since 1991, so a fixed offset is exact for every date a case can carry, and
 * it avoids depending on the ICU time-zone data of the Node build.
 */

export const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** A run of non-working days longer than this means broken data, not a long holiday. */
const MAX_SCAN_DAYS = 366 * 20;

/** A calendar date in Beijing, `YYYY-MM-DD`. */
export type LocalDate = string;

/** One entry of a holiday-cn year file: a day that breaks the Monday–Friday rule. */
export interface HolidayDay {
  readonly name: string;
  readonly date: LocalDate;
  /** true: a holiday off day; false: a make-up working day (调休), normally on a weekend. */
  readonly isOffDay: boolean;
}

export interface HolidayYear {
  readonly year: number;
  /** Empty until the State Council publishes the year's arrangement. */
  readonly days: readonly HolidayDay[];
}

/** Office hours in Beijing local time, `HH:MM`–`HH:MM`, end exclusive. */
export interface WorkingPeriod {
  readonly start: string;
  readonly end: string;
}

/**
 * 09:00–12:00 and 13:30–17:30: the hours that Beijing street offices and district service halls
 * commonly post (7 working hours a day). Districts differ (some keep 13:00–17:00 in winter), so this
 * is only the default; pass `workingHours` to change it.
 */
export const DEFAULT_WORKING_HOURS: readonly WorkingPeriod[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

export interface WorkingCalendarOptions {
  workingHours?: readonly WorkingPeriod[];
}

/** The days since 1970-01-01 of the Beijing calendar date on which an instant falls. */
export function beijingDayNumber(instant: Date): number {
  return Math.floor((instantMs(instant) + BEIJING_OFFSET_MS) / DAY_MS);
}

/** The Beijing calendar date of an instant. */
export function beijingDateOf(instant: Date): LocalDate {
  return formatDayNumber(beijingDayNumber(instant));
}

/** The instant of a Beijing wall-clock time, e.g. `beijingTime('2025-10-10', '15:00')`. */
export function beijingTime(date: LocalDate, time = '00:00'): Date {
  return new Date(parseDayNumber(date) * DAY_MS - BEIJING_OFFSET_MS + parseClock(time) * MINUTE_MS);
}

export class WorkingCalendar {
  /** Day number → is it a working day, for the days that break the Monday–Friday rule. */
  private readonly exceptions = new Map<number, boolean>();
  /** Office periods as [start, end) offsets in ms from local midnight. */
  private readonly periods: readonly { readonly start: number; readonly end: number }[];
  private readonly coveredFrom: number | null;
  private readonly coveredTo: number | null;
  /** Working ms in one full working day. */
  readonly workingMsPerDay: number;

  constructor(years: readonly HolidayYear[], options: WorkingCalendarOptions = {}) {
    for (const year of years) {
      for (const day of year.days) {
        const n = parseDayNumber(day.date);
        const working = !day.isOffDay;
        const known = this.exceptions.get(n);
        if (known !== undefined && known !== working) {
          throw new Error(`Holiday data disagrees with itself about ${day.date}`);
        }
        this.exceptions.set(n, working);
      }
    }

    // A year counts as covered only once its arrangement is published, and coverage must be unbroken:
    // a missing year in the middle would make every deadline that crosses it silently wrong.
    const published = [...new Set(years.filter((y) => y.days.length > 0).map((y) => y.year))].sort(
      (a, b) => a - b,
    );
    const first = published[0];
    if (first === undefined) {
      this.coveredFrom = null;
      this.coveredTo = null;
    } else {
      let last = first;
      while (published.includes(last + 1)) last++;
      this.coveredFrom = Math.floor(Date.UTC(first, 0, 1) / DAY_MS);
      this.coveredTo = Math.floor(Date.UTC(last, 11, 31) / DAY_MS);
    }

    this.periods = parsePeriods(options.workingHours ?? DEFAULT_WORKING_HOURS);
    this.workingMsPerDay = this.periods.reduce((sum, p) => sum + p.end - p.start, 0);
  }

  /**
   * Whether a Beijing calendar date (or the date on which an instant falls) is a working day. Outside
   * the covered years the Monday–Friday rule applies; `coversNext` is there to warn before that happens.
   */
  isWorkingDay(date: Date | LocalDate): boolean {
    return this.isWorkingDayNumber(toDayNumber(date));
  }

  /** Whether the holiday arrangement for that date has been published and loaded. */
  isCovered(date: Date | LocalDate): boolean {
    const n = toDayNumber(date);
    return (
      this.coveredFrom !== null && this.coveredTo !== null && n >= this.coveredFrom && n <= this.coveredTo
    );
  }

  /** The unbroken run of published years, as first and last dates; null when there is no data at all. */
  coverage(): { from: LocalDate; to: LocalDate } | null {
    if (this.coveredFrom === null || this.coveredTo === null) return null;
    return { from: formatDayNumber(this.coveredFrom), to: formatDayNumber(this.coveredTo) };
  }

  /**
   * Whether the data covers every day from `from` until the same date `months` later: the start-up
   * check that warns when next year's holidays have not been loaded yet (they appear each Nov–Dec).
   */
  coversNext(months: number, from: Date): boolean {
    if (!Number.isInteger(months) || months < 0) throw new RangeError('months must be a whole number ≥ 0');
    if (this.coveredFrom === null || this.coveredTo === null) return false;
    const start = beijingDayNumber(from);
    const d = new Date(start * DAY_MS);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + months;
    const lastOfMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    const end = Math.floor(Date.UTC(y, m, Math.min(d.getUTCDate(), lastOfMonth)) / DAY_MS);
    return start >= this.coveredFrom && end <= this.coveredTo;
  }

  /** The first working day strictly after the given date. */
  nextWorkingDay(after: Date | LocalDate): LocalDate {
    return formatDayNumber(this.nthWorkingDayAfter(toDayNumber(after), 1));
  }

  /** The office periods of a date as instants; empty on a non-working day. */
  workingPeriodsOn(date: Date | LocalDate): { start: Date; end: Date }[] {
    const n = toDayNumber(date);
    if (!this.isWorkingDayNumber(n)) return [];
    const midnight = n * DAY_MS - BEIJING_OFFSET_MS;
    return this.periods.map((p) => ({
      start: new Date(midnight + p.start),
      end: new Date(midnight + p.end),
    }));
  }

  /**
   * A limit of N working days ends at the close of office hours on the Nth working day after the day
   * of receipt. The day of receipt itself never counts, whatever the hour — the rule Chinese law uses
   * for periods (期间开始之日不计算在内), and the one a unit can plan for: a report that arrives
   * at 17:00 does not eat a day that is already over. Receipt on a holiday counts from the next day
   * just the same.
   */
  addWorkingDays(start: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a whole number of working days ≥ 1');
    const day = this.nthWorkingDayAfter(beijingDayNumber(start), n);
    const lastPeriod = this.periods[this.periods.length - 1]!;
    return new Date(day * DAY_MS - BEIJING_OFFSET_MS + lastPeriod.end);
  }

  /**
   * The earliest instant by which `hours` of office time have elapsed since `start`. An allowance that
   * runs out exactly at a period's end gives that end (12:00), not the next period's start (13:30).
   */
  addWorkingHours(start: Date, hours: number): Date {
    return this.addWorkingMs(start, hours * 3_600_000);
  }

  /** As `addWorkingHours`, in ms: the unit in which suspended time and elapsed time are measured. */
  addWorkingMs(start: Date, ms: number): Date {
    const from = instantMs(start);
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('working time to add must be finite and ≥ 0');
    let remaining = Math.round(ms);
    if (remaining === 0) return new Date(from);
    const firstDay = beijingDayNumber(start);
    for (let day = firstDay; day - firstDay <= MAX_SCAN_DAYS + remaining / DAY_MS; day++) {
      if (!this.isWorkingDayNumber(day)) continue;
      const midnight = day * DAY_MS - BEIJING_OFFSET_MS;
      for (const p of this.periods) {
        const segStart = Math.max(midnight + p.start, from);
        const segEnd = midnight + p.end;
        if (segEnd <= segStart) continue;
        if (remaining <= segEnd - segStart) return new Date(segStart + remaining);
        remaining -= segEnd - segStart;
      }
    }
    throw new Error('No working time found: the holiday data looks broken');
  }

  /**
   * Office time elapsed from `a` to `b`, in ms. Negative when `b` is before `a`, so that "time left"
   * past a deadline reads as a negative number rather than as zero.
   */
  workingMsBetween(a: Date, b: Date): number {
    const from = instantMs(a);
    const to = instantMs(b);
    if (to < from) {
      const reversed = this.workingMsBetween(b, a);
      return reversed === 0 ? 0 : -reversed;
    }
    let total = 0;
    const lastDay = beijingDayNumber(b);
    for (let day = beijingDayNumber(a); day <= lastDay; day++) {
      if (!this.isWorkingDayNumber(day)) continue;
      const midnight = day * DAY_MS - BEIJING_OFFSET_MS;
      for (const p of this.periods) {
        const overlap = Math.min(midnight + p.end, to) - Math.max(midnight + p.start, from);
        if (overlap > 0) total += overlap;
      }
    }
    return total;
  }

  private isWorkingDayNumber(day: number): boolean {
    const exception = this.exceptions.get(day);
    if (exception !== undefined) return exception;
    // 1970-01-01 was a Thursday.
    const weekday = (((day + 4) % 7) + 7) % 7;
    return weekday !== 0 && weekday !== 6;
  }

  private nthWorkingDayAfter(day: number, n: number): number {
    let found = 0;
    for (let d = day + 1; d - day <= MAX_SCAN_DAYS + n * 7; d++) {
      if (this.isWorkingDayNumber(d) && ++found === n) return d;
    }
    throw new Error('No working day found: the holiday data looks broken');
  }
}

function instantMs(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid date');
  return ms;
}

function toDayNumber(date: Date | LocalDate): number {
  return typeof date === 'string' ? parseDayNumber(date) : beijingDayNumber(date);
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDayNumber(date: LocalDate): number {
  const m = LOCAL_DATE.exec(date);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const ms = Date.UTC(y, mo - 1, d);
    const back = new Date(ms);
    // Date.UTC rolls 2025-02-30 over into March; a date that does not round-trip does not exist.
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) {
      return ms / DAY_MS;
    }
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${date}`);
}

function formatDayNumber(day: number): LocalDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const CLOCK = /^([01]\d|2[0-4]):([0-5]\d)$/;

/** Minutes after midnight; 24:00 is allowed as the end of a period that runs to midnight. */
function parseClock(time: string): number {
  const m = CLOCK.exec(time);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!(minutes <= 24 * 60)) throw new RangeError(`Not a time of day (HH:MM): ${time}`);
  return minutes;
}

function parsePeriods(periods: readonly WorkingPeriod[]): { start: number; end: number }[] {
  if (periods.length === 0) throw new RangeError('At least one working period is needed');
  const parsed = periods.map((p) => ({
    start: parseClock(p.start) * MINUTE_MS,
    end: parseClock(p.end) * MINUTE_MS,
  }));
  let previousEnd = 0;
  for (const [i, p] of parsed.entries()) {
    if (p.end <= p.start) throw new RangeError(`Working period ${i + 1} ends before it starts`);
    if (p.start < previousEnd)
      throw new RangeError(`Working period ${i + 1} overlaps or precedes the one before`);
    previousEnd = p.end;
  }
  return parsed;
}
