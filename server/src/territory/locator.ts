import Flatbush from 'flatbush';
import type { Polygonal } from './geometry.ts';

/**
 * Assigns a WGS-84 point its grid, community, street and nearest alley (SPEC §2, "Locating a
 * report"), from in-memory spatial indexes built once per territory version. A report, a patrol track
 * point or a map click is located many times per second, so a lookup must not touch the database and
 * must cost microseconds: a packed Hilbert R-tree (flatbush) per layer narrows the candidates to the
 * few whose boxes hold the point, and an exact test decides. CRS conversion is the caller's job
 * (`toWgs84` in geometry.ts).
 */

export interface LocatorInput {
  streets: { code: string; name: string; boundary: Polygonal }[];
  communities: { code: string; name: string; boundary: Polygonal }[];
  grids: { code: string; boundary: Polygonal }[];
  alleys: { id: string; name: string; geometry: { type: 'LineString'; coordinates: [number, number][] } }[];
}

export interface AlleyHit {
  id: string;
  name: string;
  /** Metres to the nearest point of the alley's line, rounded to 0.1 m. */
  distanceMeters: number;
}

export interface Location {
  street: { code: string; name: string };
  community: { code: string; name: string } | null;
  grid: { code: string } | null;
  alley: AlleyHit | null;
}

export interface LocatorOptions {
  /** Farther than this from every alley, a point has no alley. */
  maxAlleyMeters?: number;
}

export const DEFAULT_MAX_ALLEY_METERS = 500;

// Alleys in the demo city are ~100 m apart, so most points find theirs within this radius.
const NEAR_FIRST_RADIUS_M = 60;

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
const M_PER_DEG = EARTH_RADIUS_M * RAD;

