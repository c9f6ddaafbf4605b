import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { api } from '../api/client';
import type { Position } from './crs';
import { type FeatureCollection, mapCollection } from './geojson';
import { BASE_SOURCE, baseLayers } from './mapStyle';

/** `/api/territory/basemap`, the whole territory or one street; the browser revalidates it by ETag. */
export function fetchBaseLayer(street?: string, signal?: AbortSignal): Promise<FeatureCollection> {
  return api.get<FeatureCollection>('/api/territory/basemap', street ? { street } : undefined, signal);
}

/**
 * Puts the base layer's data on a map whose style came from `baseStyle`. A style loaded from a
 * configured URL has no base source yet: it gets one, with the outline-only layers, on top.
 */
export function showBaseLayer(
  map: MapLibreMap,
  data: FeatureCollection,
  toDisplay?: (position: Position) => Position,
): void {
  if (!map.getSource(BASE_SOURCE)) {
    map.addSource(BASE_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    for (const layer of baseLayers({ overTiles: true })) map.addLayer(layer);
  }
  void map.getSource<GeoJSONSource>(BASE_SOURCE)?.setData(toDisplay ? mapCollection(data, toDisplay) : data);
}

type MapRegistry = Record<string, MapLibreMap>;

/**
 * Keeps a handle on each live map under a name (`territory`, `pin`, `case`) on `window.__hutongMaps`,
 * so that browser tests can ask MapLibre which labels it really drew. Returns the unregister function.
 */
export function registerMap(name: string, map: MapLibreMap): () => void {
  const holder = globalThis as { __hutongMaps?: MapRegistry };
  holder.__hutongMaps ??= {};
  holder.__hutongMaps[name] = map;
  return () => {
    if (holder.__hutongMaps?.[name] === map) delete holder.__hutongMaps[name];
  };
}
