/**
 * Every time on the platform is Beijing time (UTC+8, no daylight saving), whatever zone the browser
 * is in: deadlines are counted on Beijing's working calendar, and a case number's date is Beijing's.
 * The pages say so once (see `beijingTimeNote`).
 */
export const BEIJING_TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;

/** An ISO instant as date and time in Beijing, in the page's language. */
export function formatBeijing(
  iso: string,
  language: string,
  parts: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  },
): string {
  return new Date(iso).toLocaleString(language, { ...parts, timeZone: BEIJING_TIME_ZONE });
}

/** A `datetime-local` value read as Beijing time, as an ISO instant; the value itself when unreadable. */
export function beijingInputToInstant(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0));
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s) - OFFSET_MS).toISOString();
}

/** An ISO instant as a `datetime-local` value in Beijing time. */
export function instantToBeijingInput(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + OFFSET_MS);
  return shifted.toISOString().slice(0, 16);
}
