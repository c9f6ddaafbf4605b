import type { Cell, SourceTable } from './hotline.read.ts';
import type { ImportSummary, RowResult } from './hotline.service.ts';
import { workbook } from './hotline.xlsx.ts';

/**
 * The per-row validation report of an import: the file's own rows as they were, each followed by
 * 结果 (导入 / 已存在 / 拒绝) and 原因, so that the hotline desk can fix the rejected rows in the same
 * sheet and import it again — rows already imported then come back as 已存在 and nothing is filed twice.
 */

export const OUTCOME_LABELS = { created: '导入', existing: '已存在', rejected: '拒绝' } as const;
const DRY_RUN_CREATED = '可导入';
const REPORT_COLUMNS = ['结果', '原因', '案件编号', '定位', '原行号'] as const;
const REJECTED_FILL = 'FFFDE2E1';

export function outcomeLabel(r: RowResult, dryRun: boolean): string {
  return dryRun && r.outcome === 'created' ? DRY_RUN_CREATED : OUTCOME_LABELS[r.outcome];
}

export function reasonText(r: RowResult): string {
  if (r.outcome === 'rejected') return r.issues.map((i) => i.message).join('；');
  return r.note ?? '';
}

export async function buildImportReport(
  table: SourceTable,
  rows: readonly RowResult[],
  summary: ImportSummary,
  now: Date,
): Promise<Buffer> {
  const byRow = new Map(rows.map((r) => [r.rowNumber, r]));
  const headers = [...table.headers.map((h, i) => h || `列${i + 1}`), ...REPORT_COLUMNS];
  const resultColumn = table.headers.length;
  const data: Cell[][] = table.rows.map((source) => {
    const r = byRow.get(source.rowNumber)!;
    return [
      ...source.values,
      outcomeLabel(r, summary.dryRun),
      reasonText(r),
      r.caseNumber,
      r.placedBy,
      source.rowNumber,
    ];
  });
  const createdLabel = summary.dryRun ? DRY_RUN_CREATED : OUTCOME_LABELS.created;
  const overview: Cell[][] = [
    ['文件', summary.file ?? ''],
    ['格式', summary.format],
    ['工作表', summary.sheet ?? ''],
    ['表头行', summary.headerRow],
    ['试运行（未写入）', summary.dryRun ? '是' : '否'],
    ['总行数', summary.rows],
    [createdLabel, summary.created],
    [OUTCOME_LABELS.existing, summary.existing],
    [OUTCOME_LABELS.rejected, summary.rejected],
    ['', ''],
    ['拒绝原因', '行数'],
    ...summary.reasons.map((r) => [r.label, r.count]),
    ['', ''],
    ['字段', '读取的列'],
    ...Object.entries(summary.columns).map(([field, column]) => [field, column ?? '（无）']),
  ];
  return workbook(
    [
      {
        name: '校验结果',
        headers,
        widths: [...table.headers.map(() => 16), 10, 48, 22, 24, 8],
        rows: data,
        highlight: (row) =>
          row[resultColumn] === OUTCOME_LABELS.rejected
            ? { columns: [resultColumn, resultColumn + 1], argb: REJECTED_FILL }
            : null,
      },
      { name: '汇总', headers: ['项目', '数量'], widths: [28, 16], rows: overview },
    ],
    now,
  );
}
