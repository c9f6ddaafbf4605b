import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';

/**
 * PostgreSQL refuses the NUL character in text, so a string carrying one would fail deep in a query
 * with a 500. It has no use in any field of this API: it is refused up front, naming the field.
 */
export function findNul(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'value' : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const found = findNul(v, [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return [...path, k.replaceAll('\u0000', '\\u0000')].join('.');
      const found = findNul(v, [...path, k]);
      if (found) return found;
    }
  }
  return null;
}

/** Runs before the schemas validate, so that every route, with or without a schema, is covered. */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts: [string, unknown][] = [
      ['', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ];
    for (const [where, value] of parts) {
      const field = findNul(value, where ? [where] : []);
      if (field) {
        throw AppError.validation(
          [{ field, message: 'must not contain the NUL character (\\u0000)' }],
          `Invalid ${field}: it contains the NUL character`,
        );
      }
    }
  });
}
