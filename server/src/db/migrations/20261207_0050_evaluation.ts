import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Evaluation (SPEC §5 月评/季通报, §6 measures).
//
// case_measure_fact: one row per filed case, the facts its measures are made of (filing, deadline in
// force, closing, feedback, rework, rating, the units holding it, response items), folded from its
// trail by the case-event subscriber in the event's transaction. Drill-downs read it.
//
// measure_rollup: the counts those facts contribute, per district × level × unit × day × category ×
// measure, written in the same transaction as the facts; every figure of GET /api/measures is a sum
// over it. `day` is the Beijing date as text (YYYY-MM-DD), so that both engines compare it the same way.
//
// evaluation_scheme: a district's monthly evaluation scheme (which measures, weights per unit type),
// versioned: an edit writes a new version. evaluation_run: one evaluation of a month for a unit type,
// with its figures and scores stored, evaluated → reviewed → frozen; later edits to cases do not move it.
//
// No foreign key to case_record: its key is not yet (district_code, id). district_code leads every key.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table case_measure_fact (
      district_code char(6) not null,
      case_id text not null,
      case_number text not null,
      category_key text,
      units text[] not null default '{}',
      first_day char(10),
      last_day char(10),
      facts jsonb not null,
      updated_at timestamptz not null,
      primary key (district_code, case_id)
    );
    create index case_measure_fact_units_idx on case_measure_fact using gin (units);

    create table measure_rollup (
      district_code char(6) not null,
      level text not null,
      day char(10) not null,
      unit_code text not null,
      category_key text not null,
      measure text not null,
      n double precision not null,
      primary key (district_code, level, day, unit_code, category_key, measure)
    );

    create table evaluation_scheme (
      district_code char(6) not null,
      version integer not null,
      body jsonb not null,
      created_by text,
      created_at timestamptz not null,
      primary key (district_code, version)
    );

    create table evaluation_run (
      district_code char(6) not null,
      month char(7) not null,
      level text not null,
      run_no integer not null,
      scheme_version integer not null,
      status text not null check (status in ('evaluated', 'reviewed', 'frozen')),
      rows jsonb not null,
      created_by text,
      created_at timestamptz not null,
      reviewed_by text,
      reviewed_at timestamptz,
      frozen_by text,
      frozen_at timestamptz,
      primary key (district_code, month, level, run_no)
    );
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    'drop table evaluation_run; drop table evaluation_scheme; drop table measure_rollup; drop table case_measure_fact',
  );
}
