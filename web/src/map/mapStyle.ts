import type {
  ExpressionSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { MapConfig } from '../api/types';

export const STREET_SOURCE = 'hutong-streets';
export const ALLEY_SOURCE = 'hutong-alleys';
export const SELECTED_STREET_LAYER = 'hutong-street-selected';

export const ALLEY_TYPE_COLOURS = {
  major_street: '#722ed1',
  main_street: '#2f54eb',
  lane: '#08979c',
} as const;

/**
 * No tile source unless one is configured: tiles of Chinese cities need a licensed provider, and the
 * console must stay usable (and testable offline) without one.
 */
export function baseStyle(config: MapConfig): StyleSpecification | string {
  if (config.styleUrl) return config.styleUrl;
  const sources: Record<string, SourceSpecification> = {};
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': '#f3efe6' } },
  ];
  if (config.tiles) {
    sources.base = { type: 'raster', tiles: [config.tiles.url], tileSize: 256 };
    layers.push({ id: 'base', type: 'raster', source: 'base' });
  }
  return { version: 8, sources, layers };
}

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

export function selectedStreetFilter(streetCode: string | null): ExpressionSpecification {
  return ['==', ['get', 'code'], streetCode ?? ''];
}

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
    id: SELECTED_STREET_LAYER,
    type: 'line',
    source: STREET_SOURCE,
    filter: selectedStreetFilter(null),
    paint: { 'line-color': '#fa541c', 'line-width': 3 },
  },
  {
    id: 'hutong-alley-line',
    type: 'line',
    source: ALLEY_SOURCE,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': alleyColour, 'line-width': alleyWidth },
  },
];
