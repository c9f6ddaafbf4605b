import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authorise } from '../accounts/authorisation.ts';
import { ORGANISATION_KINDS } from '../db/schema.ts';
import { requireActor } from '../http/auth.ts';
import type { AppContext } from '../http/context.ts';
import {
  ALLEY_TIERS,
  ALLEY_TYPES,
  alleyRegistrySchema,
  crsSchema,
  LAYERS,
  type Layer,
  territoryExportSchema,
} from './territory.schema.ts';

const code = (n: number) => z.string().regex(new RegExp(`^\\d{${n}}$`), `must be ${n} digits`);
const lngLat = z.tuple([z.number(), z.number()]);

const streetSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    districtCode: z.string(),
    center: lngLat.describe('WGS-84 [lng, lat] inside the street'),
    approximate: z.boolean(),
    communityCount: z.number(),
    alleyCount: z.number(),
    boundary: z.unknown().optional(),
  })
  .meta({ id: 'Street' });

const alleySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  streetCode: z.string(),
  communityCode: z.string().nullable(),
  alleyType: z.enum(ALLEY_TYPES),
  lengthM: z.number(),
  currentTier: z.enum(ALLEY_TIERS).nullable(),
  targetTier: z.enum(ALLEY_TIERS).nullable(),
  chiefName: z.string().nullable(),
  approximate: z.boolean(),
});

const alleyDetailSchema = alleySummarySchema
  .extend({
    streetName: z.string(),
    communityName: z.string().nullable(),
    contractorName: z.string().nullable(),
    gridCodes: z.array(z.string()),
    chief: z.object({
      name: z.string().nullable(),
      title: z.string().nullable(),
      duties: z.string().nullable(),
      phone: z.string().nullable(),
    }),
    council: z.string().nullable(),
    contractorId: z.string().nullable(),
    volunteerTeam: z.string().nullable(),
    plan: z.string().nullable(),
    residentsPact: z.string().nullable(),
    cultureNote: z.string().nullable(),
    noticeBoard: z.string().nullable(),
    checklist: z.object({
      haves: z.record(z.string(), z.boolean()),
      nots: z.record(z.string(), z.boolean()),
    }),
    version: z.number(),
    geometry: z.unknown(),
    permissions: z.object({ edit: z.boolean() }),
  })
  .meta({ id: 'Alley' });

const locationSchema = z
  .object({
    street: z.object({ code: z.string(), name: z.string() }),
    community: z.object({ code: z.string(), name: z.string() }).nullable(),
    grid: z.object({ code: z.string() }).nullable(),
    alley: z.object({ id: z.string(), name: z.string(), distanceMeters: z.number() }).nullable(),
    wgs84: lngLat,
  })
  .meta({ id: 'Location' });

const organisationSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ORGANISATION_KINDS),
  departmentType: z.string().nullable(),
  patternTier: z.enum(['1', '5', 'N']).nullable(),
  scopeCode: z.string(),
  districtCode: z.string(),
  phone: z.string().nullable(),
  active: z.boolean(),
});

const importQuerySchema = z.object({
  skipInvalid: z.stringbool().default(false),
  dryRun: z.stringbool().default(false),
});

const featureIssueSchema = z.object({ field: z.string(), message: z.string() });
const importReportSchema = z.object({
  featureCount: z.number(),
  imported: z.record(z.string(), z.number()),
  skipped: z.number(),
  dryRun: z.boolean(),
  features: z.array(
    z.object({
      index: z.number(),
      layer: z.string().nullable(),
      key: z.string().nullable(),
      errors: z.array(featureIssueSchema),
      warnings: z.array(featureIssueSchema),
    }),
  ),
});

