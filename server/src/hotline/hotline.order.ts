import { BEIJING_OFFSET_MS } from '../calendar/working-calendar.ts';
import type { Crs } from '../territory/geometry.ts';
import { FIELD_LABELS, type FieldLabels, type HotlineField, parseCrs } from './hotline.fields.ts';
import { type Cell, cellText } from './hotline.read.ts';

/**
 * One work order's own fields checked and normalised, without the database: what a row says, not yet
 * whether its place lies in the territory, its category exists or it was imported before (the
 * service checks those). Every fault of the row is collected, so the report shows them all at once.
 */

export type IssueCode =
  | 'required'
  | 'too_short'
  | 'too_long'
  | 'not_a_number'
  | 'out_of_range'
  | 'incomplete'
  | 'unknown_crs'
  | 'invalid_date'
  | 'unknown_category'
  | 'outside_territory'
  | 'no_location'
  | 'ambiguous_address'
  | 'no_district'
  | 'out_of_scope'
  | 'rejected_by_intake';

export interface OrderIssue {
  /** The Hutong field at fault. */
  field: HotlineField;
  code: IssueCode;
  /** In Chinese: it lands in the 原因 column of a street office's spreadsheet. */
  message: string;
}

export interface HotlineOrder {
  workOrderNo: string;
  description: string;
  address: string | null;
  /** 所属街道 and 所属区 as the export names them (the street settles where an address is unclear). */
  street: string | null;
  district: string | null;
  /** As sent, in the system it names; null when the row has none and the address must place it. */
  coordinates: { lng: number; lat: number; crs: Crs } | null;
  category: string | null;
  receivedAt: Date | null;
  callerName: string | null;
  callerPhone: string | null;
  unit: string | null;
}

export const LIMITS = {
  workOrderNo: 100,
  descriptionMin: 4,
  description: 5000,
  address: 200,
  street: 50,
  district: 50,
  callerName: 50,
  callerPhone: 50,
  unit: 100,
  category: 100,
} as const;

function text(c: Cell | undefined): string | null {
  if (c === undefined || c === null) return null;
  const t = cellText(c).trim();
  return t === '' ? null : t;
}

/**
 * `order` is null when the row has a fault of its own; `draft` is what could be read all the same,
 * so that the service can still look for the faults only the database finds (a place outside the
 * territory) and the report lists every fault of the row at once.
 */
