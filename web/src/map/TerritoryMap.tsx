import 'maplibre-gl/dist/maplibre-gl.css';
import { Alert, Button, Col, Flex, Row, Spin, Typography } from 'antd';
import {
  type GeoJSONSource,
  type LngLatBoundsLike,
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { describeError } from '../api/describeError';
import type { MapConfig } from '../api/types';
import { useBaseLayer, useMapConfig, useOpenCasePoints } from '../territory/territoryApi';
import { registerMap, showBaseLayer } from './baseLayer';
import {
  CASE_CLUSTER_LAYER,
  CASE_POINT_LAYER,
  CASE_SOURCE,
  CASE_STATE_COLOURS,
  caseLayers,
} from './caseLayer';
import { gcj02ToWgs84, type Position, wgs84ToGcj02 } from './crs';
import {
  type Bounds,
  collectionBounds,
  EMPTY_COLLECTION,
  type FeatureCollection,
  mapCollection,
} from './geojson';
import { LocatePanel, type LocatePoint } from './LocatePanel';
import {
  ALLEY_TYPE_COLOURS,
  baseStyle,
  SELECTED_STREET_LAYER,
  SELECTED_STREET_OUTLINE,
  selectedStreetOutlineFilter,
} from './mapStyle';
import { supportsWebgl2 } from './webgl';

// Bundlers do not follow MapLibre's own worker lookup; Vite emits the worker file and gives its URL.
setWorkerUrl(workerUrl);

const NO_TILES: MapConfig = { tiles: null, styleUrl: null };
const XICHENG_CENTRE: Position = [116.366, 39.912];
const MAP_HEIGHT = 480;
const HIT_SLACK_PX = 4;

interface CrsAdapter {
  /** The stored WGS-84 geometry as drawn on this base map. */
  toDisplay: (position: Position) => Position;
  /** A point picked on this base map, back in WGS-84. */
  fromDisplay: (position: Position) => Position;
  shifted: boolean;
}

function crsAdapter(config: MapConfig): CrsAdapter {
  if (config.tiles?.crs === 'gcj02')
    return { toDisplay: wgs84ToGcj02, fromDisplay: gcj02ToWgs84, shifted: true };
  const identity = (position: Position): Position => position;
  return { toDisplay: identity, fromDisplay: identity, shifted: false };
}

function roundPoint([lng, lat]: Position): LocatePoint {
  // Six decimals is about 0.1 m; it also keeps the locate query key stable for repeated clicks.
  return { lng: Number(lng.toFixed(6)), lat: Number(lat.toFixed(6)) };
}

function asBounds([west, south, east, north]: Bounds): LngLatBoundsLike {
  return [
    [west, south],
    [east, north],
  ];
}

interface TerritoryMapProps {
  streetCode: string | null;
  onSelectStreet: (code: string) => void;
}

export default function TerritoryMap(props: TerritoryMapProps) {
  const { t } = useTranslation();
  const [webgl] = useState(supportsWebgl2);
  const config = useMapConfig();

  if (!webgl) return <Alert type="warning" showIcon title={t('map.noWebgl')} />;
  if (config.isPending) {
    return (
      <div style={{ height: MAP_HEIGHT, display: 'grid', placeItems: 'center' }}>
        <Spin description={t('map.loading')} />
      </div>
    );
  }
  // A broken config endpoint should not cost the user the map: draw it without base tiles.
  return <MapView {...props} config={config.data ?? NO_TILES} />;
}

/** The street's outline, or every street's when none is selected: what the map frames. */
function focusOf(base: FeatureCollection, streetCode: string | null): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: base.features.filter(
      (f) => f.properties?.kind === 'street' && (!streetCode || f.properties.code === streetCode),
    ),
  };
}

