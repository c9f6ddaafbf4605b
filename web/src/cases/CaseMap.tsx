import 'maplibre-gl/dist/maplibre-gl.css';
import { Alert } from 'antd';
import { Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MapConfig } from '../api/types';
import { registerMap, showBaseLayer } from '../map/baseLayer';
import { wgs84ToGcj02 } from '../map/crs';
import { baseStyle } from '../map/mapStyle';
import { supportsWebgl2 } from '../map/webgl';
import { useBaseLayer, useMapConfig } from '../territory/territoryApi';

setWorkerUrl(workerUrl);

const NO_TILES: MapConfig = { tiles: null, styleUrl: null };

interface CaseMapProps {
  lng: number;
  lat: number;
  streetCode: string;
}

/** A small map of where the case is, with its street's outlines and named alleys. Lazy-loaded. */
export default function CaseMap({ lng, lat, streetCode }: CaseMapProps) {
  const { t } = useTranslation();
  const [webgl] = useState(supportsWebgl2);
  const config = useMapConfig();
  const base = useBaseLayer(streetCode);
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
    const unregister = registerMap('case', instance);
    instance.on('load', () => {
      setMap(instance);
    });
    return () => {
      unregister();
      setMap(null);
      marker.remove();
      instance.remove();
    };
  }, [resolved, shifted, lng, lat, webgl]);

  useEffect(() => {
    if (map && base.data) showBaseLayer(map, base.data, shifted ? wgs84ToGcj02 : undefined);
  }, [map, base.data, shifted]);

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
