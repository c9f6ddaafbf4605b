import 'maplibre-gl/dist/maplibre-gl.css';
import { Alert } from 'antd';
import { type GeoJSONSource, Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapConfig } from '../api/types';
import { wgs84ToGcj02 } from '../map/crs';
import { EMPTY_COLLECTION, mapCollection } from '../map/geojson';
import { ALLEY_SOURCE, baseStyle, OVERLAY_LAYERS } from '../map/mapStyle';
import { supportsWebgl2 } from '../map/webgl';
import { useMapConfig, useTerritoryGeojson } from '../territory/territoryApi';

setWorkerUrl(workerUrl);

const NO_TILES: MapConfig = { tiles: null, styleUrl: null };
const ALLEY_LAYERS = OVERLAY_LAYERS.filter((layer) => 'source' in layer && layer.source === ALLEY_SOURCE);

interface CaseMapProps {
  lng: number;
  lat: number;
  streetCode: string;
}

/** A small map of where the case is, with the alleys of its street for orientation. Lazy-loaded. */
export default function CaseMap({ lng, lat, streetCode }: CaseMapProps) {
  const { t } = useTranslation();
  const [webgl] = useState(supportsWebgl2);
  const config = useMapConfig();
  const alleys = useTerritoryGeojson('alley', streetCode);
  const containerRef = useRef<HTMLElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const resolved = config.data ?? (config.isError ? NO_TILES : null);
  const shifted = resolved?.tiles?.crs === 'gcj02';

  useEffect(() => {
    const container = containerRef.current;
    if (!container || !resolved || !webgl) return;
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({
        container,
        style: baseStyle(resolved),
        center: shifted ? wgs84ToGcj02([lng, lat]) : [lng, lat],
        zoom: 16,
        attributionControl: { compact: true },
      });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      return;
    }
    instance.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    const marker = new Marker({ color: '#a8071a' })
      .setLngLat(shifted ? wgs84ToGcj02([lng, lat]) : [lng, lat])
      .addTo(instance);
    instance.on('load', () => {
      instance.addSource(ALLEY_SOURCE, { type: 'geojson', data: EMPTY_COLLECTION });
      for (const layer of ALLEY_LAYERS) instance.addLayer(layer);
      setMap(instance);
    });
    return () => {
      setMap(null);
      marker.remove();
      instance.remove();
    };
  }, [resolved, shifted, lng, lat, webgl]);

  useEffect(() => {
    const source = map?.getSource<GeoJSONSource>(ALLEY_SOURCE);
    if (!source || !alleys.data) return;
    void source.setData(shifted ? mapCollection(alleys.data, wgs84ToGcj02) : alleys.data);
  }, [map, alleys.data, shifted]);

  if (!webgl) return <Alert type="warning" title={t('map.noWebgl')} />;
  if (failure) return <Alert type="warning" title={t('map.failed', { message: failure })} />;
  return (
    <section
      ref={containerRef}
      aria-label={t('cases.page.map')}
      style={{ height: 240, borderRadius: 6, overflow: 'hidden' }}
    />
  );
}
