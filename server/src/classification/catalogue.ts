/**
 * The taxonomy catalogue as a tab-separated file (`code kind major_class name keywords`), the form in
 * which `../shared/reference/gbt47678-5-catalogue.tsv` transcribes GB/T 47678.5. A code is unique only
 * within its kind: 管理事项 01–05 reuse the 部件 codes, so a taxonomy key is `kind:code`.
 */

export interface CatalogueEntry {
  /** `component` (部件) or `event` (事件 / 事项), the SPEC glossary's identifiers; other kinds pass through. */
  kind: string;
  /** Five digits: two for the major class, three for the minor class. */
  code: string;
  name: string;
  /** The major class's name as written in the catalogue (市容环境类…). */
  majorClass: string;
  keywords: string[];
}

export class CatalogueError extends Error {}

const kindNames: Record<string, string> = {
  管理部件: 'component',
  部件: 'component',
  component: 'component',
  管理事项: 'event',
  管理事件: 'event',
  事项: 'event',
  事件: 'event',
  event: 'event',
};

/** The key a classifier predicts for an entry. */
export function taxonomyKey(entry: Pick<CatalogueEntry, 'kind' | 'code'>): string {
  return `${entry.kind}:${entry.code}`;
}

/** Keywords are separated by `|` in the catalogue; `、` is not a separator, it is part of names such as 焚烧垃圾、树叶. */
const keywordSeparator = /[|｜]/u;

export function parseCatalogueTsv(text: string): CatalogueEntry[] {
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim());
  const column = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new CatalogueError(`column ${name} is missing; the header has: ${header.join(', ')}`);
    return i;
  };
  const ci = column('code');
  const ki = column('kind');
  const mi = column('major_class');
  const ni = column('name');
  const wi = header.indexOf('keywords');
  const seen = new Set<string>();
  const out: CatalogueEntry[] = [];
  for (let r = 1; r < lines.length; r++) {
    const line = lines[r]!;
    if (line.trim() === '') continue;
    const cells = line.split('\t').map((c) => c.trim());
    const code = cells[ci] ?? '';
    const rawKind = cells[ki] ?? '';
    const name = cells[ni] ?? '';
    if (!/^\d{5}$/u.test(code)) throw new CatalogueError(`line ${r + 1}: code "${code}" is not five digits`);
    if (rawKind === '') throw new CatalogueError(`line ${r + 1}: kind is empty`);
    if (name === '') throw new CatalogueError(`line ${r + 1}: name is empty`);
    const kind = kindNames[rawKind] ?? rawKind;
    const key = taxonomyKey({ kind, code });
    if (seen.has(key)) throw new CatalogueError(`line ${r + 1}: ${key} appears twice`);
    seen.add(key);
    const keywords = wi >= 0 ? (cells[wi] ?? '').split(keywordSeparator).map((k) => k.trim()) : [];
    out.push({
      kind,
      code,
      name,
      majorClass: cells[mi] ?? '',
      keywords: [...new Set(keywords.filter((k) => k !== ''))],
    });
  }
  return out;
}
