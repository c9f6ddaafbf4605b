import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// 12345 orders as they come (issue 16): what the hotline called the problem and how precisely the
// order could be placed are kept beside its case, and a gazetteer of real road and landmark names
// per street lets an address that names no alley of the registry still find its street.
// Both tables grow per district, so district_code leads their keys (the Citus rule).

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table hotline_order (
      district_code char(6) not null,
      work_order_no text not null,
      case_id text not null,
      source_class text,
      location_precision text not null check (location_precision in ('point', 'alley', 'street')),
      located_by text,
      flag text,
      imported_at timestamptz not null,
      primary key (district_code, work_order_no)
    );
    create index hotline_order_case_idx on hotline_order (district_code, case_id);

    -- Orders whose address places them nowhere (no alley, road, landmark or street known) wait here,
    -- never refused, until a dispatcher places them; placing one files its case.
    create table hotline_unlocated (
      district_code char(6) not null,
      work_order_no text not null,
      order_data jsonb not null,
      source_class text,
      reason text not null,
      imported_at timestamptz not null,
      placed_case_id text,
      placed_at timestamptz,
      primary key (district_code, work_order_no)
    );

    create table hotline_place (
      district_code char(6) not null,
      street_code char(9) not null,
      name text not null,
      kind text not null check (kind in ('road', 'landmark')),
      lng double precision,
      lat double precision,
      source text,
      primary key (district_code, street_code, name)
    );
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop table hotline_place; drop table hotline_unlocated; drop table hotline_order;');
}
