import ExcelJS from 'exceljs';
import { BEIJING_OFFSET_MS } from '../calendar/working-calendar.ts';

/**
 * Spreadsheets in the form street offices exchange their 台账 (SPEC §9): one header row, frozen, with
 * an auto-filter, sensible widths, and times as real Excel dates that sort and filter as dates.
 */

export type CellValue = string | number | Date | null;

export interface SheetColumn {
  readonly header: string;
  /** In Excel's character units. */
  readonly width: number;
  readonly kind?: 'text' | 'datetime' | 'date' | 'number';
}

export interface SheetSpec {
  readonly name: string;
  readonly columns: readonly SheetColumn[];
  readonly rows: Iterable<readonly CellValue[]>;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const FORMATS = { datetime: 'yyyy-mm-dd hh:mm', date: 'yyyy-mm-dd' } as const;

/**
 * Excel dates carry no time zone: a cell shows the wall-clock time it holds. ExcelJS writes a Date by
 * its UTC fields, so an instant is moved by Beijing's offset to make those fields read as Beijing time,
 * which is what the street office expects to see whatever the server's zone.
 */
export function excelBeijingTime(instant: Date | null | undefined): Date | null {
  return instant ? new Date(instant.getTime() + BEIJING_OFFSET_MS) : null;
}

/** A Beijing calendar date (`YYYY-MM-DD`) as an Excel date. */
export function excelDate(localDate: string): Date {
  return new Date(`${localDate}T00:00:00Z`);
}

export function addSheet(workbook: ExcelJS.Workbook, spec: SheetSpec): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }] });
  sheet.columns = spec.columns.map((c) => ({ header: c.header, width: c.width }));
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle' };
  header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
  for (const values of spec.rows) {
    const row = sheet.addRow([...values]);
    spec.columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.kind === 'datetime' || c.kind === 'date') cell.numFmt = FORMATS[c.kind];
      else if (c.kind !== 'number') cell.alignment = { wrapText: true, vertical: 'top' };
    });
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.columns.length } };
  return sheet;
}

/** A workbook of the given sheets as the bytes of an .xlsx file. */
export async function workbookBuffer(sheets: readonly SheetSpec[], createdAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Hutong';
  workbook.created = createdAt;
  workbook.modified = createdAt;
  for (const spec of sheets) addSheet(workbook, spec);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** `attachment` with an ASCII fallback name and the UTF-8 one (RFC 6266), for Chinese file names. */
export function attachmentHeader(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
