import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// measure_rollup becomes one row per cell — district × level × day × unit × category — with one column
// per count, instead of one row per count: a case adds to about ten counts but on two or three days,
// so a cell row holds what took four or five rows before, and a figure sums a fraction of the rows.
//
// The category is kept only where something reads it: the dashboard's top categories, asked for a
// district or a street. Cells of the other levels (community, grid, alley, org) hold every category
// under the category '' — a grid or an alley sees few cases a day, and keeping each category apart
// multiplied its cells for no reader. Every figure is a sum over categories, so neither change moves a
// figure. The cells of the old table are carried over here, merged so.

const COUNTS = [
  'filed',
  'due',
  'closed',
  'closed_on_time',
  'handled_on_time',
  'overdue',
  'reworked',
  'response_due',
  'responded_on_time',
  'resolved',
  'rated',
  'satisfied',
  'handling_minutes',
];
const camel = (c: string) => c.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase());

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table measure_rollup rename to measure_rollup_by_count;
    create table measure_rollup (
      district_code char(6) not null,
      level text not null,
      day char(10) not null,
      unit_code text not null,
      category_key text not null,
      ${COUNTS.map((c) => `${c} double precision not null default 0`).join(',\n      ')},
      primary key (district_code, level, day, unit_code, category_key)
    );
    insert into measure_rollup (district_code, level, day, unit_code, category_key, ${COUNTS.join(', ')})
    select district_code, level, day, unit_code,
      case when level in ('district', 'street') then category_key else '' end,
      ${COUNTS.map((c) => `coalesce(sum(n) filter (where measure = '${camel(c)}'), 0)`).join(',\n      ')}
    from measure_rollup_by_count
    group by district_code, level, day, unit_code,
      case when level in ('district', 'street') then category_key else '' end;
    drop table measure_rollup_by_count;
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table measure_rollup rename to measure_rollup_by_cell;
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
    insert into measure_rollup (district_code, level, day, unit_code, category_key, measure, n)
    select r.district_code, r.level, r.day, r.unit_code, r.category_key, m.measure, m.n
    from measure_rollup_by_cell r
    cross join lateral (values ${COUNTS.map((c) => `('${camel(c)}', r.${c})`).join(', ')}) as m(measure, n)
    where m.n <> 0;
    drop table measure_rollup_by_cell;
    `,
  );
}
