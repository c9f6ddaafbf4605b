import ExcelJS from 'exceljs';
import { AppError } from '../shared/errors.ts';
import { type ColumnMapping, knownHeaders, normaliseHeader } from './hotline.fields.ts';

/**
 * Reads a hotline export — xlsx, csv or JSON — into one shape: headers and rows of plain cells, each
 * row keeping the number it has in the file so that the validation report can point back at it.
 */

export type Cell = string | number | boolean | Date | null;
export type SourceFormat = 'xlsx' | 'csv' | 'json';

export interface SourceRow {
  /** xlsx and csv: the row as a spreadsheet numbers it (the header row included); JSON: the 1-based item. */
  rowNumber: number;
  values: Cell[];
}

export interface SourceTable {
  format: SourceFormat;
  sheet: string | null;
  headerRow: number;
  headers: string[];
  rows: SourceRow[];
}

/** More than this is not a day's or a month's export of one district; it is a mistake or an attack. */
export const MAX_ROWS = 200_000;

const HEADER_SCAN_ROWS = 10;

export function detectFormat(bytes: Uint8Array, filename?: string): SourceFormat {
  const ext = filename?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === 'xlsx' || ext === 'csv' || ext === 'json') return ext;
  if (ext === 'xls' || (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0)) {
    throw fileError('the old Excel format (.xls) is not read: save the file as .xlsx');
  }
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  const start = new TextDecoder()
    .decode(bytes.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (start.startsWith('[') || start.startsWith('{')) return 'json';
  return 'csv';
}

export async function readSource(
  bytes: Uint8Array,
  mapping: ColumnMapping,
  options: { filename?: string; format?: SourceFormat } = {},
): Promise<SourceTable> {
  if (bytes.length === 0) throw fileError('the file is empty');
  const format = options.format ?? detectFormat(bytes, options.filename);
  const table =
    format === 'xlsx'
      ? await readXlsx(bytes, mapping)
      : format === 'csv'
        ? tableFromGrid('csv', null, parseCsv(decodeText(bytes)), mapping)
        : readJson(decodeText(bytes));
  if (table.rows.length > MAX_ROWS) {
    throw fileError(`the file has ${table.rows.length} rows; split it into files of at most ${MAX_ROWS}`);
  }
  return table;
}

function fileError(message: string): AppError {
  return AppError.validation([{ field: 'file', message }], `The file cannot be read: ${message}`);
}

// ---- text ------------------------------------------------------------------------------------

/**
 * UTF-8 when the bytes are valid UTF-8 (with or without a BOM); otherwise GB18030, which is what a
 * Chinese Windows Excel writes when it saves CSV and a superset of GBK and GB2312.
 */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * RFC 4180 CSV: quoted fields may hold separators, quotes (doubled) and line breaks. The separator is
 * whichever of comma, tab and semicolon the first line uses most, outside quotes.
 */
export function parseCsv(text: string): { rowNumber: number; cells: string[] }[] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const separator = [',', '\t', ';'].reduce((best, ch) => (count(ch) > count(best) ? ch : best), ',');
  const rows: { rowNumber: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let atFieldStart = true;
  let record = 1;
  const endRecord = () => {
    cells.push(field);
    rows.push({ rowNumber: record, cells });
    cells = [];
    field = '';
    atFieldStart = true;
    record++;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (ch === separator) {
      cells.push(field);
      field = '';
      atFieldStart = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
    } else {
      field += ch;
      atFieldStart = false;
    }
  }
  if (field !== '' || cells.length > 0) endRecord();
  return rows;
}

// ---- grids (xlsx and csv) --------------------------------------------------------------------

function isBlank(c: Cell): boolean {
  return c === null || (typeof c === 'string' && c.trim() === '');
}

/** The header row: the one asked for, else the first of the top rows naming two known headers. */
function findHeaderRow(grid: { rowNumber: number; cells: Cell[] }[], mapping: ColumnMapping): number {
  if (mapping.headerRow !== undefined) return mapping.headerRow;
  const known = knownHeaders(mapping.columns);
  for (const row of grid.slice(0, HEADER_SCAN_ROWS)) {
    const hits = row.cells.filter((c) => typeof c === 'string' && known.has(normaliseHeader(c))).length;
    if (hits >= 2) return row.rowNumber;
  }
  return grid[0]?.rowNumber ?? 1;
}

