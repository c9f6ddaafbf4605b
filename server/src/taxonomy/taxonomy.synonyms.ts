import { repoPath } from '../shared/paths.ts';

/**
 * Words people use for a category that its name does not contain (违法建设 for 私搭乱建, 小广告 for
 * 非法小广告): the default catalogue's keywords column gets them, so search finds the category by
 * them. A district edits them per entry afterwards (PATCH /api/taxonomy/{key}, `keywords`).
 */
export const DEFAULT_SYNONYMS_PATH = repoPath('server/src/taxonomy/data/synonyms.tsv');

/** `key<TAB>a|b|c` lines (a header line first) as key → synonyms. */
export function parseSynonyms(tsv: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of tsv.split(/\r?\n/).slice(1)) {
    const [key, list] = line.split('\t');
    if (!key?.trim() || !list) continue;
    const words = list
      .split('|')
      .map((w) => w.trim())
      .filter(Boolean);
    out.set(key.trim(), [...(out.get(key.trim()) ?? []), ...words]);
  }
  return out;
}

/**
 * The catalogue TSV with each entry's synonyms appended to its keywords column (once each). Entries
 * are matched by key: `event:` for 管理事项, `component:` for 管理部件, and the code.
 */
export function withSynonyms(catalogueTsv: string, synonyms: ReadonlyMap<string, readonly string[]>): string {
  const lines = catalogueTsv.split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t');
  const col = (name: string) => header.indexOf(name);
  const [code, kind, keywords] = [col('code'), col('kind'), col('keywords')];
  if (code < 0 || kind < 0 || keywords < 0) return catalogueTsv;
  return lines
    .map((line, i) => {
      if (i === 0 || !line.trim()) return line;
      const cells = line.split('\t');
      const kindCell = cells[kind]?.trim();
      const prefix = kindCell === '管理部件' || kindCell === 'component' ? 'component' : 'event';
      const extra = synonyms.get(`${prefix}:${cells[code]?.trim()}`);
      if (!extra?.length) return line;
      const existing = (cells[keywords] ?? '').split('|').filter(Boolean);
      cells[keywords] = [...new Set([...existing, ...extra])].join('|');
      return cells.join('\t');
    })
    .join('\n');
}
