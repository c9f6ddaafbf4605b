import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Cases and their trail. Both carry district_code, the sharding key: a case, its events and its
// followers always live on the district's shard, and every query of the case loop filters by it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table case_record (
      id text primary key,
      district_code char(6) not null,
      case_number text not null unique,
      tracking_code text not null unique,
      channel text not null check (channel in ('resident', 'staff', 'patrol', 'inspection', 'camera', 'hotline', 'open311')),
      state text not null,
      snapshot jsonb not null,
      category_key text,
      suggested_key text,
      suggested_confidence double precision,
      suggested_model text,
      description text not null,
      address text,
      lng double precision not null,
      lat double precision not null,
      crs_in text not null default 'wgs84',
      h3_r9 text not null,
      street_code char(9) not null,
      community_code char(12),
      grid_code char(15),
      alley_id text,
      public boolean not null default true,
      severity text not null default 'normal',
      tier smallint,
      assigned_org_id text,
      reporter_user_id text,
      reporter_name text,
      reporter_contact text,
      external_ref text,
      supporters integer not null default 0,
      merged_into text,
      response_deadline timestamptz,
      handling_deadline timestamptz,
      original_handling_deadline timestamptz,
      sla_state text not null default 'green',
      created_at timestamptz not null,
      updated_at timestamptz not null,
      closed_at timestamptz,
      version integer not null default 1
    );
    create index case_district_state_idx on case_record (district_code, state, created_at);
    create index case_street_state_idx on case_record (street_code, state, created_at);
    create index case_org_state_idx on case_record (assigned_org_id, state, created_at);
    create index case_h3_idx on case_record (h3_r9, created_at);
    create index case_external_idx on case_record (channel, external_ref);

    -- Append-only, hash-chained per case: each event carries the hash of the one before it.
    create table case_event (
      case_id text not null references case_record(id),
      seq integer not null,
      district_code char(6) not null,
      at timestamptz not null,
      actor_user_id text,
      actor_role text not null,
      action text not null,
      from_state text,
      to_state text not null,
      reason text,
      payload jsonb not null default '{}'::jsonb,
      prev_hash text not null,
      hash text not null,
      primary key (case_id, seq)
    );
    create index case_event_district_idx on case_event (district_code, at);

    -- Reporters of merged duplicates follow the original case.
    create table case_follower (
      case_id text not null references case_record(id),
      follower_case_id text not null references case_record(id),
      district_code char(6) not null,
      created_at timestamptz not null,
      primary key (case_id, follower_case_id)
    );

    create table idempotency_key (
      scope text not null,
      key text not null,
      request_hash text not null,
      status_code integer not null,
      response jsonb not null,
      created_at timestamptz not null,
      primary key (scope, key)
    );

    create table case_number_counter (
      district_code char(6) not null,
      day char(8) not null,
      last integer not null,
      primary key (district_code, day)
    );
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    'drop table case_number_counter, idempotency_key, case_follower, case_event, case_record',
  );
}
