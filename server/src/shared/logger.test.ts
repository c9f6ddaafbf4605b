import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, formatLogLine } from './logger.ts';

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
const at = new Date(2026, 11, 7, 9, 5, 3).getTime();

describe('formatLogLine', () => {
  it('writes a request as one short line: method, url, status, milliseconds', () => {
    const line = formatLogLine({
      level: 30,
      time: at,
      pid: 1,
      hostname: 'h',
      reqId: 'abc',
      method: 'GET',
      url: '/api/cases?state=open',
      status: 200,
      ms: 12.4,
      msg: 'request',
    });
    expect(line).toBe('09:05:03 GET /api/cases?state=open 200 12 ms');
  });

  it('puts a failed request’s error code after its status', () => {
    const line = formatLogLine({
      level: 30,
      time: at,
      method: 'POST',
      url: '/api/cases',
      status: 400,
      code: 'VALIDATION_FAILED',
      ms: 3.25,
      msg: 'request',
    });
    expect(line).toBe('09:05:03 POST /api/cases 400 VALIDATION_FAILED 3.3 ms');
  });

  it('writes other records as time, level, message and fields, with an error’s stack below', () => {
    expect(formatLogLine({ level: 40, time: at, msg: 'slow', ms: 2149, who: 'a b' })).toBe(
      '09:05:03 WARN  slow  ms=2149 who="a b"',
    );
    const line = formatLogLine({
      level: 50,
      time: at,
      msg: 'unhandled error',
      err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' },
    });
    expect(line.split('\n')).toEqual([
      '09:05:03 ERROR unhandled error  err=boom',
      '    Error: boom',
      '        at x',
    ]);
  });

  it('colours only when asked', () => {
    const record = { level: 30, time: at, method: 'GET', url: '/x', status: 500, code: 'INTERNAL', ms: 1 };
    expect(formatLogLine(record)).not.toContain('\u001b[');
    expect(formatLogLine(record, { color: true })).toContain('\u001b[31m500');
  });
});

function sink(isTTY: boolean) {
  const lines: string[] = [];
  const out = Object.assign(
    new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
    { isTTY },
  );
  return { out, lines };
}

describe('createLogger', () => {
  it('writes JSON lines when not on a terminal, readable lines on one, and what is asked otherwise', async () => {
    const cases = [
      { format: 'auto', tty: false, json: true },
      { format: 'auto', tty: true, json: false },
      { format: 'json', tty: true, json: true },
      { format: 'pretty', tty: false, json: false },
    ] as const;
    for (const c of cases) {
      const { out, lines } = sink(c.tty);
      const logger = createLogger({ logLevel: 'info', logFormat: c.format }, out);
      logger.info({ method: 'GET', url: '/api/health', status: 200, ms: 1.5 }, 'request');
      await new Promise((r) => setImmediate(r));
      expect(lines, JSON.stringify(c)).toHaveLength(1);
      if (c.json) expect(JSON.parse(lines[0]!)).toMatchObject({ url: '/api/health', status: 200 });
      else expect(lines[0]?.replace(ANSI, '')).toMatch(/^\d\d:\d\d:\d\d GET \/api\/health 200 1\.5 ms$/);
    }
  });
});
