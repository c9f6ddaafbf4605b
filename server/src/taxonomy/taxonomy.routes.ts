import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import { crsSchema } from '../territory/territory.schema.ts';
import {
  districtCodeSchema,
  entryPatchSchema,
  entrySchema,
  KINDS,
  keyPatternSchema,
  RULE_ORIGINS,
  routeSchema,
  ruleInputSchema,
  rulePatchSchema,
  ruleSchema,
  territoryCodeSchema,
  versionSchema,
} from './taxonomy.schema.ts';

const keyOrCode = z
  .string()
  .regex(
    /^((component|event):)?\d{5}$/,
    'a key such as event:06010, or a bare 5-digit code (read as the event)',
  );
const districtQuery = z.object({
  district: districtCodeSchema.optional().describe("default: the caller's district, or the only one"),
});
const entryWithVersion = z.object({ version: versionSchema, entry: entrySchema });

export const taxonomyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.taxonomy;

  app.get(
    '/api/taxonomy',
    {
      schema: {
        tags: ['taxonomy'],
        summary: "The active taxonomy's categories; private ones (public: false) are listed but flagged",
        querystring: districtQuery.extend({
          kind: z.enum(KINDS).optional(),
          q: z.string().max(50).optional().describe('part of a name or keyword, or a code prefix'),
        }),
        response: { 200: z.object({ version: versionSchema, items: z.array(entrySchema) }) },
      },
    },
    async (request) => svc.list(request.actor, request.query),
  );

  app.get(
    '/api/taxonomy/versions',
    {
      schema: {
        tags: ['taxonomy'],
        summary: "The district's taxonomy versions, newest first",
        querystring: districtQuery,
        response: { 200: z.array(versionSchema.extend({ entryCount: z.number() })) },
      },
    },
    async (request) => svc.listVersions(request.actor, request.query.district),
  );

  app.post(
    '/api/taxonomy/versions/:id/activate',
    {
      schema: {
        tags: ['taxonomy'],
        summary:
          'Make a version the active one (undoing later edits) and regenerate the default routing rules',
        params: z.object({ id: z.string().max(100) }),
        response: { 200: versionSchema },
      },
    },
    async (request) => svc.activateVersion(requireActor(request), request.params.id),
  );

  app.get(
    '/api/taxonomy/:key',
    {
      schema: {
        tags: ['taxonomy'],
        params: z.object({ key: keyOrCode }),
        querystring: districtQuery,
        response: { 200: entryWithVersion },
      },
    },
    async (request) => svc.get(request.actor, request.params.key, request.query.district),
  );

  app.patch(
    '/api/taxonomy/:key',
    {
      schema: {
        tags: ['taxonomy'],
        summary: 'Edit a category: writes and activates a new taxonomy version, keeping the old one',
        params: z.object({ key: keyOrCode }),
        querystring: districtQuery,
        body: entryPatchSchema,
        response: { 200: entryWithVersion },
      },
    },
    async (request) =>
      svc.updateEntry(requireActor(request), request.params.key, request.body, request.query.district),
  );

  app.get(
    '/api/routing-rules',
    {
      schema: {
        tags: ['routing'],
        summary: "The district's routing rules (SPEC §4.3)",
        querystring: districtQuery.extend({
          keyPattern: keyPatternSchema.optional(),
          territory: territoryCodeSchema.optional(),
          organisation: z.string().max(64).optional(),
          origin: z.enum(RULE_ORIGINS).optional(),
        }),
        response: { 200: z.array(ruleSchema) },
      },
    },
    async (request) => {
      const q = request.query;
      return svc.listRules(request.actor, {
        district: q.district,
        keyPattern: q.keyPattern,
        territoryPrefix: q.territory,
        organisationId: q.organisation,
        origin: q.origin,
      });
    },
  );

  app.post(
    '/api/routing-rules',
    {
      schema: {
        tags: ['routing'],
        summary: 'Add a rule; its priority defaults to 10, above the generated rules (0)',
        body: ruleInputSchema,
        response: { 201: ruleSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await svc.createRule(requireActor(request), request.body)),
  );

  app.post(
    '/api/routing-rules/regenerate',
    {
      schema: {
        tags: ['routing'],
        summary:
          'Rebuild the default rules from the active taxonomy and the organisations; manual rules stay',
        querystring: districtQuery,
        response: { 200: z.object({ total: z.number(), added: z.number(), removed: z.number() }) },
      },
    },
    async (request) => svc.regenerateDefaultRules(requireActor(request), request.query.district),
  );

  app.get(
    '/api/routing-rules/:id',
    {
      schema: {
        tags: ['routing'],
        params: z.object({ id: z.string().max(100) }),
        response: { 200: ruleSchema },
      },
    },
    async (request) => svc.getRule(request.actor, request.params.id),
  );

  app.patch(
    '/api/routing-rules/:id',
    {
      schema: {
        tags: ['routing'],
        summary: 'Change a rule; send the version you read. An edited default rule becomes manual',
        params: z.object({ id: z.string().max(100) }),
        body: rulePatchSchema,
        response: { 200: ruleSchema },
      },
    },
    async (request) => svc.updateRule(requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/api/routing-rules/:id',
    {
      schema: {
        tags: ['routing'],
        params: z.object({ id: z.string().max(100) }),
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await svc.deleteRule(requireActor(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/routing/resolve',
    {
      schema: {
        tags: ['routing'],
        summary: 'Which unit a case of this category at this point would be dispatched to, and by which rule',
        querystring: z.object({
          key: keyOrCode,
          lng: z.coerce.number().min(-180).max(180),
          lat: z.coerce.number().min(-90).max(90),
          crs: crsSchema.default('wgs84'),
        }),
        response: { 200: routeSchema },
      },
    },
    async (request) => svc.resolve(request.actor, request.query),
  );
};
