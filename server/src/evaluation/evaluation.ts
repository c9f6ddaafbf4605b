import type { figures as figuresOf, RateMeasure } from './measures.ts';

/**
 * The monthly evaluation (月评, SPEC §5) as pure rules: a district's scheme says which measures make a
 * unit type's score and with what weight; a score is 100 × Σ wᵢ·vᵢ / Σ wᵢ over the items that have a
 * value (a unit with nothing rated is scored on the rest rather than given zero for it). Rates where
 * less is better (rework) are turned round (1 − rate). Inspection scores (0–100, from the supervision
 * capability when it exists) join as the item `inspectionScore`, divided by 100.
 */

export const UNIT_TYPES = ['street', 'department', 'contractor', 'alley'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export const SCORED_ITEMS = [
  'onTimeRate',
  'closureRate',
  'handledOnTimeRate',
  'reworkRate',
  'responseRate',
  'resolutionRate',
  'satisfactionRate',
  'inspectionScore',
] as const;
export type ScoredItem = (typeof SCORED_ITEMS)[number];

/** Less is better for these: they enter a score as 1 − rate. */
export const INVERTED: ReadonlySet<ScoredItem> = new Set(['reworkRate']);

export interface SchemeItem {
  item: ScoredItem;
  weight: number;
}

export interface EvaluationScheme {
  unitTypes: Record<UnitType, SchemeItem[]>;
  /** Units ranked at the bottom and named in the quarterly bulletin. */
  bottomCount: number;
}

const caseItems: SchemeItem[] = [
  { item: 'onTimeRate', weight: 30 },
  { item: 'closureRate', weight: 15 },
  { item: 'responseRate', weight: 15 },
  { item: 'reworkRate', weight: 10 },
  { item: 'satisfactionRate', weight: 20 },
  { item: 'inspectionScore', weight: 10 },
];

/** The scheme a district starts with until its administrator edits it (weights are configuration). */
export const DEFAULT_SCHEME: EvaluationScheme = {
  unitTypes: {
    street: caseItems,
    department: caseItems.filter((i) => i.item !== 'inspectionScore'),
    contractor: caseItems,
    alley: [
      { item: 'onTimeRate', weight: 40 },
      { item: 'satisfactionRate', weight: 20 },
      { item: 'inspectionScore', weight: 40 },
    ],
  },
  bottomCount: 3,
};

export type UnitFigures = ReturnType<typeof figuresOf>;

export interface EvaluatedUnit {
  readonly unit: { readonly level: string; readonly code: string; readonly name: string };
  readonly figures: UnitFigures;
  readonly inspectionScore: number | null;
  readonly score: number | null;
  readonly rank: number | null;
}

/** The value of one scheme item for a unit, 0–1, or null when it has none. */
export function itemValue(item: ScoredItem, f: UnitFigures, inspectionScore: number | null): number | null {
  if (item === 'inspectionScore') return inspectionScore === null ? null : inspectionScore / 100;
  const v = f[item as RateMeasure];
  if (v === null || v === undefined) return null;
  return INVERTED.has(item) ? 1 - v : v;
}

export function score(
  items: readonly SchemeItem[],
  f: UnitFigures,
  inspectionScore: number | null,
): number | null {
  let sum = 0;
  let weight = 0;
  for (const { item, weight: w } of items) {
    const v = itemValue(item, f, inspectionScore);
    if (v === null || !(w > 0)) continue;
    sum += v * w;
    weight += w;
  }
  return weight === 0 ? null : Math.round((100 * sum * 100) / weight) / 100;
}

/** Competition ranking (1, 2, 2, 4) by score, best first; units without a score are unranked. */
export function rank<T extends { score: number | null }>(
  rows: readonly T[],
): (T & { rank: number | null })[] {
  const scored = rows
    .filter((r) => r.score !== null)
    .sort((a, b) => (b.score as number) - (a.score as number));
  const ranks = new Map<T, number>();
  scored.forEach((r, i) => {
    const prev = scored[i - 1];
    ranks.set(r, prev && prev.score === r.score ? (ranks.get(prev) as number) : i + 1);
  });
  return rows
    .map((r) => ({ ...r, rank: ranks.get(r) ?? null }))
    .sort((a, b) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER));
}

/** Checks an edited scheme: every unit type, known items, weights ≥ 0 with at least one > 0. */
export function schemeProblems(s: EvaluationScheme): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const t of UNIT_TYPES) {
    const items = s.unitTypes[t];
    if (!items) {
      out.push({ field: `unitTypes.${t}`, message: 'is required' });
      continue;
    }
    if (!items.some((i) => i.weight > 0))
      out.push({ field: `unitTypes.${t}`, message: 'needs a weight above 0' });
    const seen = new Set<string>();
    items.forEach((i, n) => {
      if (seen.has(i.item)) out.push({ field: `unitTypes.${t}.${n}.item`, message: 'appears twice' });
      seen.add(i.item);
      if (!(i.weight >= 0)) out.push({ field: `unitTypes.${t}.${n}.weight`, message: 'must be ≥ 0' });
    });
  }
  if (!(Number.isInteger(s.bottomCount) && s.bottomCount >= 1))
    out.push({ field: 'bottomCount', message: 'must be ≥ 1' });
  return out;
}

// ---- periods -----------------------------------------------------------------------------------

export interface Period {
  readonly label: string;
  readonly kind: 'month' | 'quarter' | 'year';
  readonly from: string;
  readonly to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** `2026-11`, `2026-Q4` or `2026` → its first and last Beijing day; null when not a period. */
export function parsePeriod(label: string): Period | null {
  let m = /^(\d{4})-(\d{2})$/.exec(label);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    if (mo < 1 || mo > 12) return null;
    return { label, kind: 'month', from: `${y}-${pad(mo)}-01`, to: `${y}-${pad(mo)}-${pad(lastDay(y, mo))}` };
  }
  m = /^(\d{4})-Q([1-4])$/.exec(label);
  if (m) {
    const y = Number(m[1]);
    const q = Number(m[2]);
    const first = (q - 1) * 3 + 1;
    return {
      label,
      kind: 'quarter',
      from: `${y}-${pad(first)}-01`,
      to: `${y}-${pad(first + 2)}-${pad(lastDay(y, first + 2))}`,
    };
  }
  m = /^(\d{4})$/.exec(label);
  if (m) return { label, kind: 'year', from: `${m[1]}-01-01`, to: `${m[1]}-12-31` };
  return null;
}

/** The period before: the month, quarter or year before. */
export function previousPeriod(p: Period): Period {
  const y = Number(p.label.slice(0, 4));
  if (p.kind === 'year') return parsePeriod(String(y - 1)) as Period;
  if (p.kind === 'quarter') {
    const q = Number(p.label.slice(6));
    return parsePeriod(q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`) as Period;
  }
  const mo = Number(p.label.slice(5, 7));
  return parsePeriod(mo === 1 ? `${y - 1}-12` : `${y}-${pad(mo - 1)}`) as Period;
}

/** The months a period covers, for reading frozen monthly evaluations. */
export function monthsOf(p: Period): string[] {
  const y = p.from.slice(0, 4);
  const first = Number(p.from.slice(5, 7));
  const last = Number(p.to.slice(5, 7));
  const out: string[] = [];
  for (let m = first; m <= last; m++) out.push(`${y}-${pad(m)}`);
  return out;
}
