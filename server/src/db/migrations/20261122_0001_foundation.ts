import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Territory codes are hierarchical by prefix (district 6, street 9, community 12, grid 15 digits),
// so "inside a jurisdiction" is a prefix test everywhere. Every table that will hold cases, events
// or measures carries district_code as its future sharding key.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table district (
      code char(6) primary key,
      name text not null,
      boundary jsonb,
      approximate boolean not null default true,
      updated_at timestamptz not null default now()
    );

    create table street (
      code char(9) primary key,
      district_code char(6) not null references district(code),
      name text not null,
      boundary jsonb not null,
      center_lng double precision not null,
      center_lat double precision not null,
      approximate boolean not null default true,
      updated_at timestamptz not null default now(),
      check (left(code, 6) = district_code)
    );
    create index street_district_idx on street (district_code);

    create table community (
      code char(12) primary key,
      street_code char(9) not null references street(code),
      district_code char(6) not null references district(code),
      name text not null,
      boundary jsonb not null,
      approximate boolean not null default true,
      updated_at timestamptz not null default now(),
      check (left(code, 9) = street_code and left(code, 6) = district_code)
    );
    create index community_street_idx on community (street_code);

    create table grid (
      code char(15) primary key,
      community_code char(12) not null references community(code),
      street_code char(9) not null references street(code),
      district_code char(6) not null references district(code),
      boundary jsonb not null,
      approximate boolean not null default true,
      updated_at timestamptz not null default now(),
      check (left(code, 12) = community_code and left(code, 9) = street_code)
    );
    create index grid_community_idx on grid (community_code);

    create table organisation (
      id text primary key,
      district_code char(6) not null references district(code),
      -- the jurisdiction the organisation serves: the district, or one street for street-level units
      scope_code varchar(15) not null,
      name text not null,
      kind text not null check (kind in ('street_office', 'department', 'contractor')),
      department_type text,
      pattern_tier text check (pattern_tier in ('1', '5', 'N')),
      phone text,
      active boolean not null default true,
      updated_at timestamptz not null default now()
    );
    create index organisation_scope_idx on organisation (scope_code);

    create table alley (
      id text primary key,
      district_code char(6) not null references district(code),
      street_code char(9) not null references street(code),
      community_code char(12) references community(code),
      grid_codes text[] not null default '{}',
      name text not null,
      alley_type text not null check (alley_type in ('major_street', 'main_street', 'lane')),
      geometry jsonb not null,
      length_m double precision not null,
      current_tier text check (current_tier in ('exemplary', 'fine', 'compliant')),
      target_tier text check (target_tier in ('exemplary', 'fine', 'compliant')),
      chief_name text,
      chief_title text,
      chief_duties text,
      chief_phone text,
      chief_user_id text,
      council text,
      contractor_id text references organisation(id),
      volunteer_team text,
      plan text,
      residents_pact text,
      culture_note text,
      notice_board text,
      checklist jsonb not null default '{}'::jsonb,
      approximate boolean not null default true,
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      check (left(street_code, 6) = district_code)
    );
    create index alley_street_idx on alley (street_code);
    create index alley_name_idx on alley (name);

    create table app_user (
      id text primary key,
      username text not null unique,
      display_name text not null,
      password_hash text not null,
      role text not null,
      -- district, street, community or grid code; null only for residents
      scope_code varchar(15),
      district_code char(6),
      organisation_id text references organisation(id),
      phone text,
      active boolean not null default true,
      demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index app_user_scope_idx on app_user (scope_code);

    create table user_session (
      id text primary key,
      user_id text not null references app_user(id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null,
      expires_at timestamptz not null
    );
    create index user_session_user_idx on user_session (user_id);

    create table api_token (
      id text primary key,
      user_id text not null references app_user(id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      created_at timestamptz not null,
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    -- Keyed by the submitted username, existing or not, so that throttling does not reveal which exist.
    create table login_throttle (
      username text primary key,
      failures integer not null default 0,
      last_failure_at timestamptz not null,
      locked_until timestamptz
    );

    create table app_meta (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    );
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `drop table app_meta, login_throttle, api_token, user_session, app_user, alley, organisation, grid,
       community, street, district`,
  );
}
