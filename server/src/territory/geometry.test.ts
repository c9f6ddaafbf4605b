import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import turfDistance from '@turf/distance';
import { lineString, multiPolygon, point, polygon } from '@turf/helpers';
import turfLength from '@turf/length';
import { describe, expect, it } from 'vitest';
import {
  bboxOf,
  fromWgs84,
  haversineMeters,
  interiorPoint,
  lineLengthMeters,
  lineStringMidpoint,
  metersPerDegree,
  type Polygonal,
  type Position,
  pointInPolygonal,
  pointSegmentMeters,
  polygonalAreaSquareMeters,
  polygonalPositions,
  type Ring,
  toWgs84,
} from './geometry.ts';

const square = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

/** A U open to the north: its centroid falls in the gap between the arms. */
const U_SHAPE: Polygonal = {
  type: 'Polygon',
  coordinates: [
    [
      [116.3, 39.9],
      [116.33, 39.9],
      [116.33, 39.93],
      [116.32, 39.93],
      [116.32, 39.91],
      [116.31, 39.91],
      [116.31, 39.93],
      [116.3, 39.93],
      [116.3, 39.9],
    ],
  ],
};

const metres = (a: Position, b: Position) => turfDistance(point(a), point(b), { units: 'meters' });

function* lcg(n: number, seed = 7): Generator<number> {
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    yield s / 4_294_967_296;
  }
}

describe('distances and lengths', () => {
  it('matches turf for haversine distances', () => {
    const pairs: [Position, Position][] = [
      [
        [116.3, 39.9],
        [116.4, 39.95],
      ],
      [
        [116.39, 39.9],
        [116.39, 39.9001],
      ],
      [
        [0, 0],
        [1, 1],
      ],
    ];
    for (const [a, b] of pairs) expect(haversineMeters(a, b)).toBeCloseTo(metres(a, b), 6);
    expect(haversineMeters([116.3, 39.9], [116.3, 39.9])).toBe(0);
  });

  it('matches turf for line lengths', () => {
    const coords: Position[] = [
      [116.3, 39.9],
      [116.305, 39.9012],
      [116.309, 39.9003],
      [116.312, 39.904],
    ];
    expect(lineLengthMeters(coords)).toBeCloseTo(turfLength(lineString(coords), { units: 'meters' }), 6);
    expect(lineLengthMeters([[116.3, 39.9]])).toBe(0);
  });

  it('scales degrees to metres', () => {
    const m = metersPerDegree(39.9);
    expect(m.y).toBeCloseTo(111_195, 0);
    expect(m.x / m.y).toBeCloseTo(Math.cos((39.9 * Math.PI) / 180), 12);
    expect(metersPerDegree(60).x).toBeCloseTo(m.y / 2, 6);
  });

  it('measures point–segment distances to within half a metre of turf', () => {
    const a: Position = [116.38, 39.91];
    const b: Position = [116.39, 39.91];
    // The foot of the perpendicular lies on the segment.
    const p: Position = [116.384, 39.912];
    expect(Math.abs(pointSegmentMeters(p, a, b) - metres(p, [116.384, 39.91]))).toBeLessThan(0.5);
    // Beyond an end, the distance is to the end vertex.
    const q: Position = [116.395, 39.9115];
    expect(Math.abs(pointSegmentMeters(q, a, b) - metres(q, b))).toBeLessThan(0.5);
    // A slanting segment: compare with a dense sampling of the segment.
    const c: Position = [116.381, 39.905];
    const d: Position = [116.387, 39.915];
    const r: Position = [116.386, 39.909];
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i <= 10_000; i++) {
      const t = i / 10_000;
      best = Math.min(best, metres(r, [c[0] + t * (d[0] - c[0]), c[1] + t * (d[1] - c[1])]));
    }
    expect(Math.abs(pointSegmentMeters(r, c, d) - best)).toBeLessThan(0.5);
    // A degenerate segment is a point.
    expect(Math.abs(pointSegmentMeters(p, a, a) - metres(p, a))).toBeLessThan(0.5);
  });

  it('finds the midpoint of a line by length', () => {
    expect(
      lineStringMidpoint([
        [116.3, 39.9],
        [116.31, 39.9],
      ]),
    ).toEqual([116.305, 39.9]);
    const coords: Position[] = [
      [116.3, 39.9],
      [116.301, 39.9],
      [116.301, 39.91],
    ];
    const mid = lineStringMidpoint(coords);
    expect(mid[0]).toBe(116.301);
    const first = haversineMeters(coords[0]!, [116.301, 39.9]) + haversineMeters([116.301, 39.9], mid);
    expect(first).toBeCloseTo(lineLengthMeters(coords) / 2, 3);
    expect(lineStringMidpoint([[116.3, 39.9]])).toEqual([116.3, 39.9]);
  });
});

