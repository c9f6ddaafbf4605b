import { z } from 'zod';

/** The GeoJSON interchange format for territory, shared by import, export and the demo city. */

export const LAYERS = ['district', 'street', 'community', 'grid', 'alley'] as const;
export type Layer = (typeof LAYERS)[number];

export const ALLEY_TYPES = ['major_street', 'main_street', 'lane'] as const;
export const ALLEY_TIERS = ['exemplary', 'fine', 'compliant'] as const;

export const CODE_LENGTH: Record<Exclude<Layer, 'alley'>, number> = {
  district: 6,
  street: 9,
  community: 12,
  grid: 15,
};

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z
  .array(position)
  .min(4, 'a ring needs at least four positions')
  .refine(
    (r) => r[0]![0] === r.at(-1)![0] && r[0]![1] === r.at(-1)![1],
    'a ring must be closed (first = last)',
  );

export const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) });
export const multiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(ring).min(1)).min(1),
});
export const polygonalSchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);
export const lineStringSchema = z.object({
  type: z.literal('LineString'),
  coordinates: z.array(position).min(2, 'a line needs at least two positions'),
});

const text = z.string().trim().max(4000);
const digits = (n: number) => z.string().regex(new RegExp(`^\\d{${n}}$`), `must be ${n} digits`);

export const chiefSchema = z.object({
  name: text.nullish(),
  title: text.nullish(),
  duties: text.nullish(),
  phone: z.string().trim().max(40).nullish(),
});

export const checklistSchema = z.object({
  haves: z.record(z.string(), z.boolean()).default({}),
  nots: z.record(z.string(), z.boolean()).default({}),
});

export const alleyRegistrySchema = z.object({
  currentTier: z.enum(ALLEY_TIERS).nullish(),
  targetTier: z.enum(ALLEY_TIERS).nullish(),
  chief: chiefSchema.nullish(),
  council: text.nullish(),
  contractorId: z.string().max(100).nullish(),
  volunteerTeam: text.nullish(),
  plan: text.nullish(),
  residentsPact: text.nullish(),
  cultureNote: text.nullish(),
  noticeBoard: text.nullish(),
  checklist: checklistSchema.nullish(),
});

export const featurePropertiesSchemas = {
  district: z.object({
    layer: z.literal('district'),
    code: digits(6),
    name: z.string().trim().min(1).max(100),
    approximate: z.boolean().optional(),
  }),
  street: z.object({
    layer: z.literal('street'),
    code: digits(9),
    name: z.string().trim().min(1).max(100),
    approximate: z.boolean().optional(),
  }),
  community: z.object({
    layer: z.literal('community'),
    code: digits(12),
    name: z.string().trim().min(1).max(100),
    approximate: z.boolean().optional(),
  }),
  grid: z.object({ layer: z.literal('grid'), code: digits(15), approximate: z.boolean().optional() }),
  alley: alleyRegistrySchema.extend({
    layer: z.literal('alley'),
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, dash or underscore')
      .optional(),
    name: z.string().trim().min(1).max(100),
    streetCode: digits(9),
    communityCode: digits(12).nullish(),
    alleyType: z.enum(ALLEY_TYPES),
    approximate: z.boolean().optional(),
  }),
} as const;

export type DistrictProps = z.infer<typeof featurePropertiesSchemas.district>;
export type StreetProps = z.infer<typeof featurePropertiesSchemas.street>;
export type CommunityProps = z.infer<typeof featurePropertiesSchemas.community>;
export type GridProps = z.infer<typeof featurePropertiesSchemas.grid>;
export type AlleyProps = z.infer<typeof featurePropertiesSchemas.alley>;
export type AlleyRegistry = z.infer<typeof alleyRegistrySchema>;

export interface TerritoryFeature {
  type: 'Feature';
  properties: Record<string, unknown> & { layer: Layer };
  geometry: unknown;
}

export interface TerritoryFeatureCollection {
  type: 'FeatureCollection';
  features: TerritoryFeature[];
}

/** `GET /api/territory/geojson`: the territory in the import format (what POST …/import takes back). */
export const territoryExportSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        properties: z
          .object({ layer: z.enum(LAYERS) })
          .catchall(z.unknown())
          .describe("the layer's properties, as the import takes them"),
        geometry: z.unknown().describe('Polygon or MultiPolygon for areas, LineString for alleys (WGS-84)'),
      }),
    ),
  })
  .meta({ id: 'TerritoryExport' });

export const crsSchema = z.enum(['wgs84', 'gcj02', 'bd09']);
