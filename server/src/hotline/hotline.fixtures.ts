import ExcelJS from 'exceljs';
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

// ---- a 12345 export as the hotline platform writes it ------------------------------------------

/** The columns of a Beijing 12345 work-order export, in its order. */
export const EXPORT_12345_HEADERS = [
  '序号',
  '工单编号',
  '工单类型',
  '来电渠道',
  '来电时间',
  '诉求人',
  '联系电话',
  '诉求内容',
  '诉求地址',
  '所属区',
  '所属街道',
  '问题分类',
  '紧急程度',
  '承办单位',
  '派单时间',
  '办理时限',
  '工单状态',
] as const;

/** The hotline's own classes: none of them is a taxonomy entry. */
const CLASSES_12345 = ['城乡建设', '市容环境', '交通管理', '环境保护', '公共服务', '市场监管'] as const;

/** How each row of the export is written and what an import must make of it. */
export type ExportRowKind =
  | 'alley'
  | 'road'
  | 'landmark'
  | 'longer_name'
  | 'other_street'
  | 'unlocated'
  | 'duplicate'
  | 'bad';

export interface ExportRow {
  rowNumber: number;
  workOrderNo: string;
  kind: ExportRowKind;
  /** For bad rows: the fields at fault, each once (all must be reported). */
  faults: string[];
  sourceClass: string;
}

/**
 * A 12345 export shaped as the platform writes it: a title line and an export-info line above the
 * header, 来电时间 partly as date cells and partly as text, 12345's own classes, addresses naming an
 * alley with or without its street, a main road or a landmark without the street, a name that
 * contains an alley's name, an alley of another street than 所属街道, orders placed nowhere, repeated
 * work-order numbers and 20 bad rows with one to three faults each.
 */
export async function export12345(
  city: FixtureCity,
  places: readonly { street: string; name: string; kind: 'road' | 'landmark' }[],
  options: { rows: number; seed?: number; prefix?: string },
): Promise<{ bytes: Buffer; rows: ExportRow[] }> {
  const random = rng(options.seed ?? 16);
  const prefix = options.prefix ?? '2026110';
  const streetName = new Map(city.streets.map((s) => [s.code, s.name]));
  // Places that name one street only, so the expectation is plain.
  const single = places.filter((p) => places.filter((q) => q.name === p.name).length === 1);
  const roads = single.filter((p) => p.kind === 'road');
  const landmarks = single.filter((p) => p.kind === 'landmark');
  const alleyNames = new Map<string, number>();
  for (const a of city.alleys) alleyNames.set(a.name, (alleyNames.get(a.name) ?? 0) + 1);
  const unique = city.alleys.filter((a) => alleyNames.get(a.name) === 1 && a.name.length >= 3);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工单明细');
  ws.addRow(['北京市12345市民服务热线工单明细表']);
  ws.mergeCells(1, 1, 1, EXPORT_12345_HEADERS.length);
  ws.addRow([`导出时间：2026-11-03 09:00:00    导出人：西城区接诉即办分中心    共 ${options.rows} 条`]);
  ws.addRow([...EXPORT_12345_HEADERS]);
  const out: ExportRow[] = [];
  const first = Date.UTC(2026, 10, 2, 8, 0, 0);
  const badKinds = ['content_and_time', 'number_and_short', 'time_text', 'nowhere_and_empty'] as const;
  for (let i = 0; i < options.rows; i++) {
    const rowNumber = i + 4;
    const slot = i % 10;
    let kind: ExportRowKind =
      i % 25 === 12 && out.length
        ? 'duplicate'
        : (
            [
              'alley',
              'alley',
              'alley',
              'road',
              'landmark',
              'alley',
              'longer_name',
              'alley',
              'other_street',
              'unlocated',
            ] as const
          )[slot]!;
    // 20 bad rows spread over the file, never on a row another row repeats.
    const step = Math.max(1, Math.floor(options.rows / 20));
    const badIndex = Math.floor(i / step);
    const isBad = i % step === Math.floor(step / 2) && badIndex < 20 && kind !== 'duplicate';
    if (isBad) kind = 'bad';
    const alley = pick(unique);
    const street = streetName.get(alley.streetCode)!;
    const n = 1 + Math.floor(random() * 90);
    let address: string;
    let streetCell = street;
    let districtCell = '西城区';
    const problem = PROBLEMS[i % PROBLEMS.length]!;
    let description = `${problem.text}，希望尽快处理。`;
    switch (kind) {
      case 'road': {
        const r = pick(roads);
        address = `${r.name}${n}号附近`;
        streetCell = r.street;
        break;
      }
      case 'landmark': {
        const l = pick(landmarks);
        address = `${l.name}东门外`;
        streetCell = l.street;
        break;
      }
      case 'longer_name':
        // 大 + a known alley name is another, unknown alley: the order stays at 所属街道's level.
        address = `西城区大${alley.name}${n}号`;
        break;
      case 'other_street': {
        const other = city.streets.find((s) => s.code !== alley.streetCode)!;
        address = `${alley.name}${n}号`;
        streetCell = other.name;
        break;
      }
      case 'unlocated':
        address = `某小区${n}号楼`;
        streetCell = '';
        break;
      default:
        address = `北京市西城区${slot % 2 ? street : ''}${alley.name}${n}号`;
    }
    let workOrderNo = `${prefix}${String(i + 1).padStart(6, '0')}`;
    if (kind === 'duplicate')
      workOrderNo = out.filter((r) => r.kind !== 'bad' && r.kind !== 'duplicate').at(-1)!.workOrderNo;
    const at = new Date(first + i * 53_000);
    // Date cells for most rows, text as another system writes it for the rest.
    let received: Cell =
      i % 3 === 0
        ? at.toISOString().slice(0, 16).replace('T', ' ').replaceAll('-', '/')
        : new Date(at.getTime() + 8 * 3_600_000);
    const faults: string[] = [];
    if (kind === 'bad') {
      const bad = badKinds[badIndex % badKinds.length]!;
      if (bad === 'content_and_time') {
        description = '';
        received = '2026-02-30 25:61';
        faults.push('诉求内容', '来电时间');
      } else if (bad === 'number_and_short') {
        workOrderNo = '';
        description = '漏水';
        faults.push('工单编号', '诉求内容');
      } else if (bad === 'time_text') {
        received = '昨天下午三点';
        faults.push('来电时间');
      } else {
        address = '不知道在哪里';
        streetCell = '';
        districtCell = '朝阳区';
        description = '';
        faults.push('诉求内容', '所属区');
      }
    }
    const sourceClass = pick(CLASSES_12345);
    const cls = i % 7 === 3 ? `${sourceClass}-市容环境-非法小广告` : sourceClass;
    ws.addRow([
      i + 1,
      workOrderNo,
      pick(['投诉', '求助', '建议', '咨询']),
      pick(['电话', '网络', '微信', 'APP']),
      received,
      `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${pick(GIVEN)}`,
      `13${Math.floor(random() * 10)}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      description,
      address,
      districtCell,
      streetCell,
      cls,
      pick(['一般', '紧急']),
      `${streetCell || street}办事处`,
      new Date(at.getTime() + 8 * 3_600_000 + 600_000),
      '7个工作日',
      '已派单',
    ]);
    const r = ws.lastRow!;
    for (const c of [5, 15])
      if (r.getCell(c).value instanceof Date) r.getCell(c).numFmt = 'yyyy-mm-dd hh:mm:ss';
    out.push({ rowNumber, workOrderNo, kind, faults, sourceClass: cls });
  }
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), rows: out };
}
