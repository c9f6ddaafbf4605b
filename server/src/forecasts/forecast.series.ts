import { parseBeijingTime } from '../hotissues/hot-issue.tsv.ts';

/**
 * Weekly series: events (a time, a category, a place) counted per place × category and per Beijing
 * week (Monday to Sunday, UTC+8).
 */

const WEEK_MS = 7 * 86_400_000;
/** 1970-01-05 was a Monday; weeks are counted from the Monday 00:00 Beijing time before it. */
const MONDAY_BEIJING = Date.UTC(1970, 0, 5) - 8 * 3_600_000;

/** The index of the Beijing week (Monday-based) that contains `ms`. */
export function weekIndex(ms: number): number {
  return Math.floor((ms - MONDAY_BEIJING) / WEEK_MS);
}

/** The instant a week starts (Monday 00:00 Beijing time). */
export function weekStart(index: number): Date {
  return new Date(MONDAY_BEIJING + index * WEEK_MS);
}

export interface SeriesEvent {
  time: number;
  category: string;
  place: string;
}

export interface WeeklySeries {
  /** `${place}\t${category}` of each series. */
  keys: string[];
  counts: Float64Array[];
  firstWeek: number;
  weeks: number;
}

/** Counts events per place × category and week, over [firstWeek, lastWeek] of the events (or the range given). */
export function weeklySeries(
  events: Iterable<SeriesEvent>,
  range?: { firstWeek: number; lastWeek: number },
): WeeklySeries {
  const list = [...events];
  let first = range?.firstWeek ?? Number.POSITIVE_INFINITY;
  let last = range?.lastWeek ?? Number.NEGATIVE_INFINITY;
  if (!range) {
    for (const e of list) {
      const w = weekIndex(e.time);
      if (w < first) first = w;
      if (w > last) last = w;
    }
  }
  if (!Number.isFinite(first)) return { keys: [], counts: [], firstWeek: 0, weeks: 0 };
  const weeks = last - first + 1;
  const byKey = new Map<string, Float64Array>();
  for (const e of list) {
    const w = weekIndex(e.time) - first;
    if (w < 0 || w >= weeks) continue;
    const key = `${e.place}\t${e.category}`;
    let y = byKey.get(key);
    if (!y) {
      y = new Float64Array(weeks);
      byKey.set(key, y);
    }
    y[w]! += 1;
  }
  const keys = [...byKey.keys()].sort();
  return { keys, counts: keys.map((k) => byKey.get(k)!), firstWeek: first, weeks };
}

export interface SeriesTsvRow {
  time: number;
  category: string | null;
  place: string | null;
  /** Title and body, for classifying rows without a category. */
  text: string;
}

/** The anonymised region of a message-board row (A5区, A7县, C4市), used as its place when it has none. */
const regionPattern = /[A-Z]\d{1,2}[区县市]/u;

/**
 * Reads a TSV with a `time` column and, when present, `category` (or `label`) and `place` columns.
 * Rows without a place take the first region code in their title or body (the message-board layout);
 * rows without a category keep their text so that a classifier can give them one.
 */
export function parseSeriesTsv(content: string): SeriesTsvRow[] {
  const lines = content.split(/\r?\n/u);
  const header = (lines[0] ?? '')
    .replace(/^\uFEFF/u, '')
    .split('\t')
    .map((h) => h.trim().toLowerCase());
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h));
  const time = col('time');
  if (time < 0) throw new Error(`the TSV has no "time" column (found: ${header.join(', ')})`);
  const category = col('category', 'label');
  const place = col('place');
  const title = col('title');
  const body = col('body', 'text');
  const rows: SeriesTsvRow[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (!line.trim()) continue;
    const f = line.split('\t');
    const t = parseBeijingTime(f[time] ?? '');
    if (Number.isNaN(t)) throw new Error(`line ${n + 1}: unreadable time "${f[time]}"`);
    const text = [title >= 0 ? f[title] : '', body >= 0 ? f[body] : ''].filter(Boolean).join('。');
    const explicitPlace = place >= 0 ? (f[place] ?? '').trim() : '';
    rows.push({
      time: t,
      category: category >= 0 ? (f[category] ?? '').trim() || null : null,
      place: explicitPlace || regionPattern.exec(text)?.[0] || null,
      text,
    });
  }
  return rows;
}
