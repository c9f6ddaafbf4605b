import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Photos of reports, after-photos of handling, camera snapshots and evidence. The bytes live in media
// storage under the three keys; the row is what the case loop refers to.
//
// A photo is uploaded before the case it belongs to exists (the intake request carries both), so the
// owner and, for anonymous residents, the district are filled in when the case attaches it. Once
// attached it carries district_code like every table that holds case data.
//
// gps_* is the position read from the upload's EXIF before every stored copy was stripped of it: a
// private hint for the dispatcher, never part of a public page.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table media (
      id text primary key,
      district_code char(6),
      owner_kind text,
      owner_id text,
      role text not null check (role in ('report', 'after', 'snapshot', 'evidence')),
      original_key text not null,
      public_key text not null,
      thumb_key text not null,
      content_type text not null,
      width integer not null check (width > 0),
      height integer not null check (height > 0),
      bytes integer not null check (bytes >= 0),
      sha256 char(64) not null,
      gps_lng double precision,
      gps_lat double precision,
      gps_taken_at timestamptz,
      uploaded_by text,
      created_at timestamptz not null,
      check ((owner_kind is null) = (owner_id is null)),
      check ((gps_lng is null) = (gps_lat is null))
    );
    create index media_owner_idx on media (owner_kind, owner_id);
    create index media_sha256_idx on media (sha256);
    -- Uploads whose case never came to be (a failed intake) are swept by age.
    create index media_unattached_idx on media (created_at) where owner_id is null;
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop table media');
}
