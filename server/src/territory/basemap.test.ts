import { describe, expect, it } from 'vitest';
import { baseLayerEtag, buildBaseLayer, roundPolygonal } from './basemap.ts';
import { type PolygonGeometry, pointInPolygonal } from './geometry.ts';

// A concave (U-shaped) community: its centroid lies in the notch, outside the outline.
const U_SHAPE: PolygonGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [116.36, 39.9],
      [116.37, 39.9],
      [116.37, 39.91],
      [116.368, 39.91],
      [116.368, 39.902],
      [116.362, 39.902],
      [116.362, 39.91],
      [116.36, 39.91],
      [116.36, 39.9],
    ],
  ],
};
const SQUARE: PolygonGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [116.35, 39.89],
      [116.38, 39.89],
      [116.38, 39.92],
      [116.35, 39.92],
      [116.35, 39.89],
    ],
  ],
};

const input = {
  streets: [
    {
      code: '110102001',
      name: '西长安街街道',
      boundary: SQUARE,
      center: [116.365, 39.905] as [number, number],
      approximate: true,
    },
  ],
  communities: [{ code: '110102001001', name: '府右街社区', boundary: U_SHAPE, approximate: false }],
  alleys: [
    {
      id: '110102001-A1',
      name: '灵境胡同',
      streetCode: '110102001',
      alleyType: 'lane' as const,
      geometry: {
        type: 'LineString' as const,
        coordinates: [
          [116.3612345678, 39.9012345678],
          [116.3612345699, 39.9012345699],
          [116.3650000001, 39.905],
        ] as [number, number][],
      },
      approximate: true,
    },
    {
      id: '110102001-A2',
      name: '一点胡同',
      streetCode: '110102001',
      alleyType: 'lane' as const,
      geometry: {
        type: 'LineString' as const,
        coordinates: [
          [116.36, 39.9],
          [116.3600000001, 39.9000000001],
        ] as [number, number][],
      },
      approximate: true,
    },
  ],
};

describe('buildBaseLayer', () => {
  const layer = buildBaseLayer(input);
  const byId = new Map(layer.features.map((f) => [f.id, f]));

  it('gives every street and community an outline and a named label point, and alleys named lines', () => {
    expect(layer.features.map((f) => f.id)).toEqual([
      'street:110102001',
      'community:110102001001',
      'street-label:110102001',
      'community-label:110102001001',
      'alley:110102001-A1',
    ]);
    expect(byId.get('street:110102001')?.properties).toEqual({
      kind: 'street',
      code: '110102001',
      name: '西长安街街道',
      approximate: true,
    });
    expect(byId.get('community-label:110102001001')?.properties.name).toBe('府右街社区');
    expect(byId.get('alley:110102001-A1')?.properties).toMatchObject({
      kind: 'alley',
      name: '灵境胡同',
      alleyType: 'lane',
      streetCode: '110102001',
    });
  });

  it('puts a concave community label inside it, not at its centroid in the notch', () => {
    const label = byId.get('community-label:110102001001')!.geometry;
    expect(label.type).toBe('Point');
    const [lng, lat] = label.coordinates as [number, number];
    expect(pointInPolygonal(U_SHAPE, lng, lat)).toBe(true);
  });

  it('uses the stored street centre as the street label point', () => {
    expect(byId.get('street-label:110102001')?.geometry).toEqual({
      type: 'Point',
      coordinates: [116.365, 39.905],
    });
  });

  it('rounds to six decimals, drops the duplicates rounding makes, and drops lines that collapse', () => {
    expect(byId.get('alley:110102001-A1')?.geometry.coordinates).toEqual([
      [116.361235, 39.901235],
      [116.365, 39.905],
    ]);
    expect(byId.has('alley:110102001-A2')).toBe(false);
  });

  it('keeps rings closed when rounding', () => {
    const ring = (roundPolygonal(U_SHAPE) as PolygonGeometry).coordinates[0]!;
    expect(ring[0]).toEqual(ring.at(-1));
    expect(ring).toHaveLength(9);
  });

  it('tags equal bytes equally and different bytes differently', () => {
    const a = JSON.stringify(buildBaseLayer(input));
    const b = JSON.stringify(buildBaseLayer({ ...input, alleys: input.alleys.slice(1) }));
    expect(baseLayerEtag(a)).toBe(baseLayerEtag(JSON.stringify(buildBaseLayer(input))));
    expect(baseLayerEtag(a)).not.toBe(baseLayerEtag(b));
    expect(baseLayerEtag(a)).toMatch(/^"[\w-]+"$/);
  });
});
