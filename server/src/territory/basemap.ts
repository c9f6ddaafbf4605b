import { createHash } from 'node:crypto';
import type { AlleyType, LineStringGeometry } from '../db/schema.ts';
import { interiorPoint, type Polygonal, type Position } from './geometry.ts';

/**
 * The base layer every map draws when no tile server is configured (and under the overlays when one
 * is): street and community outlines with their names, a label point inside each, and the alleys as
 * named lines. Public territory data only: codes, names, shapes and the alley type — never an alley
 * chief, a phone or anything about a case. A pure function of the rows, so its ETag is stable.
 */

export interface BaseAreaRow {
  code: string;
  name: string;
  boundary: Polygonal;
  approximate: boolean;
}

export interface BaseStreetRow extends BaseAreaRow {
  /** The street's stored interior point (the same one `/api/territory/streets` calls its centre). */
  center: Position;
}

export interface BaseAlleyRow {
  id: string;
  name: string;
  streetCode: string;
  alleyType: AlleyType;
  geometry: LineStringGeometry;
  approximate: boolean;
}

export type BaseKind = 'street' | 'community' | 'street-label' | 'community-label' | 'alley';

export interface BaseFeature {
  type: 'Feature';
  id: string;
  properties: {
    kind: BaseKind;
    code: string;
    name: string;
    approximate: boolean;
    alleyType?: AlleyType;
    streetCode?: string;
  };
  geometry:
    | Polygonal
    | LineStringGeometry
    | { type: 'Point'; coordinates: Position }
    | { type: 'MultiPolygon'; coordinates: Position[][][] };
}

export interface BaseLayer {
  type: 'FeatureCollection';
  features: BaseFeature[];
}

/** Six decimals is about 0.1 m: finer than any outline here, and it keeps the answer small. */
const PRECISION = 1e6;
const round = (v: number) => Math.round(v * PRECISION) / PRECISION;
const roundPosition = ([lng, lat]: Position): Position => [round(lng), round(lat)];

/** Rounds every vertex and drops the consecutive duplicates rounding creates (rings stay closed). */
function roundLine(line: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of line) {
    const q = roundPosition(p);
    const last = out.at(-1);
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}

export function roundPolygonal(geometry: Polygonal): Polygonal {
  if (geometry.type === 'Polygon') {
    return { type: 'Polygon', coordinates: geometry.coordinates.map(roundLine) };
  }
  return {
    type: 'MultiPolygon',
    coordinates: geometry.coordinates.map((polygon) => polygon.map(roundLine)),
  };
}

/**
 * Areas come first (streets under communities), then the label points, then the alleys, so a map that
 * draws the collection as one source stacks them sensibly even without per-kind layers.
 */
export function buildBaseLayer(input: {
  streets: BaseStreetRow[];
  communities: BaseAreaRow[];
  alleys: BaseAlleyRow[];
}): BaseLayer {
  const features: BaseFeature[] = [];
  const area = (kind: 'street' | 'community', row: BaseAreaRow): BaseFeature => ({
    type: 'Feature',
    id: `${kind}:${row.code}`,
    properties: { kind, code: row.code, name: row.name, approximate: row.approximate },
    geometry: roundPolygonal(row.boundary),
  });
  const label = (kind: 'street-label' | 'community-label', row: BaseAreaRow, at: Position): BaseFeature => ({
    type: 'Feature',
    id: `${kind}:${row.code}`,
    properties: { kind, code: row.code, name: row.name, approximate: row.approximate },
    geometry: { type: 'Point', coordinates: roundPosition(at) },
  });
  for (const s of input.streets) features.push(area('street', s));
  for (const c of input.communities) features.push(area('community', c));
  for (const s of input.streets) features.push(label('street-label', s, s.center));
  // A community's label sits at a point inside it, not at a centroid that a concave outline leaves out.
  for (const c of input.communities) features.push(label('community-label', c, interiorPoint(c.boundary)));
  for (const a of input.alleys) {
    const coordinates = roundLine(a.geometry.coordinates as Position[]);
    if (coordinates.length < 2) continue;
    features.push({
      type: 'Feature',
      id: `alley:${a.id}`,
      properties: {
        kind: 'alley',
        code: a.id,
        name: a.name,
        approximate: a.approximate,
        alleyType: a.alleyType,
        streetCode: a.streetCode,
      },
      geometry: { type: 'LineString', coordinates },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** A strong validator of the serialised layer: equal bytes, equal tag. */
export function baseLayerEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
