import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Household visits (十必访, SPEC §8): the households of a community that its officials must visit, and
// the log of their visits. Per-district data: district_code leads every primary and foreign key.
//
// visit_household: one household of a community (optionally of one of its grids), with the kinds it
// belongs to (a JSON list of kind codes, visit.rules.ts) and its contact, which is personal data for
// the staff of its scope only. `official_user_id` is the official who answers for its visits.
//
// household_visit: one visit to a household: who, when, notes, and the case an issue raised opened.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table visit_household (
      district_code char(6) not null,
      id text not null,
      community_code varchar(12) not null,
      grid_code varchar(15),
      label text not null,
      address text not null,
      kinds jsonb not null,
      contact_name text not null default '',
      contact_phone text not null default '',
      official_user_id text,
      created_at timestamptz not null,
      created_by text,
      primary key (district_code, id),
      check (left(community_code, 6) = district_code),
      check (grid_code is null or left(grid_code, 12) = community_code)
    );
    create index visit_household_community_idx on visit_household (district_code, community_code);

    create table household_visit (
      district_code char(6) not null,
      id text not null,
      household_id text not null,
      visitor_user_id text,
      visited_at timestamptz not null,
      notes text not null default '',
      case_id text,
      case_number text,
      created_at timestamptz not null,
      primary key (district_code, id),
      foreign key (district_code, household_id) references visit_household (district_code, id)
    );
    create index household_visit_household_idx on household_visit (district_code, household_id, visited_at);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    drop table if exists household_visit;
    drop table if exists visit_household;
    `,
  );
}
