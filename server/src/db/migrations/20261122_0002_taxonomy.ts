import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// The problem taxonomy (SPEC §3) is data a district edits, never code: each edit or import writes a
// whole new version, so the categories, limits and departments a past case was filed under stay
// readable. A key is `kind:code` because the catalogue reuses codes across components and events.
//
// Routing rules are not tied to a taxonomy version: keys are stable across versions, so a district's
// dispatching survives an edit of the taxonomy. Rules generated from the taxonomy's departments are
// marked `origin = 'default'` and regenerated when a version is activated; people's rules are 'manual'.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table taxonomy_version (
      id text primary key,
      district_code char(6) not null,
      -- 1, 2, 3… within the district, for people to refer to
      number integer not null,
      label text not null,
      based_on text references taxonomy_version(id),
      created_at timestamptz not null,
      created_by text,
      active boolean not null default false,
      unique (district_code, number)
    );
    create unique index taxonomy_version_one_active_idx on taxonomy_version (district_code) where active;

    create table taxonomy_entry (
      version_id text not null references taxonomy_version(id) on delete cascade,
      district_code char(6) not null,
      key text not null,
      kind text not null check (kind in ('component', 'event')),
      code char(5) not null,
      major_class text not null,
      name text not null,
      keywords text[] not null default '{}',
      default_department_type text not null,
      response_limit_amount numeric(8, 2) not null check (response_limit_amount > 0),
      response_limit_unit text not null
        check (response_limit_unit in ('working_hours', 'working_days', 'calendar_hours')),
      handling_limit_amount numeric(8, 2) not null check (handling_limit_amount > 0),
      handling_limit_unit text not null
        check (handling_limit_unit in ('working_hours', 'working_days', 'calendar_hours')),
      severity text not null check (severity in ('low', 'normal', 'high', 'urgent')),
      public boolean not null default true,
      -- keys whose open cases count as possible duplicates of a report in this category (SPEC §4.2)
      related_keys text[] not null default '{}',
      primary key (version_id, key),
      check (key = kind || ':' || code)
    );

    create table routing_rule (
      id text primary key,
      district_code char(6) not null,
      -- an exact key (event:06010), a major class (event:06) or '*'
      key_pattern text not null,
      -- a district, street, community or grid code: the rule applies inside it
      territory_prefix varchar(15) not null,
      organisation_id text not null references organisation(id),
      -- breaks ties between equally specific rules: higher wins
      priority integer not null default 0,
      origin text not null default 'manual' check (origin in ('default', 'manual')),
      note text,
      created_by text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      version integer not null default 1,
      check (left(territory_prefix, 6) = district_code),
      check (key_pattern = '*' or key_pattern ~ '^(component|event):[0-9]{2}([0-9]{3})?$')
    );
    create index routing_rule_district_idx on routing_rule (district_code, key_pattern);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop table routing_rule, taxonomy_entry, taxonomy_version');
}
