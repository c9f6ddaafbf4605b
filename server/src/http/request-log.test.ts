import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { installRequestLog } from './request-log.ts';

describe('installRequestLog', () => {
  it('logs one record per request, with the error code of a failed one', async () => {
    const records: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void records.push(JSON.parse(line)) });
    const app = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      logController: new LogController({ disableRequestLogging: true }),
    });
    installRequestLog(app);
    app.get('/ok', async () => ({ ok: true }));
    app.get('/refused', async (_req, reply) =>
      reply.code(403).send({ error: { code: 'FORBIDDEN', message: 'no', details: {} } }),
    );
    await app.ready();
    records.length = 0;
    await app.inject({ method: 'GET', url: '/ok' });
    await app.inject({ method: 'GET', url: '/refused?x=1' });
    await app.close();
    const requests = records.filter((r) => r.msg === 'request');
    expect(records.filter((r) => 'req' in r || 'res' in r)).toEqual([]);
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ method: 'GET', url: '/ok', status: 200 });
    expect(requests[0]).not.toHaveProperty('code');
    expect(requests[1]).toMatchObject({ url: '/refused?x=1', status: 403, code: 'FORBIDDEN' });
    expect(typeof requests[1]?.ms).toBe('number');
  });
});
