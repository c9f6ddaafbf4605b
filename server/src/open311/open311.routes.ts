import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import type { IncomingFile } from '../media/media.service.ts';
import {
  CONTENT_TYPES,
  type Format,
  formatOfUrl,
  Open311Error,
  render,
  renderErrors,
  splitFormat,
} from './open311.format.ts';
import { asOpen311Error, mergeFields, parseForm, queryFields, readMultipartForm } from './open311.http.ts';
import {
  attributeInputSchema,
  attributePatchSchema,
  attributeViewSchema,
  caseDetailSchema,
  clientCreateSchema,
  clientViewSchema,
} from './open311.schema.ts';
import { type Fields, optional } from './open311.service.ts';
import type { OutValue } from './open311.xml.ts';

/**
 * Open311 GeoReport v2 under /open311/v2 (the specification's resources, in XML and JSON, with its
 * errors), and the console's JSON routes under /api/open311 for clients and service attributes.
 */
export const open311Routes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const { registry, service } = ctx.open311;
  await app.register(geoReportRoutes, { prefix: '/open311/v2', ctx });

  const idParams = z.object({ id: z.string().min(1).max(100) });

  app.get(
    '/api/open311/clients',
    {
      schema: {
        tags: ['open311'],
        summary: 'Registered Open311 client applications of your district (never their api_keys)',
        response: { 200: z.object({ items: z.array(clientViewSchema) }) },
      },
    },
    async (request) => ({ items: await registry.listClients(requireActor(request)) }),
  );

  app.post(
    '/api/open311/clients',
    {
      schema: {
        tags: ['open311'],
        summary: 'Register a client application; the answer carries its api_key, shown this once only',
        body: clientCreateSchema,
        response: { 201: z.object({ client: clientViewSchema, apiKey: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await registry.addClient(requireActor(request), request.body);
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/open311/clients/:id/revoke',
    {
      schema: {
        tags: ['open311'],
        summary: 'Revoke a client: its api_key stops working at once; its requests stay',
        params: idParams,
        response: { 200: clientViewSchema },
      },
    },
    async (request) => registry.revokeClient(requireActor(request), request.params.id),
  );

  app.get(
    '/api/open311/attributes',
    {
      schema: {
        tags: ['open311'],
        summary: "Extra questions of the district's services (GET services/{code} shows them to clients)",
        querystring: z.object({
          serviceCode: z.string().trim().max(40).optional(),
          district: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        response: { 200: z.object({ items: z.array(attributeViewSchema) }) },
      },
    },
    async (request) => ({ items: await registry.listAttributes(requireActor(request), request.query) }),
  );

  app.post(
    '/api/open311/attributes',
    {
      schema: {
        tags: ['open311'],
        summary: 'Add a question to a service (district_admin)',
        body: attributeInputSchema,
        response: { 201: attributeViewSchema },
      },
    },
    async (request, reply) => {
      const created = await registry.createAttribute(requireActor(request), request.body);
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/api/open311/attributes/:id',
    {
      schema: {
        tags: ['open311'],
        summary: 'Change a question of a service (district_admin)',
        params: idParams,
        body: attributePatchSchema,
        response: { 200: attributeViewSchema },
      },
    },
    async (request) => registry.updateAttribute(requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/api/open311/attributes/:id',
    {
      schema: {
        tags: ['open311'],
        summary: 'Remove a question from a service (district_admin)',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await registry.deleteAttribute(requireActor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/open311/cases/:id',
    {
      schema: {
        tags: ['open311'],
        summary:
          'What an Open311 client sent with a case (answers, the reporter’s private fields) and the comments ' +
          'clients posted on it, for staff who may read the case',
        params: idParams,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => service.caseDetail(requireActor(request), request.params.id),
  );
};

/** The GeoReport resources; a plugin of its own so that its errors, 404s and form parsing stay here. */
async function geoReportRoutes(geo: FastifyInstance, { ctx }: { ctx: AppContext }): Promise<void> {
  const { service } = ctx.open311;

  geo.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, parseForm(body as string)),
  );

  geo.setErrorHandler((err, request, reply) => {
    const { error, unexpected } = asOpen311Error(err);
    if (unexpected) request.log.error({ err }, 'Open311 request failed');
    return sendErrors(reply, formatOfUrl(request.url), error);
  });
  geo.setNotFoundHandler((request, reply) =>
    sendErrors(
      reply,
      formatOfUrl(request.url),
      Open311Error.notFound(`no GeoReport resource ${request.method} ${request.url.split('?')[0]}`),
    ),
  );

  // Everything a GET answers is public, so web apps on other origins may read it; no credentials.
  geo.addHook('onSend', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD')
      reply.header('access-control-allow-origin', '*');
  });

  const hidden = { schema: { hide: true } };

  geo.get<{ Params: { file: string } }>('/:file', hidden, async (request, reply) => {
    const { name, format } = resource(request.params.file);
    const query = queryFields(request.url);
    switch (name) {
      case 'discovery':
        return send(reply, format, 'discovery', await service.discovery(baseUrl(request, ctx)));
      case 'services': {
        const j = await service.jurisdiction(optional(query, 'jurisdiction_id'));
        return send(reply, format, 'services', await service.services(j.code));
      }
      case 'requests': {
        const j = await service.jurisdiction(optional(query, 'jurisdiction_id'));
        return send(
          reply,
          format,
          'service_requests',
          await service.listRequests(j.code, query, baseUrl(request, ctx)),
        );
      }
      case 'servicerequestupdates': {
        const j = await service.jurisdiction(optional(query, 'jurisdiction_id'));
        const updates = await service.listUpdates(j.code, query, baseUrl(request, ctx));
        return send(reply, format, 'service_request_updates', updates);
      }
      default:
        throw Open311Error.notFound(`no GeoReport resource ${name}`);
    }
  });

  geo.post<{ Params: { file: string } }>('/:file', hidden, async (request, reply) => {
    const { name, format } = resource(request.params.file);
    if (name !== 'requests' && name !== 'servicerequestupdates') {
      throw Open311Error.notFound(`no GeoReport resource accepts POST at ${name}`);
    }
    const { fields, files } = await postedFields(request, name === 'requests');
    if (name === 'requests') {
      const idempotencyKey = request.headers['idempotency-key'];
      const { body, replayed } = await service.createRequest({
        fields,
        photos: files,
        idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
      });
      return send(reply, format, 'service_requests', body, replayed ? 200 : 201);
    }
    const { body, replayed } = await service.postUpdate(fields);
    return send(reply, format, 'service_request_updates', body, replayed ? 200 : 201);
  });

  geo.get<{ Params: { file: string } }>('/services/:file', hidden, async (request, reply) => {
    const { name, format } = resource(request.params.file);
    const j = await service.jurisdiction(optional(queryFields(request.url), 'jurisdiction_id'));
    return send(reply, format, 'service_definition', await service.serviceDefinition(j.code, name));
  });

  geo.get<{ Params: { file: string } }>('/requests/:file', hidden, async (request, reply) => {
    const { name, format } = resource(request.params.file);
    const j = await service.jurisdiction(optional(queryFields(request.url), 'jurisdiction_id'));
    return send(
      reply,
      format,
      'service_requests',
      await service.getRequest(j.code, name, baseUrl(request, ctx)),
    );
  });

  geo.get<{ Params: { file: string } }>('/tokens/:file', hidden, async (request, reply) => {
    const { name, format } = resource(request.params.file);
    const j = await service.jurisdiction(optional(queryFields(request.url), 'jurisdiction_id'));
    return send(reply, format, 'service_requests', await service.token(j.code, name));
  });

  /**
   * The fields of a POST: a form body (the specification's), or multipart with photos in `media`
   * (Hutong's extension, only for new requests), plus query parameters the body does not name.
   */
  async function postedFields(
    request: FastifyRequest,
    photosAllowed: boolean,
  ): Promise<{ fields: Fields; files: IncomingFile[] }> {
    const query = queryFields(request.url);
    if (request.isMultipart()) {
      const { fields, files } = await readMultipartForm(request, ctx.media.limits);
      if (files.length && !photosAllowed) {
        throw Open311Error.badRequest('media files are accepted with new requests only; send media_url');
      }
      return { fields: mergeFields(fields, query), files };
    }
    if (request.body instanceof Map) return { fields: mergeFields(request.body, query), files: [] };
    if (request.body === undefined || request.body === null) return { fields: query, files: [] };
    throw Open311Error.badRequest(
      'send the fields as application/x-www-form-urlencoded; charset=utf-8 (or multipart/form-data with media)',
    );
  }
}

/** `services.json` → the resource and its format; an unknown format is a bad URL (400). */
function resource(file: string): { name: string; format: Format } {
  const split = splitFormat(file);
  if (!split) throw Open311Error.badRequest(`the URL must end in .xml or .json, not ${file}`);
  return split;
}

/**
 * The origin of absolute links in answers: HUTONG_PUBLIC_URL when set; otherwise the request's own
 * scheme and host, which come from X-Forwarded-* headers only when a proxy is trusted (HUTONG_TRUST_PROXY).
 */
function baseUrl(request: FastifyRequest, ctx: AppContext): string {
  return ctx.config.security.publicUrl ?? `${request.protocol}://${request.host}`;
}

function send(reply: FastifyReply, format: Format, root: string, value: OutValue, status = 200) {
  return reply
    .code(status)
    .header('content-type', CONTENT_TYPES[format])
    .send(render(format, root, value));
}

function sendErrors(reply: FastifyReply, format: Format, error: Open311Error) {
  return reply
    .code(error.status)
    .header('content-type', CONTENT_TYPES[format])
    .send(renderErrors(format, error.items));
}
