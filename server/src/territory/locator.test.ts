import turfDistance from '@turf/distance';
import { point } from '@turf/helpers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AlleyFeature, type DemoCity, generateDemoCity, locatorInput } from './demo-city.ts';
import {
  fromWgs84,
  lineStringMidpoint,
  type Polygonal,
  type Position,
  pointInPolygonal,
  pointSegmentMeters,
  toWgs84,
} from './geometry.ts';
import { Locator, type LocatorInput } from './locator.ts';

const box = (x0: number, y0: number, x1: number, y1: number): Polygonal => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});

const metres = (a: Position, b: Position) => turfDistance(point(a), point(b), { units: 'meters' });

/**
 * Street A (116.30–116.31) has two communities, A1 (west, with a north and a south grid) and A2 (east,
 * one grid). Street B (116.31–116.32) has one community and no grids. Street C has no communities.
 * Alley X runs east–west through A at 39.9025; alley Y runs north–south through B at 116.315.
 */
const FIXTURE: LocatorInput = {
  streets: [
    { code: '110000001', name: 'A街道', boundary: box(116.3, 39.9, 116.31, 39.91) },
    { code: '110000002', name: 'B街道', boundary: box(116.31, 39.9, 116.32, 39.91) },
    { code: '110000003', name: 'C街道', boundary: box(116.4, 39.9, 116.41, 39.91) },
  ],
  communities: [
    { code: '110000001001', name: 'A1社区', boundary: box(116.3, 39.9, 116.305, 39.91) },
    { code: '110000001002', name: 'A2社区', boundary: box(116.305, 39.9, 116.31, 39.91) },
    { code: '110000002001', name: 'B1社区', boundary: box(116.31, 39.9, 116.32, 39.91) },
  ],
  grids: [
    { code: '110000001001001', boundary: box(116.3, 39.905, 116.305, 39.91) },
    { code: '110000001001002', boundary: box(116.3, 39.9, 116.305, 39.905) },
    { code: '110000001002001', boundary: box(116.305, 39.9, 116.31, 39.91) },
  ],
  alleys: [
    {
      id: 'X',
      name: 'X胡同',
      geometry: {
        type: 'LineString',
        coordinates: [
          [116.301, 39.9025],
          [116.305, 39.9025],
          [116.309, 39.9025],
        ],
      },
    },
    {
      id: 'Y',
      name: 'Y街',
      geometry: {
        type: 'LineString',
        coordinates: [
          [116.315, 39.901],
          [116.315, 39.909],
        ],
      },
    },
  ],
};

