import { type CellValue, type SheetSpec, workbookBuffer } from '../ledgers/ledger.xlsx.ts';
import type { EvaluationService } from './evaluation.service.ts';

type Bulletin = Awaited<ReturnType<EvaluationService['bulletin']>>;

const LEVEL_ZH: Record<string, string> = {
  street: '街道',
  department: '职能部门',
  contractor: '街巷服务企业',
};
const pct = (v: number | null | undefined) =>
  v === null || v === undefined ? null : Math.round(v * 1000) / 10;

/**
 * The quarterly bulletin as the workbook a district office circulates: one ranking sheet per unit type
 * (名次, 单位, 得分, 上期名次 and the rates behind the score), the named units (点名) with their overdue
 * and reworked cases one per row, and a chart-ready sheet (unit × score per type) from which Excel
 * draws the bar chart in two clicks — ExcelJS writes no charts; the printable page draws it.
 */
export async function bulletinWorkbook(b: Bulletin, now: Date): Promise<Buffer> {
  const sheets: SheetSpec[] = [];
  for (const s of b.sections) {
    sheets.push({
      name: `${LEVEL_ZH[s.level] ?? s.level}排名`,
      columns: [
        { header: '名次', width: 6, kind: 'number' },
        { header: '单位', width: 28 },
        { header: '代码', width: 20 },
        { header: '得分', width: 8, kind: 'number' },
        { header: '上期名次', width: 9, kind: 'number' },
        { header: '应结案数', width: 9, kind: 'number' },
        { header: '结案数', width: 8, kind: 'number' },
        { header: '按期结案率%', width: 11, kind: 'number' },
        { header: '结案率%', width: 9, kind: 'number' },
        { header: '响应率%', width: 9, kind: 'number' },
        { header: '返工率%', width: 9, kind: 'number' },
        { header: '满意率%', width: 9, kind: 'number' },
        { header: '超期数', width: 8, kind: 'number' },
      ],
      rows: s.rows.map((r) => [
        r.rank,
        r.unit.name,
        r.unit.code,
        r.score,
        r.previousRank,
        r.figures.due,
        r.figures.closed,
        pct(r.figures.onTimeRate),
        pct(r.figures.closureRate),
        pct(r.figures.responseRate),
        pct(r.figures.reworkRate),
        pct(r.figures.satisfactionRate),
        r.figures.overdue,
      ]),
    });
  }
  sheets.push({
    name: '点名',
    columns: [
      { header: '类别', width: 12 },
      { header: '名次', width: 6, kind: 'number' },
      { header: '单位', width: 28 },
      { header: '得分', width: 8, kind: 'number' },
      { header: '问题', width: 10 },
      { header: '案件编号', width: 22 },
    ],
    rows: b.sections.flatMap((s) =>
      s.bottom.flatMap((u): CellValue[][] => {
        const head: CellValue[] = [LEVEL_ZH[s.level] ?? s.level, u.rank, u.unit.name, u.score];
        const lines = [
          ...u.overdue.map((n) => [...head, '超期', n]),
          ...u.reworked.map((n) => [...head, '返工', n]),
        ];
        return lines.length > 0 ? lines : [[...head, '—', null]];
      }),
    ),
  });
  sheets.push({
    name: '图表数据',
    columns: [
      { header: '类别', width: 12 },
      { header: '单位', width: 28 },
      { header: '得分', width: 8, kind: 'number' },
    ],
    rows: b.sections.flatMap((s) =>
      s.rows.filter((r) => r.score !== null).map((r) => [LEVEL_ZH[s.level] ?? s.level, r.unit.name, r.score]),
    ),
  });
  return workbookBuffer(sheets, now);
}