export function parseOrder(
  values: Partial<Record<HotlineField, Cell>>,
  defaults: { crs: Crs },
  labels: FieldLabels = FIELD_LABELS,
): { order: HotlineOrder | null; draft: HotlineOrder; issues: OrderIssue[]; workOrderNo: string | null } {
  const issues: OrderIssue[] = [];
  const issue = (field: HotlineField, code: IssueCode, message: string) =>
    issues.push({ field, code, message: `${labels[field]}${message}` });
  const bounded = (field: HotlineField, max: number): string | null => {
    const t = text(values[field]);
    if (t !== null && t.length > max) issue(field, 'too_long', `超过 ${max} 个字`);
    return t;
  };

  const workOrderNo = bounded('workOrderNo', LIMITS.workOrderNo);
  if (workOrderNo === null) issue('workOrderNo', 'required', '为空');
  const description = bounded('description', LIMITS.description);
  if (description === null) issue('description', 'required', '为空');
  else if (description.length < LIMITS.descriptionMin)
    issue('description', 'too_short', `过短（至少 ${LIMITS.descriptionMin} 个字）`);
  const address = bounded('address', LIMITS.address);
  const street = bounded('street', LIMITS.street);
  const district = bounded('district', LIMITS.district);
  const category = bounded('category', LIMITS.category);
  const callerName = bounded('callerName', LIMITS.callerName);
  const callerPhone = bounded('callerPhone', LIMITS.callerPhone);
  const unit = bounded('unit', LIMITS.unit);

  let receivedAt: Date | null = null;
  const rawReceived = values.receivedAt;
  if (rawReceived !== undefined && rawReceived !== null && text(rawReceived) !== null) {
    receivedAt = parseHotlineTime(rawReceived);
    if (!receivedAt) issue('receivedAt', 'invalid_date', `无法识别：${text(rawReceived)}`);
  }

  let crs: Crs = defaults.crs;
  const crsText = text(values.crs);
  if (crsText !== null) {
    const parsed = parseCrs(crsText);
    if (parsed) crs = parsed;
    else issue('crs', 'unknown_crs', `无法识别：${crsText}（可用 WGS84、GCJ02、BD09、CGCS2000）`);
  }

  let coordinates: HotlineOrder['coordinates'] = null;
  const lngText = text(values.lng);
  const latText = text(values.lat);
  if (lngText !== null || latText !== null) {
    if (lngText === null) issue('lng', 'incomplete', '为空，但填了纬度');
    if (latText === null) issue('lat', 'incomplete', '为空，但填了经度');
    const lng = lngText === null ? null : coordinate(values.lng!);
    const lat = latText === null ? null : coordinate(values.lat!);
    if (lngText !== null && lng === null) issue('lng', 'not_a_number', `不是数字：${lngText}`);
    if (latText !== null && lat === null) issue('lat', 'not_a_number', `不是数字：${latText}`);
    if (lng !== null && lat !== null) {
      // Latitude and longitude swapped is the commonest slip; say so rather than "out of range".
      const swapped = Math.abs(lat) > 90 && Math.abs(lng) <= 90;
      if (Math.abs(lng) > 180) issue('lng', 'out_of_range', `超出范围：${lngText}`);
      if (Math.abs(lat) > 90)
        issue('lat', 'out_of_range', `超出范围：${latText}${swapped ? '（经纬度可能填反了）' : ''}`);
      if (Math.abs(lng) <= 180 && Math.abs(lat) <= 90) coordinates = { lng, lat, crs };
    }
  }

  const draft: HotlineOrder = {
    workOrderNo: workOrderNo ?? '',
    description: description ?? '',
    address,
    street,
    district,
    coordinates,
    category,
    receivedAt,
    callerName,
    callerPhone,
    unit,
  };
  return { order: issues.length ? null : draft, draft, issues, workOrderNo };
}

function coordinate(c: Cell): number | null {
  if (typeof c === 'number') return Number.isFinite(c) ? c : null;
  if (typeof c !== 'string') return null;
  // Full-width digits and points appear when the value was typed with a Chinese input method.
  const t = c.trim().replace(/[０-９．－]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
  if (!/^[-+]?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/**
 * A hotline time as an instant. Times without a zone are Beijing wall time, which is what every
 * 12345 export writes; an Excel date cell carries the wall time it shows in its UTC fields.
 */
export function parseHotlineTime(c: Cell): Date | null {
  if (c instanceof Date) return Number.isNaN(c.getTime()) ? null : new Date(c.getTime() - BEIJING_OFFSET_MS);
  if (typeof c === 'number') {
    // Excel's serial day numbers (1954–2119) when a date cell lost its format.
    if (c > 20_000 && c < 80_000)
      return new Date(EXCEL_EPOCH_MS + Math.round(c * DAY_MS) - BEIJING_OFFSET_MS);
    return null;
  }
  if (typeof c !== 'string') return null;
  const t = c.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const m = t.match(
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:时](\d{1,2})分?(?:[:分]?(\d{1,2})秒?)?)?$/,
  );
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1).map((x) => x ?? undefined) as string[];
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s)] as const;
  const wall = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
  const back = new Date(wall);
  // Date.UTC rolls 2026-02-30 over into March; a date that does not exist is refused instead.
  if (
    back.getUTCMonth() !== parts[1] - 1 ||
    back.getUTCDate() !== parts[2] ||
    parts[3] > 23 ||
    parts[4] > 59 ||
    parts[5] > 59
  ) {
    return null;
  }
  return new Date(wall - BEIJING_OFFSET_MS);
}
