import { BEIJING_OFFSET_MS } from '../calendar/working-calendar.ts';
import type { Rating } from '../cases/case.state.ts';
import { csvLine } from '../shared/csv.ts';
import { excelBeijing, workbook } from './hotline.xlsx.ts';

/**
 * Handling results sent back to the hotline (回传), in exactly the columns a 12345 system takes in.
 * Times are Beijing wall time to the second, as the hotline writes its own.
 */

export const RESULT_COLUMNS = [
  '工单编号',
  '承办单位',
  '签收时间',
  '办结时间',
  '办理结果',
  '是否解决',
  '满意度',
] as const;
export type ResultColumn = (typeof RESULT_COLUMNS)[number];
export type ResultRecord = Record<ResultColumn, string>;

export const RESULT_FORMATS = ['xlsx', 'csv', 'json'] as const;
export type ResultFormat = (typeof RESULT_FORMATS)[number];

export interface HandlingResult {
  workOrderNo: string;
  /** The units holding the case, by name (several for a joint action). */
  units: string[];
  signedAt: Date | null;
  closedAt: Date | null;
  feedbackNote: string | null;
  resolved: boolean;
  rating: Rating | null;
}

export const RATING_LABELS: Readonly<Record<Rating, string>> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

/** `YYYY-MM-DD HH:mm:ss` in Beijing. */
export function beijingText(instant: Date | null): string {
  if (!instant) return '';
  return new Date(instant.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

export function resultRecord(r: HandlingResult): ResultRecord {
  return {
    工单编号: r.workOrderNo,
    承办单位: r.units.join('、'),
    签收时间: beijingText(r.signedAt),
    办结时间: beijingText(r.closedAt),
    办理结果: r.feedbackNote ?? '',
    是否解决: r.resolved ? '是' : '否',
    满意度: r.rating ? RATING_LABELS[r.rating] : '',
  };
}

/** With a BOM, so that Excel opens the Chinese text as UTF-8. */
export function resultsCsv(results: readonly HandlingResult[]): string {
  const lines = [RESULT_COLUMNS.join(',')];
  for (const r of results) {
    const rec = resultRecord(r);
    lines.push(csvLine(RESULT_COLUMNS.map((c) => rec[c])));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function resultsXlsx(results: readonly HandlingResult[], createdAt: Date): Promise<Buffer> {
  return workbook(
    [
      {
        name: '办理结果',
        headers: RESULT_COLUMNS,
        widths: [22, 28, 20, 20, 48, 10, 10],
        rows: results.map((r) => {
          const rec = resultRecord(r);
          return [
            rec.工单编号,
            rec.承办单位,
            excelBeijing(r.signedAt),
            excelBeijing(r.closedAt),
            rec.办理结果,
            rec.是否解决,
            rec.满意度,
          ];
        }),
      },
    ],
    createdAt,
  );
}

export async function encodeResults(
  results: readonly HandlingResult[],
  format: ResultFormat,
  createdAt: Date,
): Promise<{ body: Buffer; contentType: string; extension: ResultFormat }> {
  switch (format) {
    case 'xlsx':
      return {
        body: await resultsXlsx(results, createdAt),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        extension: 'xlsx',
      };
    case 'csv':
      return {
        body: Buffer.from(resultsCsv(results), 'utf8'),
        contentType: 'text/csv; charset=utf-8',
        extension: 'csv',
      };
    case 'json':
      return {
        body: Buffer.from(`${JSON.stringify(results.map(resultRecord), null, 2)}\n`, 'utf8'),
        contentType: 'application/json; charset=utf-8',
        extension: 'json',
      };
  }
}
