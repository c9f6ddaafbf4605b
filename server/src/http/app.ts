import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { accountRoutes } from '../accounts/account.routes.ts';
import { installRouteAccess } from '../accounts/route-access.ts';
import { caseRoutes } from '../cases/case.routes.ts';
import { classificationRoutes } from '../classification/classification.routes.ts';
import { evaluationRoutes } from '../evaluation/evaluation.routes.ts';
import { measureRoutes } from '../evaluation/measures.routes.ts';
import { forecastRoutes } from '../forecasts/forecast.routes.ts';
import { hotIssueRoutes } from '../hotissues/hot-issue.routes.ts';
import { hotlineRoutes } from '../hotline/hotline.routes.ts';
import { campaignRoutes } from '../ledgers/campaign.routes.ts';
import { ledgerRoutes } from '../ledgers/ledger.routes.ts';
import { mediaRoutes } from '../media/media.routes.ts';
import { notificationRoutes } from '../notifications/notification.routes.ts';
import { open311Routes } from '../open311/open311.routes.ts';
import { operatorRoutes } from '../operator/operator.routes.ts';
import { participationRoutes } from '../participation/participation.routes.ts';
import { supervisionRoutes } from '../supervision/supervision.routes.ts';
import { taxonomyRoutes } from '../taxonomy/taxonomy.routes.ts';
import { territoryRoutes } from '../territory/territory.routes.ts';
import { themeRoutes } from '../themes/theme.routes.ts';
import { webhookRoutes } from '../webhooks/webhook.routes.ts';
import { whistleRoutes } from '../whistle/whistle.routes.ts';
import { installAuthentication } from './auth.ts';
import type { AppContext } from './context.ts';
import { installErrorHandler, notFoundBody } from './errors.ts';
import { installInputGuard } from './input-guard.ts';
import { installRateLimit } from './rate-limit.ts';
import { installRequestLog } from './request-log.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { systemRoutes } from './system.routes.ts';

export interface BuildAppOptions {
  logger?: Logger | false;
  /** Serve the built web console from config.webDist when it exists (off in API tests). */
  serveWeb?: boolean;
}

/** A hop count becomes the function Fastify takes for it: trust the nearest `n` proxies. */
function trustProxyOption(
  v: boolean | number | string[],
): boolean | string[] | ((a: string, hop: number) => boolean) {
  return typeof v === 'number' ? (_address, hop) => hop < v : v;
}

export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger ? (options.logger as FastifyBaseLogger) : undefined,
    // One record per request, from installRequestLog, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) =>
      (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || crypto.randomUUID(),
    requestIdHeader: false,
    // Behind a proxy only when configured: otherwise X-Forwarded-* headers would let any client pick
    // its address (the rate limits) and the host of public links.
    trustProxy: trustProxyOption(ctx.config.security.trustProxy),
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installSecurityHeaders(app, ctx.config);
  if (options.logger) installRequestLog(app);

  installErrorHandler(app);
  await app.register(fastifyCookie);
  // Photos arrive as multipart forms; routes read them with media/media.multipart.ts, within these limits.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: false,
    limits: {
      files: ctx.media.limits.maxFiles,
      fileSize: ctx.media.limits.maxBytes,
      fields: 50,
      fieldSize: 64 * 1024,
      parts: 100,
    },
  });
  installAuthentication(app, ctx);
  // Who may call which route is declared in one table (accounts/route-access.ts) and checked here, before
  // any body is parsed; anonymous callers are refused on every route not declared public.
  installRouteAccess(app);
  installInputGuard(app);
  installRateLimit(app, ctx.config, ctx.clock);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Hutong API',
        version: '0.1.0',
        description:
          'Fine-grained governance of back streets and alleys. Errors are `{error:{code,message,details}}`; ' +
          'signed-in browser requests that change state send the `X-CSRF-Token` header; machine clients use ' +
          '`Authorization: Bearer <api token>`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'hutong_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(systemRoutes, { ctx });
  await app.register(accountRoutes, { ctx });
  await app.register(territoryRoutes, { ctx });
  await app.register(taxonomyRoutes, { ctx });
  await app.register(caseRoutes, { ctx });
  await app.register(mediaRoutes, { ctx });
  await app.register(notificationRoutes, { ctx });
  await app.register(webhookRoutes, { ctx });
  await app.register(ledgerRoutes, { ctx });
  await app.register(campaignRoutes, { ctx });
  await app.register(whistleRoutes, { ctx });
  await app.register(hotlineRoutes, { ctx });
  await app.register(classificationRoutes, { ctx });
  await app.register(open311Routes, { ctx });
  await app.register(operatorRoutes, { ctx });
  await app.register(hotIssueRoutes, { ctx });
  await app.register(forecastRoutes, { ctx });
  await app.register(themeRoutes, { ctx });
  await app.register(measureRoutes, { ctx });
  await app.register(evaluationRoutes, { ctx });
  await app.register(supervisionRoutes, { ctx });
  await app.register(participationRoutes, { ctx });

  if (options.serveWeb) {
    // The console may still be building when the server starts; its files are looked up per request.
    fs.mkdirSync(ctx.config.webDist, { recursive: true });
    await app.register(fastifyStatic, { root: ctx.config.webDist, prefix: '/', wildcard: false });
  }
  // Client-side routes fall back to the app shell; API paths keep their JSON 404.
  app.setNotFoundHandler((request, reply) => {
    if (!options.serveWeb || request.url.startsWith('/api/') || request.method !== 'GET') {
      return reply.code(404).send(notFoundBody(request.method, request.url));
    }
    const residentShell = path.join(ctx.config.webDist, 'r', 'index.html');
    if (request.url.startsWith('/r/') && fs.existsSync(residentShell)) return reply.sendFile('r/index.html');
    if (!fs.existsSync(path.join(ctx.config.webDist, 'index.html'))) {
      return reply
        .type('text/html; charset=utf-8')
        .send('<p>The web console is being built; reload in a moment.</p>');
    }
    return reply.sendFile('index.html');
  });
  return app;
}
