/**
 * The indicator system (SPEC §3) as plain data and the rules over it, without I/O: validation of a
 * whole system, the TSV format of import and export, and an inspection's score.
 */

export interface IndicatorInput {
  code: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
  name: string;
  /** The standard in words, as an inspector reads it on the form. */
  standard: string;
  /** Points deducted per finding, and the most this indicator can deduct in one inspection. */
  deductionPoints: number;
  deductionCap: number;
  /** The taxonomy key a finding becomes (third level). */
  categoryKey: string | null;
  departmentType: string | null;
  /** The 十有十无 key the indicator checks, if any. */
  checklistKey: string | null;
  /** A 门前三包 (frontage responsibility) item. */
  frontage: boolean;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export const TSV_COLUMNS = [
  'code',
  'level',
  'parent_code',
  'name',
  'standard',
  'deduction_points',
  'deduction_cap',
  'category_key',
  'department_type',
  'checklist_key',
  'frontage',
] as const;

/** Every problem of a whole system, naming the row (`items[i].field`); empty when it is sound. */
export function validateSystem(items: readonly IndicatorInput[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const levels = new Map<string, number>();
  for (const [i, it] of items.entries()) {
    const at = (f: string) => `items[${i}].${f}`;
    if (!/^[0-9A-Za-z._-]{1,20}$/.test(it.code))
      problems.push({ field: at('code'), message: 'letters, digits, . _ - (1–20)' });
    if (levels.has(it.code)) problems.push({ field: at('code'), message: `code ${it.code} appears twice` });
    if (![1, 2, 3].includes(it.level)) problems.push({ field: at('level'), message: 'must be 1, 2 or 3' });
    if (!it.name.trim()) problems.push({ field: at('name'), message: 'is required' });
    if (it.level === 1 && it.parentCode !== null)
      problems.push({ field: at('parentCode'), message: 'a first-level indicator has no parent' });
    if (it.level > 1) {
      const parentLevel = it.parentCode === null ? undefined : levels.get(it.parentCode);
      if (parentLevel === undefined)
        problems.push({ field: at('parentCode'), message: 'must name an indicator listed before it' });
      else if (parentLevel !== it.level - 1)
        problems.push({ field: at('parentCode'), message: `must be a level-${it.level - 1} indicator` });
    }
    if (!(it.deductionPoints >= 0) || !(it.deductionCap >= 0))
      problems.push({ field: at('deductionPoints'), message: 'deductions are numbers ≥ 0' });
    if (it.level === 3) {
      if (!it.categoryKey)
        problems.push({
          field: at('categoryKey'),
          message: 'a third-level indicator names the category its findings become',
        });
      if (!(it.deductionPoints > 0))
        problems.push({ field: at('deductionPoints'), message: 'must be above 0' });
      if (it.deductionCap < it.deductionPoints)
        problems.push({ field: at('deductionCap'), message: 'must be at least the points of one finding' });
    }
    levels.set(it.code, it.level);
  }
  if (!items.some((it) => it.level === 3))
    problems.push({ field: 'items', message: 'no third-level indicator' });
  return problems;
}

/** The shape of a system: how many indicators at each level. */
export function shapeOf(items: readonly Pick<IndicatorInput, 'level'>[]): [number, number, number] {
  const n = (l: number) => items.filter((i) => i.level === l).length;
  return [n(1), n(2), n(3)];
}

const clean = (v: string) => v.replace(/[\t\r\n]+/g, ' ');

export function toTsv(items: readonly IndicatorInput[]): string {
  const lines = [TSV_COLUMNS.join('\t')];
  for (const it of items) {
    lines.push(
      [
        it.code,
        String(it.level),
        it.parentCode ?? '',
        clean(it.name),
        clean(it.standard),
        String(it.deductionPoints),
        String(it.deductionCap),
        it.categoryKey ?? '',
        it.departmentType ?? '',
        it.checklistKey ?? '',
        it.frontage ? 'yes' : 'no',
      ].join('\t'),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Reads a TSV written by `toTsv` (or by hand with the same header); problems name line and column. */
export function fromTsv(text: string): { items: IndicatorInput[]; problems: FieldProblem[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim());
  const problems: FieldProblem[] = [];
  const missing = TSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length)
    return { items: [], problems: [{ field: 'header', message: `missing columns: ${missing.join(', ')}` }] };
  const col = Object.fromEntries(TSV_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof TSV_COLUMNS)[number],
    number
  >;
  const items: IndicatorInput[] = [];
  for (const [n, line] of lines.entries()) {
    if (n === 0 || line.trim() === '') continue;
    const cells = line.split('\t');
    const get = (c: (typeof TSV_COLUMNS)[number]) => (cells[col[c]] ?? '').trim();
    const num = (c: (typeof TSV_COLUMNS)[number]) => {
      const raw = get(c);
      const v = raw === '' ? 0 : Number(raw);
      if (!Number.isFinite(v))
        problems.push({ field: `line ${n + 1}.${c}`, message: `not a number: ${raw}` });
      return v;
    };
    const level = Number(get('level'));
    if (![1, 2, 3].includes(level))
      problems.push({ field: `line ${n + 1}.level`, message: 'must be 1, 2 or 3' });
    const frontage = get('frontage').toLowerCase();
    items.push({
      code: get('code'),
      level: level as 1 | 2 | 3,
      parentCode: get('parent_code') || null,
      name: get('name'),
      standard: get('standard'),
      deductionPoints: num('deduction_points'),
      deductionCap: num('deduction_cap'),
      categoryKey: get('category_key') || null,
      departmentType: get('department_type') || null,
      checklistKey: get('checklist_key') || null,
      frontage: ['yes', 'true', '1', '是'].includes(frontage),
    });
  }
  return { items, problems };
}

/**
 * An inspection's score: 100 minus the deductions, each indicator's total capped by its cap, never
 * below 0. Also answers each finding's own deduction (what it added before its indicator's cap bit).
 */
export function inspectionScore(
  findings: readonly { indicatorCode: string }[],
  indicators: ReadonlyMap<string, Pick<IndicatorInput, 'deductionPoints' | 'deductionCap'>>,
): { score: number; deductions: number[] } {
  const used = new Map<string, number>();
  const deductions = findings.map((f) => {
    const ind = indicators.get(f.indicatorCode);
    if (!ind) return 0;
    const sofar = used.get(f.indicatorCode) ?? 0;
    const d = Math.max(0, Math.min(ind.deductionPoints, ind.deductionCap - sofar));
    used.set(f.indicatorCode, sofar + d);
    return d;
  });
  const total = deductions.reduce((a, b) => a + b, 0);
  return { score: Math.max(0, Math.round((100 - total) * 100) / 100), deductions };
}
