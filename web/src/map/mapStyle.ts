import type {
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { MapConfig } from '../api/types';
import { EMPTY_COLLECTION } from './geojson';

export const STREET_SOURCE = 'hutong-streets';
export const ALLEY_SOURCE = 'hutong-alleys';
export const SELECTED_STREET_LAYER = 'hutong-street-selected';

/** The base layer of `/api/territory/basemap`: outlines, label points and alleys, with names. */
export const BASE_SOURCE = 'hutong-base';
export const BASE_LABEL_LAYERS = {
  street: 'base-street-label',
  community: 'base-community-label',
  /** Lanes; streets and main alleys are in `base-alley-label-major`. */
  alley: 'base-alley-label',
} as const;

export const ALLEY_TYPE_COLOURS = {
  major_street: '#722ed1',
  main_street: '#2f54eb',
  lane: '#08979c',
} as const;

/**
 * Labels are drawn by MapLibre from the browser's own fonts (no `glyphs` URL in the style: every
 * glyph, CJK or Latin, is rasterised locally), so a machine without a glyph server still shows names.
 * The first family found wins; `sans-serif` is the last resort. See docs/decisions/0005.
 */
export const LABEL_FONT = [
  'Noto Sans CJK SC',
  'Microsoft YaHei',
  'PingFang SC',
  'WenQuanYi Micro Hei',
  'sans-serif',
];

/** Zoom levels at which names appear: streets always, communities closer, alleys in a street view. */
export const LABEL_MIN_ZOOM = { community: 13, majorAlley: 14.5, alley: 15.5 } as const;

const kindIs = (kind: string): ExpressionSpecification => ['==', ['get', 'kind'], kind];

const alleyColour: ExpressionSpecification = [
  'match',
  ['get', 'alleyType'],
  'major_street',
  ALLEY_TYPE_COLOURS.major_street,
  'main_street',
  ALLEY_TYPE_COLOURS.main_street,
  ALLEY_TYPE_COLOURS.lane,
];

const alleyWidth: ExpressionSpecification = [
  'match',
  ['get', 'alleyType'],
  'major_street',
  5,
  'main_street',
  3.5,
  2.5,
];

/** Widths grow with the zoom: a hairline over the whole district, the alley's own width up close. */
const alleyWidthByZoom: ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['zoom'],
  12,
  ['*', 0.3, alleyWidth],
  15,
  alleyWidth,
  18,
  ['*', 2.4, alleyWidth],
];

const halo = { 'text-halo-color': '#ffffff', 'text-halo-width': 1.6, 'text-halo-blur': 0.5 } as const;

/**
 * The base layers, drawn from BASE_SOURCE. Over raster tiles the areas are only outlined (the tiles
 * already say where the ground is); without tiles they are filled so the map is not an empty page.
 */
