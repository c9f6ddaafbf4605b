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
 * Whether this page runs under browser automation (`navigator.webdriver`, which Chromium sets when a
 * test drives it) or on the dev server. Only then do the maps get a handle on `window`: a user's
 * browser never carries one.
 */
export function testHooksEnabled(
  nav: { webdriver?: boolean } | undefined = globalThis.navigator,
  dev: boolean = import.meta.env.DEV,
): boolean {
  return dev || nav?.webdriver === true;
}

/**
 * Keeps a handle on each live map under a name (`territory`, `pin`, `case`) on `window.__hutongMaps`,
 * so that browser tests can ask MapLibre which labels it really drew and where a case is drawn.
 * Nothing is registered outside tests (`testHooksEnabled`). Returns the unregister function.
 */
export function registerMap(name: string, map: MapLibreMap, enabled = testHooksEnabled()): () => void {
  if (!enabled) return () => {};
  const holder = globalThis as { __hutongMaps?: MapRegistry };
  holder.__hutongMaps ??= {};
  holder.__hutongMaps[name] = map;
  return () => {
    if (holder.__hutongMaps?.[name] === map) delete holder.__hutongMaps[name];
  };
}
