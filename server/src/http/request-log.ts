import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * One log record per request, written when the response has gone: method, url, status, milliseconds and,
 * for an error, its `{error:{code}}`. Fastify's own request logging (a record on arrival and another on
 * completion) is turned off where the app is built (`disableRequestLogging`).
 */
export function installRequestLog(app: FastifyInstance): void {
  const codes = new WeakMap<FastifyRequest, string>();
  // Error bodies are small JSON strings by the time they are sent; the code is read from them so that
  // every error path (the error handler, the 404 handler, a route's own reply) is covered alike.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === 'string' && payload.length < 65_536) {
      const code = errorCode(payload);
      if (code) codes.set(request, code);
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const status = reply.statusCode;
    const record: Record<string, unknown> = {
      method: request.method,
      url: request.url,
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    const code = codes.get(request);
    if (code) record.code = code;
    if (status >= 500) request.log.error(record, 'request');
    else request.log.info(record, 'request');
  });
}

function errorCode(payload: string): string | undefined {
  try {
    const body = JSON.parse(payload) as { error?: { code?: unknown } } | null;
    const code = body?.error?.code;
    return typeof code === 'string' ? code.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}
