import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { repoPath } from '../shared/paths.ts';
import { type HolidayYear, WorkingCalendar, type WorkingCalendarOptions } from './working-calendar.ts';

/**
 * The one place that reads holiday files. It is kept apart from `working-calendar.ts` so that the
 * calendar's rules stay pure; the server calls it once at start-up.
 */

export const BUNDLED_HOLIDAY_DIR = repoPath('server/src/calendar/holiday-cn');

const holidayYearFile = z.object({
  year: z.number().int(),
  days: z.array(
    z.object({
      name: z.string(),
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      isOffDay: z.boolean(),
    }),
  ),
});

/**
 * Reads every `<year>.json` in a directory. Reading the directory rather than a fixed list lets an
 * operator add next year's file, once published, without a release.
 */
export function loadHolidayYears(dir: string = BUNDLED_HOLIDAY_DIR): HolidayYear[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .sort();
  return files.map((file) => {
    const parsed = holidayYearFile.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Holiday file ${file} is not valid: ${issue?.path.join('.')} ${issue?.message}`);
    }
    if (`${parsed.data.year}.json` !== file) {
      throw new Error(`Holiday file ${file} says it is for ${parsed.data.year}`);
    }
    return parsed.data;
  });
}

export function loadOfficialCalendar(
  options: WorkingCalendarOptions & { dir?: string } = {},
): WorkingCalendar {
  const { dir, ...calendarOptions } = options;
  return new WorkingCalendar(loadHolidayYears(dir), calendarOptions);
}
