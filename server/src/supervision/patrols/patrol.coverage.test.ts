import { describe, expect, it } from 'vitest';
import {
  AlleyIndex,
  cleanTrack,
  coveredAlleys,
  coveredAlleysNaive,
  type TrackPoint,
} from './patrol.coverage.ts';

const M = 1 / 111_000; // about a metre of latitude in degrees
const ORIGIN: [number, number] = [116.37, 39.91];
const east = (m: number) => m / (111_000 * Math.cos((ORIGIN[1] * Math.PI) / 180));

/** An alley `len` metres long going east from `(x, y)` metres off the origin. */
function alley(id: string, x: number, y: number, len: number) {
  return {
    id,
    coordinates: [
      [ORIGIN[0] + east(x), ORIGIN[1] + y * M],
      [ORIGIN[0] + east(x + len), ORIGIN[1] + y * M],
    ] as [number, number][],
  };
}

/** A walk east along y from x0 to x1, one point every `step` metres at 1.4 m/s. */
function walk(y: number, x0: number, x1: number, step = 7, t0 = 0): TrackPoint[] {
  const out: TrackPoint[] = [];
  for (let x = x0, i = 0; x <= x1; x += step, i++)
    out.push({ lng: ORIGIN[0] + east(x), lat: ORIGIN[1] + y * M, t: t0 + (i * step * 1000) / 1.4 });
  return out;
}

describe('coverage', () => {
  const index = new AlleyIndex([
    alley('a-walked', 0, 0, 200),
    alley('b-parallel-20m', 0, 20, 200),
    alley('c-parallel-40m', 0, 40, 200),
    alley('d-half', 100, -10, 200),
    alley('e-far', 5000, 5000, 100),
  ]);

  it('counts an alley when at least 60 % of it lies within 25 m of the track', () => {
    const track = walk(0, 0, 200);
    const got = coveredAlleys(index, track).map((c) => c.id);
    // d-half: 100 of its 200 m lie beside the walk, 50 % < 60 %.
    expect(got).toEqual(['a-walked', 'b-parallel-20m']);
    expect(coveredAlleys(index, track, { bufferM: 25, minShare: 0.5 }).map((c) => c.id)).toContain('d-half');
    expect(coveredAlleys(index, track, { bufferM: 15, minShare: 0.6 }).map((c) => c.id)).toEqual([
      'a-walked',
    ]);
  });

  it('agrees with the brute-force computation', () => {
    const track = [...walk(0, 0, 120), ...walk(35, 150, 300, 9, 200_000)];
    expect(coveredAlleys(index, track)).toEqual(coveredAlleysNaive(index, track));
  });

  it('keeps out points outside the territory, out of time order or faster than 50 km/h', () => {
    const track = walk(0, 0, 50);
    const bad: TrackPoint[] = [
      ...track.slice(0, 3),
      { lng: 0, lat: 0, t: track[3]!.t },
      { ...track[3]!, t: track[1]!.t },
      { lng: ORIGIN[0] + east(2000), lat: ORIGIN[1], t: track[3]!.t + 1000 },
      ...track.slice(3),
    ];
    const inside = (lng: number) => lng > 100;
    const r = cleanTrack(bad, inside, 50);
    expect(r.excluded).toEqual([
      { index: 3, reason: 'outside_territory' },
      { index: 4, reason: 'out_of_order' },
      { index: 5, reason: 'too_fast' },
    ]);
    expect(r.kept).toEqual(track);
    expect(r.lengthM).toBeCloseTo(49, 0);
  });
});
