import type { LayerSpecification } from 'maplibre-gl';
import { LABEL_FONT } from './mapStyle';

/** Open cases of `/api/cases/map`, clustered by MapLibre at low zoom. */
export const CASE_SOURCE = 'hutong-cases';
export const CASE_POINT_LAYER = 'hutong-case-point';
export const CASE_CLUSTER_LAYER = 'hutong-case-cluster';

export const CASE_STATE_COLOURS = { normal: '#1677ff', overdue: '#cf1322' } as const;

/**
 * A cluster is red when any case in it is overdue (its `overdue` sum, kept by the source's
 * `clusterProperties`), so an overdue case never hides inside a blue bubble.
 */
export function caseLayers(): LayerSpecification[] {
  return [
    {
      id: CASE_CLUSTER_LAYER,
      type: 'circle',
      source: CASE_SOURCE,
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': [
          'case',
          ['>', ['get', 'overdue'], 0],
          CASE_STATE_COLOURS.overdue,
          CASE_STATE_COLOURS.normal,
        ],
        'circle-opacity': 0.85,
        'circle-radius': ['step', ['get', 'point_count'], 12, 10, 16, 50, 21, 200, 26],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: `${CASE_CLUSTER_LAYER}-count`,
      type: 'symbol',
      source: CASE_SOURCE,
      filter: ['has', 'point_count'],
      layout: {
        'text-field': ['get', 'point_count_abbreviated'],
        'text-font': LABEL_FONT,
        'text-size': 12,
        'text-allow-overlap': true,
        // A count never pushes a street or alley name off the map.
        'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    },
    {
      id: CASE_POINT_LAYER,
      type: 'circle',
      source: CASE_SOURCE,
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': ['case', ['get', 'overdue'], CASE_STATE_COLOURS.overdue, CASE_STATE_COLOURS.normal],
        'circle-radius': 6,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
  ];
}
