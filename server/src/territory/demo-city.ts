import type { AlleyTier, AlleyType, LineStringGeometry, OrganisationKind } from '../db/schema.ts';
import { HAVE_KEYS, type HaveKey, NOT_KEYS, type NotKey } from './checklist.ts';
import {
  ALLEY_STEMS,
  COMMUNITY_STEMS,
  DIRECTION_PREFIXES,
  GIVEN_NAME_CHARS,
  ORDINALS,
  PLAN_FOCUSES,
  SURNAMES,
  VOLUNTEER_TEAM_KINDS,
} from './demo-names.ts';
import {
  lineStringMidpoint,
  metersPerDegree,
  type PolygonGeometry,
  type Position,
  pointInPolygonal,
} from './geometry.ts';
import type { LocatorInput } from './locator.ts';

/**
 * The demo city: Xicheng district (西城区) with its 15 real streets and real codes, and generated
 * communities, grids and about 1,200 alleys. No public geometry of Xicheng's streets or hutongs is
 * available, so every shape here is generated and flagged `approximate: true`: the streets sit where
 * they really are relative to each other and have roughly their real areas; everything below them is
 * invented. The output is a pure function of the code — a seeded generator, no clock, no I/O — so two
 * calls give byte-identical JSON and tests can rely on it.
 */

// ---- types: the territory import format (see territory.schema.ts) ------------------------------
// Property bags are type aliases rather than interfaces so that they stay assignable to the
// import format's `Record<string, unknown>` properties.

export type DistrictProperties = { layer: 'district'; code: string; name: string; approximate: true };
export type StreetProperties = { layer: 'street'; code: string; name: string; approximate: true };
export type CommunityProperties = { layer: 'community'; code: string; name: string; approximate: true };
export type GridProperties = { layer: 'grid'; code: string; approximate: true };

export type DemoChief = { name: string; title: string; duties: string; phone: string };

export type AlleyProperties = {
  layer: 'alley';
  id: string;
  name: string;
  streetCode: string;
  communityCode: string;
  alleyType: AlleyType;
  currentTier: AlleyTier | null;
  targetTier: AlleyTier;
  chief: DemoChief;
  council: string;
  volunteerTeam: string;
  plan: string;
  residentsPact: string;
  cultureNote: string;
  noticeBoard: string;
  contractorId: string;
  checklist: { haves: Record<HaveKey, boolean>; nots: Record<NotKey, boolean> };
  approximate: true;
};

export type AreaFeature<P> = { type: 'Feature'; properties: P; geometry: PolygonGeometry };
export type AlleyFeature = { type: 'Feature'; properties: AlleyProperties; geometry: LineStringGeometry };
export type DemoFeature =
  | AreaFeature<DistrictProperties>
  | AreaFeature<StreetProperties>
  | AreaFeature<CommunityProperties>
  | AreaFeature<GridProperties>
  | AlleyFeature;

export type TerritoryFeatureCollection = { type: 'FeatureCollection'; features: DemoFeature[] };

export interface DemoOrganisation {
  id: string;
  districtCode: string;
  scopeCode: string;
  name: string;
  kind: OrganisationKind;
  departmentType: string | null;
  patternTier: '1' | '5' | 'N' | null;
  phone: string | null;
}

export interface DemoCity {
  territory: TerritoryFeatureCollection;
  organisations: DemoOrganisation[];
}

// ---- the real frame: district, streets, named alleys --------------------------------------------

export const DEMO_DISTRICT = { code: '110102', name: '西城区' } as const;

export interface DemoStreet {
  code: string;
  name: string;
  /** Roughly where the street's centre really is; the Voronoi seed of its cell. */
  seed: Position;
  /** Real area in km², used only as a relative weight. */
  areaKm2: number;
}

export const DEMO_STREETS: readonly DemoStreet[] = [
  { code: '110102001', name: '西长安街街道', seed: [116.3845, 39.9105], areaKm2: 4.2 },
  { code: '110102003', name: '新街口街道', seed: [116.3655, 39.9365], areaKm2: 3.7 },
  { code: '110102007', name: '月坛街道', seed: [116.3445, 39.9095], areaKm2: 4.1 },
  { code: '110102009', name: '展览路街道', seed: [116.3335, 39.9285], areaKm2: 5.8 },
  { code: '110102010', name: '德胜街道', seed: [116.3785, 39.9585], areaKm2: 4.2 },
  { code: '110102011', name: '金融街街道', seed: [116.3625, 39.9135], areaKm2: 3.8 },
  { code: '110102012', name: '什刹海街道', seed: [116.3865, 39.9385], areaKm2: 5.8 },
  { code: '110102013', name: '大栅栏街道', seed: [116.3925, 39.8925], areaKm2: 1.3 },
  { code: '110102014', name: '天桥街道', seed: [116.3985, 39.8785], areaKm2: 2.1 },
  { code: '110102015', name: '椿树街道', seed: [116.3795, 39.8935], areaKm2: 1.1 },
  { code: '110102016', name: '陶然亭街道', seed: [116.3855, 39.8735], areaKm2: 2.2 },
  { code: '110102017', name: '广安门内街道', seed: [116.3585, 39.8935], areaKm2: 3.0 },
  { code: '110102018', name: '牛街街道', seed: [116.3685, 39.8835], areaKm2: 1.4 },
  { code: '110102019', name: '白纸坊街道', seed: [116.3575, 39.8725], areaKm2: 3.1 },
  { code: '110102020', name: '广安门外街道', seed: [116.3305, 39.8855], areaKm2: 6.9 },
];

