import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Participation (SPEC §8): the civic points ledger (文明微积分) and volunteers. Every table is per-district
// data and lives on its district's shard: district_code leads every primary, unique and foreign key.
//
// points_account / points_transaction / points_entry: double-entry bookkeeping. A transaction is a
// set of entries whose amounts sum to zero (the service checks it before writing); an account's balance
// is the sum of its entries. Nothing here is ever updated or deleted: a redemption that is cancelled is
// a new transaction moving the points back. The account row is the lock a spender takes (FOR UPDATE)
// before it sums its balance, so two redemptions of one person never both spend the same points.
// A transaction that comes from a source (a verified case, an activity attended, a sorting check, a
// staff award's reference, a redemption's step) is unique by (district, source kind, source ref): the
// same source is posted once.
//
// reward: a community's catalogue; stock is a counter taken by a conditional update (never below zero,
// also checked by the table). redemption: reserved → confirmed | released.
//
// volunteer_team / volunteer_member / volunteer_activity / volunteer_signup: teams per community (or
// alley), membership on approval, activities with sign-ups and the attendance the organiser confirms
// (minutes served, the base of service hours and of the points they earn).

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table points_rule_version (
      district_code char(6) not null,
      id text not null,
      number integer not null,
      label text not null,
      illustrative boolean not null default false,
      active boolean not null default false,
      created_at timestamptz not null,
      created_by text,
      primary key (district_code, id),
      unique (district_code, number)
    );
    create unique index points_rule_version_one_active_idx on points_rule_version (district_code) where active;

    create table points_rule (
      district_code char(6) not null,
      version_id text not null,
      kind text not null,
      points integer not null check (points >= 0),
      primary key (district_code, version_id, kind),
      foreign key (district_code, version_id) references points_rule_version (district_code, id)
    );

    create table points_account (
      district_code char(6) not null,
      id text not null,
      kind text not null check (kind in ('resident', 'reward_pool', 'redemption_hold', 'redeemed')),
      user_id text,
      scope_code varchar(15),
      created_at timestamptz not null,
      primary key (district_code, id),
      check ((kind = 'resident') = (user_id is not null)),
      check ((kind = 'resident') = (scope_code is null)),
      check (scope_code is null or left(scope_code, 6) = district_code)
    );
    create unique index points_account_resident_idx on points_account (district_code, user_id)
      where kind = 'resident';
    create unique index points_account_scope_idx on points_account (district_code, kind, scope_code)
      where kind <> 'resident';

    create table points_transaction (
      district_code char(6) not null,
      id text not null,
      kind text not null check (kind in ('award', 'reserve', 'confirm', 'release')),
      source_kind text not null,
      source_ref text not null,
      rule_version_id text,
      reason text not null default '',
      actor_user_id text,
      created_at timestamptz not null,
      primary key (district_code, id),
      unique (district_code, source_kind, source_ref)
    );

    create table points_entry (
      district_code char(6) not null,
      transaction_id text not null,
      seq smallint not null,
      account_id text not null,
      amount integer not null check (amount <> 0),
      primary key (district_code, transaction_id, seq),
      foreign key (district_code, transaction_id) references points_transaction (district_code, id),
      foreign key (district_code, account_id) references points_account (district_code, id)
    );
    create index points_entry_account_idx on points_entry (district_code, account_id);

    create table reward (
      district_code char(6) not null,
      id text not null,
      community_code varchar(12) not null,
      name text not null,
      description text not null default '',
      cost integer not null check (cost > 0),
      stock integer not null check (stock >= 0),
      active boolean not null default true,
      created_at timestamptz not null,
      primary key (district_code, id),
      check (left(community_code, 6) = district_code)
    );
    create index reward_community_idx on reward (district_code, community_code);

    create table redemption (
      district_code char(6) not null,
      id text not null,
      reward_id text not null,
      user_id text not null,
      account_id text not null,
      cost integer not null check (cost > 0),
      state text not null check (state in ('reserved', 'confirmed', 'released')),
      created_at timestamptz not null,
      decided_at timestamptz,
      decided_by text,
      primary key (district_code, id),
      foreign key (district_code, reward_id) references reward (district_code, id),
      foreign key (district_code, account_id) references points_account (district_code, id),
      check ((state = 'reserved') = (decided_at is null))
    );
    create index redemption_user_idx on redemption (district_code, user_id, created_at);
    create index redemption_reward_idx on redemption (district_code, reward_id, state);

    create table sorting_check (
      district_code char(6) not null,
      id text not null,
      community_code varchar(12) not null,
      user_id text not null,
      passed boolean not null,
      note text not null default '',
      checked_by text,
      checked_at timestamptz not null,
      primary key (district_code, id),
      check (left(community_code, 6) = district_code)
    );
    create index sorting_check_user_idx on sorting_check (district_code, user_id, checked_at);

    create table volunteer_team (
      district_code char(6) not null,
      id text not null,
      community_code varchar(12) not null,
      alley_id text,
      name text not null,
      created_at timestamptz not null,
      primary key (district_code, id),
      check (left(community_code, 6) = district_code)
    );
    create index volunteer_team_community_idx on volunteer_team (district_code, community_code);

    create table volunteer_member (
      district_code char(6) not null,
      team_id text not null,
      user_id text not null,
      state text not null check (state in ('applied', 'approved', 'rejected')),
      note text not null default '',
      applied_at timestamptz not null,
      decided_at timestamptz,
      decided_by text,
      primary key (district_code, team_id, user_id),
      foreign key (district_code, team_id) references volunteer_team (district_code, id)
    );
    create index volunteer_member_user_idx on volunteer_member (district_code, user_id);

    create table volunteer_activity (
      district_code char(6) not null,
      id text not null,
      team_id text not null,
      kind text not null check (kind in ('patrol', 'sorting_guidance', 'cleaning', 'care_visit', 'other')),
      title text not null,
      place text not null,
      alley_id text,
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      capacity integer check (capacity is null or capacity > 0),
      organiser_user_id text,
      created_at timestamptz not null,
      primary key (district_code, id),
      foreign key (district_code, team_id) references volunteer_team (district_code, id),
      check (ends_at > starts_at)
    );
    create index volunteer_activity_team_idx on volunteer_activity (district_code, team_id, starts_at);

    create table volunteer_signup (
      district_code char(6) not null,
      activity_id text not null,
      user_id text not null,
      signed_up_at timestamptz not null,
      attended boolean,
      minutes integer check (minutes is null or minutes >= 0),
      confirmed_at timestamptz,
      confirmed_by text,
      primary key (district_code, activity_id, user_id),
      foreign key (district_code, activity_id) references volunteer_activity (district_code, id),
      check ((attended is null) = (confirmed_at is null)),
      check ((attended is true) = (minutes is not null))
    );
    create index volunteer_signup_user_idx on volunteer_signup (district_code, user_id);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    drop table if exists volunteer_signup;
    drop table if exists volunteer_activity;
    drop table if exists volunteer_member;
    drop table if exists volunteer_team;
    drop table if exists sorting_check;
    drop table if exists redemption;
    drop table if exists reward;
    drop table if exists points_entry;
    drop table if exists points_transaction;
    drop table if exists points_account;
    drop table if exists points_rule;
    drop table if exists points_rule_version;
    `,
  );
}
