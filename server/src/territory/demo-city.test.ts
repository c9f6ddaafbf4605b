import { beforeAll, describe, expect, it } from 'vitest';
import type { AlleyTier } from '../db/schema.ts';
import { HAVE_KEYS, NOT_KEYS } from './checklist.ts';
import {
  type AlleyFeature,
  type AreaFeature,
  type CommunityProperties,
  DEMO_STREETS,
  DEMO_TIER_PLAN,
  type DemoCity,
  type GridProperties,
  generateDemoCity,
  REAL_ALLEYS,
  type StreetProperties,
} from './demo-city.ts';
import {
  type BBox,
  bboxOf,
  interiorPoint,
  lineLengthMeters,
  lineStringMidpoint,
  type PolygonGeometry,
  type Position,
  pointInPolygonal,
  polygonalAreaSquareMeters,
} from './geometry.ts';
import {
  featurePropertiesSchemas,
  lineStringSchema,
  polygonalSchema,
  type TerritoryFeatureCollection,
} from './territory.schema.ts';

type Area<P> = AreaFeature<P> & { bbox: BBox };

let city: DemoCity;
let district: AreaFeature<{ code: string }>;
let streets: Area<StreetProperties>[];
let communities: Area<CommunityProperties>[];
let grids: Area<GridProperties>[];
let alleys: AlleyFeature[];

const withBbox = <P>(f: AreaFeature<P>): Area<P> => ({ ...f, bbox: bboxOf(f.geometry.coordinates[0]!) });
const inBox = (b: BBox, x: number, y: number) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
const holding = <P>(areas: Area<P>[], x: number, y: number) =>
  areas.filter((a) => inBox(a.bbox, x, y) && pointInPolygonal(a.geometry, x, y));

beforeAll(() => {
  city = generateDemoCity();
  const fs = city.territory.features;
  district = fs.find((f) => f.properties.layer === 'district') as AreaFeature<{ code: string }>;
  streets = fs
    .filter((f) => f.properties.layer === 'street')
    .map((f) => withBbox(f as AreaFeature<StreetProperties>));
  communities = fs
    .filter((f) => f.properties.layer === 'community')
    .map((f) => withBbox(f as AreaFeature<CommunityProperties>));
  grids = fs
    .filter((f) => f.properties.layer === 'grid')
    .map((f) => withBbox(f as AreaFeature<GridProperties>));
  alleys = fs.filter((f): f is AlleyFeature => f.properties.layer === 'alley');
});

