import type { AddItemsBody, CreateCampaignBody, PointInput } from './ledgerTypes';

export interface CampaignFormValues {
  name?: string;
  description?: string;
  categoryKeys?: string[];
  scopeCode?: string;
  /** YYYY-MM-DD, a Beijing date meaning its midnight. */
  startsAt?: string;
  endsAt?: string;
}

export interface ItemsFormValues {
  caseRefs?: string;
  points?: string;
  addMatching?: boolean;
}

export function campaignBody(values: CampaignFormValues): CreateCampaignBody {
  const description = values.description?.trim();
  return {
    name: values.name?.trim() ?? '',
    categoryKeys: values.categoryKeys ?? [],
    scopeCode: values.scopeCode?.trim() ?? '',
    ...(description ? { description } : {}),
    ...(values.startsAt ? { startsAt: values.startsAt } : {}),
    ...(values.endsAt ? { endsAt: values.endsAt } : {}),
  };
}

/** Case numbers or ids, one per line (commas and spaces also separate them), without repeats. */
export function caseRefsFromText(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(/[\s,，;；]+/)
        .map((ref) => ref.trim())
        .filter((ref) => ref !== ''),
    ),
  ];
}

export type PointsParse = { ok: true; points: PointInput[] } | { ok: false; line: number };

/** `lng, lat, label` per non-empty line (full-width commas too); the first bad line is named. */
export function pointsFromText(text: string | undefined): PointsParse {
  const points: PointInput[] = [];
  const lines = (text ?? '').split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const [lngText, latText, ...rest] = line.split(/[,，]/);
    const lng = Number(lngText?.trim());
    const lat = Number(latText?.trim());
    const label = rest.join(',').trim();
    const valid =
      lngText?.trim() !== '' &&
      latText?.trim() !== '' &&
      Number.isFinite(lng) &&
      Number.isFinite(lat) &&
      Math.abs(lng) <= 180 &&
      Math.abs(lat) <= 90 &&
      label !== '';
    if (!valid) return { ok: false, line: index + 1 };
    points.push({ lng, lat, label });
  }
  return { ok: true, points };
}

export type ItemsParse =
  | { ok: true; body: AddItemsBody }
  | { ok: false; reason: 'points'; line: number }
  | { ok: false; reason: 'empty' };

export function itemsBody(values: ItemsFormValues): ItemsParse {
  const caseIds = caseRefsFromText(values.caseRefs);
  const points = pointsFromText(values.points);
  if (!points.ok) return { ok: false, reason: 'points', line: points.line };
  if (caseIds.length === 0 && points.points.length === 0 && !values.addMatching)
    return { ok: false, reason: 'empty' };
  return {
    ok: true,
    body: {
      ...(caseIds.length > 0 ? { caseIds } : {}),
      ...(points.points.length > 0 ? { points: points.points } : {}),
      ...(values.addMatching ? { addMatching: true } : {}),
    },
  };
}
