import type { AlleyChecklist } from '../api/types';

/** 十有: what a well-governed alley has. */
export const HAVE_KEYS = [
  'representative',
  'council',
  'service_company',
  'volunteer_team',
  'plan',
  'residents_pact',
  'notice_board',
  'facilities',
  'greenery',
  'culture',
] as const;

/** 十无: problems it is free of; `true` means the alley is compliant on that item. */
export const NOT_KEYS = [
  'disorderly_parking',
  'illegal_construction',
  'wall_openings',
  'illegal_letting',
  'illegal_business',
  'tangled_cables',
  'piled_materials',
  'damaged_road',
  'disorderly_posting',
  'small_adverts',
] as const;

export type HaveKey = (typeof HAVE_KEYS)[number];
export type NotKey = (typeof NOT_KEYS)[number];

export interface Compliance {
  haves: number;
  nots: number;
  havesTotal: number;
  notsTotal: number;
}

export function countCompliance(checklist: Partial<AlleyChecklist> | undefined): Compliance {
  const haves = HAVE_KEYS.filter((key) => checklist?.haves?.[key] === true).length;
  const nots = NOT_KEYS.filter((key) => checklist?.nots?.[key] === true).length;
  return { haves, nots, havesTotal: HAVE_KEYS.length, notsTotal: NOT_KEYS.length };
}

/** Every known key present with an explicit boolean, so a saved checklist never has gaps. */
export function completeChecklist(checklist: Partial<AlleyChecklist> | undefined): AlleyChecklist {
  return {
    haves: Object.fromEntries(HAVE_KEYS.map((key) => [key, checklist?.haves?.[key] === true])),
    nots: Object.fromEntries(NOT_KEYS.map((key) => [key, checklist?.nots?.[key] === true])),
  };
}
