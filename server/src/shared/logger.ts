import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config/config.ts';

/**
 * The server's logger. JSON lines (pino's own) when stdout is not a terminal or when asked; on a terminal,
 * one short human-readable line per record (`formatLogLine`), written in-process without a worker.
 */
export function createLogger(
  config: Pick<Config, 'logLevel' | 'logFormat'> & Partial<Pick<Config, 'logColor'>>,
  out: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): Logger {
  const options = {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.contact'],
      remove: true,
    },
  };
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && out.isTTY === true);
  if (!pretty) return pino(options, out as DestinationStream);
  const color = out.isTTY === true && (config.logColor ?? true);
  const stream: DestinationStream = {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        out.write(line);
        return;
      }
      out.write(`${formatLogLine(record, { color })}\n`);
    },
  };
  return pino(options, stream);
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLOR: Record<number, string> = { 40: '33', 50: '31', 60: '31' };
/** Keys pino adds to every record, and the request line's own fields, which the line shows otherwise. */
const HIDDEN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'v']);
const REQUEST_FIELDS = new Set(['method', 'url', 'status', 'ms', 'code']);

function clock(time: unknown): string {
  const d = new Date(typeof time === 'number' ? time : Date.now());
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/**
 * One pino record as one line: `12:03:04 GET /api/cases 200 12 ms` for a request (its error code after
 * the status when it failed), `12:03:04 WARN message key=value …` for anything else; an error's stack
 * follows on the next lines.
 */
export function formatLogLine(record: Record<string, unknown>, options: { color?: boolean } = {}): string {
  const level = typeof record.level === 'number' ? record.level : 30;
  const paint = (code: string | undefined, text: string) =>
    options.color && code ? `\u001b[${code}m${text}\u001b[0m` : text;
  const time = paint('2', clock(record.time));
  if (
    typeof record.method === 'string' &&
    typeof record.url === 'string' &&
    typeof record.status === 'number'
  ) {
    const status = record.status;
    const statusText = paint(status >= 500 ? '31' : status >= 400 ? '33' : undefined, String(status));
    const code = typeof record.code === 'string' ? ` ${paint(LEVEL_COLOR[level] ?? '33', record.code)}` : '';
    const ms =
      typeof record.ms === 'number'
        ? ` ${record.ms < 10 ? record.ms.toFixed(1) : Math.round(record.ms)} ms`
        : '';
    const rest = Object.entries(record)
      .filter(([k]) => !HIDDEN.has(k) && !REQUEST_FIELDS.has(k))
      .map(([k, v]) => ` ${k}=${value(v)}`)
      .join('');
    return `${time} ${record.method} ${record.url} ${statusText}${code}${ms}${rest}`;
  }
  const levelText = paint(LEVEL_COLOR[level], (LEVELS[level] ?? String(level)).padEnd(5));
  let stack = '';
  const fields: string[] = [];
  for (const [k, v] of Object.entries(record)) {
    if (HIDDEN.has(k)) continue;
    if (v && typeof v === 'object' && 'message' in v && 'stack' in v) {
      const err = v as { message: unknown; stack: unknown };
      fields.push(`${k}=${value(String(err.message))}`);
      if (typeof err.stack === 'string') stack = `\n${err.stack.replace(/^/gm, '    ')}`;
      continue;
    }
    fields.push(`${k}=${value(v)}`);
  }
  const msg = typeof record.msg === 'string' ? record.msg : '';
  return `${time} ${levelText} ${msg}${fields.length ? `  ${fields.join(' ')}` : ''}${stack}`;
}
