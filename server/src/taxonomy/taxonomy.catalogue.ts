import {
  type CatalogueRow,
  DEPARTMENT_TYPE_RE,
  type EntrySettings,
  KEY_RE,
  type Kind,
  LIMIT_UNITS,
  type LimitUnit,
  SEVERITIES,
  type Severity,
  type TaxonomyEntry,
} from './taxonomy.schema.ts';

/**
 * The catalogue file: tab-separated, one category per line, with the header
 * `code kind major_class name keywords` (the GB/T 47678.5 transcription) and, in files that Hutong
 * exported, the district's settings after it. Pure: text in, rows and issues out.
 */

export const REQUIRED_COLUMNS = ['code', 'kind', 'major_class', 'name', 'keywords'] as const;
export const SETTING_COLUMNS = [
  'department_type',
  'response_limit_amount',
  'response_limit_unit',
  'handling_limit_amount',
  'handling_limit_unit',
  'severity',
  'public',
  'related_keys',
] as const;

/** How the standard names the two kinds; export writes these so the file stays in the standard's words. */
export const KIND_LABELS: Record<Kind, string> = { component: '管理部件', event: '管理事项' };

const KIND_BY_LABEL: Record<string, Kind> = {
  管理部件: 'component',
  部件: 'component',
  component: 'component',
  管理事项: 'event',
  管理事件: 'event',
  事项: 'event',
  事件: 'event',
  event: 'event',
};

export function keyOf(kind: Kind, code: string): string {
  return `${kind}:${code}`;
}

/** A catalogue row, with whatever settings the file carried (an export), for the importer to complete. */
export interface ParsedRow extends CatalogueRow {
  key: string;
  line: number;
  settings: Partial<EntrySettings>;
}

export interface CatalogueIssue {
  line: number;
  field: string;
  message: string;
}

export function parseCatalogue(text: string): { rows: ParsedRow[]; issues: CatalogueIssue[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const issues: CatalogueIssue[] = [];
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) {
    issues.push({ line: 1, field: 'header', message: `missing columns: ${missing.join(', ')}` });
    return { rows: [], issues };
  }
  const col = (name: string) => header.indexOf(name);
  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();

  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!raw.trim()) continue;
    const line = i + 1;
    const cells = raw.split('\t');
    const cell = (name: string) => {
      const at = col(name);
      return at < 0 ? '' : (cells[at] ?? '').trim();
    };
    const issue = (field: string, message: string) => issues.push({ line, field, message });

    const code = cell('code');
    const kind = KIND_BY_LABEL[cell('kind')];
    const majorClass = cell('major_class');
    const name = cell('name');
    if (!/^\d{5}$/.test(code)) issue('code', 'must be 5 digits (2-digit major class + 3-digit minor class)');
    if (!kind) issue('kind', `must be 管理部件 or 管理事项, not "${cell('kind')}"`);
    if (!majorClass) issue('major_class', 'is empty');
    if (!name) issue('name', 'is empty');
    if (!kind || !/^\d{5}$/.test(code) || !majorClass || !name) continue;

    const key = keyOf(kind, code);
    const earlier = seen.get(key);
    if (earlier) {
      issue('code', `${key} already appears on line ${earlier}`);
      continue;
    }
    seen.set(key, line);
    const keywords = splitList(cell('keywords'));
    const issuesBefore = issues.length;
    const settings = parseSettings(cell, issue);
    if (issues.length > issuesBefore) continue;
    rows.push({
      key,
      kind,
      code,
      majorClass,
      name,
      keywords: keywords.length ? keywords : [name],
      line,
      settings,
    });
  }
  const keys = new Set(rows.map((r) => r.key));
  for (const r of rows) {
    for (const k of r.settings.relatedKeys ?? []) {
      if (!keys.has(k)) issues.push({ line: r.line, field: 'related_keys', message: `no category ${k}` });
    }
  }
  if (!rows.length && !issues.length) issues.push({ line: 1, field: 'file', message: 'holds no categories' });
  return { rows, issues };
}

function parseSettings(
  cell: (name: string) => string,
  issue: (field: string, message: string) => void,
): Partial<EntrySettings> {
  const s: Partial<EntrySettings> = {};
  const department = cell('department_type');
  if (department) {
    if (DEPARTMENT_TYPE_RE.test(department)) s.departmentType = department;
    else issue('department_type', 'lower-case letters, digits and underscores');
  }
  for (const which of ['response', 'handling'] as const) {
    const amountText = cell(`${which}_limit_amount`);
    const unit = cell(`${which}_limit_unit`);
    if (!amountText && !unit) continue;
    const amount = Number(amountText);
    if (!(amount > 0 && amount <= 9999)) issue(`${which}_limit_amount`, 'must be a number above 0');
    else if (!(LIMIT_UNITS as readonly string[]).includes(unit))
      issue(`${which}_limit_unit`, `must be one of ${LIMIT_UNITS.join(', ')}`);
    else s[which === 'response' ? 'responseLimit' : 'handlingLimit'] = { amount, unit: unit as LimitUnit };
  }
  const severity = cell('severity');
  if (severity) {
    if ((SEVERITIES as readonly string[]).includes(severity)) s.severity = severity as Severity;
    else issue('severity', `must be one of ${SEVERITIES.join(', ')}`);
  }
  const pub = cell('public').toLowerCase();
  if (pub) {
    if (pub === 'true' || pub === 'false') s.public = pub === 'true';
    else issue('public', 'must be true or false');
  }
  const related = cell('related_keys');
  if (related) {
    const keys = splitList(related);
    const bad = keys.filter((k) => !KEY_RE.test(k));
    if (bad.length) issue('related_keys', `not keys: ${bad.join(', ')}`);
    else s.relatedKeys = keys;
  }
  return s;
}

function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split('|')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

/** The whole taxonomy as a catalogue file that `parseCatalogue` reads back without loss. */
export function formatCatalogue(entries: readonly TaxonomyEntry[]): string {
  const header = [...REQUIRED_COLUMNS, ...SETTING_COLUMNS].join('\t');
  const clean = (v: string) => v.replace(/[\t\r\n]+/g, ' ');
  const lines = entries.map((e) =>
    [
      e.code,
      KIND_LABELS[e.kind],
      e.majorClass,
      e.name,
      e.keywords.join('|'),
      e.departmentType,
      String(e.responseLimit.amount),
      e.responseLimit.unit,
      String(e.handlingLimit.amount),
      e.handlingLimit.unit,
      e.severity,
      String(e.public),
      e.relatedKeys.join('|'),
    ]
      .map(clean)
      .join('\t'),
  );
  return `${[header, ...lines].join('\n')}\n`;
}