export function baseLayers(options: { overTiles: boolean }): LayerSpecification[] {
  const { overTiles } = options;
  const layers: LayerSpecification[] = [];
  if (!overTiles) {
    layers.push(
      {
        id: 'base-street-fill',
        type: 'fill',
        source: BASE_SOURCE,
        filter: kindIs('street'),
        paint: { 'fill-color': '#f7f4ec' },
      },
      {
        id: 'base-community-fill',
        type: 'fill',
        source: BASE_SOURCE,
        filter: kindIs('community'),
        minzoom: 12,
        paint: {
          'fill-color': '#ffffff',
          'fill-opacity': ['interpolate', ['linear'], ['zoom'], 12, 0, 14, 0.55],
        },
      },
    );
  }
  layers.push(
    {
      id: 'base-community-line',
      type: 'line',
      source: BASE_SOURCE,
      filter: kindIs('community'),
      minzoom: 12.5,
      paint: { 'line-color': '#a6a29a', 'line-width': 1, 'line-dasharray': [3, 2] },
    },
    {
      id: 'base-street-line',
      type: 'line',
      source: BASE_SOURCE,
      filter: kindIs('street'),
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': '#8c6d46',
        'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1.2, 16, 2.5],
        'line-opacity': 0.85,
      },
    },
    {
      id: 'base-alley-line',
      type: 'line',
      source: BASE_SOURCE,
      filter: kindIs('alley'),
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': alleyColour, 'line-width': alleyWidthByZoom, 'line-opacity': 0.9 },
    },
    ...(['major', 'lane'] as const).map(
      (tier): LayerSpecification => ({
        id: tier === 'lane' ? BASE_LABEL_LAYERS.alley : `${BASE_LABEL_LAYERS.alley}-major`,
        type: 'symbol',
        source: BASE_SOURCE,
        filter: [
          'all',
          kindIs('alley'),
          tier === 'lane' ? ['==', ['get', 'alleyType'], 'lane'] : ['!=', ['get', 'alleyType'], 'lane'],
        ],
        // Streets and main alleys are named a little earlier than lanes.
        minzoom: tier === 'lane' ? LABEL_MIN_ZOOM.alley : LABEL_MIN_ZOOM.majorAlley,
        layout: {
          'symbol-placement': 'line',
          'text-field': ['get', 'name'],
          'text-font': LABEL_FONT,
          'text-size': ['interpolate', ['linear'], ['zoom'], 14.5, 11, 18, 14],
          'text-max-angle': 35,
          'symbol-spacing': 300,
        },
        paint: { 'text-color': '#333333', ...halo },
      }),
    ),
    {
      id: BASE_LABEL_LAYERS.community,
      type: 'symbol',
      source: BASE_SOURCE,
      filter: kindIs('community-label'),
      minzoom: LABEL_MIN_ZOOM.community,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': 12,
        'text-max-width': 6,
      },
      paint: { 'text-color': '#6b6358', ...halo },
    },
    {
      id: BASE_LABEL_LAYERS.street,
      type: 'symbol',
      source: BASE_SOURCE,
      filter: kindIs('street-label'),
      // Up close the street is the whole screen and its alleys' names matter more.
      maxzoom: 16.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': LABEL_FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 11, 12, 15, 17],
        'text-max-width': 8,
        'text-allow-overlap': false,
      },
      paint: { 'text-color': '#5b3f1d', ...halo, 'text-halo-width': 2 },
    },
  );
  return layers;
}

/**
 * The style every map starts from: a background, the configured raster tiles if any, and the base
 * layer (filled by `loadBaseLayer`). A configured style URL is used as it is; the base layers are then
 * added on top once it has loaded (see `addBaseLayers`).
 */
export function baseStyle(config: MapConfig): StyleSpecification | string {
  if (config.styleUrl) return config.styleUrl;
  const sources: Record<string, SourceSpecification> = {
    [BASE_SOURCE]: { type: 'geojson', data: EMPTY_COLLECTION },
  };
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': '#ebe6da' } },
  ];
  if (config.tiles) {
    sources.base = { type: 'raster', tiles: [config.tiles.url], tileSize: 256 };
    layers.push({ id: 'base', type: 'raster', source: 'base' });
  }
  layers.push(...baseLayers({ overTiles: !!config.tiles }));
  return { version: 8, sources, layers };
}

export function selectedStreetFilter(streetCode: string | null): ExpressionSpecification {
  return ['==', ['get', 'code'], streetCode ?? ''];
}

/** The selected street's outline, drawn from the base layer. */
export const SELECTED_STREET_OUTLINE: LayerSpecification = {
  id: SELECTED_STREET_LAYER,
  type: 'line',
  source: BASE_SOURCE,
  filter: ['all', kindIs('street'), selectedStreetFilter(null)],
  paint: { 'line-color': '#fa541c', 'line-width': 3 },
};

export function selectedStreetOutlineFilter(streetCode: string | null): FilterSpecification {
  return ['all', kindIs('street'), selectedStreetFilter(streetCode)];
}

/** Overlays of the territory export, for maps that still draw their own street or alley sources. */
export const OVERLAY_LAYERS: LayerSpecification[] = [
  {
    id: 'hutong-street-fill',
    type: 'fill',
    source: STREET_SOURCE,
    paint: { 'fill-color': '#1677ff', 'fill-opacity': 0.06 },
  },
  {
    id: 'hutong-street-line',
    type: 'line',
    source: STREET_SOURCE,
    paint: { 'line-color': '#1677ff', 'line-width': 1.5, 'line-opacity': 0.7 },
  },
  {
    id: 'hutong-alley-line',
    type: 'line',
    source: ALLEY_SOURCE,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': alleyColour, 'line-width': alleyWidth },
  },
];
