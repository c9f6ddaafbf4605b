import { createHash } from 'node:crypto';

/** A report's text with the taxonomy key (or class) a person gave it. */
export interface LabelledText {
  text: string;
  label: string;
}

export interface TsvColumns {
  textColumn?: string;
  labelColumn?: string;
}

export class DatasetError extends Error {}

/**
 * Reads a tab-separated file with a header row. Rows with an empty text or label are skipped (a
 * half-filled spreadsheet row is not a training example); a missing column is an error naming the
 * columns that do exist.
 */
export function parseLabelledTsv(content: string, columns: TsvColumns = {}): LabelledText[] {
  const textColumn = columns.textColumn ?? 'text';
  const labelColumn = columns.labelColumn ?? 'label';
  const lines = content.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim());
  const ti = header.indexOf(textColumn);
  const li = header.indexOf(labelColumn);
  if (ti < 0 || li < 0) {
    const missing = [ti < 0 ? textColumn : null, li < 0 ? labelColumn : null].filter((x) => x !== null);
    throw new DatasetError(`column ${missing.join(', ')} not found; the header has: ${header.join(', ')}`);
  }
  const out: LabelledText[] = [];
  for (let r = 1; r < lines.length; r++) {
    const line = lines[r]!;
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    const text = (cells[ti] ?? '').trim();
    const label = (cells[li] ?? '').trim();
    if (text !== '' && label !== '') out.push({ text, label });
  }
  return out;
}

/**
 * sha256 of the examples themselves (label, tab, text, newline, in order) rather than of a file, so
 * the same data read from differently laid-out files has the same hash.
 */
export function hashLabelledTexts(samples: readonly LabelledText[]): string {
  const h = createHash('sha256');
  for (const s of samples) h.update(`${s.label}\t${s.text}\n`);
  return h.digest('hex');
}

/** Sorted distinct labels: the order of a model's classes. */
export function labelSet(samples: readonly LabelledText[]): string[] {
  return [...new Set(samples.map((s) => s.label))].sort();
}

/**
 * A stratified sample: `size` examples with each label's share kept, chosen deterministically by the
 * `pick` order (a seeded permutation of the indices).
 */
export function stratifiedSample<T extends { label: string }>(
  items: readonly T[],
  size: number,
  order: readonly number[],
): T[] {
  const byLabel = new Map<string, number[]>();
  for (const i of order) {
    const l = items[i]!.label;
    const list = byLabel.get(l) ?? [];
    list.push(i);
    byLabel.set(l, list);
  }
  const share = Math.min(1, size / Math.max(1, items.length));
  const chosen: number[] = [];
  for (const list of byLabel.values())
    chosen.push(...list.slice(0, Math.max(1, Math.round(list.length * share))));
  return chosen.sort((a, b) => a - b).map((i) => items[i]!);
}
