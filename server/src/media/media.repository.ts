import type { Insertable, Kysely } from 'kysely';
import type { Database, MediaRow, MediaTable } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import type { MediaOwner, MediaRecord } from './media.schema.ts';

export type NewMediaRow = Insertable<MediaTable>;

export function toMediaRecord(row: MediaRow): MediaRecord {
  return {
    id: row.id,
    districtCode: row.district_code,
    owner:
      row.owner_kind !== null && row.owner_id !== null ? { kind: row.owner_kind, id: row.owner_id } : null,
    role: row.role,
    originalKey: row.original_key,
    publicKey: row.public_key,
    thumbKey: row.thumb_key,
    contentType: row.content_type,
    width: row.width,
    height: row.height,
    bytes: row.bytes,
    sha256: row.sha256,
    gps:
      row.gps_lng !== null && row.gps_lat !== null
        ? { lng: row.gps_lng, lat: row.gps_lat, takenAt: row.gps_taken_at }
        : null,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at,
  };
}

/** All SQL on `media`. Takes a Kysely or a Transaction, so callers decide the transaction. */
export function mediaRepository(db: Kysely<Database>) {
  return {
    async insertMany(rows: NewMediaRow[]): Promise<void> {
      if (rows.length > 0) await db.insertInto('media').values(rows).execute();
    },

    async findById(id: string): Promise<MediaRecord | null> {
      const row = await db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toMediaRecord(row) : null;
    },

    async findByIds(ids: readonly string[]): Promise<MediaRecord[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('media')
        .selectAll()
        .where('id', 'in', [...ids])
        .execute();
      return rows.map(toMediaRecord);
    },

    async listByOwner(owner: MediaOwner): Promise<MediaRecord[]> {
      const rows = await db
        .selectFrom('media')
        .selectAll()
        .where('owner_kind', '=', owner.kind)
        .where('owner_id', '=', owner.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toMediaRecord);
    },

    /** The same photo sent again: a hint for duplicate detection (SPEC §4.2), not proof. */
    async findBySha256(sha256: string): Promise<MediaRecord[]> {
      const rows = await db
        .selectFrom('media')
        .selectAll()
        .where('sha256', '=', sha256)
        .orderBy('created_at')
        .execute();
      return rows.map(toMediaRecord);
    },

    /** Deletes the rows among `ids` that no owner has claimed, and returns them. */
    async deleteUnattached(ids: readonly string[]): Promise<MediaRecord[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .deleteFrom('media')
        .where('id', 'in', [...ids])
        .where('owner_id', 'is', null)
        .returningAll()
        .execute();
      return rows.map(toMediaRecord);
    },

    async listUnattachedBefore(before: Date, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('media')
        .select('id')
        .where('owner_id', 'is', null)
        .where('created_at', '<', before)
        .orderBy('created_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
  };
}

/**
 * Claims uploaded photos for their owner (a case), inside the caller's transaction so that the case
 * and its photos appear together or not at all. Attaching again to the same owner is a no-op; a photo
 * that belongs to another owner, or was tagged with another district at upload, is a CONFLICT, and an
 * unknown id is NOT_FOUND. The ids must come from the caller's own upload: anyone who could name
 * another request's photo could otherwise take it over.
 */
export async function attachMedia(
  db: Kysely<Database>,
  ids: readonly string[],
  owner: MediaOwner & { districtCode: string },
): Promise<MediaRecord[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  // Without the caller's transaction a refused photo would leave the others attached.
  if (!db.isTransaction) return db.transaction().execute((trx) => attachMedia(trx, unique, owner));
  const updated = await db
    .updateTable('media')
    .set({ owner_kind: owner.kind, owner_id: owner.id, district_code: owner.districtCode })
    .where('id', 'in', unique)
    .where((eb) =>
      eb.and([
        eb.or([
          eb('owner_id', 'is', null),
          eb.and([eb('owner_kind', '=', owner.kind), eb('owner_id', '=', owner.id)]),
        ]),
        eb.or([eb('district_code', 'is', null), eb('district_code', '=', owner.districtCode)]),
      ]),
    )
    .returningAll()
    .execute();
  if (updated.length !== unique.length) {
    const found = new Set(updated.map((r) => r.id));
    const rest = unique.filter((id) => !found.has(id));
    const existing = new Set((await mediaRepository(db).findByIds(rest)).map((r) => r.id));
    const missing = rest.find((id) => !existing.has(id));
    if (missing) throw AppError.notFound('Media', missing);
    throw new AppError('CONFLICT', 'A photo belongs to another record or district', {
      resource: 'Media',
      ids: rest,
    });
  }
  const byId = new Map(updated.map((r) => [r.id, toMediaRecord(r)]));
  return unique.map((id) => byId.get(id)!);
}
