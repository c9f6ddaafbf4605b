import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Actor, authorise, SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { rowDto } from '../hotline/hotline.routes.ts';
import { importResponseSchema } from '../hotline/hotline.schema.ts';
import { XLSX_CONTENT_TYPE } from '../hotline/hotline.xlsx.ts';
import type { AppContext } from '../http/context.ts';
import { AppError } from '../shared/errors.ts';
import {
  OPERATOR_SECRET_HEADER,
  operatorImportBodySchema,
  operatorRetrainBodySchema,
  operatorRetrainResponseSchema,
  operatorTokenBodySchema,
  operatorTokenResponseSchema,
  operatorUserBodySchema,
  operatorUserResponseSchema,
} from './operator.schema.ts';

/** An xlsx export of a busy district's month, base64-encoded, with room to spare. */
const IMPORT_BODY_LIMIT = 48 * 1024 * 1024;

/**
 * Who runs an operator command: the CLI beside the server, proven by the secret it read from the data
 * folder's lock file (then it acts as the operator at the command line, `null`), or an installation
 * administrator's API token. Nobody else: there is no anonymous way in.
 */
export function operatorOf(request: FastifyRequest, ctx: AppContext): Actor {
  const sent = request.headers[OPERATOR_SECRET_HEADER];
  if (typeof sent === 'string' && sent.length > 0) {
    const expected = ctx.operatorSecret;
    const a = Buffer.from(sent);
    const b = Buffer.from(expected ?? '');
    if (!expected || a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new AppError('UNAUTHENTICATED', 'The operator secret is not valid');
    }
    // The secret proves the caller is this installation's own command line, which runs as the system.
    return SYSTEM_ACTOR;
  }
  if (!request.actor) {
    throw new AppError(
      'UNAUTHENTICATED',
      `Operator routes need an administrator's API token or the ${OPERATOR_SECRET_HEADER} header`,
    );
  }
  authorise(request.actor, 'operator.run');
  return request.actor;
}

/**
 * The CLI's write commands, for when a server holds the embedded database: the CLI cannot open the
 * data folder beside it (db/data-lock.ts), so it sends the work here and the server does it.
 */
export const operatorRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/operator/hotline/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['operator'],
        summary:
          '`hutong hotline import` run by the server (operator secret or an administrator token): the file as ' +
          'base64, an optional mapping; answers as /api/hotline/import does',
        body: operatorImportBodySchema,
        response: { 200: importResponseSchema },
      },
    },
    async (request) => {
      const actor = operatorOf(request, ctx);
      const { filename, base64, mapping, dryRun } = request.body;
      const { summary, rows, report } = await ctx.hotline.importFile(actor, Buffer.from(base64, 'base64'), {
        filename,
        mapping: ctx.hotline.mapping(mapping),
        dryRun,
      });
      return {
        summary,
        report: {
          filename: `${filename.replace(/\.[^.]+$/, '')}_校验结果.xlsx`,
          contentType: XLSX_CONTENT_TYPE,
          base64: report.toString('base64'),
        },
        rejected: rows.filter((r) => r.outcome === 'rejected').map(rowDto),
      };
    },
  );

  app.post(
    '/api/operator/users',
    {
      schema: {
        tags: ['operator'],
        summary: '`hutong user add` run by the server (operator secret or an administrator token)',
        body: operatorUserBodySchema,
        response: { 200: operatorUserResponseSchema },
      },
    },
    async (request) => {
      const actor = operatorOf(request, ctx);
      const created = await ctx.accounts.createUser(actor, request.body);
      return {
        username: created.username,
        role: created.role,
        scopeCode: created.scopeCode ?? null,
        scopeName: created.scopeName ?? null,
      };
    },
  );

  app.post(
    '/api/operator/tokens',
    {
      schema: {
        tags: ['operator'],
        summary:
          '`hutong token create` run by the server (operator secret or an administrator token): an API token ' +
          'for the named account',
        body: operatorTokenBodySchema,
        response: { 200: operatorTokenResponseSchema },
      },
    },
    async (request) => {
      operatorOf(request, ctx);
      const user = await ctx.accounts.actorForUsername(request.body.username);
      if (!user) throw new AppError('NOT_FOUND', `no active user ${request.body.username}`);
      const { token } = await ctx.accounts.createApiToken(user, request.body.name);
      return { token };
    },
  );

  app.post(
    '/api/operator/classifier/retrain',
    {
      schema: {
        tags: ['operator'],
        summary:
          '`hutong classifier retrain` run by the server (operator secret or an administrator token); the new ' +
          'model is activated only if it beats the active one on the held-out labels',
        body: operatorRetrainBodySchema,
        response: { 200: operatorRetrainResponseSchema },
      },
    },
    async (request) => ctx.classification.retrain(operatorOf(request, ctx)),
  );
};
