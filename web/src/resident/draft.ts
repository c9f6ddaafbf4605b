import type { ReportCreated } from './types';

export const MAX_PHOTOS = 9;
export const MIN_DESCRIPTION = 4;

export interface DraftPhoto {
  name: string;
  type: string;
  blob: Blob;
}

/**
 * A report being written. Its idempotency key is made once, when the draft starts, and travels with
 * it into the offline queue: however often it is sent, the server creates one case.
 */
export interface Draft {
  id: string;
  idempotencyKey: string;
  description: string;
  lng: number | null;
  lat: number | null;
  /** Phones report WGS-84; the map pin is converted to it before it is stored here. */
  crs: 'wgs84';
  categoryCode: string | null;
  categoryName: string | null;
  address: string;
  name: string;
  contact: string;
  photos: DraftPhoto[];
  createdAt: string;
}

/**
 * `crypto.randomUUID` exists only in secure contexts; a phone opening the page over plain HTTP on a
 * local network still gets a random v4 UUID from `getRandomValues`, which is available everywhere.
 */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function newDraft(now = new Date()): Draft {
  return {
    id: randomId(),
    idempotencyKey: randomId(),
    description: '',
    lng: null,
    lat: null,
    crs: 'wgs84',
    categoryCode: null,
    categoryName: null,
    address: '',
    name: '',
    contact: '',
    photos: [],
    createdAt: now.toISOString(),
  };
}

export type DraftProblem = 'descriptionTooShort' | 'noLocation';

export function draftProblems(draft: Draft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  if (draft.description.trim().length < MIN_DESCRIPTION) problems.push('descriptionTooShort');
  if (draft.lng === null || draft.lat === null) problems.push('noLocation');
  return problems;
}

/** The report's fields as the API names them, without empty optional ones. */
export function reportFields(draft: Draft): Record<string, string | number> {
  const fields: Record<string, string | number> = {
    description: draft.description.trim(),
    lng: draft.lng ?? Number.NaN,
    lat: draft.lat ?? Number.NaN,
    crs: draft.crs,
  };
  const optional = {
    categoryCode: draft.categoryCode ?? '',
    address: draft.address.trim(),
    name: draft.name.trim(),
    contact: draft.contact.trim(),
  };
  for (const [key, value] of Object.entries(optional)) if (value) fields[key] = value;
  return fields;
}

/** JSON without photos; multipart (text fields, then the `photos` files) with them. */
export function reportBody(draft: Draft, withPhotos = true): FormData | Record<string, string | number> {
  const fields = reportFields(draft);
  if (!withPhotos || draft.photos.length === 0) return fields;
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, String(value));
  for (const photo of draft.photos) form.append('photos', photo.blob, photo.name);
  return form;
}

export type SendOutcome = ReportCreated & { photosDropped: boolean };
