import 'maplibre-gl/dist/maplibre-gl.css';
import { Alert } from 'antd';
import { type GeoJSONSource, Map as MapLibreMap, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapConfig } from '../api/types';
import { showBaseLayer } from '../map/baseLayer';
import { wgs84ToGcj02 } from '../map/crs';
import { EMPTY_COLLECTION, type FeatureCollection } from '../map/geojson';
import { ALLEY_SOURCE, baseStyle, OVERLAY_LAYERS, STREET_SOURCE } from '../map/mapStyle';
import { supportsWebgl2 } from '../map/webgl';
import { useBaseLayer, useMapConfig, useTerritoryGeojson } from '../territory/territoryApi';

setWorkerUrl(workerUrl);

const CELL_SOURCE = 'hutong-hotspot-cells';
const MAP_HEIGHT = 380;

export interface HotCell {
  cell: string;
  count: number;
  boundary: number[][];
}

/** H3 cells as polygons, shaded by their share of the busiest cell. */
export function cellCollection(cells: readonly HotCell[], shifted: boolean): FeatureCollection {
  const max = Math.max(1, ...cells.map((c) => c.count));
  return {
    type: 'FeatureCollection',
    features: cells.map((c) => {
      const ring = c.boundary.map((p) =>
        shifted ? wgs84ToGcj02([p[0] ?? 0, p[1] ?? 0]) : [p[0] ?? 0, p[1] ?? 0],
      );
      return {
        type: 'Feature',
        properties: { cell: c.cell, count: c.count, share: c.count / max },
        geometry: { type: 'Polygon', coordinates: [ring] },
      };
    }),
  } as FeatureCollection;
}

/** The hotspot map of the dashboard: clicking a cell opens its cases. */
export default function HotspotMap({
  cells,
  onSelect,
}: {
  cells: readonly HotCell[];
  onSelect: (cell: string) => void;
}) {
  const { t } = useTranslation();
  const [webgl] = useState(supportsWebgl2);
  const config = useMapConfig();
  if (!webgl) return <Alert type="warning" showIcon title={t('map.noWebgl')} />;
  if (config.isPending) return <div style={{ height: MAP_HEIGHT }} />;
  return (
    <CellMapView cells={cells} onSelect={onSelect} config={config.data ?? { tiles: null, styleUrl: null }} />
  );
}

function CellMapView({
  cells,
  onSelect,
  config,
}: {
  cells: readonly HotCell[];
  onSelect: (cell: string) => void;
  config: MapConfig;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const streets = useTerritoryGeojson('street');
  const base = useBaseLayer();
  const shifted = config.tiles?.crs === 'gcj02';
  const selectRef = useRef(onSelect);
  selectRef.current = onSelect;

  useEffect(() => {
    if (!ref.current) return;
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({
        container: ref.current,
        style: baseStyle(config),
        center: [116.366, 39.912],
        zoom: 12,
        attributionControl: { compact: true },
      });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      return;
    }
    instance.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    instance.on('load', () => {
      instance.addSource(STREET_SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      instance.addSource(ALLEY_SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of OVERLAY_LAYERS) instance.addLayer(layer);
      instance.addSource(CELL_SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      instance.addLayer({
        id: 'hotspot-cells',
        type: 'fill',
        source: CELL_SOURCE,
        paint: {
          'fill-color': [
            'interpolate',
            ['linear'],
            ['get', 'share'],
            0,
            '#fee5d9',
            0.5,
            '#fb6a4a',
            1,
            '#a50f15',
          ],
          'fill-opacity': 0.7,
          'fill-outline-color': '#67000d',
        },
      });
      instance.on('click', 'hotspot-cells', (event) => {
        const cell = event.features?.[0]?.properties?.cell;
        if (typeof cell === 'string') selectRef.current(cell);
      });
      instance.on('mouseenter', 'hotspot-cells', () => {
        instance.getCanvas().style.cursor = 'pointer';
      });
      instance.on('mouseleave', 'hotspot-cells', () => {
        instance.getCanvas().style.cursor = '';
      });
      setMap(instance);
    });
    return () => {
      setMap(null);
      instance.remove();
    };
  }, [config]);

  useEffect(() => {
    const source = map?.getSource<GeoJSONSource>(STREET_SOURCE);
    if (source && streets.data) void source.setData(streets.data);
  }, [map, streets.data]);

  // The named outlines and alleys under the data, as on every map.
  useEffect(() => {
    if (map && base.data) showBaseLayer(map, base.data, shifted ? wgs84ToGcj02 : undefined);
  }, [map, base.data, shifted]);

  useEffect(() => {
    const source = map?.getSource<GeoJSONSource>(CELL_SOURCE);
    if (source) void source.setData(cellCollection(cells, shifted));
  }, [map, cells, shifted]);

  if (failure) return <Alert type="warning" showIcon title={t('map.failed', { message: failure })} />;
  return (
    <section
      ref={ref}
      aria-label={t('evaluation.hotspots.mapLabel')}
      style={{ height: MAP_HEIGHT, borderRadius: 8, overflow: 'hidden' }}
    />
  );
}