describe('Locator on a hand-made fixture', () => {
  const locator = Locator.build(FIXTURE);

  it('finds grid, community, street and the nearest alley with its distance', () => {
    const p: Position = [116.303, 39.903];
    const hit = locator.locate(...p)!;
    expect(hit.street).toEqual({ code: '110000001', name: 'A街道' });
    expect(hit.community).toEqual({ code: '110000001001', name: 'A1社区' });
    expect(hit.grid).toEqual({ code: '110000001001002' });
    expect(hit.alley?.id).toBe('X');
    expect(hit.alley?.name).toBe('X胡同');
    expect(Math.abs(hit.alley!.distanceMeters - metres(p, [116.303, 39.9025]))).toBeLessThan(0.5);
    expect(hit.alley!.distanceMeters * 10).toBe(Math.round(hit.alley!.distanceMeters * 10));
  });

  it('uses the north grid in the north half', () => {
    expect(locator.locate(116.302, 39.908)!.grid).toEqual({ code: '110000001001001' });
    expect(locator.locate(116.308, 39.908)!.grid).toEqual({ code: '110000001002001' });
  });

  it('measures to the end vertex when the foot of the perpendicular is off the line', () => {
    const p: Position = [116.3003, 39.9031];
    const hit = locator.locate(...p)!;
    expect(hit.alley?.id).toBe('X');
    expect(Math.abs(hit.alley!.distanceMeters - metres(p, [116.301, 39.9025]))).toBeLessThan(0.5);
  });

  it('picks the nearer of two alleys', () => {
    const nearX: Position = [116.3075, 39.906];
    const hitX = locator.locate(...nearX)!;
    expect(hitX.alley?.id).toBe('X');
    expect(Math.abs(hitX.alley!.distanceMeters - metres(nearX, [116.3075, 39.9025]))).toBeLessThan(0.5);
    const nearY: Position = [116.3125, 39.905];
    const hitY = locator.locate(...nearY)!;
    expect(hitY.alley?.id).toBe('Y');
    expect(Math.abs(hitY.alley!.distanceMeters - metres(nearY, [116.315, 39.905]))).toBeLessThan(0.5);
  });

  it('falls back to the community polygon where no grid holds the point', () => {
    const hit = locator.locate(116.3125, 39.905)!;
    expect(hit.street.code).toBe('110000002');
    expect(hit.community).toEqual({ code: '110000002001', name: 'B1社区' });
    expect(hit.grid).toBeNull();
  });

  it('falls back to the street polygon where no community holds the point', () => {
    const hit = locator.locate(116.405, 39.905)!;
    expect(hit).toEqual({
      street: { code: '110000003', name: 'C街道' },
      community: null,
      grid: null,
      alley: null,
    });
  });

  it('returns null outside every street, and for coordinates that are not numbers', () => {
    expect(locator.locate(116.29, 39.905)).toBeNull();
    expect(locator.locate(116.35, 39.905)).toBeNull();
    expect(locator.locate(Number.NaN, 39.905)).toBeNull();
    expect(locator.locate(116.303, Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('gives no alley beyond the cap', () => {
    // 116.3195 is about 383 m from Y and farther from X.
    expect(locator.locate(116.3195, 39.905)!.alley?.id).toBe('Y');
    const capped = Locator.build(FIXTURE, { maxAlleyMeters: 300 });
    expect(capped.locate(116.3195, 39.905)!.alley).toBeNull();
    expect(capped.locate(116.303, 39.903)!.alley?.id).toBe('X');
  });

  it('lists the nearest alleys in order of distance, within a radius', () => {
    const p: Position = [116.3125, 39.9035];
    const both = locator.nearestAlleys(...p, 5, 1000);
    expect(both.map((a) => a.id)).toEqual(['Y', 'X']);
    expect(Math.abs(both[0]!.distanceMeters - metres(p, [116.315, 39.9035]))).toBeLessThan(0.5);
    expect(Math.abs(both[1]!.distanceMeters - metres(p, [116.309, 39.9025]))).toBeLessThan(0.5);
    expect(locator.nearestAlleys(...p, 1, 1000).map((a) => a.id)).toEqual(['Y']);
    expect(locator.nearestAlleys(...p, 5, 200)).toEqual([]);
    expect(locator.nearestAlleys(...p, 0, 1000)).toEqual([]);
  });

  it('trusts the grid code over the community polygons where the layers disagree', () => {
    const skewed = Locator.build({
      ...FIXTURE,
      // A grid filed under A1 that reaches into A2's polygon.
      grids: [{ code: '110000001001009', boundary: box(116.304, 39.9, 116.306, 39.91) }],
    });
    expect(skewed.locate(116.3055, 39.905)!.community?.code).toBe('110000001001');
    expect(skewed.locate(116.308, 39.905)!.community?.code).toBe('110000001002');
    expect(skewed.areasAt(116.3055, 39.905)).toEqual({
      streets: ['110000001'],
      communities: ['110000001002'],
      grids: ['110000001001009'],
    });
  });

  it('handles multipolygons with holes', () => {
    const ring = (x0: number, y0: number, x1: number, y1: number): Position[] => [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ];
    const holed = Locator.build({
      streets: [
        {
          code: '110000009',
          name: 'D街道',
          boundary: {
            type: 'MultiPolygon',
            coordinates: [
              [ring(116, 39, 116.01, 39.01), ring(116.004, 39.004, 116.006, 39.006)],
              [ring(116.02, 39, 116.03, 39.01)],
            ],
          },
        },
      ],
      communities: [],
      grids: [],
      alleys: [],
    });
    expect(holed.locate(116.002, 39.002)?.street.code).toBe('110000009');
    expect(holed.locate(116.005, 39.005)).toBeNull();
    expect(holed.locate(116.025, 39.005)?.street.code).toBe('110000009');
    expect(holed.locate(116.015, 39.005)).toBeNull();
    expect(holed.nearestAlleys(116.002, 39.002, 3, 500)).toEqual([]);
  });

  it('builds from empty input', () => {
    const empty = Locator.build({ streets: [], communities: [], grids: [], alleys: [] });
    expect(empty.locate(116.3, 39.9)).toBeNull();
    expect(empty.stats).toEqual({ streets: 0, communities: 0, grids: 0, alleys: 0, alleySegments: 0 });
  });
});

describe('Locator on the demo city', () => {
  let city: DemoCity;
  let input: LocatorInput;
  let locator: Locator;
  let alleys: AlleyFeature[];

  beforeAll(() => {
    city = generateDemoCity();
    input = locatorInput(city.territory);
    locator = Locator.build(input);
    alleys = city.territory.features.filter((f): f is AlleyFeature => f.properties.layer === 'alley');
  });

  /** A deterministic stream of points over Xicheng's bounding box. */
  function* points(n: number): Generator<Position> {
    let s = 20_261_122;
    const next = () => {
      s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
      return s / 4_294_967_296;
    };
    for (let i = 0; i < n; i++) yield [116.32 + next() * 0.09, 39.865 + next() * 0.105];
  }

  /** The answer by brute force: every polygon, every segment. */
  function naive(lng: number, lat: number) {
    const grid = input.grids.find((g) => pointInPolygonal(g.boundary, lng, lat)) ?? null;
    const community = input.communities.find((c) => pointInPolygonal(c.boundary, lng, lat)) ?? null;
    const street = input.streets.find((s) => pointInPolygonal(s.boundary, lng, lat)) ?? null;
    let best = Number.POSITIVE_INFINITY;
    let alley: string | null = null;
    for (const a of input.alleys) {
      const c = a.geometry.coordinates;
      for (let k = 1; k < c.length; k++) {
        const d = pointSegmentMeters([lng, lat], c[k - 1]!, c[k]!);
        if (d < best) {
          best = d;
          alley = a.id;
        }
      }
    }
    return { grid, community, street, alley: best <= 500 ? alley : null, meters: best };
  }

  it('indexes every grid and alley segment', () => {
    expect(locator.stats.grids).toBe(input.grids.length);
    expect(locator.stats.alleySegments).toBe(
      alleys.reduce((s, a) => s + a.geometry.coordinates.length - 1, 0),
    );
  });

  it('agrees with a brute-force scan on 2,000 random points', () => {
    let inside = 0;
    for (const [lng, lat] of points(2000)) {
      const hit = locator.locate(lng, lat);
      const want = naive(lng, lat);
      if (!want.street) {
        expect(hit).toBeNull();
        continue;
      }
      inside++;
      expect(hit?.street.code).toBe(want.street.code);
      expect(hit?.community?.code).toBe(want.community?.code);
      expect(hit?.grid?.code).toBe(want.grid?.code);
      expect(hit?.alley?.id ?? null).toBe(want.alley);
      if (hit?.alley)
        expect(Math.abs(hit.alley.distanceMeters - want.meters)).toBeLessThanOrEqual(0.05 + 1e-9);
    }
    expect(inside).toBeGreaterThan(1000);
  });

  it('puts every alley midpoint on its own alley and in its own community', () => {
    for (const a of alleys) {
      const [x, y] = lineStringMidpoint(a.geometry.coordinates);
      const hit = locator.locate(x, y)!;
      expect(hit.alley?.id).toBe(a.properties.id);
      expect(hit.alley!.distanceMeters).toBeLessThan(0.5);
      expect(hit.street.code).toBe(a.properties.streetCode);
      expect(hit.community?.code).toBe(a.properties.communityCode);
    }
  });

  it('agrees with turf on distances near real alleys', () => {
    const a = alleys.find((f) => f.properties.name === '光明胡同')!;
    const [v0, v1] = [a.geometry.coordinates[1]!, a.geometry.coordinates[2]!];
    const foot: Position = [(v0[0] + v1[0]) / 2, (v0[1] + v1[1]) / 2];
    // 30 m north of a point on the segment, roughly perpendicular for an east–west lane.
    const p: Position = [foot[0], foot[1] + 30 / 111_195];
    const hit = locator.nearestAlleys(...p, 1, 500)[0]!;
    expect(hit.id).toBe(a.properties.id);
    expect(Math.abs(hit.distanceMeters - pointSegmentMeters(p, v0, v1))).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(hit.distanceMeters).toBeLessThanOrEqual(metres(p, foot) + 0.5);
  });

  it('lands a GCJ-02 point, converted with toWgs84, on the same alley as its WGS-84 original', () => {
    for (const name of ['光明胡同', '鼓楼西大街', '烂缦胡同', '民康胡同']) {
      const a = alleys.find((f) => f.properties.name === name)!;
      const [x, y] = lineStringMidpoint(a.geometry.coordinates);
      const wgs: Position = [x + 0.0001, y + 0.0001];
      const gcj = fromWgs84(wgs[0], wgs[1], 'gcj02');
      // The offset between the systems is hundreds of metres here, far more than alley spacing.
      expect(metres(wgs, gcj)).toBeGreaterThan(200);
      const back = toWgs84(gcj[0], gcj[1], 'gcj02');
      const original = locator.locate(...wgs)!;
      const converted = locator.locate(...back)!;
      expect(converted.alley?.id).toBe(original.alley?.id);
      expect(converted.alley?.id).toBe(a.properties.id);
      expect(Math.abs(converted.alley!.distanceMeters - original.alley!.distanceMeters)).toBeLessThan(1);
      expect(converted.grid?.code).toBe(original.grid?.code);
    }
  });
});