/**
 * Xicheng's outline, clockwise from the north-west: a rough sketch after the general shape of public
 * maps, not a survey (errors of several hundred metres are expected), scaled so that its area is near
 * the real 50.7 km². It keeps the features that make the district recognisable: the narrow north (德胜,
 * up to the third ring road), the step west at 西直门 to 展览路, the notch at 木樨地/白云路, the
 * tapering south-west lobe of 广安门外, the second ring road in the south and the central axis (前门,
 * 天安门, 景山, 鼓楼) in the east.
 */
const DISTRICT_OUTLINE: Position[] = [
  [116.3626, 39.9643],
  [116.3702, 39.9679],
  [116.3835, 39.9685],
  [116.3949, 39.9676],
  [116.3942, 39.9574],
  [116.3936, 39.9486],
  [116.3955, 39.9406],
  [116.3946, 39.9343],
  [116.3914, 39.9311],
  [116.3904, 39.9229],
  [116.3898, 39.9144],
  [116.3892, 39.9071],
  [116.3908, 39.9001],
  [116.3965, 39.8978],
  [116.3974, 39.89],
  [116.4031, 39.884],
  [116.4041, 39.876],
  [116.4037, 39.8688],
  [116.3936, 39.8674],
  [116.3813, 39.8669],
  [116.368, 39.8678],
  [116.3556, 39.8688],
  [116.3442, 39.8719],
  [116.335, 39.8757],
  [116.3303, 39.8805],
  [116.3246, 39.8878],
  [116.3246, 39.8931],
  [116.3322, 39.8966],
  [116.3445, 39.8995],
  [116.3458, 39.9054],
  [116.335, 39.909],
  [116.329, 39.9166],
  [116.3281, 39.9258],
  [116.3293, 39.9339],
  [116.3341, 39.9394],
  [116.3445, 39.9403],
  [116.355, 39.9415],
  [116.3597, 39.9533],
];

interface RealAlley {
  name: string;
  streetCode: string;
  type: AlleyType;
  /** Where its middle roughly is. */
  anchor: Position;
  /** Direction in degrees, counter-clockwise from east. */
  angle: number;
  length: number;
}

/** Alleys named in the seed documents, placed inside their real streets at plausible positions. */
export const REAL_ALLEYS: readonly RealAlley[] = [
  {
    name: '光明胡同',
    streetCode: '110102001',
    type: 'lane',
    anchor: [116.3805, 39.9035],
    angle: 0,
    length: 380,
  },
  {
    name: '东斜街',
    streetCode: '110102001',
    type: 'main_street',
    anchor: [116.3795, 39.9175],
    angle: 62,
    length: 460,
  },
  {
    name: '织女桥东河沿',
    streetCode: '110102001',
    type: 'lane',
    anchor: [116.3865, 39.9045],
    angle: 85,
    length: 300,
  },
  {
    name: '力学胡同',
    streetCode: '110102001',
    type: 'lane',
    anchor: [116.3815, 39.9115],
    angle: 2,
    length: 340,
  },
  {
    name: '柳荫街',
    streetCode: '110102012',
    type: 'main_street',
    anchor: [116.3775, 39.9385],
    angle: 92,
    length: 480,
  },
  {
    name: '鼓楼西大街',
    streetCode: '110102012',
    type: 'major_street',
    anchor: [116.3865, 39.9435],
    angle: -19,
    length: 740,
  },
  {
    name: '烂缦胡同',
    streetCode: '110102018',
    type: 'lane',
    anchor: [116.3705, 39.8855],
    angle: 90,
    length: 420,
  },
  {
    name: '宫门口东西岔胡同',
    streetCode: '110102003',
    type: 'lane',
    anchor: [116.3615, 39.9275],
    angle: 0,
    length: 260,
  },
  {
    name: '民康胡同',
    streetCode: '110102003',
    type: 'lane',
    anchor: [116.3675, 39.9345],
    angle: 0,
    length: 300,
  },
];

/** Xicheng's third three-year plan (2023–2025): 182 exemplary, 943 fine, 100 compliant alleys. */
export const DEMO_TIER_PLAN: Readonly<Record<AlleyTier, number>> = {
  exemplary: 182,
  fine: 943,
  compliant: 100,
};
const ALLEY_TOTAL = DEMO_TIER_PLAN.exemplary + DEMO_TIER_PLAN.fine + DEMO_TIER_PLAN.compliant;

const CONTRACTORS = [
  {
    id: 'org-contractor-a',
    name: '西城示例环境服务有限公司',
    streets: ['110102001', '110102003', '110102010', '110102011', '110102012', '110102013', '110102014'],
  },
  {
    id: 'org-contractor-b',
    name: '宣南示例街巷物业服务有限公司',
    streets: [
      '110102007',
      '110102009',
      '110102015',
      '110102016',
      '110102017',
      '110102018',
      '110102019',
      '110102020',
    ],
  },
] as const;

const FIVE_DEPARTMENTS = [
  ['public_security', '西城区公安分局'],
  ['traffic', '西城区交通支队'],
  ['market_regulation', '西城区市场监督管理局'],
  ['food_drug', '西城区食品药品监督管理局'],
] as const;

const N_DEPARTMENTS = [
  ['housing', '西城区房屋管理局'],
  ['planning', '西城区规划分局'],
  ['land', '西城区国土分局'],
  ['landscaping', '西城区园林绿化局'],
  ['culture', '西城区文化和旅游局'],
  ['fire', '西城区消防救援支队'],
  ['water', '西城区供水服务单位（示例）'],
  ['power', '西城区供电服务单位（示例）'],
  ['gas', '西城区燃气服务单位（示例）'],
  ['heating', '西城区供热服务单位（示例）'],
  ['telecom', '西城区通信管线服务单位（示例）'],
] as const;

const CHIEF_TITLES: Record<AlleyType, string> = {
  major_street: '街道办事处副主任',
  main_street: '科长',
  lane: '副科长',
};

