import type { Position } from './crs';

/** The subset of GeoJSON (RFC 7946) the territory endpoints return. */
export type Geometry =
  | { type: 'Point'; coordinates: number[] }
  | { type: 'MultiPoint'; coordinates: number[][] }
  | { type: 'LineString'; coordinates: number[][] }
  | { type: 'MultiLineString'; coordinates: number[][][] }
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };

export type FeatureProperties = { [key: string]: unknown };

export interface Feature {
  type: 'Feature';
  id?: string | number;
  geometry: Geometry | null;
  properties: FeatureProperties | null;
}

export interface FeatureCollection {
  type: 'FeatureCollection';
  features: Feature[];
}

export const EMPTY_COLLECTION: FeatureCollection = { type: 'FeatureCollection', features: [] };

type PositionMapper = (position: Position) => Position;

function mapPosition(position: number[], mapper: PositionMapper): number[] {
  const [lng = 0, lat = 0, ...rest] = position;
  return [...mapper([lng, lat]), ...rest];
}

function mapGeometry(geometry: Geometry, mapper: PositionMapper): Geometry {
  const one = (position: number[]) => mapPosition(position, mapper);
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: one(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { type: geometry.type, coordinates: geometry.coordinates.map(one) };
    case 'MultiLineString':
    case 'Polygon':
      return { type: geometry.type, coordinates: geometry.coordinates.map((ring) => ring.map(one)) };
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(one))),
      };
  }
}

/** Applies a coordinate transformation (e.g. WGS-84 → GCJ-02) to every vertex. */
export function mapCollection(collection: FeatureCollection, mapper: PositionMapper): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: collection.features.map((feature) => ({
      ...feature,
      geometry: feature.geometry ? mapGeometry(feature.geometry, mapper) : null,
    })),
  };
}

export type Bounds = [west: number, south: number, east: number, north: number];

function visitPositions(geometry: Geometry, visit: (position: number[]) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates);
      return;
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(visit);
      return;
    case 'MultiLineString':
    case 'Polygon':
      for (const ring of geometry.coordinates) ring.forEach(visit);
      return;
    case 'MultiPolygon':
      for (const polygon of geometry.coordinates) for (const ring of polygon) ring.forEach(visit);
  }
}

export function collectionBounds(collection: FeatureCollection): Bounds | null {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  for (const feature of collection.features) {
    if (!feature.geometry) continue;
    visitPositions(feature.geometry, ([lng, lat]) => {
      if (lng === undefined || lat === undefined) return;
      west = Math.min(west, lng);
      east = Math.max(east, lng);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    });
  }
  return Number.isFinite(west) ? [west, south, east, north] : null;
}