describe('areas', () => {
  const holed: Polygonal = {
    type: 'Polygon',
    coordinates: [square(116.3, 39.9, 116.32, 39.92), square(116.305, 39.905, 116.31, 39.91)],
  };
  const multi: Polygonal = {
    type: 'MultiPolygon',
    coordinates: [holed.coordinates, [square(116.33, 39.9, 116.34, 39.91)]],
  };

  it('tests points against polygons with holes and multipolygons', () => {
    expect(pointInPolygonal(holed, 116.302, 39.902)).toBe(true);
    expect(pointInPolygonal(holed, 116.307, 39.907)).toBe(false);
    expect(pointInPolygonal(holed, 116.325, 39.905)).toBe(false);
    expect(pointInPolygonal(multi, 116.335, 39.905)).toBe(true);
    expect(pointInPolygonal(multi, 116.307, 39.907)).toBe(false);
    expect(pointInPolygonal(multi, 116.325, 39.905)).toBe(false);
  });

  it('agrees with turf on a concave polygon', () => {
    const rand = [...lcg(4000)];
    const turfU = polygon((U_SHAPE as { coordinates: Position[][] }).coordinates);
    const turfMulti = multiPolygon((multi as { coordinates: Position[][][] }).coordinates);
    for (let i = 0; i < rand.length; i += 2) {
      const x = 116.295 + rand[i]! * 0.05;
      const y = 39.895 + rand[i + 1]! * 0.04;
      expect(pointInPolygonal(U_SHAPE, x, y)).toBe(booleanPointInPolygon(point([x, y]), turfU));
      expect(pointInPolygonal(multi, x, y)).toBe(booleanPointInPolygon(point([x, y]), turfMulti));
    }
  });

  it('computes bounding boxes and walks every position', () => {
    expect(bboxOf(polygonalPositions(multi))).toEqual([116.3, 39.9, 116.34, 39.92]);
    expect([...polygonalPositions(multi)]).toHaveLength(15);
  });

  it('measures areas in square metres, holes subtracted', () => {
    const m = metersPerDegree(39.91);
    const full = 0.02 * m.x * 0.02 * m.y;
    const hole = 0.005 * 0.005 * m.x * m.y;
    expect(polygonalAreaSquareMeters(holed) / (full - hole)).toBeCloseTo(1, 9);
    const extra = 0.01 * 0.01 * m.x * m.y;
    expect(polygonalAreaSquareMeters(multi) / (full - hole + extra)).toBeCloseTo(1, 9);
    // Against the geodesic area of a cell of 0.01°: the local plane is good to far better than 0.1 %.
    const geodesic =
      6_371_008.8 ** 2 *
      0.01 *
      (Math.PI / 180) *
      (Math.sin((39.91 * Math.PI) / 180) - Math.sin((39.9 * Math.PI) / 180));
    const cell: Polygonal = { type: 'Polygon', coordinates: [square(116.3, 39.9, 116.31, 39.91)] };
    expect(polygonalAreaSquareMeters(cell) / geodesic).toBeCloseTo(1, 4);
    // Orientation does not matter.
    const reversed: Polygonal = {
      type: 'Polygon',
      coordinates: [square(116.3, 39.9, 116.32, 39.92).reverse()],
    };
    expect(polygonalAreaSquareMeters(reversed) / full).toBeCloseTo(1, 9);
  });

  it('finds an interior point: the centroid when inside, else a point on the widest chord', () => {
    const convex: Polygonal = { type: 'Polygon', coordinates: [square(116.3, 39.9, 116.32, 39.92)] };
    const c = interiorPoint(convex);
    expect(c[0]).toBeCloseTo(116.31, 6);
    expect(c[1]).toBeCloseTo(39.91, 6);
    const u = interiorPoint(U_SHAPE);
    expect(pointInPolygonal(U_SHAPE, u[0], u[1])).toBe(true);
    const m = interiorPoint({
      type: 'MultiPolygon',
      coordinates: [[square(116, 39, 116.001, 39.001)], U_SHAPE.coordinates as Ring[]],
    });
    expect(pointInPolygonal(U_SHAPE, m[0], m[1])).toBe(true);
  });
});

describe('coordinate systems', () => {
  it('leaves WGS-84 alone', () => {
    expect(toWgs84(116.39, 39.9, 'wgs84')).toEqual([116.39, 39.9]);
    expect(fromWgs84(116.39, 39.9, 'wgs84')).toEqual([116.39, 39.9]);
  });

  it('round-trips GCJ-02 and BD-09 within a metre, and the offsets are real', () => {
    const wgs: Position = [116.3805, 39.9035];
    for (const crs of ['gcj02', 'bd09'] as const) {
      const other = fromWgs84(wgs[0], wgs[1], crs);
      expect(metres(wgs, other)).toBeGreaterThan(100);
      expect(metres(wgs, other)).toBeLessThan(1500);
      expect(metres(wgs, toWgs84(other[0], other[1], crs))).toBeLessThan(1);
    }
  });
});
