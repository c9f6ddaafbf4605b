import os from 'node:os';
import {
  AlleyIndex,
  cleanTrack,
  coveredAlleys,
  coveredAlleysNaive,
  type TrackPoint,
} from '../src/supervision/patrols/patrol.coverage.ts';
import { generateDemoCity, locatorInput } from '../src/territory/demo-city.ts';
import { haversineMeters, type Position } from '../src/territory/geometry.ts';
import { Locator } from '../src/territory/locator.ts';

/**
 * Patrol coverage (docs/supervision.md): a 3-hour patrol, one point every 5 s (~2,200 points), walked
 * along the alleys of one street of the demo city, against all of the demo city's 1,225 alleys. Times
 * what `finish` computes — cleaning the track with the locator, then the indexed buffer test — beside
 * the naive computation (every piece of every alley against every track segment) in the same run, and
 * checks both give the same alleys.
 */

const ROUNDS = 7;
const STEP_S = 5;
const SPEED_MPS = 1.3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function patrol(lines: Position[][], points: number): TrackPoint[] {
  const path: Position[] = lines.flat();
  const out: TrackPoint[] = [];
  let t = Date.parse('2026-11-16T08:00:00+08:00');
  let i = 0;
  let at: Position = path[0]!;
  // Walk the path at a steady pace, one point every STEP_S seconds.
  while (out.length < points && i < path.length - 1) {
    out.push({ lng: at[0], lat: at[1], t });
    t += STEP_S * 1000;
    let left = SPEED_MPS * STEP_S;
    while (left > 0 && i < path.length - 1) {
      const next = path[i + 1]!;
      const d = haversineMeters(at, next);
      if (d <= left) {
        left -= d;
        at = next;
        i++;
      } else {
        const f = left / d;
        at = [at[0] + f * (next[0] - at[0]), at[1] + f * (next[1] - at[1])];
        left = 0;
      }
    }
  }
  return out;
}

export async function run(): Promise<void> {
  const city = generateDemoCity();
  const alleys = city.territory.features
    .filter((f) => f.properties.layer === 'alley')
    .map((f) => ({
      id: (f.properties as { id: string }).id,
      street: (f.properties as { streetCode?: string; street_code?: string }).streetCode ?? '',
      coordinates: (f.geometry as { coordinates: Position[] }).coordinates,
    }));
  const locator = Locator.build(locatorInput(city.territory));
  let t0 = performance.now();
  const index = new AlleyIndex(alleys);
  const indexMs = performance.now() - t0;
  // The walked path: the alleys in id order (each street's alleys are neighbours), as far as 3 hours go.
  const track = patrol(
    alleys.map((a) => a.coordinates),
    Math.round((3 * 3600) / STEP_S),
  );
  const inside = (lng: number, lat: number) => locator.locate(lng, lat) !== null;
  const fast: number[] = [];
  const naive: number[] = [];
  let answer: string[] = [];
  let baseline: string[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    t0 = performance.now();
    const { kept } = cleanTrack(track, inside, 50);
    answer = coveredAlleys(index, kept).map((c) => c.id);
    fast.push(performance.now() - t0);
    if (r < 3) {
      t0 = performance.now();
      const { kept: k2 } = cleanTrack(track, inside, 50);
      baseline = coveredAlleysNaive(index, k2).map((c) => c.id);
      naive.push(performance.now() - t0);
    }
  }
  const same = answer.length === baseline.length && answer.every((a, i) => a === baseline[i]);
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `alleys: ${alleys.length} (${alleys.reduce((n, a) => n + a.coordinates.length - 1, 0)} segments); index built in ${indexMs.toFixed(1)} ms`,
  );
  console.log(`track: ${track.length} points over ${(track.length * SPEED_MPS * STEP_S) / 1000} km`);
  console.log(`covered alleys: ${answer.length}; same as naive: ${same}`);
  console.log(
    `finish (clean + indexed coverage): median ${median(fast).toFixed(1)} ms, best ${Math.min(...fast).toFixed(1)} ms over ${ROUNDS} rounds`,
  );
  console.log(
    `naive (clean + all segments): median ${median(naive).toFixed(0)} ms over ${naive.length} rounds; ratio ${(median(naive) / median(fast)).toFixed(0)}×`,
  );
}
