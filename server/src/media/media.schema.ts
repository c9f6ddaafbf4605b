import { z } from 'zod';

export const MEDIA_ROLES = ['report', 'after', 'snapshot', 'evidence'] as const;
/** Why a photo exists: a report's photo, a handler's after-photo, a camera snapshot, inspection evidence. */
export type MediaRole = (typeof MEDIA_ROLES)[number];

export interface MediaOwner {
  /** What the photo belongs to; 'case' for everything in the case loop. */
  kind: string;
  id: string;
}

/** One stored photo. Keys and the GPS hint are internal; public views go through `publicMediaView`. */
export interface MediaRecord {
  id: string;
  districtCode: string | null;
  owner: MediaOwner | null;
  role: MediaRole;
  originalKey: string;
  publicKey: string;
  thumbKey: string;
  contentType: string;
  /** Of the stored original, after orientation; the public copy and thumbnail keep its aspect ratio. */
  width: number;
  height: number;
  /** Size of the file as uploaded, which the sha256 is also of. */
  bytes: number;
  sha256: string;
  gps: { lng: number; lat: number; takenAt: Date | null } | null;
  uploadedBy: string | null;
  createdAt: Date;
}

/** What a public page may show of a photo: where to fetch it and its shape, nothing about who or where. */
export const publicMediaSchema = z
  .object({
    id: z.string(),
    url: z.string().describe('Public copy, at most 1280 px, without any metadata'),
    thumbUrl: z.string().describe('Thumbnail, at most 320 px'),
    width: z.number().int().describe('Of the stored original; the copies keep its aspect ratio'),
    height: z.number().int(),
  })
  .meta({ id: 'PublicMedia' });

export type PublicMedia = z.infer<typeof publicMediaSchema>;

export function publicMediaView(record: MediaRecord): PublicMedia {
  return {
    id: record.id,
    url: `/api/media/${record.id}/public`,
    thumbUrl: `/api/media/${record.id}/thumb`,
    width: record.width,
    height: record.height,
  };
}
