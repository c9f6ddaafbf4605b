import type { AlleyChecklist, AlleyChief, AlleyDetail, AlleyRegistryPatch, AlleyTier } from '../api/types';
import { completeChecklist } from './checklist';

/**
 * What the registry form edits: the registry fields of AlleyDetail, in the same shape as the API.
 * Name and type are not among them: they come with the geometry, through the territory import.
 */
export interface RegistryFormValues {
  currentTier: AlleyTier | null;
  targetTier: AlleyTier | null;
  chief: AlleyChief;
  council: string | null;
  contractorId: string | null;
  volunteerTeam: string | null;
  plan: string | null;
  residentsPact: string | null;
  cultureNote: string | null;
  noticeBoard: string | null;
  checklist: AlleyChecklist;
}

type RegistryKey = keyof RegistryFormValues;

const TEXT_KEYS = [
  'council',
  'contractorId',
  'volunteerTeam',
  'plan',
  'residentsPact',
  'cultureNote',
  'noticeBoard',
] as const satisfies readonly RegistryKey[];

export function registryValues(alley: AlleyDetail): RegistryFormValues {
  return {
    currentTier: alley.currentTier,
    targetTier: alley.targetTier,
    chief: {
      name: alley.chief?.name ?? null,
      title: alley.chief?.title ?? null,
      duties: alley.chief?.duties ?? null,
      phone: alley.chief?.phone ?? null,
    },
    council: alley.council,
    contractorId: alley.contractorId,
    volunteerTeam: alley.volunteerTeam,
    plan: alley.plan,
    residentsPact: alley.residentsPact,
    cultureNote: alley.cultureNote,
    noticeBoard: alley.noticeBoard,
    checklist: completeChecklist(alley.checklist),
  };
}

/** Inputs give '' for a cleared field and Select gives undefined; the API stores both as null. */
function cleanText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Antd hands back only the fields it rendered, so anything missing keeps its original value. */
export function normaliseRegistry(
  values: Partial<RegistryFormValues>,
  original: RegistryFormValues,
): RegistryFormValues {
  const chief = values.chief ?? original.chief;
  const normalised: RegistryFormValues = {
    currentTier: values.currentTier === undefined ? original.currentTier : (values.currentTier ?? null),
    targetTier: values.targetTier === undefined ? original.targetTier : (values.targetTier ?? null),
    chief: {
      name: cleanText(chief.name),
      title: cleanText(chief.title),
      duties: cleanText(chief.duties),
      phone: cleanText(chief.phone),
    },
    council: null,
    contractorId: null,
    volunteerTeam: null,
    plan: null,
    residentsPact: null,
    cultureNote: null,
    noticeBoard: null,
    checklist: completeChecklist(values.checklist ?? original.checklist),
  };
  for (const key of TEXT_KEYS) {
    normalised[key] = key in values ? cleanText(values[key]) : original[key];
  }
  return normalised;
}

/**
 * The PATCH body: only top-level fields that changed (nested objects such as `chief` and `checklist`
 * are sent whole), plus the version the edit started from so the server can detect a lost update.
 */
export function registryPatch(
  original: RegistryFormValues,
  edited: RegistryFormValues,
  version: number,
): AlleyRegistryPatch | null {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(edited) as RegistryKey[]) {
    if (JSON.stringify(edited[key]) !== JSON.stringify(original[key])) patch[key] = edited[key];
  }
  if (Object.keys(patch).length === 0) return null;
  return { ...(patch as Partial<RegistryFormValues>), version };
}
