import { generateDemoCity } from '../territory/demo-city.ts';
import { fromWgs84, lineStringMidpoint, type Position } from '../territory/geometry.ts';
import type { Cell } from './hotline.read.ts';
import { workbook } from './hotline.xlsx.ts';

/**
 * Deterministic 12345 exports over the demo city, for the tests and the benchmark: the same options
 * give the same file on every machine. Most rows are good — with coordinates in each of the systems
 * a hotline sends, or with only an address naming an alley — and a few are deliberately bad in the
 * three ways a real export goes wrong: no content, unusable coordinates, a time nobody can read.
 */

export const FIXTURE_HEADERS = [
  '工单编号',
  '受理时间',
  '诉求内容',
  '诉求地址',
  '经度',
  '纬度',
  '坐标系',
  '问题分类',
  '来电人',
  '联系电话',
  '承办单位',
] as const;

export type BadKind = 'missing_content' | 'bad_coordinates' | 'bad_date';

export interface FixtureRow {
  cells: Cell[];
  workOrderNo: string;
  /** What an import must make of the row. */
  expect: 'created' | 'rejected';
  bad: BadKind | null;
  placedBy: 'coordinates' | 'address';
}

export interface FixtureCity {
  alleys: { name: string; streetCode: string; coordinates: Position[] }[];
  streets: { code: string; name: string }[];
}

/** The demo city as the generator needs it (names, streets, alley lines). */
export function demoFixtureCity(): FixtureCity {
  const city = generateDemoCity();
  const alleys: FixtureCity['alleys'] = [];
  const streets: FixtureCity['streets'] = [];
  for (const f of city.territory.features) {
    const p = f.properties;
    if (p.layer === 'alley') {
      alleys.push({
        name: p.name,
        streetCode: p.streetCode,
        coordinates: f.geometry.coordinates as Position[],
      });
    } else if (p.layer === 'street') streets.push({ code: p.code, name: p.name });
  }
  return { alleys, streets };
}

/** sfc32, seeded: tiny, fast and the same everywhere. */
function rng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

/** Category texts as hotline systems write them, with the problem each describes. */
const PROBLEMS: readonly { category: string; text: string }[] = [
  { category: '城市管理-市容环境-暴露垃圾', text: '门口有暴露垃圾，好几天没人清运，气味很大' },
  { category: '非法小广告', text: '墙上和电线杆上贴满了小广告，影响市容' },
  { category: '06012', text: '路面很脏，落叶和塑料袋没人扫' },
  { category: 'event:09001', text: '有游商占道摆摊卖水果，晚上堵得走不了人' },
  { category: '施工扰民', text: '工地夜里十一点还在施工，噪音很大影响休息' },
  { category: '城市管理/施工管理/施工物料乱堆放', text: '胡同里堆了很多建筑材料，占了半条路' },
  { category: '', text: '共享单车乱停乱放，把院门口堵住了' },
  { category: '道路破损', text: '路面有个大坑，骑车的人差点摔倒' },
];

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = ['先生', '女士', '师傅', '大爷', '阿姨'];

/** Which rows are bad: `perKind` of each kind, spread evenly over the file, never two on one row. */
function badPositions(rows: number, perKind: number): Map<number, BadKind> {
  const kinds: BadKind[] = ['missing_content', 'bad_coordinates', 'bad_date'];
  const out = new Map<number, BadKind>();
  const slots = kinds.length * perKind;
  if (slots === 0 || rows < slots) return out;
  for (let s = 0; s < slots; s++) out.set(Math.floor(((s + 0.5) * rows) / slots), kinds[s % kinds.length]!);
  return out;
}

