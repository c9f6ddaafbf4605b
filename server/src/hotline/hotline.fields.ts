import { z } from 'zod';
import type { FieldIssue } from '../shared/errors.ts';
import { fieldIssuesFromZod } from '../shared/zodIssues.ts';
import { CRS_VALUES, type Crs } from '../territory/geometry.ts';

/**
 * The fields of a 12345 work order as Hutong reads them, and how a file's columns map onto them.
 *
 * A hotline export names its columns in Chinese and every district's system spells them a little
 * differently, so the default mapping lists the usual spellings of each field and a mapping file
 * replaces them field by field. The push API accepts the Hutong names as well as the default ones.
 */

export const HOTLINE_FIELDS = [
  'workOrderNo',
  'receivedAt',
  'description',
  'address',
  'street',
  'district',
  'lng',
  'lat',
  'crs',
  'category',
  'callerName',
  'callerPhone',
  'unit',
] as const;
export type HotlineField = (typeof HOTLINE_FIELDS)[number];

/** What a row's faults call a field: the file's own column when it has one (来电时间), else Hutong's name. */
export type FieldLabels = Readonly<Record<HotlineField, string>>;

export function fieldLabels(header: Partial<Record<HotlineField, string>>): FieldLabels {
  return Object.fromEntries(HOTLINE_FIELDS.map((f) => [f, header[f] ?? FIELD_LABELS[f]])) as FieldLabels;
}

export const REQUIRED_FIELDS: readonly HotlineField[] = ['workOrderNo', 'description'];

/** The headers of a typical 12345 export, first the usual one, then the variants met in the wild. */
export const DEFAULT_COLUMNS: Readonly<Record<HotlineField, readonly string[]>> = {
  workOrderNo: ['工单编号', '工单号', '工单编码'],
  receivedAt: ['受理时间', '来电时间', '登记时间'],
  description: ['诉求内容', '问题描述', '工单内容'],
  address: ['诉求地址', '事发地址', '地址'],
  street: ['所属街道', '所属街乡镇', '街乡镇', '街道'],
  district: ['所属区', '所属区县', '区县', '所属区域'],
  lng: ['经度'],
  lat: ['纬度'],
  crs: ['坐标系'],
  category: ['问题分类', '诉求分类', '事项分类'],
  callerName: ['来电人', '诉求人', '来电人姓名'],
  callerPhone: ['联系电话', '来电号码', '联系方式'],
  unit: ['承办单位', '主办单位'],
};

/** What the validation report calls a field when the file had no column for it (push API, defaults). */
export const FIELD_LABELS: Readonly<Record<HotlineField, string>> = {
  workOrderNo: '工单编号',
  receivedAt: '受理时间',
  description: '诉求内容',
  address: '诉求地址',
  street: '所属街道',
  district: '所属区',
  lng: '经度',
  lat: '纬度',
  crs: '坐标系',
  category: '问题分类',
  callerName: '来电人',
  callerPhone: '联系电话',
  unit: '承办单位',
};

const headerList = z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)]);

/** A mapping file (`--mapping MAP.json`, or the `mapping` field of an upload). */
export const mappingFileSchema = z.strictObject({
  /** Per Hutong field: the header (or headers, first found wins); null ignores the field. */
  columns: z.partialRecord(z.enum(HOTLINE_FIELDS), headerList.nullable()).default({}),
  /** The coordinate system of rows whose 坐标系 is empty or absent. */
  crs: z.enum(CRS_VALUES).optional(),
  /**
   * The hotline's own classes (城乡建设, 城乡建设-市容环境-非法小广告…) → taxonomy keys or codes
   * (`event:07001`, `07001`). A class neither here nor a taxonomy entry is kept as the order's source
   * class and the classifier proposes the category.
   */
  categories: z.record(z.string().trim().min(1), z.string().trim().min(1)).default({}),
  /**
   * The classifier's suggestion becomes the category from this confidence on; below it the case
   * waits for a dispatcher to choose (default: HUTONG_HOTLINE_MIN_CONFIDENCE).
   */
  minConfidence: z.number().min(0).max(1).optional(),
  /** xlsx: the worksheet, by name or 1-based position; the first one by default. */
  sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
  /** xlsx and csv: the 1-based row holding the headers; found among the first 10 rows by default. */
  headerRow: z.number().int().min(1).max(1000).optional(),
});
export type MappingFile = z.infer<typeof mappingFileSchema>;

export interface ColumnMapping {
  columns: Readonly<Record<HotlineField, readonly string[]>>;
  crs: Crs;
  categories: ReadonlyMap<string, string>;
  minConfidence?: number;
  sheet?: string | number;
  headerRow?: number;
}

export const DEFAULT_MAPPING: ColumnMapping = {
  columns: DEFAULT_COLUMNS,
  crs: 'wgs84',
  categories: new Map(),
};