function tableFromGrid(
  format: SourceFormat,
  sheet: string | null,
  grid: { rowNumber: number; cells: Cell[] }[],
  mapping: ColumnMapping,
): SourceTable {
  const headerRow = findHeaderRow(grid, mapping);
  const header = grid.find((r) => r.rowNumber === headerRow);
  if (!header) throw fileError(`there is no header row ${headerRow}`);
  const headers = header.cells.map((c) => (c === null ? '' : cellText(c).trim()));
  while (headers.length && headers.at(-1) === '') headers.pop();
  const rows: SourceRow[] = [];
  for (const r of grid) {
    if (r.rowNumber <= headerRow || r.cells.every(isBlank)) continue;
    rows.push({ rowNumber: r.rowNumber, values: headers.map((_, i) => r.cells[i] ?? null) });
  }
  return { format, sheet, headerRow, headers, rows };
}

function excelCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('formula' in v || 'sharedFormula' in v) {
    const r = v.result;
    return r === undefined || (typeof r === 'object' && !(r instanceof Date)) ? null : r;
  }
  if ('hyperlink' in v) return excelCell(v.text as ExcelJS.CellValue);
  // An error value (#N/A…) holds nothing usable.
  return null;
}

async function readXlsx(bytes: Uint8Array, mapping: ColumnMapping): Promise<SourceTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw fileError('not a readable .xlsx workbook');
  }
  const wanted = mapping.sheet;
  const sheet =
    typeof wanted === 'string'
      ? workbook.getWorksheet(wanted)
      : typeof wanted === 'number'
        ? workbook.worksheets[wanted - 1]
        : workbook.worksheets.find((s) => s.actualRowCount > 0);
  if (!sheet) {
    throw fileError(
      wanted === undefined
        ? 'the workbook has no worksheet with data'
        : `no worksheet ${wanted} (the workbook has ${workbook.worksheets.map((s) => s.name).join(', ')})`,
    );
  }
  const grid: { rowNumber: number; cells: Cell[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    // ExcelJS numbers columns from 1; index 0 is always empty.
    grid.push({ rowNumber, cells: values.slice(1).map(excelCell) });
  });
  return tableFromGrid('xlsx', sheet.name, grid, mapping);
}

// ---- JSON ------------------------------------------------------------------------------------

/** The orders of a JSON document: an array, or an object holding one array (`orders`, `data`…). */
export function ordersOf(doc: unknown): unknown[] | null {
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object') {
    const arrays = Object.values(doc).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0]!;
  }
  return null;
}

export function jsonCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** Objects as rows, their keys as headers (in the order first seen). */
export function tableFromObjects(items: readonly unknown[], format: SourceFormat = 'json'): SourceTable {
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const k of Object.keys(item)) {
      if (!seen.has(k)) {
        seen.add(k);
        headers.push(k);
      }
    }
  }
  const rows = items.map((item, i) => {
    const o =
      item && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
    return { rowNumber: i + 1, values: headers.map((h) => jsonCell(o[h])) };
  });
  return { format, sheet: null, headerRow: 0, headers, rows };
}

function readJson(text: string): SourceTable {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw fileError(`not valid JSON (${(err as Error).message})`);
  }
  const items = ordersOf(doc);
  if (!items) throw fileError('JSON must be an array of orders, or an object holding one such array');
  return tableFromObjects(items);
}

// ---- cells -----------------------------------------------------------------------------------

/** A cell as text: numbers without exponent or trailing zeros, dates as Beijing wall time. */
export function cellText(c: Cell): string {
  if (c === null) return '';
  if (typeof c === 'string') return c;
  if (typeof c === 'boolean') return c ? 'true' : 'false';
  if (typeof c === 'number') {
    return Number.isInteger(c) ? c.toLocaleString('en-US', { useGrouping: false }) : String(c);
  }
  return c.toISOString().slice(0, 19).replace('T', ' ');
}
