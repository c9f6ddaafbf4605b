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
import type { HotIssue } from './intelligenceTypes';

setWorkerUrl(workerUrl);

const ISSUE_SOURCE = 'hutong-hot-issues';
const MAP_HEIGHT = 420;

/** The issues as points; the circle grows with the heat's square root, so area follows heat. */
export function issueCollection(issues: readonly HotIssue[], shifted: boolean): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: issues.map((i) => ({
      type: 'Feature',
      properties: { rank: i.rank, label: String(i.rank), radius: 6 + 3 * Math.sqrt(i.heat) },
      geometry: { type: 'Point', coordinates: shifted ? wgs84ToGcj02([i.lng, i.lat]) : [i.lng, i.lat] },
    })),
  } as FeatureCollection;
}

/** Hot issues on the map of the territory; clicking one selects it in the list. */
export default function HotIssueMap({
  issues,
  onSelect,
}: {
  issues: readonly HotIssue[];
  onSelect: (rank: number) => void;
}) {
  const { t } = useTranslation();
  const [webgl] = useState(supportsWebgl2);
  const config = useMapConfig();
  if (!webgl) return <Alert type="warning" showIcon title={t('map.noWebgl')} />;
  if (config.isPending) return <div style={{ height: MAP_HEIGHT }} />;
  return (
    <IssueMapView
      issues={issues}
      onSelect={onSelect}
      config={config.data ?? { tiles: null, styleUrl: null }}
    />
  );
}

function IssueMapView({
  issues,
  onSelect,
  config,
}: {
  issues: readonly HotIssue[];
  onSelect: (rank: number) => void;
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
      instance.addSource(ISSUE_SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      instance.addLayer({
        id: 'hot-issue-circles',
        type: 'circle',
        source: ISSUE_SOURCE,
        paint: {
          'circle-radius': ['get', 'radius'],
          'circle-color': '#f5222d',
          'circle-opacity': 0.55,
          'circle-stroke-color': '#a8071a',
          'circle-stroke-width': 1,
        },
      });
      instance.on('click', 'hot-issue-circles', (event) => {
        const rank = event.features?.[0]?.properties?.rank;
        if (typeof rank === 'number') selectRef.current(rank);
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
    const source = map?.getSource<GeoJSONSource>(ISSUE_SOURCE);
    if (!source || !map) return;
    void source.setData(issueCollection(issues, shifted));
    if (issues.length > 0) {
      const lngs = issues.map((i) => i.lng);
      const lats = issues.map((i) => i.lat);
      map.fitBounds(
        [
          [Math.min(...lngs), Math.min(...lats)],
          [Math.max(...lngs), Math.max(...lats)],
        ],
        { padding: 48, maxZoom: 15, duration: 0 },
      );
    }
  }, [map, issues, shifted]);

  if (failure) return <Alert type="warning" showIcon title={t('map.failed', { message: failure })} />;
  return (
    <section
      ref={ref}
      aria-label={t('intelligence.hot.mapLabel')}
      style={{ height: MAP_HEIGHT, borderRadius: 6, overflow: 'hidden' }}
    />
  );
}
