import 'maplibre-gl/dist/maplibre-gl.css';
import { Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api/client';
import type { MapConfig } from '../api/types';
import { fetchBaseLayer, registerMap, showBaseLayer } from '../map/baseLayer';
import { gcj02ToWgs84, type Position, wgs84ToGcj02 } from '../map/crs';
import { baseStyle } from '../map/mapStyle';
import { supportsWebgl2 } from '../map/webgl';
import { useI18n } from './i18n';

setWorkerUrl(workerUrl);

const XICHENG_CENTRE: Position = [116.366, 39.912];

async function mapConfig(): Promise<MapConfig> {
  try {
    return await api.get<MapConfig>('/api/config/map');
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { tiles: null, styleUrl: null };
    throw error;
  }
}

interface PinMapProps {
  point: { lng: number; lat: number } | null;
  onChange: (lng: number, lat: number) => void;
}

/**
 * A map with one draggable pin, in its own chunk. The pin is shown on the base map's datum (GCJ-02
 * tiles shift it) and always reported back in WGS-84, which is what the report stores.
 */
export default function PinMap({ point, onChange }: PinMapProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLElement>(null);
  const markerRef = useRef<Marker | null>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const reportRef = useRef<((position: Position) => void) | null>(null);
  // The map's listeners are bound once; they call whatever `onChange` the latest render passed.
  const onChangeRef = useRef(onChange);
  useLayoutEffect(() => {
    onChangeRef.current = onChange;
  });
  const [failure, setFailure] = useState<string | null>(null);
  const [shifted, setShifted] = useState(false);
  // Only the first point centres the map; later ones come from the pin itself.
  const initialPoint = useRef(point);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    if (!supportsWebgl2()) {
      setFailure('WebGL 2');
      return;
    }
    let map: MapLibreMap | null = null;
    let unregister = () => {};
    let cancelled = false;
    void (async () => {
      const config = await mapConfig().catch((): MapConfig => ({ tiles: null, styleUrl: null }));
      if (cancelled) return;
      const gcj = config.tiles?.crs === 'gcj02';
      setShifted(gcj);
      const toDisplay = (position: Position) => (gcj ? wgs84ToGcj02(position) : position);
      const fromDisplay = (position: Position) => (gcj ? gcj02ToWgs84(position) : position);
      const start = initialPoint.current;
      const centre = toDisplay(start ? [start.lng, start.lat] : XICHENG_CENTRE);
      try {
        map = new MapLibreMap({
          container,
          style: baseStyle(config),
          center: centre,
          zoom: start ? 17 : 13,
          attributionControl: { compact: true },
        });
      } catch (error) {
        setFailure(error instanceof Error ? error.message : String(error));
        return;
      }
      map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
      unregister = registerMap('pin', map);
      const marker = new Marker({ color: '#a8071a', draggable: true }).setLngLat(centre).addTo(map);
      markerRef.current = marker;
      mapRef.current = map;
      const report = (position: Position) => {
        const [lng, lat] = fromDisplay(position);
        onChangeRef.current(lng, lat);
      };
      reportRef.current = report;
      marker.on('dragend', () => {
        const { lng, lat } = marker.getLngLat();
        report([lng, lat]);
      });
      map.on('click', (event) => {
        marker.setLngLat(event.lngLat);
        report([event.lngLat.lng, event.lngLat.lat]);
      });
      // Without a start point the map's centre is as good a first guess as any.
      if (!start) report(centre);
      const loaded = map;
      // Street, community and alley names tell the resident where the pin is; it works without them.
      const baseLayer = fetchBaseLayer().catch(() => null);
      loaded.on('load', () => {
        void baseLayer.then((data) => {
          if (data && !cancelled) showBaseLayer(loaded, data, gcj ? wgs84ToGcj02 : undefined);
        });
      });
    })();
    return () => {
      cancelled = true;
      markerRef.current = null;
      mapRef.current = null;
      reportRef.current = null;
      unregister();
      map?.remove();
    };
  }, []);

  // A new GPS fix moves the pin to it.
  useEffect(() => {
    if (!point || !markerRef.current) return;
    const current = markerRef.current.getLngLat();
    const shown: Position = shifted ? wgs84ToGcj02([point.lng, point.lat]) : [point.lng, point.lat];
    if (Math.abs(current.lng - shown[0]) > 1e-6 || Math.abs(current.lat - shown[1]) > 1e-6) {
      markerRef.current.setLngLat(shown);
    }
  }, [point, shifted]);

  // Dragging needs a pointer; keyboard users pan the map with the arrow keys and drop the pin here.
  const pinToCentre = () => {
    const map = mapRef.current;
    if (!map || !markerRef.current) return;
    const { lng, lat } = map.getCenter();
    markerRef.current.setLngLat([lng, lat]);
    reportRef.current?.([lng, lat]);
  };

  if (failure) return <p className="hint">{t('report.mapUnavailable', { message: failure })}</p>;
  return (
    <div className="pin-map-wrap">
      <p className="hint">{t('report.mapHint')}</p>
      <section ref={containerRef} className="pin-map" aria-label={t('report.mapRegion')} />
      <button type="button" className="button button-secondary" onClick={pinToCentre}>
        {t('report.pinToCentre')}
      </button>
    </div>
  );
}