const CHIEF_DUTIES: Record<AlleyType, string> = {
  major_street: '统筹本大街环境整治与秩序管理，牵头协调“1+5+N”部门解决重点难点问题，督促落实“十有十无”',
  main_street: '负责本街日常巡查，组织问题发现、上报和处置，协调职能部门和服务企业落实整改',
  lane: '负责本巷日常巡查，及时发现并处置环境秩序问题，听取居民意见，推动“十有十无”达标',
};

const TIER_LABELS: Record<AlleyTier, string> = { exemplary: '精品', fine: '优美', compliant: '达标' };

// ---- deterministic randomness -------------------------------------------------------------------

class Rng {
  private state: number;

  /** Each stage draws from its own stream, so changing one stage does not reshuffle the others. */
  constructor(label: string) {
    let h = 0x811c9dc5;
    for (let i = 0; i < label.length; i++) {
      h ^= label.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    this.state = h >>> 0;
  }

  /** mulberry32: uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

// ---- plane geometry -----------------------------------------------------------------------------
// Everything is generated on a local plane in metres (an equirectangular projection around the
// district's middle), where Voronoi bisectors and distances are honest, and mapped back at the end.
// The map is affine, so a polygon that tiles on the plane tiles on lng/lat too.

type Pt = [number, number];

const ORIGIN: Position = [116.36, 39.915];
const SCALE = metersPerDegree(ORIGIN[1]);

function toPlane([lng, lat]: Position): Pt {
  return [(lng - ORIGIN[0]) * SCALE.x, (lat - ORIGIN[1]) * SCALE.y];
}

// About 1 cm: enough for any use of demo data, and it keeps the JSON small.
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

function toLngLat([x, y]: Pt): Position {
  return [round7(ORIGIN[0] + x / SCALE.x), round7(ORIGIN[1] + y / SCALE.y)];
}

function signedArea(poly: Pt[]): number {
  let a = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    a += (poly[j]![0] + poly[i]![0]) * (poly[j]![1] - poly[i]![1]);
  }
  return -a / 2;
}

const area = (poly: Pt[]) => Math.abs(signedArea(poly));

function centroid(poly: Pt[]): Pt {
  let cx = 0;
  let cy = 0;
  let a2 = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    const f = xj * yi - xi * yj;
    cx += (xj + xi) * f;
    cy += (yj + yi) * f;
    a2 += f;
  }
  if (a2 === 0) return poly[0]!;
  return [cx / (3 * a2), cy / (3 * a2)];
}

function contains(poly: Pt[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i]!;
    const [xj, yj] = poly[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function segmentDistance(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}

function segmentsCross(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const o = (p: Pt, q: Pt, r: Pt) => (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  const d1 = o(c, d, a);
  const d2 = o(c, d, b);
  const d3 = o(a, b, c);
  const d4 = o(a, b, d);
  return d1 > 0 !== d2 > 0 && d3 > 0 !== d4 > 0;
}

/** Sutherland–Hodgman against one half-plane, keeping the side where a·x + b·y ≤ c. */
function clip(poly: Pt[], a: number, b: number, c: number): Pt[] {
  const out: Pt[] = [];
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % n]!;
    const fp = a * p[0] + b * p[1] - c;
    const fq = a * q[0] + b * q[1] - c;
    if (fp <= 0) out.push(p);
    if (fp <= 0 !== fq <= 0) {
      const t = fp / (fp - fq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

function dropRepeats(poly: Pt[]): Pt[] {
  const out: Pt[] = [];
  for (const p of poly) {
    const last = out.at(-1);
    if (!last || Math.abs(last[0] - p[0]) > 1e-6 || Math.abs(last[1] - p[1]) > 1e-6) out.push(p);
  }
  while (
    out.length > 1 &&
    Math.abs(out[0]![0] - out.at(-1)![0]) <= 1e-6 &&
    Math.abs(out[0]![1] - out.at(-1)![1]) <= 1e-6
  ) {
    out.pop();
  }
  return out.length >= 3 ? out : [];
}

/**
 * Power-diagram cells of the seeds inside the container: cell i keeps the points whose power distance
 * |p − sᵢ|² − wᵢ is smallest. Every bisector is a straight line, so each cell is the container clipped
 * by n − 1 half-planes. Cell i's half-plane against j is computed as the exact negation of j's against i
 * (same products, P_j − P_i versus P_i − P_j), so neighbours classify every vertex consistently and the
 * cells tile the container with no gaps or overlaps beyond rounding.
 */
function powerCells(container: Pt[], seeds: Pt[], weights?: number[]): Pt[][] {
  const power = seeds.map((s, i) => s[0] * s[0] + s[1] * s[1] - (weights?.[i] ?? 0));
  return seeds.map((s, i) => {
    let cell = container;
    for (let j = 0; j < seeds.length && cell.length > 0; j++) {
      if (j === i) continue;
      const t = seeds[j]!;
      cell = clip(cell, 2 * (t[0] - s[0]), 2 * (t[1] - s[1]), power[j]! - power[i]!);
    }
    return dropRepeats(cell);
  });
}

function bboxOfPts(poly: Pt[]): [number, number, number, number] {
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const [x, y] of poly) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

function randomPointIn(poly: Pt[], rng: Rng): Pt {
  const [minX, minY, maxX, maxY] = bboxOfPts(poly);
  for (let k = 0; k < 10_000; k++) {
    const x = rng.range(minX, maxX);
    const y = rng.range(minY, maxY);
    if (contains(poly, x, y)) return [x, y];
  }
  return centroid(poly);
}

/**
 * Splits a container into `count` cells of similar size: random seeds kept apart from each other, then
 * a few rounds of Lloyd relaxation (each seed moves to its cell's centroid) so that cells look like
 * blocks rather than slivers. A centroid outside a concave container keeps the old seed, so every seed
 * stays inside and every cell is non-empty.
 */
function relaxedCells(container: Pt[], count: number, rng: Rng, rounds: number): Pt[][] {
  const spacing = Math.sqrt(area(container) / count) * 0.45;
  const seeds: Pt[] = [];
  for (let tries = 0; seeds.length < count; tries++) {
    const p = randomPointIn(container, rng);
    const minGap = tries < 2000 ? spacing : 0;
    if (seeds.every((s) => Math.hypot(s[0] - p[0], s[1] - p[1]) >= minGap)) seeds.push(p);
  }
  let current = seeds;
  for (let r = 0; r < rounds; r++) {
    const cells = powerCells(container, current);
    current = cells.map((c, i) => {
      const m = c.length ? centroid(c) : current[i]!;
      return contains(container, m[0], m[1]) ? m : current[i]!;
    });
  }
  return powerCells(container, current);
}

/**
 * The order in which cells get their sequence numbers (community codes within a street, grid codes
 * within a community): take each cell's centroid; walk the centroids from north to south; a centroid
 * starts a new row when it lies more than half a typical cell height (½·√(mean cell area)) south of the
 * first centroid of the current row; rows are numbered north to south and, within a row, west to east.
 */
function readingOrder(cells: Pt[][]): number[] {
  const points = cells.map(centroid);
  const rowHeight = 0.5 * Math.sqrt(cells.reduce((s, c) => s + area(c), 0) / cells.length);
  const byNorth = points
    .map((_, i) => i)
    .sort((a, b) => points[b]![1] - points[a]![1] || points[a]![0] - points[b]![0]);
  const rows: number[][] = [];
  let rowTop = Number.POSITIVE_INFINITY;
  for (const i of byNorth) {
    if (rows.length === 0 || rowTop - points[i]![1] > rowHeight) {
      rows.push([]);
      rowTop = points[i]![1];
    }
    rows.at(-1)!.push(i);
  }
  return rows.flatMap((row) => row.sort((a, b) => points[a]![0] - points[b]![0]));
}

/** A closed GeoJSON ring, counter-clockwise as RFC 7946 asks of exterior rings. */
function toPolygon(poly: Pt[]): PolygonGeometry {
  const ccw = signedArea(poly) > 0 ? poly : [...poly].reverse();
  const ring: Position[] = [];
  for (const p of ccw) {
    const q = toLngLat(p);
    const last = ring.at(-1);
    if (!last || last[0] !== q[0] || last[1] !== q[1]) ring.push(q);
  }
  if (ring.length > 1 && ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1]) ring.pop();
  ring.push([ring[0]![0], ring[0]![1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * Makes neighbours share their boundary vertex for vertex. Each cell is clipped on its own, so where
 * a cell has a corner on its neighbour's straight edge (a T-junction, e.g. a grid corner on a
 * community edge) the neighbour lacks that vertex, and a point computed twice differs in the last bits.
 * Rounding to 1e-7° would then open centimetre slivers and overlaps. So: points within 0.1 mm become
 * one canonical point, and every edge gains the canonical points lying on it. Afterwards a shared
 * boundary is the same sequence of points on both sides, which rounds identically.
 */
function shareVertices(polys: Pt[][]): Pt[][] {
  const EPS = 1e-4;
  const MM = 1000;
  const byMillimetre = new Map<string, Pt[]>();
  const canonical = (p: Pt): Pt => {
    const kx = Math.round(p[0] * MM);
    const ky = Math.round(p[1] * MM);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const c of byMillimetre.get(`${kx + dx},${ky + dy}`) ?? []) {
          if (Math.abs(c[0] - p[0]) <= EPS && Math.abs(c[1] - p[1]) <= EPS) return c;
        }
      }
    }
    const key = `${kx},${ky}`;
    const list = byMillimetre.get(key);
    if (list) list.push(p);
    else byMillimetre.set(key, [p]);
    return p;
  };
  const snapped = polys.map((poly) => dropRepeats(poly.map(canonical)));

  const CELL = 50;
  const buckets = new Map<string, Pt[]>();
  for (const list of byMillimetre.values()) {
    for (const p of list) {
      const key = `${Math.floor(p[0] / CELL)},${Math.floor(p[1] / CELL)}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(p);
      else buckets.set(key, [p]);
    }
  }
  return snapped.map((poly) => {
    const out: Pt[] = [];
    for (let i = 0; i < poly.length; i++) {
      const a = poly[i]!;
      const b = poly[(i + 1) % poly.length]!;
      out.push(a);
      const dx = b[0] - a[0];
      const dy = b[1] - a[1];
      const len2 = dx * dx + dy * dy;
      const onEdge: [number, Pt][] = [];
      const [ix0, ix1] = [Math.floor(Math.min(a[0], b[0]) / CELL), Math.floor(Math.max(a[0], b[0]) / CELL)];
      const [iy0, iy1] = [Math.floor(Math.min(a[1], b[1]) / CELL), Math.floor(Math.max(a[1], b[1]) / CELL)];
      for (let ix = ix0; ix <= ix1; ix++) {
        for (let iy = iy0; iy <= iy1; iy++) {
          for (const c of buckets.get(`${ix},${iy}`) ?? []) {
            if (c === a || c === b) continue;
            const t = ((c[0] - a[0]) * dx + (c[1] - a[1]) * dy) / len2;
            if (t <= 0 || t >= 1) continue;
            if (Math.hypot(a[0] + t * dx - c[0], a[1] + t * dy - c[1]) <= EPS) onEdge.push([t, c]);
          }
        }
      }
      onEdge.sort((p, q) => p[0] - q[0]);
      for (const [, c] of onEdge) out.push(c);
    }
    return out;
  });
}

// ---- the street partition -----------------------------------------------------------------------

/**
 * Streets as weighted Voronoi (power) cells of their real centres. The weights are tuned by a damped
 * fixed-point iteration until each cell's area is near its share of the district, so that the small
 * old streets of the south-east (大栅栏, 椿树) stay small and 广安门外 stays large.
 */
function streetCells(district: Pt[]): Pt[][] {
  const seeds = DEMO_STREETS.map((s) => toPlane(s.seed));
  const total = area(district);
  const weightSum = DEMO_STREETS.reduce((s, x) => s + x.areaKm2, 0);
  const targets = DEMO_STREETS.map((s) => (s.areaKm2 / weightSum) * total);
  const weights = seeds.map(() => 0);
  for (let round = 0; round < 80; round++) {
    const cells = powerCells(district, seeds, weights);
    cells.forEach((c, i) => {
      weights[i]! += 0.3 * (targets[i]! - area(c));
    });
  }
  return powerCells(district, seeds, weights);
}

// ---- alleys -------------------------------------------------------------------------------------

const ALLEY_LENGTH: Record<AlleyType, [number, number]> = {
  major_street: [500, 740],
  main_street: [300, 580],
  lane: [160, 400],
};

// How far apart two alleys must stay, and how far inside its area an alley must lie, in metres.
const ALLEY_SEPARATION = 28;
const BOUNDARY_MARGIN = 8;

/** A bucketed index of placed alley segments, so that a candidate is checked only against neighbours. */
class SegmentBuckets {
  private readonly buckets = new Map<number, number[]>();
  private readonly segments: Pt[][] = [];

  constructor(private readonly size: number) {}

  private key(ix: number, iy: number): number {
    return (ix + 4096) * 8192 + (iy + 4096);
  }

  add(a: Pt, b: Pt): void {
    const id = this.segments.length;
    this.segments.push([a, b]);
    const s = this.size;
    for (let ix = Math.floor(Math.min(a[0], b[0]) / s); ix <= Math.floor(Math.max(a[0], b[0]) / s); ix++) {
      for (let iy = Math.floor(Math.min(a[1], b[1]) / s); iy <= Math.floor(Math.max(a[1], b[1]) / s); iy++) {
        const k = this.key(ix, iy);
        const list = this.buckets.get(k);
        if (list) list.push(id);
        else this.buckets.set(k, [id]);
      }
    }
  }

  /** Whether any placed segment comes within `r` (≤ bucket size) of p. */
  near(p: Pt, r: number): boolean {
    const ix0 = Math.floor((p[0] - r) / this.size);
    const iy0 = Math.floor((p[1] - r) / this.size);
    for (let ix = ix0; ix <= Math.floor((p[0] + r) / this.size); ix++) {
      for (let iy = iy0; iy <= Math.floor((p[1] + r) / this.size); iy++) {
        for (const id of this.buckets.get(this.key(ix, iy)) ?? []) {
          const [a, b] = this.segments[id]!;
          if (segmentDistance(p, a!, b!) < r) return true;
        }
      }
    }
    return false;
  }
}

/** A hutong-like polyline: straight on the whole, with small wobbles and the odd sideways dog-leg. */
function alleyLine(rng: Rng, middle: Pt, angleDeg: number, length: number): Pt[] {
  const n = Math.min(12, Math.max(5, 5 + Math.floor(length / 130) + rng.int(0, 2)));
  const ux = Math.cos((angleDeg * Math.PI) / 180);
  const uy = Math.sin((angleDeg * Math.PI) / 180);
  const step = 1 / (n - 1);
  const pts: Pt[] = [];
  let offset = 0;
  for (let k = 0; k < n; k++) {
    let t = k * step - 0.5;
    if (k > 0 && k < n - 1) t += rng.range(-0.25, 0.25) * step;
    if (k > 0) {
      offset += rng.range(-2.5, 2.5);
      if (rng.chance(0.12)) offset += (rng.chance(0.5) ? -1 : 1) * rng.range(6, 12);
      offset = Math.max(-20, Math.min(20, offset));
    }
    pts.push([middle[0] + ux * t * length - uy * offset, middle[1] + uy * t * length + ux * offset]);
  }
  return pts;
}

function boundaryDistance(poly: Pt[], p: Pt): number {
  let d = Number.POSITIVE_INFINITY;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++)
    d = Math.min(d, segmentDistance(p, poly[j]!, poly[i]!));
  return d;
}

function lineInside(poly: Pt[], line: Pt[]): boolean {
  for (const p of line) {
    if (!contains(poly, p[0], p[1]) || boundaryDistance(poly, p) < BOUNDARY_MARGIN) return false;
  }
  // Vertices alone do not prove it for a concave area: a segment may cut across a notch.
  for (let k = 1; k < line.length; k++) {
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      if (segmentsCross(line[k - 1]!, line[k]!, poly[j]!, poly[i]!)) return false;
    }
  }
  return true;
}

function samplesAlong(line: Pt[], every: number): Pt[] {
  const out: Pt[] = [line[0]!];
  for (let k = 1; k < line.length; k++) {
    const a = line[k - 1]!;
    const b = line[k]!;
    const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / every));
    for (let s = 1; s <= steps; s++)
      out.push([a[0] + ((b[0] - a[0]) * s) / steps, a[1] + ((b[1] - a[1]) * s) / steps]);
  }
  return out;
}

/** Most hutongs run east–west (courtyards face south); some run north–south; a few are slanting 斜街. */
function alleyAngle(rng: Rng): number {
  const r = rng.next();
  if (r < 0.78) return rng.range(-6, 6);
  if (r < 0.95) return 90 + rng.range(-6, 6);
  return (rng.chance(0.5) ? 1 : -1) * rng.range(25, 60);
}

function alleyName(rng: Rng, type: AlleyType, used: Set<string>): string {
  for (;;) {
    const stem = rng.pick(ALLEY_STEMS);
    const r = rng.next();
    let name: string;
    if (type === 'major_street')
      name = r < 0.6 ? `${stem}大街` : `${rng.pick(DIRECTION_PREFIXES.slice(0, 4))}${stem}大街`;
    else if (type === 'main_street') {
      name =
        r < 0.45
          ? `${stem}街`
          : r < 0.75
            ? `${stem}胡同`
            : `${rng.pick(DIRECTION_PREFIXES.slice(0, 6))}${stem}街`;
    } else if (r < 0.5) name = `${stem}胡同`;
    else if (r < 0.65) name = `${stem}巷`;
    else if (r < 0.8) name = `${rng.pick(DIRECTION_PREFIXES)}${stem}胡同`;
    else if (r < 0.9) name = `${stem}${rng.pick(ORDINALS)}条`;
    else name = `${stem}夹道`;
    if (!used.has(name)) {
      used.add(name);
      return name;
    }
  }
}

function personName(rng: Rng): string {
  const given = rng.chance(0.3)
    ? rng.pick(GIVEN_NAME_CHARS)
    : rng.pick(GIVEN_NAME_CHARS) + rng.pick(GIVEN_NAME_CHARS);
  return rng.pick(SURNAMES) + given;
}

/** Fake Beijing landline numbers, unique across the demo city. */
function phoneMaker(rng: Rng): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const phone = `010-6${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
      if (!used.has(phone)) {
        used.add(phone);
        return phone;
      }
    }
  };
}

function currentTierFor(rng: Rng, target: AlleyTier): AlleyTier | null {
  if (target === 'exemplary') return rng.chance(0.45) ? 'exemplary' : 'fine';
  if (target === 'fine') return rng.chance(0.6) ? 'fine' : 'compliant';
  return rng.chance(0.7) ? 'compliant' : null;
}

/**
 * The ten haves and ten nots that an alley of this current tier plausibly shows. The governance items
 * (chief, council, company, team, plan, pact, board) exist for every demo alley because the generator
 * writes them; the physical items and the problems vary with the tier.
 */
function checklistFor(rng: Rng, tier: AlleyTier | null): AlleyProperties['checklist'] {
  const pHave = tier === 'exemplary' ? 1 : tier === 'fine' ? 0.8 : tier === 'compliant' ? 0.55 : 0.3;
  const pNot = tier === 'exemplary' ? 1 : tier === 'fine' ? 0.93 : tier === 'compliant' ? 0.82 : 0.6;
  const physical = new Set<HaveKey>(['facilities', 'greenery', 'culture']);
  const haves = Object.fromEntries(
    HAVE_KEYS.map((k) => [k, physical.has(k) ? rng.chance(pHave) : true]),
  ) as Record<HaveKey, boolean>;
  const nots = Object.fromEntries(NOT_KEYS.map((k) => [k, rng.chance(pNot)])) as Record<NotKey, boolean>;
  return { haves, nots };
}

// ---- assembly -----------------------------------------------------------------------------------

interface CommunityPlan {
  code: string;
  name: string;
  /** On the plane, before vertex sharing: what alleys are fitted into. */
  cell: Pt[];
  /** As published: what an alley's community is read from. */
  polygon: PolygonGeometry;
}

interface PlacedAlley {
  name: string;
  type: AlleyType;
  line: Pt[];
}

function placeStreetAlleys(
  rng: Rng,
  streetCell: Pt[],
  communities: CommunityPlan[],
  real: readonly RealAlley[],
  types: AlleyType[],
  buckets: SegmentBuckets,
  usedNames: Set<string>,
): PlacedAlley[] {
  const placed: PlacedAlley[] = [];
  const accept = (name: string, type: AlleyType, line: Pt[]) => {
    for (let k = 1; k < line.length; k++) buckets.add(line[k - 1]!, line[k]!);
    placed.push({ name, type, line });
  };
  const clear = (line: Pt[], separation: number) =>
    samplesAlong(line, 10).every((p) => !buckets.near(p, separation));

  for (const a of real) {
    const anchor = toPlane(a.anchor);
    let line: Pt[] | null = null;
    for (let attempt = 0; attempt < 400 && !line; attempt++) {
      // Spiral out from the real position; shorten a little if the street is tight there.
      const radius = attempt < 300 ? attempt * 2 : 600;
      const middle: Pt =
        attempt === 0
          ? anchor
          : [anchor[0] + rng.range(-radius, radius), anchor[1] + rng.range(-radius, radius)];
      const length = a.length * (attempt < 200 ? 1 : 0.75);
      const candidate = alleyLine(rng, middle, a.angle, length);
      if (lineInside(streetCell, candidate) && clear(candidate, ALLEY_SEPARATION)) line = candidate;
    }
    accept(a.name, a.type, line ?? alleyLine(rng, randomPointIn(streetCell, rng), a.angle, 160));
  }

  const weights = communities.map((c) => area(c.cell));
  const totalWeight = weights.reduce((s, w) => s + w, 0);
  const pickCommunity = (): CommunityPlan => {
    let r = rng.next() * totalWeight;
    for (let i = 0; i < communities.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return communities[i]!;
    }
    return communities.at(-1)!;
  };

  // Longest first: a long street finds room only before the lanes have filled the blocks.
  const order: AlleyType[] = ['major_street', 'main_street', 'lane'];
  const sorted = [...types].sort((p, q) => order.indexOf(p) - order.indexOf(q));
  for (const type of sorted) {
    const [lo, hi] = ALLEY_LENGTH[type];
    const nominal = rng.range(lo, hi);
    let line: Pt[] | null = null;
    for (let attempt = 0; attempt < 400 && !line; attempt++) {
      // Prefer a line within one community; long streets, and alleys that find no room, may cross.
      const container = type === 'major_street' || attempt >= 120 ? streetCell : pickCommunity().cell;
      const shrink = attempt < 200 ? 1 : Math.max(160 / nominal, 1 - (attempt - 200) / 250);
      const separation = attempt < 320 ? ALLEY_SEPARATION : ALLEY_SEPARATION / 2;
      const candidate = alleyLine(rng, randomPointIn(container, rng), alleyAngle(rng), nominal * shrink);
      if (lineInside(container, candidate) && clear(candidate, separation)) line = candidate;
    }
    if (!line) {
      // A crowded street: give up on separation rather than on the alley.
      for (let attempt = 0; attempt < 1000 && !line; attempt++) {
        const candidate = alleyLine(rng, randomPointIn(streetCell, rng), alleyAngle(rng), 160);
        if (lineInside(streetCell, candidate)) line = candidate;
      }
    }
    accept(alleyName(rng, type, usedNames), type, line!);
  }
  return placed;
}

/** Splits `total` in proportion to weights, handing the remainders to the largest fractions. */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  const byRemainder = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const missing = total - counts.reduce((s, c) => s + c, 0);
  for (let k = 0; k < missing; k++) counts[byRemainder[k]![1]]!++;
  return counts;
}

export function generateDemoCity(): DemoCity {
  const district = DISTRICT_OUTLINE.map(toPlane);
  const cells = streetCells(district);
  const phone = phoneMaker(new Rng('phones'));

  // Communities: about four per km² plus five, at least 8 and at most 20 per street.
  const usedCommunityNames = new Set<string>();
  const communityRng = new Rng('community-names');
  const communityName = (): string => {
    for (;;) {
      const stem = communityRng.pick(COMMUNITY_STEMS);
      const name = communityRng.chance(0.6)
        ? `${stem}社区`
        : `${communityRng.pick(DIRECTION_PREFIXES)}${stem}社区`;
      if (!usedCommunityNames.has(name)) {
        usedCommunityNames.add(name);
        return name;
      }
    }
  };
  const communityCells: { code: string; name: string; cell: Pt[] }[] = [];
  const gridCells: { code: string; cell: Pt[] }[] = [];
  DEMO_STREETS.forEach((s, i) => {
    const cell = cells[i]!;
    const count = Math.min(20, Math.max(8, Math.round(5 + (area(cell) / 1e6) * 4)));
    const parts = relaxedCells(cell, count, new Rng(`communities:${s.code}`), 4);
    readingOrder(parts).forEach((k, seq) => {
      const code = `${s.code}${String(seq + 1).padStart(3, '0')}`;
      communityCells.push({ code, name: communityName(), cell: parts[k]! });
      const gridRng = new Rng(`grids:${code}`);
      const grids = relaxedCells(parts[k]!, gridRng.int(3, 6), gridRng, 3);
      readingOrder(grids).forEach((g, gseq) => {
        gridCells.push({ code: `${code}${String(gseq + 1).padStart(3, '0')}`, cell: grids[g]! });
      });
    });
  });

  const shared = shareVertices([
    district,
    ...cells,
    ...communityCells.map((c) => c.cell),
    ...gridCells.map((g) => g.cell),
  ]);
  const polygons = shared.map(toPolygon);
  let cursor = 0;
  const features: DemoFeature[] = [];
  features.push({
    type: 'Feature',
    properties: { layer: 'district', code: DEMO_DISTRICT.code, name: DEMO_DISTRICT.name, approximate: true },
    geometry: polygons[cursor++]!,
  });
  for (const s of DEMO_STREETS) {
    features.push({
      type: 'Feature',
      properties: { layer: 'street', code: s.code, name: s.name, approximate: true },
      geometry: polygons[cursor++]!,
    });
  }
  const communitiesByStreet = new Map<string, CommunityPlan[]>();
  for (const c of communityCells) {
    const polygon = polygons[cursor++]!;
    features.push({
      type: 'Feature',
      properties: { layer: 'community', code: c.code, name: c.name, approximate: true },
      geometry: polygon,
    });
    const streetCode = c.code.slice(0, 9);
    const list = communitiesByStreet.get(streetCode) ?? [];
    list.push({ ...c, polygon });
    communitiesByStreet.set(streetCode, list);
  }
  for (const g of gridCells) {
    features.push({
      type: 'Feature',
      properties: { layer: 'grid', code: g.code, approximate: true },
      geometry: polygons[cursor++]!,
    });
  }

  // Alleys: 1,225 as in Xicheng's plan, shared among streets by area; ~10 % 大街, ~25 % 主街.
  const perStreet = apportion(
    ALLEY_TOTAL,
    cells.map((c) => area(c)),
  );
  const typeRng = new Rng('alley-types');
  const realTypes = REAL_ALLEYS.map((a) => a.type);
  const countOf = (t: AlleyType) => realTypes.filter((x) => x === t).length;
  const majors = Math.round(ALLEY_TOTAL * 0.1) - countOf('major_street');
  const mains = Math.round(ALLEY_TOTAL * 0.25) - countOf('main_street');
  const generatedTotal = ALLEY_TOTAL - REAL_ALLEYS.length;
  const typePool: AlleyType[] = typeRng.shuffle([
    ...Array<AlleyType>(majors).fill('major_street'),
    ...Array<AlleyType>(mains).fill('main_street'),
    ...Array<AlleyType>(generatedTotal - majors - mains).fill('lane'),
  ]);
  const tierPool: AlleyTier[] = new Rng('alley-tiers').shuffle([
    ...Array<AlleyTier>(DEMO_TIER_PLAN.exemplary).fill('exemplary'),
    ...Array<AlleyTier>(DEMO_TIER_PLAN.fine).fill('fine'),
    ...Array<AlleyTier>(DEMO_TIER_PLAN.compliant).fill('compliant'),
  ]);

  const buckets = new SegmentBuckets(100);
  const usedNames = new Set<string>(REAL_ALLEYS.map((a) => a.name));
  const detailRng = new Rng('alley-details');
  let typeCursor = 0;
  let tierCursor = 0;
  DEMO_STREETS.forEach((s, i) => {
    const real = REAL_ALLEYS.filter((a) => a.streetCode === s.code);
    const generated = perStreet[i]! - real.length;
    const types = typePool.slice(typeCursor, typeCursor + generated);
    typeCursor += generated;
    const communities = communitiesByStreet.get(s.code)!;
    const placed = placeStreetAlleys(
      new Rng(`alleys:${s.code}`),
      cells[i]!,
      communities,
      real,
      types,
      buckets,
      usedNames,
    );
    const contractor = CONTRACTORS.find((c) => (c.streets as readonly string[]).includes(s.code))!;
    placed.forEach((a, seq) => {
      const coordinates = a.line.map(toLngLat);
      const [mx, my] = lineStringMidpoint(coordinates);
      const community =
        communities.find((c) => pointInPolygonal(c.polygon, mx, my)) ??
        // The midpoint of a line inside the street is inside one of its communities; this only
        // guards against a point falling exactly on a shared edge after rounding.
        communities.find((c) => coordinates.some(([x, y]) => pointInPolygonal(c.polygon, x, y)))!;
      const targetTier = tierPool[tierCursor++]!;
      const currentTier = currentTierFor(detailRng, targetTier);
      const chief: DemoChief = {
        name: personName(detailRng),
        title: CHIEF_TITLES[a.type],
        duties: CHIEF_DUTIES[a.type],
        phone: phone(),
      };
      const council = `${a.name}街巷理事会`;
      const focuses = detailRng.shuffle([...PLAN_FOCUSES]).slice(0, 3);
      features.push({
        type: 'Feature',
        properties: {
          layer: 'alley',
          id: `${s.code}-${String(seq + 1).padStart(4, '0')}`,
          name: a.name,
          streetCode: s.code,
          communityCode: community.code,
          alleyType: a.type,
          currentTier,
          targetTier,
          chief,
          council,
          volunteerTeam: `${community.name}${detailRng.pick(VOLUNTEER_TEAM_KINDS)}`,
          plan: `一街一策（示例）：以建成${TIER_LABELS[targetTier]}街巷为目标，重点${focuses.join('、')}，每月由街巷长组织居民议事评估进展。`,
          residentsPact: `${a.name}居民公约（示例）：爱护街巷环境，垃圾分类投放；规范停放车辆，不占道堆物；不私搭乱建、不开墙打洞；邻里互助，共建文明街巷。`,
          cultureNote: `（示例数据）${a.name}的历史文化介绍待社区与居民共同补充；位置与走向为示意。`,
          noticeBoard: `街巷长：${chief.name}（${chief.title}）｜职责：${chief.duties}｜电话：${chief.phone}｜理事会：${council}`,
          contractorId: contractor.id,
          checklist: checklistFor(detailRng, currentTier),
          approximate: true,
        },
        geometry: { type: 'LineString', coordinates },
      });
    });
  });

  return { territory: { type: 'FeatureCollection', features }, organisations: organisations(phone) };
}

function organisations(phone: () => string): DemoOrganisation[] {
  const d = DEMO_DISTRICT.code;
  const out: DemoOrganisation[] = [];
  for (const s of DEMO_STREETS) {
    out.push({
      id: `org-street-${s.code}`,
      districtCode: d,
      scopeCode: s.code,
      name: `${s.name}办事处`,
      kind: 'street_office',
      departmentType: null,
      patternTier: '1',
      phone: phone(),
    });
    out.push({
      id: `org-cg-${s.code}`,
      districtCode: d,
      scopeCode: s.code,
      name: `${s.name}城管执法队`,
      kind: 'department',
      departmentType: 'urban_management',
      patternTier: '5',
      phone: phone(),
    });
  }
  for (const [type, name] of FIVE_DEPARTMENTS) {
    out.push({
      id: `org-${type}`,
      districtCode: d,
      scopeCode: d,
      name,
      kind: 'department',
      departmentType: type,
      patternTier: '5',
      phone: phone(),
    });
  }
  for (const [type, name] of N_DEPARTMENTS) {
    out.push({
      id: `org-${type}`,
      districtCode: d,
      scopeCode: d,
      name,
      kind: 'department',
      departmentType: type,
      patternTier: 'N',
      phone: phone(),
    });
  }
  for (const c of CONTRACTORS) {
    out.push({
      id: c.id,
      districtCode: d,
      scopeCode: d,
      name: c.name,
      kind: 'contractor',
      departmentType: null,
      patternTier: null,
      phone: phone(),
    });
  }
  return out;
}

/** The locator's input from a demo territory, as the service would read it back from the database. */
export function locatorInput(territory: TerritoryFeatureCollection): LocatorInput {
  const input: LocatorInput = { streets: [], communities: [], grids: [], alleys: [] };
  for (const f of territory.features) {
    const p = f.properties;
    if (p.layer === 'alley')
      input.alleys.push({ id: p.id, name: p.name, geometry: f.geometry as LineStringGeometry });
    else if (p.layer === 'street')
      input.streets.push({ code: p.code, name: p.name, boundary: f.geometry as PolygonGeometry });
    else if (p.layer === 'community') {
      input.communities.push({ code: p.code, name: p.name, boundary: f.geometry as PolygonGeometry });
    } else if (p.layer === 'grid')
      input.grids.push({ code: p.code, boundary: f.geometry as PolygonGeometry });
  }
  return input;
}