/** The mapping a file asks for, on top of the defaults; field errors name the JSON path. */
export function mappingFrom(input: unknown): ColumnMapping {
  const parsed = mappingFileSchema.safeParse(input);
  if (!parsed.success) {
    throw new MappingError(fieldIssuesFromZod(parsed.error.issues, ['mapping']));
  }
  const m = parsed.data;
  const columns = { ...DEFAULT_COLUMNS } as Record<HotlineField, readonly string[]>;
  for (const [field, headers] of Object.entries(m.columns) as [HotlineField, string | string[] | null][]) {
    columns[field] = headers === null ? [] : typeof headers === 'string' ? [headers] : headers;
  }
  const missing = REQUIRED_FIELDS.filter((f) => columns[f].length === 0);
  if (missing.length) {
    throw new MappingError(
      missing.map((f) => ({
        field: `mapping.columns.${f}`,
        message: 'this field is required and needs a column',
      })),
    );
  }
  return {
    columns,
    crs: m.crs ?? 'wgs84',
    categories: new Map(Object.entries(m.categories).map(([k, v]) => [normaliseText(k), v])),
    minConfidence: m.minConfidence,
    sheet: m.sheet,
    headerRow: m.headerRow,
  };
}

export class MappingError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** Headers compare without spaces (half- or full-width), required-marks and case. */
export function normaliseHeader(h: string): string {
  return h
    .replace(/[\s\u3000*＊]/g, '')
    .replace(/[（(]必填[)）]$/, '')
    .toLowerCase();
}

/** Category texts compare without surrounding or repeated spaces. */
export function normaliseText(s: string): string {
  return s.trim().replace(/\s+/g, ' ');
}

export interface ResolvedColumns {
  /** Field → column index in the table. */
  index: Partial<Record<HotlineField, number>>;
  /** Field → the header as the file spells it (for the report's reasons). */
  header: Partial<Record<HotlineField, string>>;
  missingRequired: HotlineField[];
}

/** Finds each field's column among the headers: the first of its candidate headers that is present. */
export function resolveColumns(
  headers: readonly string[],
  columns: ColumnMapping['columns'],
): ResolvedColumns {
  const positions = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = normaliseHeader(h);
    if (key && !positions.has(key)) positions.set(key, i);
  });
  const index: ResolvedColumns['index'] = {};
  const header: ResolvedColumns['header'] = {};
  for (const field of HOTLINE_FIELDS) {
    for (const candidate of columns[field]) {
      const at = positions.get(normaliseHeader(candidate));
      if (at !== undefined) {
        index[field] = at;
        header[field] = headers[at]!;
        break;
      }
    }
  }
  const missingRequired = REQUIRED_FIELDS.filter((f) => index[f] === undefined);
  return { index, header, missingRequired };
}

/** Every header spelling a mapping knows, for finding the header row of a file with a title above it. */
export function knownHeaders(columns: ColumnMapping['columns']): Set<string> {
  return new Set(Object.values(columns).flatMap((hs) => hs.map(normaliseHeader)));
}

/** The push API reads the Hutong field names, and the default Chinese headers as well. */
export const PUSH_COLUMNS: Readonly<Record<HotlineField, readonly string[]>> = Object.fromEntries(
  HOTLINE_FIELDS.map((f) => [f, [f, ...DEFAULT_COLUMNS[f]]]),
) as unknown as Record<HotlineField, readonly string[]>;

/** Coordinate-system spellings → the systems Hutong converts from (SPEC §2). */
const CRS_ALIASES: ReadonlyMap<string, Crs> = new Map([
  ['wgs84', 'wgs84'],
  ['wgs', 'wgs84'],
  ['gps', 'wgs84'],
  ['4326', 'wgs84'],
  ['epsg4326', 'wgs84'],
  // CGCS2000 (Tianditu) lies within a metre of WGS-84: it is taken as WGS-84, as the territory is.
  ['cgcs2000', 'wgs84'],
  ['4490', 'wgs84'],
  ['epsg4490', 'wgs84'],
  ['天地图', 'wgs84'],
  ['tianditu', 'wgs84'],
  ['gcj02', 'gcj02'],
  ['gcj', 'gcj02'],
  ['火星坐标', 'gcj02'],
  ['高德', 'gcj02'],
  ['amap', 'gcj02'],
  ['腾讯', 'gcj02'],
  ['tencent', 'gcj02'],
  ['bd09', 'bd09'],
  ['bd09ll', 'bd09'],
  ['百度', 'bd09'],
  ['baidu', 'bd09'],
]);

export function parseCrs(value: string): Crs | null {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s\-_:]/g, '');
  return CRS_ALIASES.get(key) ?? CRS_ALIASES.get(key.replace(/坐标系?$/, '').replace(/地图$/, '')) ?? null;
}
