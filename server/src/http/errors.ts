import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, sentFieldIssue } from '../shared/errors.ts';
import { zodIssueParams } from '../shared/zodIssues.ts';

/**
 * Every HTTP error leaves as `{error:{code,message,details}}`. VALIDATION_FAILED carries
 * `details.fields`: one `{field, code, params, message}` per issue (see `FieldIssue`).
 */
export function notFoundBody(method: string, url: string) {
  return { error: { code: 'NOT_FOUND', message: `No route ${method} ${url}`, details: {} } };
}

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      if (err.code === 'TOO_MANY_ATTEMPTS' && typeof err.details.retryAfterSeconds === 'number') {
        reply.header('retry-after', String(err.details.retryAfterSeconds));
      }
      return reply
        .code(err.status)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const fields = err.validation.map((v) =>
        sentFieldIssue({
          field:
            [
              where === 'body' ? '' : where,
              ...String(v.instancePath ?? '')
                .split('/')
                .filter(Boolean),
            ]
              .filter(Boolean)
              .join('.') || where,
          message: v.message ?? 'invalid',
          code: v.keyword,
          params: zodIssueParams((v.params ?? {}) as Record<string, unknown>),
        }),
      );
      return reply.code(400).send({
        error: {
          code: 'VALIDATION_FAILED',
          message: `Invalid ${where}: ${fields.map((f) => f.field).join(', ')}`,
          details: { fields },
        },
      });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return reply.code(500).send({ error: { code: 'INTERNAL', message: 'Internal error', details: {} } });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err }, 'unhandled error');
      return reply.code(500).send({ error: { code: 'INTERNAL', message: 'Internal error', details: {} } });
    }
    // Fastify's own 4xx (bad JSON, payload too large, unsupported media type).
    const code =
      status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return reply.code(status).send({ error: { code, message: err.message, details: {} } });
  });
}