export function generateHotlineOrders(
  city: FixtureCity,
  options: {
    rows: number;
    seed?: number;
    /** Bad rows of each kind; 0 for a clean file. */
    badPerKind?: number;
    /** Work-order numbers are `<prefix><6-digit sequence>`. */
    prefix?: string;
    /** Beijing wall time of the first order, `YYYY-MM-DD HH:mm:ss`. */
    firstReceived?: string;
  },
): FixtureRow[] {
  const random = rng(options.seed ?? 12_345);
  const bad = badPositions(options.rows, options.badPerKind ?? 3);
  const prefix = options.prefix ?? 'GD20261102';
  const first = Date.parse(`${(options.firstReceived ?? '2026-11-02 08:00:00').replace(' ', 'T')}Z`);
  const streetName = new Map(city.streets.map((s) => [s.code, s.name]));
  const out: FixtureRow[] = [];
  let badCoordinates = 0;
  for (let i = 0; i < options.rows; i++) {
    const alley = city.alleys[Math.floor(random() * city.alleys.length)]!;
    const problem = PROBLEMS[i % PROBLEMS.length]!;
    const number = 1 + Math.floor(random() * 120);
    const street = streetName.get(alley.streetCode) ?? '';
    const address = `北京市西城区${street}${alley.name}${number}号`;
    const workOrderNo = `${prefix}${String(i + 1).padStart(6, '0')}`;
    const received = new Date(first + i * 47_000).toISOString().slice(0, 19).replace('T', ' ');
    const caller = `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}`;
    const phone = `13${Math.floor(random() * 10)}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    const byAddress = random() < 0.4;
    let lng: Cell = null;
    let lat: Cell = null;
    let crs: Cell = null;
    if (!byAddress) {
      const [x, y] = lineStringMidpoint(alley.coordinates);
      // A few metres off the alley's middle, as a caller's phone would place it.
      const wx = x + (random() - 0.5) * 0.0001;
      const wy = y + (random() - 0.5) * 0.0001;
      const system = ['WGS84', 'GCJ02', 'BD09', 'CGCS2000'][i % 4]!;
      const [cx, cy] =
        system === 'GCJ02'
          ? fromWgs84(wx, wy, 'gcj02')
          : system === 'BD09'
            ? fromWgs84(wx, wy, 'bd09')
            : [wx, wy];
      lng = Number(cx.toFixed(6));
      lat = Number(cy.toFixed(6));
      crs = system;
    }
    const kind = bad.get(i) ?? null;
    let description = `${alley.name}${number}号${problem.text}，请尽快处理。`;
    let category = problem.category;
    if (kind === 'missing_content') description = '';
    // A class the taxonomy does not know is no fault (the classifier proposes the category).
    if (i % 13 === 5) category = '城乡建设';
    const receivedCell = kind === 'bad_date' ? '2026-13-45 25:00' : received;
    if (kind === 'bad_coordinates') {
      // Alternately unreadable and a real place outside the territory (Shanghai's Bund).
      if (badCoordinates++ % 2 === 0) {
        lng = '116.3x';
        lat = '39.91';
      } else {
        lng = 121.4903;
        lat = 31.2397;
      }
      crs = 'WGS84';
    }
    out.push({
      cells: [
        workOrderNo,
        receivedCell,
        description,
        address,
        lng,
        lat,
        crs,
        category,
        caller,
        phone,
        `${street}办事处`,
      ],
      workOrderNo,
      expect: kind ? 'rejected' : 'created',
      bad: kind,
      placedBy: byAddress && kind !== 'bad_coordinates' ? 'address' : 'coordinates',
    });
  }
  return out;
}

export function fixtureWorkbook(rows: readonly FixtureRow[], createdAt = new Date(0)): Promise<Buffer> {
  return workbook([{ name: '工单', headers: FIXTURE_HEADERS, rows: rows.map((r) => r.cells) }], createdAt);
}

export function fixtureCsv(rows: readonly FixtureRow[]): string {
  const field = (c: Cell) => {
    const t = c === null ? '' : String(c);
    return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  return `${[FIXTURE_HEADERS.join(','), ...rows.map((r) => r.cells.map(field).join(','))].join('\r\n')}\r\n`;
}
