import { type OutValue, toXml } from './open311.xml.ts';

/** Formats, dates and errors as GeoReport v2 wants them; pure, shared by the routes and the tests. */

export const FORMATS = ['xml', 'json'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Readonly<Record<Format, string>> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** `services.json` → {name: 'services', format: 'json'}; null when the extension is not a format. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return null;
  const ext = file.slice(dot + 1).toLowerCase();
  if (!(FORMATS as readonly string[]).includes(ext)) return null;
  return { name: file.slice(0, dot), format: ext as Format };
}

/** The format a URL asks for, for answering errors in kind; XML, the required format, otherwise. */
export function formatOfUrl(url: string): Format {
  const path = url.split('?')[0] ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  return splitFormat(last)?.format ?? 'xml';
}

/** A response body of either format; `root` is the XML root element name. */
export function render(format: Format, root: string, value: OutValue): string {
  return format === 'json' ? JSON.stringify(value) : toXml(root, value);
}

// ---- dates ---------------------------------------------------------------------------------------

/** Beijing has kept UTC+8 without daylight saving since 1991, so one fixed offset is exact. */
const OFFSET_MINUTES = 8 * 60;

/** A W3C date-time in Beijing time with its offset, to the second: `2026-11-02T09:00:00+08:00`. */
export function w3cDateTime(d: Date): string {
  const local = new Date(d.getTime() + OFFSET_MINUTES * 60_000);
  return `${local.toISOString().slice(0, 19)}+08:00`;
}

export function w3cOrNull(d: Date | null | undefined): string | null {
  return d ? w3cDateTime(d) : null;
}

function digits(s: string, from: number, count: number): number | null {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    n = n * 10 + (c - 48);
  }
  return n;
}

/**
 * Reads a W3C date-time with its zone (`Z` or `±hh:mm`), seconds and fractions optional, as the
 * specification requires of every date it receives; null for anything else, including an impossible
 * calendar date such as 2026-02-30.
 */
export function parseW3cDateTime(raw: string): Date | null {
  const s = raw.trim();
  // yyyy-mm-ddThh:mm, then optional :ss and .fff, then the zone
  if (s.length < 17 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':') return null;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  if (year === null || month === null || day === null || hour === null || minute === null) return null;
  let i = 16;
  let second = 0;
  let millis = 0;
  if (s[i] === ':') {
    const sec = digits(s, i + 1, 2);
    if (sec === null) return null;
    second = sec;
    i += 3;
    if (s[i] === '.') {
      let j = i + 1;
      let fraction = '';
      while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) fraction += s[j++];
      if (!fraction) return null;
      millis = Math.floor(Number(`0.${fraction}`) * 1000);
      i = j;
    }
  }
  let offset: number;
  const zone = s.slice(i);
  if (zone === 'Z') offset = 0;
  else {
    if (zone.length !== 6 || (zone[0] !== '+' && zone[0] !== '-') || zone[3] !== ':') return null;
    const zh = digits(zone, 1, 2);
    const zm = digits(zone, 4, 2);
    if (zh === null || zm === null || zh > 14 || zm > 59) return null;
    offset = (zone[0] === '-' ? -1 : 1) * (zh * 60 + zm);
  }
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 02-30 over into March: a day that does not exist comes back different.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  return new Date(utc - offset * 60_000);
}

// ---- errors --------------------------------------------------------------------------------------

export interface Open311ErrorItem {
  code: number;
  description: string;
}

/**
 * An error answered in the specification's shape: a list of {code, description}. The HTTP status
 * follows the specification's rule — 404 for what does not exist, 403 for a missing or wrong api_key,
 * 400 for everything else — and each item's code is the HTTP status unless a finer one helps.
 */
export class Open311Error extends Error {
  readonly items: Open311ErrorItem[];
  constructor(
    readonly status: 400 | 403 | 404,
    items: string | (string | Open311ErrorItem)[],
  ) {
    const list = (Array.isArray(items) ? items : [items]).map((i) =>
      typeof i === 'string' ? { code: status, description: i } : i,
    );
    super(list.map((i) => i.description).join('; '));
    this.name = 'Open311Error';
    this.items = list;
  }

  static badRequest(items: string | (string | Open311ErrorItem)[]): Open311Error {
    return new Open311Error(400, items);
  }
  static notFound(description: string): Open311Error {
    return new Open311Error(404, description);
  }
  static forbidden(description: string): Open311Error {
    return new Open311Error(403, description);
  }
}

export function renderErrors(format: Format, items: readonly Open311ErrorItem[]): string {
  return render(
    format,
    'errors',
    items.map((i) => ({ code: i.code, description: i.description })),
  );
}