function MapView({ streetCode, onSelectStreet, config }: TerritoryMapProps & { config: MapConfig }) {
  const { t } = useTranslation();
  const containerRef = useRef<HTMLElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [point, setPoint] = useState<LocatePoint | null>(null);
  const adapter = useMemo(() => crsAdapter(config), [config]);
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;
  const base = useBaseLayer();
  const cases = useOpenCasePoints();

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({
        container,
        style: baseStyle(config),
        center: adapter.toDisplay(XICHENG_CENTRE),
        zoom: 12,
        attributionControl: { compact: true },
      });
    } catch (error) {
      // WebGL can pass the capability check and still fail to start (blocked GPU, lost context).
      setFailure(error instanceof Error ? error.message : String(error));
      return;
    }
    instance.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    instance.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    const unregister = registerMap('territory', instance);
    instance.on('load', () => {
      showBaseLayer(instance, EMPTY_COLLECTION);
      instance.addLayer(SELECTED_STREET_OUTLINE);
      instance.addSource(CASE_SOURCE, {
        type: 'geojson',
        data: EMPTY_COLLECTION,
        cluster: true,
        clusterMaxZoom: 15,
        clusterRadius: 40,
        clusterProperties: { overdue: ['+', ['case', ['get', 'overdue'], 1, 0]] },
      });
      for (const layer of caseLayers()) instance.addLayer(layer);
      for (const layer of [CASE_POINT_LAYER, CASE_CLUSTER_LAYER]) {
        instance.on('mouseenter', layer, () => {
          instance.getCanvas().style.cursor = 'pointer';
        });
        instance.on('mouseleave', layer, () => {
          instance.getCanvas().style.cursor = '';
        });
      }
      setMap(instance);
    });
    instance.on('click', (event) => {
      // A case point opens the case; a cluster zooms in to split; anywhere else is located.
      const layers = [CASE_POINT_LAYER, CASE_CLUSTER_LAYER].filter((id) => instance.getLayer(id));
      // A few pixels of slack: a finger, or a click on the dot's edge, still hits its 6-px circle.
      const { x, y } = event.point;
      const box: [[number, number], [number, number]] = [
        [x - HIT_SLACK_PX, y - HIT_SLACK_PX],
        [x + HIT_SLACK_PX, y + HIT_SLACK_PX],
      ];
      const [hit] = layers.length ? instance.queryRenderedFeatures(box, { layers }) : [];
      if (hit?.layer.id === CASE_POINT_LAYER && typeof hit.properties.id === 'string') {
        void navigateRef.current(`/cases/${encodeURIComponent(hit.properties.id)}`);
        return;
      }
      if (hit?.layer.id === CASE_CLUSTER_LAYER && hit.geometry.type === 'Point') {
        const source = instance.getSource<GeoJSONSource>(CASE_SOURCE);
        const centre = hit.geometry.coordinates as [number, number];
        void source?.getClusterExpansionZoom(Number(hit.properties.cluster_id)).then((zoom) => {
          instance.easeTo({ center: centre, zoom });
        });
        return;
      }
      setPoint(roundPoint(adapter.fromDisplay([event.lngLat.lng, event.lngLat.lat])));
    });
    return () => {
      unregister();
      setMap(null);
      instance.remove();
    };
  }, [config, adapter]);

  useEffect(() => {
    if (map && base.data) showBaseLayer(map, base.data, adapter.shifted ? adapter.toDisplay : undefined);
  }, [map, base.data, adapter]);

  useEffect(() => {
    const source = map?.getSource<GeoJSONSource>(CASE_SOURCE);
    if (!source || !cases.data) return;
    const points = cases.data as FeatureCollection;
    void source.setData(adapter.shifted ? mapCollection(points, adapter.toDisplay) : points);
  }, [map, cases.data, adapter]);

  useEffect(() => {
    map?.setFilter(SELECTED_STREET_LAYER, selectedStreetOutlineFilter(streetCode));
  }, [map, streetCode]);

  // Frame the selected street, or the whole territory when no street is selected.
  const focus = useMemo(() => (base.data ? focusOf(base.data, streetCode) : null), [base.data, streetCode]);
  useEffect(() => {
    if (!map || !focus) return;
    const bounds = collectionBounds(adapter.shifted ? mapCollection(focus, adapter.toDisplay) : focus);
    if (bounds) map.fitBounds(asBounds(bounds), { padding: 32, maxZoom: 17, duration: 0 });
  }, [map, focus, adapter]);

  useEffect(() => {
    if (!map || !point) return;
    const marker = new Marker({ color: '#fa541c' })
      .setLngLat(adapter.toDisplay([point.lng, point.lat]))
      .addTo(map);
    return () => {
      marker.remove();
    };
  }, [map, point, adapter]);

  const locateCentre = () => {
    if (!map) return;
    const centre = map.getCenter();
    setPoint(roundPoint(adapter.fromDisplay([centre.lng, centre.lat])));
  };

  if (failure) return <Alert type="warning" showIcon title={t('map.failed', { message: failure })} />;

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={16}>
        <section
          ref={containerRef}
          aria-label={t('map.regionLabel')}
          style={{ height: MAP_HEIGHT, borderRadius: 6, overflow: 'hidden' }}
        />
        <MapLegend
          openCases={cases.data?.total ?? null}
          shown={cases.data?.truncated ? cases.data.features.length : null}
        />
      </Col>
      <Col xs={24} lg={8}>
        <Flex vertical gap={12}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('map.clickHint')}
          </Typography.Paragraph>
          <Button onClick={locateCentre} disabled={!map}>
            {t('map.locateCentre')}
          </Button>
          <Typography.Text type="secondary">{adapter.shifted ? t('map.tilesShifted') : null}</Typography.Text>
          {!config.tiles && !config.styleUrl && (
            <Typography.Text type="secondary">{t('map.noTiles')}</Typography.Text>
          )}
          {base.isError && <Alert type="error" title={describeError(t, base.error)} />}
          {point && <LocatePanel point={point} onSelectStreet={onSelectStreet} />}
        </Flex>
      </Col>
    </Row>
  );
}

function MapLegend({ openCases, shown }: { openCases: number | null; shown: number | null }) {
  const { t } = useTranslation();
  return (
    <Flex gap={16} wrap style={{ marginTop: 8 }} aria-label={t('map.legend')} role="list">
      {openCases !== null &&
        (['normal', 'overdue'] as const).map((kind) => (
          <Flex key={kind} align="center" gap={6} role="listitem">
            <span
              aria-hidden
              style={{ width: 12, height: 12, borderRadius: 6, background: CASE_STATE_COLOURS[kind] }}
            />
            <Typography.Text>{t(`map.cases.${kind}`)}</Typography.Text>
          </Flex>
        ))}
      {openCases !== null && (
        <Typography.Text type="secondary" role="listitem">
          {shown === null
            ? t('map.cases.count', { count: openCases })
            : t('map.cases.countTruncated', { count: openCases, shown })}
        </Typography.Text>
      )}
      {(Object.keys(ALLEY_TYPE_COLOURS) as (keyof typeof ALLEY_TYPE_COLOURS)[]).map((alleyType) => (
        <Flex key={alleyType} align="center" gap={6} role="listitem">
          <span
            aria-hidden
            style={{ width: 24, height: 4, borderRadius: 2, background: ALLEY_TYPE_COLOURS[alleyType] }}
          />
          <Typography.Text>{t(`alleyType.${alleyType}`)}</Typography.Text>
        </Flex>
      ))}
    </Flex>
  );
}
