import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Shared parking (错时停车, SPEC §8): spaces that units (a school, an office) offer to residents in
// weekly windows, and residents' bookings of them. Every table is per-district data: district_code
// leads every primary, unique, exclusion and foreign key.
//
// parking_space: one offered space of a community (or one of its alleys). `windows` is a JSON list of
// weekly windows in Beijing time: {days: [1..7] (Monday = 1), start: 'HH:MM', end: 'HH:MM'}; an end
// at or before the start crosses midnight into the next day. A withdrawn space takes no bookings.
//
// parking_booking: [starts_at, ends_at) of one space by one person. It is active while booked or
// checked in; cancelled, checked-out and no-show bookings no longer hold the space. No two active
// bookings of one space overlap: the exclusion constraint refuses the second one inside the database,
// even when both are written at the same instant (the service answers 409 BOOKING_OVERLAP). It needs
// btree_gist for the equality parts in a GiST index; PostgreSQL ships it (a trusted extension, so the
// database owner may create it) and so does PGlite (loaded with the database, see database.ts).

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create extension if not exists btree_gist;

    create table parking_space (
      district_code char(6) not null,
      id text not null,
      community_code varchar(12) not null,
      alley_id text,
      name text not null,
      unit_name text not null,
      note text not null default '',
      windows jsonb not null,
      state text not null check (state in ('open', 'withdrawn')),
      created_at timestamptz not null,
      created_by text,
      updated_at timestamptz not null,
      withdrawn_at timestamptz,
      primary key (district_code, id),
      check (left(community_code, 6) = district_code),
      check ((state = 'withdrawn') = (withdrawn_at is not null))
    );
    create index parking_space_community_idx on parking_space (district_code, community_code);

    create table parking_booking (
      district_code char(6) not null,
      id text not null,
      space_id text not null,
      community_code varchar(12) not null,
      user_id text not null,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      state text not null check (state in ('booked', 'checked_in', 'checked_out', 'cancelled', 'no_show')),
      created_at timestamptz not null,
      checked_in_at timestamptz,
      checked_out_at timestamptz,
      cancelled_at timestamptz,
      cancelled_by text,
      primary key (district_code, id),
      foreign key (district_code, space_id) references parking_space (district_code, id),
      check (starts_at < ends_at),
      constraint parking_booking_no_overlap exclude using gist (
        district_code with =,
        space_id with =,
        tstzrange(starts_at, ends_at) with &&
      ) where (state in ('booked', 'checked_in'))
    );
    create index parking_booking_user_idx on parking_booking (district_code, user_id, starts_at);
    create index parking_booking_community_idx on parking_booking (district_code, community_code, starts_at);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    drop table if exists parking_booking;
    drop table if exists parking_space;
    `,
  );
}