/** Whether two segments properly cross (touching at shared endpoints does not count). */
function cross(a: Position, b: Position, c: Position, d: Position): boolean {
  const o = (p: Position, q: Position, r: Position) =>
    (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
  const d1 = o(c, d, a);
  const d2 = o(c, d, b);
  const d3 = o(a, b, c);
  const d4 = o(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

function isSimpleRing(ring: Position[]): boolean {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (cross(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return false;
    }
  }
  return true;
}

function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 1; i < ring.length; i++) a += ring[i - 1]![0] * ring[i]![1] - ring[i]![0] * ring[i - 1]![1];
  return a / 2;
}

describe('generateDemoCity', () => {
  it('is deterministic', () => {
    expect(JSON.stringify(generateDemoCity())).toBe(JSON.stringify(city));
  });

  it('has Xicheng and its 15 real streets with their real codes', () => {
    expect(district.properties).toMatchObject({ layer: 'district', code: '110102', name: '西城区' });
    expect(streets.map((s) => s.properties.code)).toEqual([
      '110102001',
      '110102003',
      '110102007',
      '110102009',
      '110102010',
      '110102011',
      '110102012',
      '110102013',
      '110102014',
      '110102015',
      '110102016',
      '110102017',
      '110102018',
      '110102019',
      '110102020',
    ]);
    expect(streets.find((s) => s.properties.code === '110102001')!.properties.name).toBe('西长安街街道');
    for (const s of streets) expect(s.properties.name).toMatch(/街道$/);
  });

  it('produces feature counts in plausible ranges', () => {
    expect(communities.length).toBeGreaterThanOrEqual(200);
    expect(communities.length).toBeLessThanOrEqual(300);
    expect(grids.length).toBeGreaterThanOrEqual(communities.length * 3);
    expect(grids.length).toBeLessThanOrEqual(communities.length * 6);
    expect(alleys.length).toBe(1225);
    for (const s of streets) {
      const n = communities.filter((c) => c.properties.code.startsWith(s.properties.code)).length;
      expect(n).toBeGreaterThanOrEqual(8);
      expect(n).toBeLessThanOrEqual(20);
    }
    for (const c of communities) {
      const n = grids.filter((g) => g.properties.code.startsWith(c.properties.code)).length;
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
    }
  });

  it('flags every feature as approximate and matches the import format', () => {
    const asImport: TerritoryFeatureCollection = city.territory;
    for (const f of asImport.features) {
      expect(f.properties.approximate).toBe(true);
      expect(featurePropertiesSchemas[f.properties.layer].safeParse(f.properties).success).toBe(true);
      const geometry = f.properties.layer === 'alley' ? lineStringSchema : polygonalSchema;
      expect(geometry.safeParse(f.geometry).success).toBe(true);
    }
  });

  it('puts the district where Xicheng is, about its real size', () => {
    const [minX, minY, maxX, maxY] = bboxOf(district.geometry.coordinates[0]!);
    expect(minX).toBeGreaterThan(116.31);
    expect(maxX).toBeLessThan(116.415);
    expect(minY).toBeGreaterThan(39.86);
    expect(maxY).toBeLessThan(39.975);
    expect(maxY - minY).toBeGreaterThan((maxX - minX) * 0.77); // taller than wide, in metres
    expect(polygonalAreaSquareMeters(district.geometry) / 1e6).toBeGreaterThan(45);
    expect(polygonalAreaSquareMeters(district.geometry) / 1e6).toBeLessThan(56);
  });

  it('gives streets their relative areas and places them where they really are', () => {
    const total = polygonalAreaSquareMeters(district.geometry);
    const weightSum = DEMO_STREETS.reduce((s, x) => s + x.areaKm2, 0);
    for (const s of DEMO_STREETS) {
      const street = streets.find((x) => x.properties.code === s.code)!;
      const share = polygonalAreaSquareMeters(street.geometry) / total;
      expect(share / (s.areaKm2 / weightSum)).toBeGreaterThan(0.75);
      expect(share / (s.areaKm2 / weightSum)).toBeLessThan(1.25);
      expect(pointInPolygonal(street.geometry, s.seed[0], s.seed[1])).toBe(true);
    }
    const centre = (code: string) => interiorPoint(streets.find((s) => s.properties.code === code)!.geometry);
    expect(centre('110102010')[1]).toBeGreaterThan(centre('110102012')[1]); // 德胜 north of 什刹海
    expect(centre('110102009')[0]).toBeLessThan(centre('110102011')[0]); // 展览路 west of 金融街
    expect(centre('110102001')[1]).toBeLessThan(centre('110102012')[1]); // 西长安街 south of 什刹海
    expect(centre('110102020')[0]).toBeLessThan(centre('110102014')[0]); // 广外 west of 天桥
    expect(centre('110102019')[1]).toBeLessThan(centre('110102017')[1]); // 白纸坊 south of 广内
  });

  it("places every street's interior point inside it", () => {
    for (const s of streets) {
      const [x, y] = interiorPoint(s.geometry);
      expect(pointInPolygonal(s.geometry, x, y)).toBe(true);
    }
  });

  it('writes closed, counter-clockwise, simple rings', () => {
    for (const f of [district, ...streets, ...communities, ...grids]) {
      const ring = (f.geometry as PolygonGeometry).coordinates[0]!;
      expect(ring[0]).toEqual(ring.at(-1));
      expect(signedArea(ring)).toBeGreaterThan(0);
      expect(isSimpleRing(ring)).toBe(true);
    }
  });

  it('tiles the district with streets, communities and grids whose codes nest', () => {
    const [minX, minY, maxX, maxY] = bboxOf(district.geometry.coordinates[0]!);
    // Irrational-looking offsets keep lattice points off the generated vertices and edges.
    const n = 160;
    let inside = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = minX + ((i + 0.3183) / n) * (maxX - minX);
        const y = minY + ((j + 0.5772) / n) * (maxY - minY);
        const s = holding(streets, x, y);
        const c = holding(communities, x, y);
        const g = holding(grids, x, y);
        if (!pointInPolygonal(district.geometry, x, y)) {
          expect([s.length, c.length, g.length]).toEqual([0, 0, 0]);
          continue;
        }
        inside++;
        expect([s.length, c.length, g.length]).toEqual([1, 1, 1]);
        expect(c[0]!.properties.code.startsWith(s[0]!.properties.code)).toBe(true);
        expect(g[0]!.properties.code.startsWith(c[0]!.properties.code)).toBe(true);
      }
    }
    expect(inside).toBeGreaterThan(n * n * 0.4);
  });

  it('adds up areas exactly: street = Σ communities, community = Σ grids', () => {
    // In square degrees, so that every polygon is measured on the same scale.
    const a = (f: Area<unknown>) => signedArea(f.geometry.coordinates[0]!);
    for (const s of streets) {
      const parts = communities.filter((c) => c.properties.code.startsWith(s.properties.code));
      expect(parts.reduce((sum, c) => sum + a(c), 0) / a(s)).toBeCloseTo(1, 9);
    }
    for (const c of communities) {
      const parts = grids.filter((g) => g.properties.code.startsWith(c.properties.code));
      expect(parts.reduce((sum, g) => sum + a(g), 0) / a(c)).toBeCloseTo(1, 9);
    }
    const d = signedArea(district.geometry.coordinates[0]!);
    expect(streets.reduce((sum, s) => sum + a(s), 0) / d).toBeCloseTo(1, 9);
  });

  it('codes communities (12 digits) and grids (15 digits) under their parents, uniquely', () => {
    const codes = new Set<string>();
    for (const c of communities) {
      expect(c.properties.code).toMatch(/^\d{12}$/);
      expect(streets.some((s) => c.properties.code.startsWith(s.properties.code))).toBe(true);
      expect(c.properties.name).toMatch(/社区$/);
      codes.add(c.properties.code);
    }
    for (const g of grids) {
      expect(g.properties.code).toMatch(/^\d{15}$/);
      expect(codes.has(g.properties.code.slice(0, 12))).toBe(true);
      codes.add(g.properties.code);
    }
    expect(codes.size).toBe(communities.length + grids.length);
    expect(new Set(communities.map((c) => c.properties.name)).size).toBe(communities.length);
  });

  it('numbers grids from the north-west: sequence 001 lies in the northernmost row, westmost in it', () => {
    for (const c of communities) {
      const own = grids.filter((g) => g.properties.code.startsWith(c.properties.code));
      const label = (g: Area<GridProperties>) => interiorPoint(g.geometry);
      const first = own.find((g) => g.properties.code.endsWith('001'))!;
      const northmost = Math.max(...own.map((g) => label(g)[1]));
      // Row height is half a typical cell's side; allow that much (in degrees of latitude) and a margin.
      const side = Math.sqrt(polygonalAreaSquareMeters(c.geometry) / own.length) / 111_000;
      expect(northmost - label(first)[1]).toBeLessThanOrEqual(side * 0.5 + 1e-6);
      expect(own.map((g) => g.properties.code.slice(12)).sort()).toEqual(
        own.map((_, i) => String(i + 1).padStart(3, '0')),
      );
    }
  });

  it('places every alley inside its street, with its community holding its midpoint', () => {
    const byCode = new Map(streets.map((s) => [s.properties.code, s]));
    const communityByCode = new Map(communities.map((c) => [c.properties.code, c]));
    let whollyInCommunity = 0;
    for (const a of alleys) {
      const street = byCode.get(a.properties.streetCode)!;
      for (const [x, y] of a.geometry.coordinates) expect(pointInPolygonal(street.geometry, x, y)).toBe(true);
      const community = communityByCode.get(a.properties.communityCode)!;
      expect(a.properties.communityCode.startsWith(a.properties.streetCode)).toBe(true);
      const [mx, my] = lineStringMidpoint(a.geometry.coordinates);
      expect(pointInPolygonal(community.geometry, mx, my)).toBe(true);
      if (a.geometry.coordinates.every(([x, y]) => pointInPolygonal(community.geometry, x, y)))
        whollyInCommunity++;
    }
    expect(whollyInCommunity / alleys.length).toBeGreaterThan(0.7);
  });

  it('shapes alleys like hutongs: 150–800 m, 5–12 vertices, mostly east–west', () => {
    let eastWest = 0;
    for (const a of alleys) {
      const c = a.geometry.coordinates;
      expect(c.length).toBeGreaterThanOrEqual(5);
      expect(c.length).toBeLessThanOrEqual(12);
      const length = lineLengthMeters(c);
      expect(length).toBeGreaterThanOrEqual(150);
      expect(length).toBeLessThanOrEqual(800);
      const dx = (c.at(-1)![0] - c[0]![0]) * Math.cos((c[0]![1] * Math.PI) / 180);
      const dy = c.at(-1)![1] - c[0]![1];
      if (Math.abs(dy) < Math.abs(dx) * Math.tan((20 * Math.PI) / 180)) eastWest++;
    }
    expect(eastWest / alleys.length).toBeGreaterThan(0.65);
  });

  it('gives alleys unique ids and names, the planned type mix and tiers', () => {
    expect(new Set(alleys.map((a) => a.properties.id)).size).toBe(alleys.length);
    expect(new Set(alleys.map((a) => a.properties.name)).size).toBe(alleys.length);
    for (const a of alleys)
      expect(a.properties.id).toMatch(new RegExp(`^${a.properties.streetCode}-\\d{4}$`));
    const share = (t: string) => alleys.filter((a) => a.properties.alleyType === t).length / alleys.length;
    expect(share('major_street')).toBeCloseTo(0.1, 2);
    expect(share('main_street')).toBeCloseTo(0.25, 2);
    const count = (t: AlleyTier) => alleys.filter((a) => a.properties.targetTier === t).length;
    expect({ exemplary: count('exemplary'), fine: count('fine'), compliant: count('compliant') }).toEqual(
      DEMO_TIER_PLAN,
    );
    const rank = { exemplary: 3, fine: 2, compliant: 1 };
    for (const a of alleys) {
      const current = a.properties.currentTier ? rank[a.properties.currentTier] : 0;
      expect(rank[a.properties.targetTier] - current).toBeGreaterThanOrEqual(0);
      expect(rank[a.properties.targetTier] - current).toBeLessThanOrEqual(1);
    }
  });

  it('fills the registry: chief by convention, fake phones, contractor, the ten haves and nots', () => {
    const titles = { major_street: '街道办事处副主任', main_street: '科长', lane: '副科长' };
    const contractors = new Set(city.organisations.filter((o) => o.kind === 'contractor').map((o) => o.id));
    for (const a of alleys) {
      const p = a.properties;
      expect(p.chief.title).toBe(titles[p.alleyType]);
      expect(p.chief.name).toMatch(/^\p{Script=Han}{2,3}$/u);
      expect(p.chief.phone).toMatch(/^010-6\d{7}$/);
      expect(p.noticeBoard).toContain(p.chief.phone);
      expect(contractors.has(p.contractorId)).toBe(true);
      expect(Object.keys(p.checklist.haves).sort()).toEqual([...HAVE_KEYS].sort());
      expect(Object.keys(p.checklist.nots).sort()).toEqual([...NOT_KEYS].sort());
      if (p.currentTier === 'exemplary') {
        expect(Object.values(p.checklist.haves).every(Boolean)).toBe(true);
        expect(Object.values(p.checklist.nots).every(Boolean)).toBe(true);
      }
      for (const text of [p.council, p.volunteerTeam, p.plan, p.residentsPact, p.cultureNote])
        expect(text.length).toBeGreaterThan(4);
    }
    // One contractor per street.
    for (const s of streets) {
      const ids = new Set(
        alleys
          .filter((a) => a.properties.streetCode === s.properties.code)
          .map((a) => a.properties.contractorId),
      );
      expect(ids.size).toBe(1);
    }
  });

  it('places the real alleys inside their real streets', () => {
    const expected: Record<string, string> = {
      光明胡同: '110102001',
      东斜街: '110102001',
      织女桥东河沿: '110102001',
      力学胡同: '110102001',
      柳荫街: '110102012',
      鼓楼西大街: '110102012',
      烂缦胡同: '110102018',
      宫门口东西岔胡同: '110102003',
      民康胡同: '110102003',
    };
    expect(REAL_ALLEYS.map((a) => a.name).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, code] of Object.entries(expected)) {
      const a = alleys.find((x) => x.properties.name === name)!;
      expect(a.properties.streetCode).toBe(code);
      const street = streets.find((s) => s.properties.code === code)!;
      for (const [x, y] of a.geometry.coordinates) expect(pointInPolygonal(street.geometry, x, y)).toBe(true);
      // Near where it really is, not merely somewhere in the street.
      const real = REAL_ALLEYS.find((r) => r.name === name)!;
      const [mx, my] = lineStringMidpoint(a.geometry.coordinates);
      expect(Math.hypot((mx - real.anchor[0]) * 85_000, (my - real.anchor[1]) * 111_000)).toBeLessThan(400);
    }
    expect(alleys.find((a) => a.properties.name === '鼓楼西大街')!.properties.alleyType).toBe('major_street');
  });

  it('keeps alleys apart: no two alleys cross', () => {
    const segs: { a: Position; b: Position; alley: number; box: BBox }[] = [];
    alleys.forEach((f, k) => {
      const c = f.geometry.coordinates;
      for (let i = 1; i < c.length; i++)
        segs.push({ a: c[i - 1]!, b: c[i]!, alley: k, box: bboxOf([c[i - 1]!, c[i]!]) });
    });
    segs.sort((p, q) => p.box[0] - q.box[0]);
    let crossings = 0;
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      for (let j = i + 1; j < segs.length && segs[j]!.box[0] <= s.box[2]; j++) {
        const t = segs[j]!;
        if (t.alley === s.alley || t.box[1] > s.box[3] || t.box[3] < s.box[1]) continue;
        if (cross(s.a, s.b, t.a, t.b)) crossings++;
      }
    }
    expect(crossings).toBe(0);
  });

  it('lists the 1+5+N organisations and two demo contractors', () => {
    const orgs = city.organisations;
    expect(new Set(orgs.map((o) => o.id)).size).toBe(orgs.length);
    for (const s of DEMO_STREETS) {
      expect(orgs.find((o) => o.id === `org-street-${s.code}`)).toMatchObject({
        kind: 'street_office',
        patternTier: '1',
        scopeCode: s.code,
      });
      expect(orgs.find((o) => o.id === `org-cg-${s.code}`)).toMatchObject({
        kind: 'department',
        departmentType: 'urban_management',
        patternTier: '5',
        scopeCode: s.code,
      });
    }
    for (const t of ['public_security', 'traffic', 'market_regulation', 'food_drug']) {
      expect(orgs.find((o) => o.id === `org-${t}`)).toMatchObject({
        departmentType: t,
        patternTier: '5',
        scopeCode: '110102',
      });
    }
    const n = [
      'housing',
      'planning',
      'land',
      'landscaping',
      'culture',
      'fire',
      'water',
      'power',
      'gas',
      'heating',
      'telecom',
    ];
    for (const t of n) {
      expect(orgs.find((o) => o.id === `org-${t}`)).toMatchObject({
        departmentType: t,
        patternTier: 'N',
        scopeCode: '110102',
      });
    }
    const contractors = orgs.filter((o) => o.kind === 'contractor');
    expect(contractors).toHaveLength(2);
    for (const c of contractors) {
      expect(c.name).toContain('示例');
      expect(c.scopeCode).toBe('110102');
      expect(c.patternTier).toBeNull();
    }
    for (const o of orgs) {
      expect(o.districtCode).toBe('110102');
      expect(o.phone).toMatch(/^010-6\d{7}$/);
    }
    expect(orgs).toHaveLength(15 * 2 + 4 + 11 + 2);
  });
});
