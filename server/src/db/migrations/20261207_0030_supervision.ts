import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Supervision in the field (SPEC §3, §5): the indicator system, daily patrols, inspections, contractor
// checks and the tier plan. Every table is per-district data and lives on its district's shard:
// district_code leads every primary, unique and foreign key.
//
// indicator_version / indicator: versioned like the taxonomy — an edit writes a whole new version and
// activates it, activating an older one is the undo, and an inspection keeps the version it used.
//
// patrol / patrol_point: a track in arrival order (seq). A point repeated with the same time and place
// is ignored (unique key), so a batch sent twice adds nothing. The latest position is kept on the patrol
// row only while it runs; the track itself is the only trace left afterwards.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table indicator_version (
      district_code char(6) not null,
      id text not null,
      number integer not null,
      label text not null,
      based_on text,
      illustrative boolean not null default false,
      created_at timestamptz not null,
      created_by text,
      active boolean not null default false,
      primary key (district_code, id),
      unique (district_code, number)
    );
    create unique index indicator_version_one_active_idx on indicator_version (district_code) where active;

    create table indicator (
      district_code char(6) not null,
      version_id text not null,
      code text not null,
      level smallint not null check (level between 1 and 3),
      parent_code text,
      name text not null,
      standard text not null default '',
      deduction_points double precision not null default 0 check (deduction_points >= 0),
      deduction_cap double precision not null default 0 check (deduction_cap >= 0),
      category_key text,
      department_type text,
      checklist_key text,
      frontage boolean not null default false,
      position integer not null,
      primary key (district_code, version_id, code),
      foreign key (district_code, version_id) references indicator_version (district_code, id) on delete cascade,
      check ((level = 1) = (parent_code is null))
    );

    create table patrol (
      district_code char(6) not null,
      id text not null,
      user_id text not null,
      user_role text not null,
      scope_code varchar(15) not null,
      started_at timestamptz not null,
      finished_at timestamptz,
      length_m double precision,
      covered_alley_ids text[] not null default '{}',
      excluded jsonb not null default '[]',
      last_lng double precision,
      last_lat double precision,
      last_at timestamptz,
      primary key (district_code, id),
      check (left(scope_code, 6) = district_code)
    );
    create index patrol_running_idx on patrol (district_code, scope_code) where finished_at is null;
    create index patrol_day_idx on patrol (district_code, started_at);

    create table patrol_point (
      district_code char(6) not null,
      patrol_id text not null,
      seq integer not null,
      lng double precision not null,
      lat double precision not null,
      t timestamptz not null,
      primary key (district_code, patrol_id, seq),
      unique (district_code, patrol_id, t, lng, lat),
      foreign key (district_code, patrol_id) references patrol (district_code, id) on delete cascade
    );

    create table patrol_finding (
      district_code char(6) not null,
      patrol_id text not null,
      case_id text not null,
      on_spot boolean not null,
      created_at timestamptz not null,
      primary key (district_code, patrol_id, case_id),
      foreign key (district_code, patrol_id) references patrol (district_code, id)
    );

    create table inspection (
      district_code char(6) not null,
      id text not null,
      alley_id text not null,
      street_code varchar(9) not null,
      version_id text not null,
      inspector_user_id text not null,
      inspector_role text not null,
      score double precision not null,
      previous_id text,
      created_at timestamptz not null,
      primary key (district_code, id),
      foreign key (district_code, version_id) references indicator_version (district_code, id),
      foreign key (district_code, previous_id) references inspection (district_code, id)
    );
    create index inspection_alley_idx on inspection (district_code, alley_id, created_at);

    create table inspection_finding (
      district_code char(6) not null,
      inspection_id text not null,
      seq integer not null,
      indicator_code text not null,
      case_id text not null,
      deduction double precision not null,
      lng double precision not null,
      lat double precision not null,
      note text not null,
      primary key (district_code, inspection_id, seq),
      foreign key (district_code, inspection_id) references inspection (district_code, id)
    );

    create table contractor_item (
      district_code char(6) not null,
      code text not null,
      area text not null,
      name text not null,
      points double precision not null check (points > 0),
      position integer not null,
      primary key (district_code, code)
    );

    create table contractor_check (
      district_code char(6) not null,
      id text not null,
      organisation_id text not null,
      street_code varchar(9) not null,
      alley_id text,
      checker_user_id text not null,
      month char(7) not null,
      score double precision not null,
      created_at timestamptz not null,
      primary key (district_code, id)
    );
    create index contractor_check_month_idx on contractor_check (district_code, month, organisation_id);

    create table contractor_finding (
      district_code char(6) not null,
      check_id text not null,
      seq integer not null,
      organisation_id text not null,
      month char(7) not null,
      item_code text not null,
      occurrence integer not null,
      deduction double precision not null,
      note text not null default '',
      primary key (district_code, check_id, seq),
      foreign key (district_code, check_id) references contractor_check (district_code, id),
      foreign key (district_code, item_code) references contractor_item (district_code, code)
    );
    create index contractor_finding_repeat_idx on contractor_finding (district_code, organisation_id, month, item_code);

    create table tier_plan (
      district_code char(6) not null,
      id text not null,
      name text not null,
      start_year integer not null,
      end_year integer not null,
      targets jsonb not null,
      thresholds jsonb not null,
      illustrative boolean not null default false,
      created_at timestamptz not null,
      primary key (district_code, id),
      check (end_year >= start_year)
    );

    create table tier_plan_alley (
      district_code char(6) not null,
      plan_id text not null,
      alley_id text not null,
      street_code varchar(9) not null,
      target_tier text not null check (target_tier in ('exemplary', 'fine', 'compliant')),
      achieved_tier text check (achieved_tier in ('exemplary', 'fine', 'compliant')),
      achieved_score double precision,
      inspection_id text,
      met_at timestamptz,
      primary key (district_code, plan_id, alley_id),
      foreign key (district_code, plan_id) references tier_plan (district_code, id) on delete cascade
    );
    create index tier_plan_alley_idx on tier_plan_alley (district_code, alley_id);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `drop table tier_plan_alley, tier_plan, contractor_finding, contractor_check, contractor_item,
       inspection_finding, inspection, patrol_finding, patrol_point, patrol, indicator, indicator_version`,
  );
}
