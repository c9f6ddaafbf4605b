import type { HotMessage } from './hot-issue.mining.ts';

/**
 * Reads a message-board TSV with the columns id, user, title, time, body, against, likes (the 2020
 * Teddy Cup layout). Columns are found by name, so their order may differ; times without a zone are
 * Beijing time. Support is the likes: "against" counts people who disagree with the message.
 */
export function parseMessageTsv(text: string): HotMessage[] {
  const lines = text.split(/\r?\n/u);
  const header = (lines[0] ?? '')
    .replace(/^\uFEFF/u, '')
    .split('\t')
    .map((h) => h.trim().toLowerCase());
  const col = (name: string, required = true) => {
    const i = header.indexOf(name);
    if (i < 0 && required) throw new Error(`the TSV has no column "${name}" (found: ${header.join(', ')})`);
    return i;
  };
  const [id, user, title, time, body, likes] = [
    col('id'),
    col('user'),
    col('title'),
    col('time'),
    col('body'),
    col('likes', false),
  ];
  const out: HotMessage[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (!line.trim()) continue;
    const f = line.split('\t');
    const t = parseBeijingTime(f[time] ?? '');
    if (Number.isNaN(t)) throw new Error(`line ${n + 1}: unreadable time "${f[time]}"`);
    out.push({
      id: (f[id] ?? '').trim(),
      author: (f[user] ?? '').trim(),
      title: f[title] ?? '',
      body: f[body] ?? '',
      time: t,
      support: likes >= 0 ? Number(f[likes]) || 0 : 0,
    });
  }
  return out;
}

/** "2019-02-28T11:25:05" or "2019/2/28 11:25:05" without a zone is Beijing time. */
export function parseBeijingTime(s: string): number {
  const t = s.trim().replace(/\//gu, '-').replace(' ', 'T');
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:T(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/u.exec(t);
  if (!m) return Date.parse(t);
  const [, y, mo, d, h = '0', mi = '0', sec = '0'] = m;
  return Date.UTC(+y!, +mo! - 1, +d!, +h - 8, +mi, +sec);
}
