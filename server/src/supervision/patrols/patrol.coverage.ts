import Flatbush from 'flatbush';
import { haversineMeters, metersPerDegree, type Position } from '../../territory/geometry.ts';

/**
 * Which alleys a patrol walked (SPEC §5), without I/O. The track is cleaned first — a point outside the
 * territory, earlier than the point before it, or reached faster than a person walks or cycles is kept
 * out and reported — then buffered against each alley's line: an alley counts as covered when at
 * least `minShare` of its length lies within `bufferM` of the track.
 *
 * Everything is measured on one local plane (metres east and north of the alleys' centre): across a
 * city the scale error is far below the 25 m buffer. Alleys are indexed once per territory version
 * (`AlleyIndex`); each patrol indexes its own track segments, so a patrol is compared only with the
 * alleys near it, and each piece of an alley only with the segments near that piece.
 */

export interface TrackPoint {
  lng: number;
  lat: number;
  /** Milliseconds since the epoch. */
  t: number;
}

export type ExclusionReason = 'outside_territory' | 'out_of_order' | 'too_fast';

export interface ExcludedPoint {
  /** Position of the point in the track as received. */
  index: number;
  reason: ExclusionReason;
}

export interface CoverageOptions {
  bufferM: number;
  minShare: number;
  maxSpeedKmh: number;
}

export const DEFAULT_COVERAGE: CoverageOptions = { bufferM: 25, minShare: 0.6, maxSpeedKmh: 50 };

/** Pieces of an alley are judged at their middles; at most this long, a twentieth of the buffer's width. */
const PIECE_M = 5;

export interface AlleyLine {
  id: string;
  coordinates: readonly Position[];
}

/** The points worth counting, in order, and those left out with why. */
export function cleanTrack(
  points: readonly TrackPoint[],
  inside: (lng: number, lat: number) => boolean,
  maxSpeedKmh: number,
): { kept: TrackPoint[]; excluded: ExcludedPoint[]; lengthM: number } {
  const kept: TrackPoint[] = [];
  const excluded: ExcludedPoint[] = [];
  let lengthM = 0;
  const maxMps = maxSpeedKmh / 3.6;
  for (const [index, p] of points.entries()) {
    if (!Number.isFinite(p.lng) || !Number.isFinite(p.lat) || !inside(p.lng, p.lat)) {
      excluded.push({ index, reason: 'outside_territory' });
      continue;
    }
    const last = kept.at(-1);
    if (last) {
      if (!(p.t > last.t)) {
        excluded.push({ index, reason: 'out_of_order' });
        continue;
      }
      const d = haversineMeters([last.lng, last.lat], [p.lng, p.lat]);
      if (d / ((p.t - last.t) / 1000) > maxMps) {
        excluded.push({ index, reason: 'too_fast' });
        continue;
      }
      lengthM += d;
    }
    kept.push(p);
  }
  return { kept, excluded, lengthM };
}

/** The alleys on one plane with a spatial index of their extents; built once per territory version. */
export class AlleyIndex {
  readonly ids: string[];
  /** Per alley: its vertices on the plane, x0 y0 x1 y1 …; and its length. */
  readonly lines: Float64Array[];
  readonly lengths: Float64Array;
  private readonly index: Flatbush | null;
  readonly origin: Position;
  readonly scale: { x: number; y: number };

  constructor(alleys: readonly AlleyLine[]) {
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (const a of alleys)
      for (const [x, y] of a.coordinates) {
        sx += x;
        sy += y;
        n++;
      }
    this.origin = n ? [sx / n, sy / n] : [0, 0];
    this.scale = metersPerDegree(this.origin[1]);
    this.ids = alleys.map((a) => a.id);
    this.lines = alleys.map((a) => {
      const out = new Float64Array(a.coordinates.length * 2);
      for (const [i, c] of a.coordinates.entries()) {
        const [x, y] = this.project(c[0], c[1]);
        out[i * 2] = x;
        out[i * 2 + 1] = y;
      }
      return out;
    });
    this.lengths = new Float64Array(this.lines.map(polylineLength));
    this.index = alleys.length ? new Flatbush(alleys.length) : null;
    if (this.index) {
      for (const line of this.lines) {
        const [minX, minY, maxX, maxY] = extent(line);
        this.index.add(minX, minY, maxX, maxY);
      }
      this.index.finish();
    }
  }

  project(lng: number, lat: number): [number, number] {
    return [(lng - this.origin[0]) * this.scale.x, (lat - this.origin[1]) * this.scale.y];
  }

  /** Alleys whose extent comes within `margin` metres of the box. */
  near(minX: number, minY: number, maxX: number, maxY: number, margin: number): number[] {
    return this.index ? this.index.search(minX - margin, minY - margin, maxX + margin, maxY + margin) : [];
  }
}

