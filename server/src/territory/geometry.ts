import * as gcoordModule from 'gcoord';

// gcoord's bundled type declarations export nothing, so its runtime shape is declared here.
interface Gcoord {
  WGS84: string;
  GCJ02: string;
  BD09: string;
  transform(input: [number, number], from: string, to: string): [number, number];
}
const gcoord = (gcoordModule as unknown as { default: Gcoord }).default;

/**
 * Plain geometry on WGS-84 lng/lat, with no I/O. Distances at city scale use a local equirectangular
 * projection, which is within a fraction of a metre of the geodesic over a few kilometres.
 */

export type Position = [number, number];
export type Ring = Position[];

export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Ring[];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Ring[][];
}
export type Polygonal = PolygonGeometry | MultiPolygonGeometry;

export type Crs = 'wgs84' | 'gcj02' | 'bd09';
export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09'] as const;

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Converts a point that arrived in another coordinate system to WGS-84. */
export function toWgs84(lng: number, lat: number, crs: Crs): Position {
  if (crs === 'wgs84') return [lng, lat];
  const from = crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
  const [x, y] = gcoord.transform([lng, lat], from, gcoord.WGS84) as Position;
  return [x, y];
}

export function fromWgs84(lng: number, lat: number, crs: Crs): Position {
  if (crs === 'wgs84') return [lng, lat];
  const to = crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
  const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, to) as Position;
  return [x, y];
}

export function haversineMeters(a: Position, b: Position): number {
  const dLat = (b[1] - a[1]) * RAD;
  const dLng = (b[0] - a[0]) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * RAD) * Math.cos(b[1] * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

export function lineLengthMeters(coords: Position[]): number {
  let total = 0;
  for (let i = 1; i < coords.length; i++) total += haversineMeters(coords[i - 1]!, coords[i]!);
  return total;
}

/** Metres per degree of longitude and latitude around a latitude. */
export function metersPerDegree(lat: number): { x: number; y: number } {
  const y = EARTH_RADIUS_M * RAD;
  return { x: y * Math.cos(lat * RAD), y };
}

function ringContains(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function polygonContains(rings: Ring[], x: number, y: number): boolean {
  if (!rings[0] || !ringContains(rings[0], x, y)) return false;
  for (let h = 1; h < rings.length; h++) if (ringContains(rings[h]!, x, y)) return false;
  return true;
}

export function pointInPolygonal(geometry: Polygonal, lng: number, lat: number): boolean {
  if (geometry.type === 'Polygon') return polygonContains(geometry.coordinates, lng, lat);
  return geometry.coordinates.some((p) => polygonContains(p, lng, lat));
}

export type BBox = [minX: number, minY: number, maxX: number, maxY: number];

export function bboxOf(points: Iterable<Position>): BBox {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const [x, y] of points) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

export function* polygonalPositions(geometry: Polygonal): Generator<Position> {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const rings of polygons) for (const ring of rings) yield* ring;
}

function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j]![0] + ring[i]![0]) * (ring[j]![1] - ring[i]![1]);
  }
  return a / 2;
}

/**
 * A point guaranteed to lie inside the polygon (the centroid when it does, otherwise the middle of the
 * widest horizontal chord through the centroid's latitude), so a map label or a "center" never falls
 * outside a concave street.
 */
export function interiorPoint(geometry: Polygonal): Position {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best = polygons[0]!;
  let bestArea = -1;
  for (const p of polygons) {
    const a = Math.abs(ringArea(p[0]!));
    if (a > bestArea) {
      bestArea = a;
      best = p;
    }
  }
  const outer = best[0]!;
  let cx = 0;
  let cy = 0;
  let a2 = 0;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const [xi, yi] = outer[i]!;
    const [xj, yj] = outer[j]!;
    const f = xj * yi - xi * yj;
    cx += (xj + xi) * f;
    cy += (yj + yi) * f;
    a2 += f;
  }
  const centroid: Position = a2 === 0 ? outer[0]! : [cx / (3 * a2), cy / (3 * a2)];
  if (polygonContains(best, centroid[0], centroid[1])) return centroid;
  const y = centroid[1];
  const xs: number[] = [];
  for (const ring of best) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
    }
  }
  xs.sort((p, q) => p - q);
  let widest: Position = outer[0]!;
  let width = -1;
  for (let k = 0; k + 1 < xs.length; k += 2) {
    if (xs[k + 1]! - xs[k]! > width) {
      width = xs[k + 1]! - xs[k]!;
      widest = [(xs[k]! + xs[k + 1]!) / 2, y];
    }
  }
  return widest;
}

/** Distance in metres from a point to a segment, on a local plane scaled at the point's latitude. */
export function pointSegmentMeters(
  p: Position,
  a: Position,
  b: Position,
  scale = metersPerDegree(p[1]),
): number {
  const ax = (a[0] - p[0]) * scale.x;
  const ay = (a[1] - p[1]) * scale.y;
  const bx = (b[0] - p[0]) * scale.x;
  const by = (b[1] - p[1]) * scale.y;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : -(ax * dx + ay * dy) / len2;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const x = ax + t * dx;
  const y = ay + t * dy;
  return Math.sqrt(x * x + y * y);
}

/** The point halfway along a line by length (not the middle vertex), e.g. to say which area holds it. */
export function lineStringMidpoint(coords: Position[]): Position {
  const half = lineLengthMeters(coords) / 2;
  let walked = 0;
  for (let i = 1; i < coords.length; i++) {
    const a = coords[i - 1]!;
    const b = coords[i]!;
    const step = haversineMeters(a, b);
    if (walked + step >= half && step > 0) {
      const t = (half - walked) / step;
      return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    }
    walked += step;
  }
  return coords[coords.length - 1]!;
}

/** Area in square metres (holes subtracted), on a local plane scaled at the middle latitude of its box. */
export function polygonalAreaSquareMeters(geometry: Polygonal): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const [, minY, , maxY] = bboxOf(polygonalPositions(geometry));
  const scale = metersPerDegree(Number.isFinite(minY) ? (minY + maxY) / 2 : 0);
  let total = 0;
  for (const rings of polygons) {
    rings.forEach((ring, k) => {
      const a = Math.abs(ringArea(ring)) * scale.x * scale.y;
      total += k === 0 ? a : -a;
    });
  }
  return total;
}
