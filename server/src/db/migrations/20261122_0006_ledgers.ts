import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Campaign ledgers (动态清零, SPEC §4.8) and the parts of a whistle (吹哨, SPEC §4.3) that the case's state
// machine does not hold. The case ledger itself needs no table: every open case is an open entry.
//
// A campaign item is either a case or a pre-registered point (an exposed-garbage point found on a
// sweep, before anyone files a case for it). A case item clears when its case closes, which is read from
// the case's trail at query time, so `cleared_at` is only ever written for points, which have no trail.
//
// The joint action and its tasks are keyed by the case, live on the case's shard (district_code) and
// are written together with an event on the case's trail, so the meeting's record is as tamper-evident
// as the rest of the case.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table campaign (
      id text primary key,
      district_code char(6) not null,
      name text not null,
      description text not null default '',
      category_keys text[] not null default '{}',
      -- the district, street, community or grid the campaign covers
      scope_code varchar(15) not null,
      starts_at timestamptz not null,
      ends_at timestamptz,
      target text not null default 'dynamic_zero' check (target in ('dynamic_zero')),
      created_by text,
      created_at timestamptz not null,
      check (left(scope_code, 6) = district_code),
      check (ends_at is null or ends_at > starts_at)
    );
    create index campaign_district_idx on campaign (district_code, starts_at);

    create table campaign_item (
      id text primary key,
      campaign_id text not null references campaign(id) on delete cascade,
      district_code char(6) not null,
      case_id text references case_record(id),
      -- a point: where it is (WGS-84), what it is, and where the locator put it
      lng double precision,
      lat double precision,
      label text,
      street_code char(9),
      alley_id text,
      added_at timestamptz not null,
      added_by text,
      cleared_at timestamptz,
      cleared_by text,
      clear_note text,
      check ((case_id is null) = (lng is not null and lat is not null and label is not null)),
      check (case_id is null or cleared_at is null)
    );
    create unique index campaign_item_case_idx on campaign_item (campaign_id, case_id) where case_id is not null;
    create index campaign_item_campaign_idx on campaign_item (campaign_id, added_at);
    create index campaign_item_by_case_idx on campaign_item (case_id) where case_id is not null;

    create table joint_action (
      case_id text primary key references case_record(id),
      district_code char(6) not null,
      whistle_at timestamptz not null,
      -- kept with the record so that a later change of the setting does not rewrite past deadlines
      report_in_hours numeric(6, 2) not null check (report_in_hours > 0),
      report_in_deadline timestamptz not null,
      meeting_at timestamptz,
      minutes text not null default '',
      decisions jsonb not null default '[]'::jsonb,
      minutes_by text,
      minutes_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );

    create table joint_task (
      id text primary key,
      case_id text not null references case_record(id),
      district_code char(6) not null,
      -- 1, 2, 3… within the case, in the order the meeting gave them out
      seq integer not null,
      organisation_id text not null references organisation(id),
      description text not null,
      deadline timestamptz not null,
      status text not null default 'open' check (status in ('open', 'done')),
      created_by text,
      created_at timestamptz not null,
      done_at timestamptz,
      done_by text,
      note text,
      check ((status = 'done') = (done_at is not null))
    );
    create unique index joint_task_case_seq_idx on joint_task (case_id, seq);
    create index joint_task_case_idx on joint_task (case_id, status);
    create index joint_task_org_idx on joint_task (organisation_id, status);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop table joint_task, joint_action, campaign_item, campaign');
}
