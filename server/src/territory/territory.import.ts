import type { z } from 'zod';
import type { AlleyChecklist, LineStringGeometry } from '../db/schema.ts';
import type { FieldIssue } from '../shared/errors.ts';
import { lineLengthMeters, type Polygonal, pointInPolygonal } from './geometry.ts';
import {
  type AlleyProps,
  type CommunityProps,
  type DistrictProps,
  featurePropertiesSchemas,
  type GridProps,
  LAYERS,
  type Layer,
  lineStringSchema,
  polygonalSchema,
  type StreetProps,
} from './territory.schema.ts';

/**
 * Validates a territory FeatureCollection without touching the database. Every feature is checked on
 * its own (properties, geometry) and against the hierarchy (a code must sit under a parent that exists
 * in the file or in the registry), and each problem is reported with the feature and the field.
 */

export interface FeatureReport {
  index: number;
  layer: Layer | null;
  key: string | null;
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

export interface ValidatedTerritory {
  districts: (DistrictProps & { boundary: Polygonal; index: number })[];
  streets: (StreetProps & { boundary: Polygonal; index: number })[];
  communities: (CommunityProps & { boundary: Polygonal; index: number })[];
  grids: (GridProps & { boundary: Polygonal; index: number })[];
  alleys: (AlleyProps & { geometry: LineStringGeometry; lengthM: number; index: number })[];
}

export interface ValidationResult {
  valid: ValidatedTerritory;
  reports: FeatureReport[];
  featureCount: number;
  errorCount: number;
}

/** What already exists in the registry, for checking parents that the file does not carry. */
export interface ExistingTerritory {
  hasArea(layer: Exclude<Layer, 'alley'>, code: string): boolean;
  streetBoundary(code: string): Polygonal | null;
  hasOrganisation(id: string): boolean;
}

function zodIssues(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}

const PARENT: Record<Exclude<Layer, 'district' | 'alley'>, Exclude<Layer, 'grid' | 'alley'>> = {
  street: 'district',
  community: 'street',
  grid: 'community',
};
const PARENT_LENGTH = { street: 6, community: 9, grid: 12 } as const;

export function validateTerritory(input: unknown, existing: ExistingTerritory): ValidationResult {
  const valid: ValidatedTerritory = { districts: [], streets: [], communities: [], grids: [], alleys: [] };
  const reports: FeatureReport[] = [];
  const root = input as { type?: unknown; features?: unknown } | null;
  if (
    !root ||
    typeof root !== 'object' ||
    root.type !== 'FeatureCollection' ||
    !Array.isArray(root.features)
  ) {
    reports.push({
      index: -1,
      layer: null,
      key: null,
      errors: [{ field: 'type', message: 'expected a GeoJSON FeatureCollection with a features array' }],
      warnings: [],
    });
    return { valid, reports, featureCount: 0, errorCount: 1 };
  }
  const features = root.features as unknown[];

  // First pass: what the file declares, so that parents may come later in the file than children.
  const declared: Record<Exclude<Layer, 'alley'>, Map<string, Polygonal | null>> = {
    district: new Map(),
    street: new Map(),
    community: new Map(),
    grid: new Map(),
  };
  for (const f of features) {
    const p = (f as { properties?: { layer?: unknown; code?: unknown } })?.properties;
    if (p && typeof p.code === 'string' && typeof p.layer === 'string' && p.layer !== 'alley') {
      const layer = p.layer as Exclude<Layer, 'alley'>;
      if (declared[layer]) {
        const g = polygonalSchema.safeParse((f as { geometry?: unknown }).geometry);
        declared[layer].set(p.code, g.success ? (g.data as Polygonal) : null);
      }
    }
  }
  const areaExists = (layer: Exclude<Layer, 'alley'>, code: string) =>
    declared[layer].has(code) || existing.hasArea(layer, code);

  const seen = new Map<string, number>();
  for (const [index, raw] of features.entries()) {
    const errors: FieldIssue[] = [];
    const warnings: FieldIssue[] = [];
    const f = raw as { type?: unknown; properties?: Record<string, unknown>; geometry?: unknown } | null;
    let layer: Layer | null = null;
    let key: string | null = null;
    const report = (): void => {
      reports.push({ index, layer, key, errors, warnings });
    };

    if (!f || typeof f !== 'object' || f.type !== 'Feature') {
      errors.push({ field: 'type', message: 'expected a GeoJSON Feature' });
      report();
      continue;
    }
    const props = f.properties ?? {};
    if (!LAYERS.includes(props.layer as Layer)) {
      errors.push({ field: 'properties.layer', message: `must be one of ${LAYERS.join(', ')}` });
      report();
      continue;
    }
    layer = props.layer as Layer;
    key = typeof props.code === 'string' ? props.code : typeof props.id === 'string' ? props.id : null;
    const parsed = featurePropertiesSchemas[layer].safeParse(props);
    if (!parsed.success) errors.push(...zodIssues(parsed.error, 'properties'));

    if (layer === 'alley') {
      const g = lineStringSchema.safeParse(f.geometry);
      if (!g.success) errors.push(...zodIssues(g.error, 'geometry'));
      if (parsed.success && g.success) {
        const a = parsed.data as AlleyProps;
        if (!areaExists('street', a.streetCode)) {
          errors.push({ field: 'properties.streetCode', message: `street ${a.streetCode} does not exist` });
        }
        if (a.communityCode) {
          if (!a.communityCode.startsWith(a.streetCode)) {
            errors.push({
              field: 'properties.communityCode',
              message: `community ${a.communityCode} is not in street ${a.streetCode}`,
            });
          } else if (!areaExists('community', a.communityCode)) {
            errors.push({
              field: 'properties.communityCode',
              message: `community ${a.communityCode} does not exist`,
            });
          }
        }
        if (a.contractorId && !existing.hasOrganisation(a.contractorId)) {
          errors.push({
            field: 'properties.contractorId',
            message: `organisation ${a.contractorId} does not exist`,
          });
        }
        const boundary = declared.street.get(a.streetCode) ?? existing.streetBoundary(a.streetCode);
        const coords = g.data.coordinates as [number, number][];
        if (boundary && !coords.every(([x, y]) => pointInPolygonal(boundary, x, y))) {
          warnings.push({ field: 'geometry', message: `the alley leaves street ${a.streetCode}` });
        }
        if (a.id) {
          const k = `alley:${a.id}`;
          if (seen.has(k)) errors.push({ field: 'properties.id', message: `repeats feature ${seen.get(k)}` });
          else seen.set(k, index);
        }
        if (!errors.length) {
          valid.alleys.push({
            ...a,
            geometry: { type: 'LineString', coordinates: coords },
            lengthM: Math.round(lineLengthMeters(coords) * 10) / 10,
            index,
          });
        }
      }
      report();
      continue;
    }

    const g = polygonalSchema.safeParse(f.geometry);
    if (!g.success) errors.push(...zodIssues(g.error, 'geometry'));
    if (parsed.success && g.success) {
      const code = (parsed.data as { code: string }).code;
      const k = `${layer}:${code}`;
      if (seen.has(k)) errors.push({ field: 'properties.code', message: `repeats feature ${seen.get(k)}` });
      else seen.set(k, index);
      if (layer !== 'district') {
        const parentLayer = PARENT[layer];
        const parentCode = code.slice(0, PARENT_LENGTH[layer]);
        if (!areaExists(parentLayer, parentCode)) {
          errors.push({
            field: 'properties.code',
            message: `the ${parentLayer} ${parentCode} that this code belongs to does not exist`,
          });
        }
      }
      if (!errors.length) {
        const boundary = g.data as Polygonal;
        if (layer === 'district')
          valid.districts.push({ ...(parsed.data as DistrictProps), boundary, index });
        else if (layer === 'street') valid.streets.push({ ...(parsed.data as StreetProps), boundary, index });
        else if (layer === 'community')
          valid.communities.push({ ...(parsed.data as CommunityProps), boundary, index });
        else valid.grids.push({ ...(parsed.data as GridProps), boundary, index });
      }
    }
    report();
  }

  const errorCount = reports.filter((r) => r.errors.length > 0).length;
  return { valid, reports, featureCount: features.length, errorCount };
}

export function normaliseChecklist(
  c: { haves?: Record<string, boolean>; nots?: Record<string, boolean> } | null | undefined,
): AlleyChecklist {
  return { haves: { ...(c?.haves ?? {}) }, nots: { ...(c?.nots ?? {}) } };
}