/** The alleys covered by a cleaned track, each with the share of its length within the buffer. */
export function coveredAlleys(
  alleys: AlleyIndex,
  track: readonly TrackPoint[],
  options: Pick<CoverageOptions, 'bufferM' | 'minShare'> = DEFAULT_COVERAGE,
): { id: string; share: number }[] {
  if (track.length === 0) return [];
  const xy = new Float64Array(track.length * 2);
  for (const [i, p] of track.entries()) {
    const [x, y] = alleys.project(p.lng, p.lat);
    xy[i * 2] = x;
    xy[i * 2 + 1] = y;
  }
  // A single point is a segment of length zero: standing still next to an alley counts for its piece.
  const segCount = Math.max(1, track.length - 1);
  const segments = new Flatbush(segCount);
  for (let i = 0; i < segCount; i++) {
    const j = Math.min(i + 1, track.length - 1);
    segments.add(
      Math.min(xy[i * 2]!, xy[j * 2]!),
      Math.min(xy[i * 2 + 1]!, xy[j * 2 + 1]!),
      Math.max(xy[i * 2]!, xy[j * 2]!),
      Math.max(xy[i * 2 + 1]!, xy[j * 2 + 1]!),
    );
  }
  segments.finish();
  const [minX, minY, maxX, maxY] = extent(xy);
  const buffer = options.bufferM;
  const buffer2 = buffer * buffer;
  const out: { id: string; share: number }[] = [];
  for (const a of alleys.near(minX, minY, maxX, maxY, buffer)) {
    const share = shareWithin(alleys.lines[a]!, alleys.lengths[a]!, (px, py) => {
      for (const s of segments.search(px - buffer, py - buffer, px + buffer, py + buffer)) {
        const j = Math.min(s + 1, track.length - 1);
        if (dist2(px, py, xy[s * 2]!, xy[s * 2 + 1]!, xy[j * 2]!, xy[j * 2 + 1]!) <= buffer2) return true;
      }
      return false;
    });
    if (share >= options.minShare) out.push({ id: alleys.ids[a]!, share });
  }
  return out.sort((p, q) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
}

/**
 * The same answer by brute force — every piece of every alley against every segment of the track — for
 * the benchmark's baseline and as the tests' oracle.
 */
export function coveredAlleysNaive(
  alleys: AlleyIndex,
  track: readonly TrackPoint[],
  options: Pick<CoverageOptions, 'bufferM' | 'minShare'> = DEFAULT_COVERAGE,
): { id: string; share: number }[] {
  if (track.length === 0) return [];
  const xy = track.map((p) => alleys.project(p.lng, p.lat));
  const buffer2 = options.bufferM * options.bufferM;
  const out: { id: string; share: number }[] = [];
  for (const [a, line] of alleys.lines.entries()) {
    const share = shareWithin(line, alleys.lengths[a]!, (px, py) => {
      for (let s = 0; s < Math.max(1, xy.length - 1); s++) {
        const p = xy[s]!;
        const q = xy[Math.min(s + 1, xy.length - 1)]!;
        if (dist2(px, py, p[0], p[1], q[0], q[1]) <= buffer2) return true;
      }
      return false;
    });
    if (share >= options.minShare) out.push({ id: alleys.ids[a]!, share });
  }
  return out.sort((p, q) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0));
}

function shareWithin(line: Float64Array, length: number, near: (x: number, y: number) => boolean): number {
  if (!(length > 0)) return 0;
  let within = 0;
  for (let i = 0; i + 3 < line.length; i += 2) {
    const x0 = line[i]!;
    const y0 = line[i + 1]!;
    const dx = line[i + 2]! - x0;
    const dy = line[i + 3]! - y0;
    const len = Math.hypot(dx, dy);
    if (len === 0) continue;
    const pieces = Math.ceil(len / PIECE_M);
    const piece = len / pieces;
    for (let k = 0; k < pieces; k++) {
      const f = (k + 0.5) / pieces;
      if (near(x0 + f * dx, y0 + f * dy)) within += piece;
    }
  }
  return Math.min(1, within / length);
}

function dist2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const x = ax + t * dx - px;
  const y = ay + t * dy - py;
  return x * x + y * y;
}

function polylineLength(line: Float64Array): number {
  let total = 0;
  for (let i = 0; i + 3 < line.length; i += 2)
    total += Math.hypot(line[i + 2]! - line[i]!, line[i + 3]! - line[i + 1]!);
  return total;
}

function extent(xy: Float64Array): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const x = xy[i]!;
    const y = xy[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}
