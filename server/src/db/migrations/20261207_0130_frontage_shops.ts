import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Frontage responsibility (门前三包, SPEC §8): the shops and units along an alley, the agreements they
// sign for their stretch of frontage, and the checks that rate them. Per-district data: district_code
// leads every primary and foreign key.
//
// frontage_shop: a shop, restaurant or unit of one alley, with its address and its responsible person
// and phone (personal data for the staff of its scope only, never public).
//
// frontage_agreement: a signed agreement of a shop: the duties, the stretch of frontage, when it was
// signed and until when it holds, and its version. A new agreement supersedes the one before
// (`superseded_at`, `superseded_by`); none is ever overwritten.
//
// Calendar days (Beijing) are kept as 'YYYY-MM-DD' text, so both engines hand back the same string.
//
// frontage_check: one check of a shop on a day: each of the three duties passed or failed, a note,
// recorded by staff (`source` 'staff') or from an inspection's 门前三包 findings naming the shop
// (`source` 'inspection', one check per inspection and shop).
//
// inspection_finding.shop_id: the shop a finding on a 门前三包 indicator names, when it names one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table frontage_shop (
      district_code char(6) not null,
      id text not null,
      alley_id text not null,
      street_code varchar(9) not null,
      community_code varchar(12),
      name text not null,
      kind text not null check (kind in ('shop', 'restaurant', 'unit', 'hotel', 'market', 'other')),
      address text not null,
      responsible_name text not null default '',
      responsible_phone text not null default '',
      active boolean not null default true,
      created_at timestamptz not null,
      created_by text,
      primary key (district_code, id),
      check (left(street_code, 6) = district_code)
    );
    create index frontage_shop_alley_idx on frontage_shop (district_code, alley_id);
    create index frontage_shop_street_idx on frontage_shop (district_code, street_code);

    create table frontage_agreement (
      district_code char(6) not null,
      id text not null,
      shop_id text not null,
      version integer not null check (version >= 1),
      duties jsonb not null,
      stretch text not null,
      length_m integer check (length_m is null or length_m > 0),
      signed_on varchar(10) not null check (signed_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      valid_until varchar(10) not null check (valid_until ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      signatory text not null default '',
      recorded_by text,
      created_at timestamptz not null,
      superseded_at timestamptz,
      superseded_by text,
      primary key (district_code, id),
      unique (district_code, shop_id, version),
      check (valid_until >= signed_on),
      foreign key (district_code, shop_id) references frontage_shop (district_code, id)
    );

    create table frontage_check (
      district_code char(6) not null,
      id text not null,
      shop_id text not null,
      checked_on varchar(10) not null check (checked_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      appearance_ok boolean not null,
      sanitation_ok boolean not null,
      order_ok boolean not null,
      note text not null default '',
      source text not null check (source in ('staff', 'inspection')),
      inspection_id text,
      recorded_by text,
      created_at timestamptz not null,
      primary key (district_code, id),
      unique (district_code, inspection_id, shop_id),
      foreign key (district_code, shop_id) references frontage_shop (district_code, id)
    );
    create index frontage_check_shop_idx on frontage_check (district_code, shop_id, checked_on);

    alter table inspection_finding add column shop_id text;
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table inspection_finding drop column if exists shop_id;
    drop table if exists frontage_check;
    drop table if exists frontage_agreement;
    drop table if exists frontage_shop;
    `,
  );
}