const position = z.tuple([z.number(), z.number()]);
const baseLayerSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        id: z.string().describe('kind:code, e.g. street:110102001'),
        properties: z.object({
          kind: z.enum(['street', 'community', 'street-label', 'community-label', 'alley']),
          code: z.string().describe('the area code, or the alley id'),
          name: z.string(),
          approximate: z.boolean().describe('the shape is generated or estimated, not surveyed'),
          alleyType: z.enum(ALLEY_TYPES).optional(),
          streetCode: z.string().optional(),
        }),
        geometry: z.union([
          z.object({ type: z.literal('Point'), coordinates: position }),
          z.object({ type: z.literal('LineString'), coordinates: z.array(position) }),
          z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position)) }),
          z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(position))) }),
        ]),
      }),
    ),
  })
  .meta({ id: 'BaseLayer', description: 'WGS-84 GeoJSON (RFC 7946), coordinates to six decimals' });

type BaseLayerBody = z.infer<typeof baseLayerSchema>;

/** RFC 9110 §13.1.2: a list of tags or `*`; weak tags compare equal to their strong form. */
function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

export const territoryRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const svc = ctx.territory;

  app.get(
    '/api/territory/streets',
    {
      schema: {
        tags: ['territory'],
        summary: 'Streets (街道) with a WGS-84 centre point that lies inside each',
        querystring: z.object({ district: code(6).optional(), geometry: z.stringbool().default(false) }),
        response: { 200: z.array(streetSchema) },
      },
    },
    async (request) => {
      authorise(request.actor, 'territory.read');
      return svc.listStreets({ districtCode: request.query.district, geometry: request.query.geometry });
    },
  );

  app.get(
    '/api/territory/communities',
    {
      schema: {
        tags: ['territory'],
        querystring: z.object({ street: code(9).optional() }),
        response: {
          200: z.array(
            z.object({
              code: z.string(),
              name: z.string(),
              streetCode: z.string(),
              approximate: z.boolean(),
            }),
          ),
        },
      },
    },
    async (request) => {
      authorise(request.actor, 'territory.read');
      return svc.listCommunities(request.query.street);
    },
  );

  app.get(
    '/api/territory/grids',
    {
      schema: {
        tags: ['territory'],
        querystring: z.object({ street: code(9).optional(), community: code(12).optional() }),
        response: {
          200: z.array(z.object({ code: z.string(), communityCode: z.string(), streetCode: z.string() })),
        },
      },
    },
    async (request) => {
      authorise(request.actor, 'territory.read');
      return svc.listGrids({ streetCode: request.query.street, communityCode: request.query.community });
    },
  );

  app.get(
    '/api/territory/alleys',
    {
      schema: {
        tags: ['territory'],
        summary: 'The alley registry (街巷台账), paged',
        querystring: z.object({
          street: code(9).optional(),
          community: code(12).optional(),
          q: z.string().max(50).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ items: z.array(alleySummarySchema), total: z.number() }) },
      },
    },
    async (request) => {
      authorise(request.actor, 'territory.read');
      const q = request.query;
      return svc.listAlleys({
        streetCode: q.street,
        communityCode: q.community,
        q: q.q,
        limit: q.limit,
        offset: q.offset,
      });
    },
  );

  app.get(
    '/api/territory/alleys/:id',
    {
      schema: {
        tags: ['territory'],
        params: z.object({ id: z.string() }),
        response: { 200: alleyDetailSchema },
      },
    },
    async (request) => svc.getAlley(request.actor, request.params.id),
  );

  app.patch(
    '/api/territory/alleys/:id',
    {
      schema: {
        tags: ['territory'],
        summary: "Edit an alley's registry entry; send the version you read (optimistic concurrency)",
        params: z.object({ id: z.string() }),
        body: alleyRegistrySchema.extend({ version: z.number().int().min(1) }),
        response: { 200: alleyDetailSchema },
      },
    },
    async (request) => svc.updateAlley(requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/api/territory/locate',
    {
      schema: {
        tags: ['territory'],
        summary:
          'Street, community, grid and nearest alley of a point; 404 OUTSIDE_TERRITORY outside every street',
        querystring: z.object({
          lng: z.coerce.number().min(-180).max(180),
          lat: z.coerce.number().min(-90).max(90),
          crs: crsSchema.default('wgs84'),
        }),
        response: { 200: locationSchema },
      },
    },
    async (request) => {
      authorise(request.actor, 'territory.read');
      return svc.locate(request.query.lng, request.query.lat, request.query.crs);
    },
  );

  app.get(
    '/api/territory/geojson',
    {
      schema: {
        tags: ['territory'],
        summary: 'Export territory as a GeoJSON FeatureCollection in the import format',
        querystring: z.object({
          layers: z
            .string()
            .optional()
            .transform((s, c) => {
              const list = (s ?? '')
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean);
              const bad = list.filter((l) => !LAYERS.includes(l as Layer));
              if (bad.length) c.addIssue({ code: 'custom', message: `unknown layers: ${bad.join(', ')}` });
              return list as Layer[];
            }),
          street: code(9).optional(),
        }),
        response: {
          200: {
            description: 'a GeoJSON FeatureCollection',
            content: { 'application/geo+json': { schema: territoryExportSchema } },
          },
        },
      },
    },
    async (request, reply) => {
      authorise(request.actor, 'territory.export');
      const fc = await svc.exportTerritory({
        layers: request.query.layers,
        streetCode: request.query.street,
      });
      return reply.type('application/geo+json; charset=utf-8').send(fc);
    },
  );

  app.get(
    '/api/territory/basemap',
    {
      schema: {
        tags: ['territory'],
        summary:
          'The base map: street and community outlines with names and label points, alleys as named lines',
        description:
          'Public territory data only. Revalidate with If-None-Match: an unchanged territory answers 304.',
        querystring: z.object({ street: code(9).optional() }),
        response: { 200: baseLayerSchema, 304: z.null().describe('not modified: the tag sent is current') },
      },
    },
    async (request, reply) => {
      authorise(request.actor, 'territory.read');
      const { body, gzipped, etag } = await svc.baseLayer(request.query.street);
      reply
        .header('etag', etag)
        .header('cache-control', 'public, no-cache')
        .header('vary', 'accept-encoding');
      if (ifNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send(null);
      reply.type('application/geo+json; charset=utf-8');
      // Serialised and compressed once per territory version by the service; sent as it is.
      if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
        return reply.header('content-encoding', 'gzip').send(gzipped as unknown as BaseLayerBody);
      }
      return reply.send(body as unknown as BaseLayerBody);
    },
  );

  app.post(
    '/api/territory/import',
    {
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags: ['territory'],
        summary:
          'Import a territory FeatureCollection; a file with errors imports nothing unless skipInvalid=true',
        querystring: importQuerySchema,
        body: z.unknown(),
        response: { 200: importReportSchema },
      },
    },
    async (request) =>
      svc.importTerritory(requireActor(request), request.body, {
        skipInvalid: request.query.skipInvalid,
        dryRun: request.query.dryRun,
      }),
  );

  app.put(
    '/api/organisations/:id',
    {
      schema: {
        tags: ['territory'],
        summary: 'Create or update an organisation (district administrators, within their district)',
        params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) }),
        body: organisationSchema.pick({ name: true, kind: true, scopeCode: true }).extend({
          departmentType: z.string().max(50).nullish(),
          patternTier: z.enum(['1', '5', 'N']).nullish(),
          phone: z.string().max(40).nullish(),
        }),
        response: { 200: organisationSchema },
      },
    },
    async (request) =>
      svc.saveOrganisation(requireActor(request), { id: request.params.id, ...request.body }),
  );

  app.get(
    '/api/organisations',
    {
      schema: {
        tags: ['territory'],
        summary: 'Street offices, departments (1+5+N) and contractors',
        querystring: z.object({
          kind: z.enum(ORGANISATION_KINDS).optional(),
          scope: z.string().optional(),
        }),
        response: { 200: z.array(organisationSchema) },
      },
    },
    async (request) => {
      authorise(request.actor, 'organisation.read');
      return svc.listOrganisations({ kind: request.query.kind, scopeCode: request.query.scope });
    },
  );
};