function ringContains(ring: Float64Array, x: number, y: number): boolean {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 2; i < n; j = i, i += 2) {
    const xi = ring[i]!;
    const yi = ring[i + 1]!;
    const xj = ring[j]!;
    const yj = ring[j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * One layer of areas. Rings are flattened into typed arrays so that the hot loop reads numbers, not
 * nested arrays; the tree's `collides` stops at the first area that holds the point, which is the only
 * one when the areas tile.
 */
class AreaLayer {
  private readonly index: Flatbush | null;
  /** Per area, its polygons; per polygon, its rings (outer first, then holes) as x0,y0,x1,y1,… */
  private readonly parts: Float64Array[][][];
  private qx = 0;
  private qy = 0;
  private hit = -1;
  private readonly test = (i: number): boolean => {
    if (!this.contains(i, this.qx, this.qy)) return false;
    this.hit = i;
    return true;
  };

  constructor(boundaries: Polygonal[]) {
    this.parts = boundaries.map((b) => {
      const polygons = b.type === 'Polygon' ? [b.coordinates] : b.coordinates;
      return polygons.map((rings) => rings.map((ring) => Float64Array.from(ring.flat())));
    });
    if (boundaries.length === 0) {
      this.index = null;
      return;
    }
    this.index = new Flatbush(boundaries.length);
    for (const polygons of this.parts) {
      let minX = Number.POSITIVE_INFINITY;
      let minY = Number.POSITIVE_INFINITY;
      let maxX = Number.NEGATIVE_INFINITY;
      let maxY = Number.NEGATIVE_INFINITY;
      for (const rings of polygons) {
        const outer = rings[0];
        if (!outer) continue;
        for (let k = 0; k < outer.length; k += 2) {
          minX = Math.min(minX, outer[k]!);
          maxX = Math.max(maxX, outer[k]!);
          minY = Math.min(minY, outer[k + 1]!);
          maxY = Math.max(maxY, outer[k + 1]!);
        }
      }
      // An area without rings still takes a slot, with a box no point can fall in.
      if (minX > maxX) this.index.add(0, 0, -1, -1);
      else this.index.add(minX, minY, maxX, maxY);
    }
    this.index.finish();
  }

  private contains(i: number, x: number, y: number): boolean {
    for (const rings of this.parts[i]!) {
      if (!rings[0] || !ringContains(rings[0], x, y)) continue;
      let inHole = false;
      for (let h = 1; h < rings.length && !inHole; h++) inHole = ringContains(rings[h]!, x, y);
      if (!inHole) return true;
    }
    return false;
  }

  /** The index of an area holding the point, or −1. */
  find(x: number, y: number): number {
    if (!this.index) return -1;
    this.qx = x;
    this.qy = y;
    this.hit = -1;
    this.index.collides(x, y, x, y, this.test);
    return this.hit;
  }

  /** Every area holding the point (more than one only where areas overlap). */
  findAll(x: number, y: number): number[] {
    if (!this.index) return [];
    return this.index.search(x, y, x, y).filter((i) => this.contains(i, x, y));
  }
}

/**
 * Alley segments in a tree whose coordinates are metres on one plane for the whole territory (longitude
 * scaled at the mean latitude), so that the tree's box distances are comparable with metres. Exact
 * distances are then measured on a plane scaled at the query point's latitude, as `pointSegmentMeters`
 * does; the small disagreement between the two scales is covered by widening the search box.
 */
class AlleySegments {
  private readonly index: Flatbush | null;
  /** Per segment: lng₀, lat₀, lng₁, lat₁. */
  private readonly segments: Float64Array;
  private readonly segmentAlley: Uint32Array;
  private readonly kx: number;
  private readonly best: Float64Array;
  private readonly touched: number[] = [];
  private qLng = 0;
  private qLat = 0;
  private qSx = 0;
  private bestMeters = Number.POSITIVE_INFINITY;
  private bestAlley = -1;
  /** Search callback: measures each candidate exactly and keeps none, so the search allocates nothing. */
  private readonly measure = (s: number): boolean => {
    const d = this.distance(s, this.qLng, this.qLat, this.qSx);
    const a = this.segmentAlley[s]!;
    if (d < this.bestMeters || (d === this.bestMeters && a < this.bestAlley)) {
      this.bestMeters = d;
      this.bestAlley = a;
    }
    return false;
  };

  constructor(alleys: LocatorInput['alleys']) {
    let count = 0;
    let sumLat = 0;
    let vertices = 0;
    for (const a of alleys) {
      const c = a.geometry.coordinates;
      count += Math.max(0, c.length - 1);
      for (const p of c) sumLat += p[1];
      vertices += c.length;
    }
    this.kx = M_PER_DEG * Math.cos((vertices ? sumLat / vertices : 0) * RAD);
    this.segments = new Float64Array(count * 4);
    this.segmentAlley = new Uint32Array(count);
    this.best = new Float64Array(alleys.length).fill(Number.POSITIVE_INFINITY);
    this.index = count ? new Flatbush(count) : null;
    let s = 0;
    alleys.forEach((a, ai) => {
      const c = a.geometry.coordinates;
      for (let k = 1; k < c.length; k++) {
        const [x0, y0] = c[k - 1]!;
        const [x1, y1] = c[k]!;
        this.segments.set([x0, y0, x1, y1], s * 4);
        this.segmentAlley[s] = ai;
        this.index!.add(
          Math.min(x0, x1) * this.kx,
          Math.min(y0, y1) * M_PER_DEG,
          Math.max(x0, x1) * this.kx,
          Math.max(y0, y1) * M_PER_DEG,
        );
        s++;
      }
    });
    this.index?.finish();
  }

  get segmentCount(): number {
    return this.segmentAlley.length;
  }

  private distance(s: number, lng: number, lat: number, sx: number): number {
    const o = s * 4;
    const ax = (this.segments[o]! - lng) * sx;
    const ay = (this.segments[o + 1]! - lat) * M_PER_DEG;
    const dx = (this.segments[o + 2]! - lng) * sx - ax;
    const dy = (this.segments[o + 3]! - lat) * M_PER_DEG - ay;
    const len2 = dx * dx + dy * dy;
    let t = len2 === 0 ? 0 : -(ax * dx + ay * dy) / len2;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const x = ax + t * dx;
    const y = ay + t * dy;
    return Math.sqrt(x * x + y * y);
  }

  /** How much the tree's metric can exceed the exact one at this latitude; ≥ 1 keeps box distances a lower bound. */
  private slack(sx: number): number {
    return Math.max(1, this.kx / sx) * (1 + 1e-9);
  }

  /** The nearest alley within maxMeters: its index and exact distance, or null. */
  nearest(lng: number, lat: number, maxMeters: number): { alley: number; meters: number } | null {
    if (!this.index || !(maxMeters >= 0)) return null;
    const sx = M_PER_DEG * Math.cos(lat * RAD);
    const slack = this.slack(sx);
    const px = lng * this.kx;
    const py = lat * M_PER_DEG;
    this.qLng = lng;
    this.qLat = lat;
    this.qSx = sx;
    this.bestMeters = Number.POSITIVE_INFINITY;
    this.bestAlley = -1;
    // Search a small square first and widen it only when nothing inside it is near enough: a segment
    // outside a square of radius r is farther than r, so once the best distance found is ≤ r it is the
    // answer. Most points lie within tens of metres of an alley, so one small search usually settles it.
    let r = Math.min(NEAR_FIRST_RADIUS_M, maxMeters);
    for (;;) {
      const rr = r * slack + 1e-6;
      this.index.search(px - rr, py - rr, px + rr, py + rr, this.measure);
      if (this.bestMeters <= r || r >= maxMeters) break;
      r = Math.min(r * 4, maxMeters);
    }
    return this.bestAlley >= 0 && this.bestMeters <= maxMeters
      ? { alley: this.bestAlley, meters: this.bestMeters }
      : null;
  }

  /** Alleys within maxMeters, nearest first (ties by input order), at most k. */
  within(lng: number, lat: number, k: number, maxMeters: number): { alley: number; meters: number }[] {
    if (!this.index || k <= 0 || !(maxMeters >= 0)) return [];
    const sx = M_PER_DEG * Math.cos(lat * RAD);
    const r = maxMeters * this.slack(sx) + 1e-6;
    const px = lng * this.kx;
    const py = lat * M_PER_DEG;
    for (const s of this.index.search(px - r, py - r, px + r, py + r)) {
      const d = this.distance(s, lng, lat, sx);
      const a = this.segmentAlley[s]!;
      if (this.best[a] === Number.POSITIVE_INFINITY) this.touched.push(a);
      if (d < this.best[a]!) this.best[a] = d;
    }
    const out: { alley: number; meters: number }[] = [];
    for (const a of this.touched) {
      if (this.best[a]! <= maxMeters) out.push({ alley: a, meters: this.best[a]! });
      this.best[a] = Number.POSITIVE_INFINITY;
    }
    this.touched.length = 0;
    out.sort((p, q) => p.meters - q.meters || p.alley - q.alley);
    return out.slice(0, k);
  }
}

const round1 = (m: number) => Math.round(m * 10) / 10;

export class Locator {
  private readonly streetRefs: Readonly<{ code: string; name: string }>[];
  private readonly communityRefs: Readonly<{ code: string; name: string }>[];
  private readonly gridRefs: Readonly<{ code: string }>[];
  private readonly streetByCode: Map<string, Readonly<{ code: string; name: string }>>;
  private readonly communityByCode: Map<string, Readonly<{ code: string; name: string }>>;
  private readonly alleyRefs: { id: string; name: string }[];

  private constructor(
    input: LocatorInput,
    private readonly streets: AreaLayer,
    private readonly communities: AreaLayer,
    private readonly grids: AreaLayer,
    private readonly alleys: AlleySegments,
    private readonly maxAlleyMeters: number,
  ) {
    // Shared frozen references: a lookup allocates only the Location that wraps them.
    this.streetRefs = input.streets.map((s) => Object.freeze({ code: s.code, name: s.name }));
    this.communityRefs = input.communities.map((c) => Object.freeze({ code: c.code, name: c.name }));
    this.gridRefs = input.grids.map((g) => Object.freeze({ code: g.code }));
    this.streetByCode = new Map(this.streetRefs.map((s) => [s.code, s]));
    this.communityByCode = new Map(this.communityRefs.map((c) => [c.code, c]));
    this.alleyRefs = input.alleys.map((a) => ({ id: a.id, name: a.name }));
  }

  static build(input: LocatorInput, options: LocatorOptions = {}): Locator {
    return new Locator(
      input,
      new AreaLayer(input.streets.map((s) => s.boundary)),
      new AreaLayer(input.communities.map((c) => c.boundary)),
      new AreaLayer(input.grids.map((g) => g.boundary)),
      new AlleySegments(input.alleys),
      options.maxAlleyMeters ?? DEFAULT_MAX_ALLEY_METERS,
    );
  }

  get stats(): {
    streets: number;
    communities: number;
    grids: number;
    alleys: number;
    alleySegments: number;
  } {
    return {
      streets: this.streetRefs.length,
      communities: this.communityRefs.length,
      grids: this.gridRefs.length,
      alleys: this.alleyRefs.length,
      alleySegments: this.alleys.segmentCount,
    };
  }

  /**
   * Where a WGS-84 point lies, or null outside every street. The grid decides when one holds the
   * point — its code names its community and street, so the finest layer wins where imported layers
   * disagree at their edges — and each coarser layer is searched only when the finer one is silent.
   */
  locate(lng: number, lat: number): Location | null {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    let grid: Location['grid'] = null;
    let community: Location['community'] = null;
    let street: Location['street'] | null = null;
    const g = this.grids.find(lng, lat);
    if (g >= 0) {
      grid = this.gridRefs[g]!;
      community = this.communityByCode.get(grid.code.slice(0, 12)) ?? null;
      street = this.streetByCode.get(grid.code.slice(0, 9)) ?? null;
    }
    if (!community) {
      const c = this.communities.find(lng, lat);
      if (c >= 0) {
        community = this.communityRefs[c]!;
        street ??= this.streetByCode.get(community.code.slice(0, 9)) ?? null;
      }
    }
    if (!street) {
      const s = this.streets.find(lng, lat);
      if (s >= 0) street = this.streetRefs[s]!;
    }
    if (!street) return null;
    const near = this.alleys.nearest(lng, lat, this.maxAlleyMeters);
    let alley: AlleyHit | null = null;
    if (near) {
      const ref = this.alleyRefs[near.alley]!;
      alley = { id: ref.id, name: ref.name, distanceMeters: round1(near.meters) };
    }
    return { street, community, grid, alley };
  }

  /** Up to k alleys within maxMeters of the point, nearest first. */
  nearestAlleys(lng: number, lat: number, k: number, maxMeters = this.maxAlleyMeters): AlleyHit[] {
    if (!Number.isFinite(lng) || !Number.isFinite(lat)) return [];
    return this.alleys
      .within(lng, lat, k, maxMeters)
      .map((h) => ({ ...this.alleyRefs[h.alley]!, distanceMeters: round1(h.meters) }));
  }

  /** Codes of every area holding the point, per layer; more than one means the imported areas overlap. */
  areasAt(lng: number, lat: number): { streets: string[]; communities: string[]; grids: string[] } {
    return {
      streets: this.streets.findAll(lng, lat).map((i) => this.streetRefs[i]!.code),
      communities: this.communities.findAll(lng, lat).map((i) => this.communityRefs[i]!.code),
      grids: this.grids.findAll(lng, lat).map((i) => this.gridRefs[i]!.code),
    };
  }
}
