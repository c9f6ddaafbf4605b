import ExcelJS from 'exceljs';
import { BEIJING_OFFSET_MS } from '../calendar/working-calendar.ts';
import type { Cell } from './hotline.read.ts';

/** Spreadsheets as the hotline desk and the street office read them: frozen bold header, filters. */

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface SheetSpec {
  name: string;
  headers: readonly string[];
  widths?: readonly number[];
  rows: Iterable<readonly Cell[]>;
  /** Fills a row's cells by what `highlight` says about it (e.g. rejected rows in red). */
  highlight?: (row: readonly Cell[]) => { columns: readonly number[]; argb: string } | null;
}

/**
 * Excel dates have no zone and show their UTC fields, so an instant goes in shifted to Beijing wall
 * time; a reader takes the shown time as Beijing time again (see parseHotlineTime).
 */
export function excelBeijing(instant: Date | null): Date | null {
  return instant ? new Date(Math.floor(instant.getTime() / 1000) * 1000 + BEIJING_OFFSET_MS) : null;
}

export async function workbook(sheets: readonly SheetSpec[], createdAt: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Hutong';
  wb.created = createdAt;
  wb.modified = createdAt;
  for (const spec of sheets) {
    const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = spec.headers.map((header, i) => ({ header, width: spec.widths?.[i] ?? 16 }));
    const head = ws.getRow(1);
    head.font = { bold: true };
    head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    for (const values of spec.rows) {
      const row = ws.addRow([...values]);
      values.forEach((v, i) => {
        if (v instanceof Date) row.getCell(i + 1).numFmt = 'yyyy-mm-dd hh:mm:ss';
      });
      const mark = spec.highlight?.(values);
      if (mark) {
        for (const c of mark.columns) {
          row.getCell(c + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: mark.argb } };
        }
      }
    }
    if (spec.headers.length) {
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.headers.length } };
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `attachment` with an ASCII fallback and the UTF-8 name (RFC 6266), for Chinese file names. */
export function attachmentHeader(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
