import { type Insertable, type Kysely, sql } from 'kysely';
import type { Database, MeasureRollupTable, OrganisationKind } from '../db/schema.ts';
import {
  COUNT_MEASURES,
  type CountMeasure,
  type Counts,
  cellId,
  emptyCounts,
  type MeasureFacts,
  type RollupKey,
} from './measures.ts';

/** The rollup column of each count (snake case). */
export const COLUMN = Object.fromEntries(
  COUNT_MEASURES.map((m) => [m, m.replace(/[A-Z]/g, (x) => `_${x.toLowerCase()}`)]),
) as Record<CountMeasure, keyof MeasureRollupTable>;

const ADD_EXCLUDED = Object.fromEntries(
  COUNT_MEASURES.map((m) => [
    COLUMN[m],
    sql`measure_rollup.${sql.ref(COLUMN[m])} + excluded.${sql.ref(COLUMN[m])}`,
  ]),
);

/** One rollup cell being written: where and when, and what it adds to each count. */
export interface RollupCell {
  level: string;
  unit: string;
  day: string;
  category: string;
  counts: Counts;
}

/** A case and one of its events, as `trailChunk` reads them (instants in epoch milliseconds). */
export interface TrailRow {
  id: string;
  case_number: string;
  category_key: string | null;
  street_code: string;
  community_code: string | null;
  grid_code: string | null;
  alley_id: string | null;
  created_ms: number;
  action: string | null;
  at_ms: number | null;
  payload: unknown;
}

/**
 * Array literals written here rather than by the driver, which escapes element by element: a bulk
 * rebuild sends hundreds of thousands of cells, and that was a large part of its time in Node.
 */
const textArray = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** One float8[] literal per count, in the order of COUNT_MEASURES, read in one pass over the cells. */
function countColumns(cells: readonly RollupCell[]): string[] {
  const columns = COUNT_MEASURES.map(() => new Array<number>(cells.length));
  for (let i = 0; i < cells.length; i++) {
    const counts = cells[i]!.counts;
    for (let j = 0; j < COUNT_MEASURES.length; j++) columns[j]![i] = counts[COUNT_MEASURES[j]!];
  }
  return columns.map((c) => `{${c.join(',')}}`);
}

/** All SQL of the evaluation folder: measure facts, rollups, the units they are shown for, schemes and runs. */
export function evaluationRepository(db: Kysely<Database>) {
  return {
    /** A case's facts and the category its contributions were last added under. */
    async facts(
      districtCode: string,
      caseId: string,
    ): Promise<{ facts: MeasureFacts; categoryKey: string | null } | null> {
      const row = await db
        .selectFrom('case_measure_fact')
        .select(['facts', 'category_key'])
        .where('district_code', '=', districtCode)
        .where('case_id', '=', caseId)
        .executeTakeFirst();
      return row ? { facts: row.facts, categoryKey: row.category_key } : null;
    },

    async saveFacts(row: {
      districtCode: string;
      caseId: string;
      caseNumber: string;
      categoryKey: string | null;
      units: string[];
      firstDay: string | null;
      lastDay: string | null;
      facts: MeasureFacts;
      at: Date;
    }) {
      const values = {
        district_code: row.districtCode,
        case_id: row.caseId,
        case_number: row.caseNumber,
        category_key: row.categoryKey,
        units: row.units,
        first_day: row.firstDay,
        last_day: row.lastDay,
        facts: JSON.stringify(row.facts),
        updated_at: row.at,
      };
      await db
        .insertInto('case_measure_fact')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['district_code', 'case_id']).doUpdateSet({
            category_key: values.category_key,
            units: values.units,
            first_day: values.first_day,
            last_day: values.last_day,
            facts: values.facts,
            updated_at: values.updated_at,
          }),
        )
        .execute();
    },

    /**
     * Adds signed deltas to the rollup cells, in one statement: the deltas of one cell become one row.
     * Cells are written in key order so that two transactions touching the same cells lock them in
     * the same order and cannot deadlock.
     */
    async addToRollup(districtCode: string, deltas: { key: RollupKey; n: number }[]) {
      if (deltas.length === 0) return;
      const cells = new Map<string, RollupCell>();
      for (const { key, n } of deltas) {
        const id = cellId(key);
        let cell = cells.get(id);
        if (!cell) {
          cell = {
            level: key.level,
            unit: key.unit,
            day: key.day,
            category: key.category,
            counts: emptyCounts(),
          };
          cells.set(id, cell);
        }
        cell.counts[key.measure] += n;
      }
      const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      const rows = [...cells.values()]
        .sort(
          (a, b) =>
            cmp(a.level, b.level) || cmp(a.day, b.day) || cmp(a.unit, b.unit) || cmp(a.category, b.category),
        )
        .map((c) => ({
          district_code: districtCode,
          level: c.level,
          day: c.day,
          unit_code: c.unit,
          category_key: c.category,
          ...Object.fromEntries(COUNT_MEASURES.map((m) => [COLUMN[m], c.counts[m]])),
        })) as Insertable<MeasureRollupTable>[];
      await db
        .insertInto('measure_rollup')
        .values(rows)
        .onConflict((oc) =>
          oc
            .columns(['district_code', 'level', 'day', 'unit_code', 'category_key'])
            .doUpdateSet(ADD_EXCLUDED),
        )
        .execute();
    },

    /**
     * Adds many cells at once, each at most once (a bulk rebuild sums a chunk of cases in memory
     * first): the cells travel as one array per column, so a chunk is one statement whatever its size.
     * `fresh` says that none of them is in the table yet, which spares the conflict check per row.
     */
    async addCells(districtCode: string, cells: readonly RollupCell[], options: { fresh?: boolean } = {}) {
      if (cells.length === 0) return;
      const onConflict = options.fresh
        ? sql``
        : sql`on conflict (district_code, level, day, unit_code, category_key)
        do update set ${sql.join(COUNT_MEASURES.map((m) => sql`${sql.ref(COLUMN[m])} = measure_rollup.${sql.ref(COLUMN[m])} + excluded.${sql.ref(COLUMN[m])}`))}`;
      await sql`
        insert into measure_rollup
          (district_code, level, day, unit_code, category_key, ${sql.join(COUNT_MEASURES.map((m) => sql.ref(COLUMN[m])))})
        select ${districtCode}, c.*
        from unnest(
          ${textArray(cells.map((c) => c.level))}::text[],
          ${textArray(cells.map((c) => c.day))}::text[],
          ${textArray(cells.map((c) => c.unit))}::text[],
          ${textArray(cells.map((c) => c.category))}::text[],
          ${sql.join(countColumns(cells).map((column) => sql`${column}::float8[]`))}
        ) as c
        ${onConflict}`.execute(db);
    },

    /**
     * Every `step`-th case number of a district, in order: the bounds of chunks of `step` cases, so
     * that several chunks can be read at once.
     */
    async caseNumberBounds(districtCode: string, step: number): Promise<string[]> {
      const { rows } = await sql<{ case_number: string }>`
        select case_number from (
          select case_number, row_number() over (order by case_number) as n
          from case_record
          where district_code = ${districtCode}
        ) c
        where n % ${step} = 0
        order by case_number`.execute(db);
      return rows.map((r) => r.case_number);
    },

    /**
     * A district's cases numbered after `after` and up to `upTo` (null: no bound), in case-number
     * order, each with its events of the given actions in trail order: one row per event (a case with
     * none has one row without an action). One statement walks the case-number key and, per case, the
     * trail's key (case, seq), so a chunk costs one round trip and no scan of the trail beyond its
     * cases; instants come as epoch milliseconds, which spares parsing timestamps.
     */
    async trailChunk(
      districtCode: string,
      after: string | null,
      upTo: string | null,
      actions: readonly string[],
    ): Promise<TrailRow[]> {
      return db.transaction().execute(async (trx) => {
        // Without these the planner may hash the chunk's cases against a scan of the district's whole
        // trail (seen with a parameter for the bound): reading it by its key, case by case, stays
        // proportional to the chunk. The estimate of a chunk also passes the JIT threshold, and
        // compiling costs more than it saves here.
        await sql`set local enable_hashjoin = off`.execute(trx);
        await sql`set local enable_mergejoin = off`.execute(trx);
        await sql`set local jit = off`.execute(trx);
        const { rows } = await sql<TrailRow>`
          select r.id, r.case_number, r.category_key, r.street_code, r.community_code, r.grid_code,
            r.alley_id, floor(extract(epoch from r.created_at) * 1000)::float8 as created_ms,
            e.action, floor(extract(epoch from e.at) * 1000)::float8 as at_ms, e.payload
          from (
            select id, district_code, case_number, category_key, street_code, community_code, grid_code,
              alley_id, created_at
            from case_record
            where district_code = ${districtCode}
              ${after === null ? sql`` : sql`and case_number > ${after}`}
              ${upTo === null ? sql`` : sql`and case_number <= ${upTo}`}
          ) r
          left join lateral (
            select e.action, e.at, e.payload, e.seq
            from case_event e
            where e.case_id = r.id and e.district_code = r.district_code
              and e.action = any(${sql.val([...actions])}::text[])
          ) e on true
          order by r.case_number, e.seq`.execute(trx);
        return rows;
      });
    },

    /** Many cases' facts at once, as one JSON document (a bulk rebuild writes a chunk per statement). */
    async insertFacts(
      rows: readonly {
        districtCode: string;
        caseId: string;
        caseNumber: string;
        categoryKey: string | null;
        units: string[];
        firstDay: string | null;
        lastDay: string | null;
        facts: MeasureFacts;
        at: Date;
      }[],
    ) {
      if (rows.length === 0) return;
      const doc = JSON.stringify(
        rows.map((r) => ({
          district_code: r.districtCode,
          case_id: r.caseId,
          case_number: r.caseNumber,
          category_key: r.categoryKey,
          units: r.units,
          first_day: r.firstDay,
          last_day: r.lastDay,
          facts: r.facts,
          updated_at: r.at.toISOString(),
        })),
      );
      await sql`
        insert into case_measure_fact
          (district_code, case_id, case_number, category_key, units, first_day, last_day, facts, updated_at)
        select r.district_code, r.case_id, r.case_number, r.category_key, r.units, r.first_day, r.last_day,
          r.facts, r.updated_at
        from jsonb_to_recordset(${doc}::jsonb) as r(district_code text, case_id text, case_number text,
          category_key text, units text[], first_day text, last_day text, facts jsonb,
          updated_at timestamptz)`.execute(db);
    },

    /** Sums of the rollup per unit and count over a day range, optionally for some units only. */
    async sums(q: {
      districtCode: string;
      level: string;
      from: string;
      to: string;
      units?: readonly string[];
      unitPrefix?: string | null;
    }): Promise<{ unit: string; measure: CountMeasure; n: number }[]> {
      if (q.units && q.units.length === 0) return [];
      let query = db
        .selectFrom('measure_rollup')
        .select([
          'unit_code',
          ...COUNT_MEASURES.map((m) => sql<number>`sum(${sql.ref(COLUMN[m])})::float8`.as(m)),
        ])
        .where('district_code', '=', q.districtCode)
        .where('level', '=', q.level)
        .where('day', '>=', q.from)
        .where('day', '<=', q.to)
        .groupBy('unit_code');
      if (q.units) query = query.where('unit_code', 'in', [...q.units]);
      if (q.unitPrefix) query = query.where('unit_code', 'like', `${q.unitPrefix}%`);
      const rows = (await query.execute()) as unknown as ({ unit_code: string } & Record<
        CountMeasure,
        number
      >)[];
      return rows.flatMap((r) =>
        COUNT_MEASURES.map((m) => ({ unit: r.unit_code, measure: m, n: Number(r[m]) })),
      );
    },

    /** Per day (or per category) sums of some counts for one unit: trends and top categories. */
    async series(q: {
      districtCode: string;
      level: string;
      unit: string;
      from: string;
      to: string;
      measures: readonly CountMeasure[];
      by: 'day' | 'category_key';
    }): Promise<{ key: string; measure: CountMeasure; n: number }[]> {
      if (q.measures.length === 0) return [];
      const rows = (await db
        .selectFrom('measure_rollup')
        .select([
          q.by === 'day' ? 'day as key' : 'category_key as key',
          ...q.measures.map((m) => sql<number>`sum(${sql.ref(COLUMN[m])})::float8`.as(m)),
        ])
        .where('district_code', '=', q.districtCode)
        .where('level', '=', q.level)
        .where('unit_code', '=', q.unit)
        .where('day', '>=', q.from)
        .where('day', '<=', q.to)
        .groupBy(q.by)
        .execute()) as unknown as ({ key: string } & Record<CountMeasure, number>)[];
      return rows.flatMap((r) => q.measures.map((m) => ({ key: r.key, measure: m, n: Number(r[m]) })));
    },

    /** The facts of the cases that count for a unit and touch the day range. */
    drillCandidates(q: { districtCode: string; unit: string; from: string; to: string }) {
      return db
        .selectFrom('case_measure_fact')
        .select(['case_id', 'case_number', 'facts'])
        .where('district_code', '=', q.districtCode)
        .where(sql<boolean>`units @> ${sql.val([q.unit])}::text[]`)
        .where('first_day', '<=', q.to)
        .where('last_day', '>=', q.from)
        .orderBy('case_number')
        .execute();
    },

    // ---- dashboards: what is open now and where cases cluster (bounded by district and period) ----

    /** Open cases and the overdue (red) among them, per street or per community of a street. */
    openByArea(q: { districtCode: string; streetCode: string | null }) {
      const by = q.streetCode ? ('community_code' as const) : ('street_code' as const);
      let query = db
        .selectFrom('case_record')
        .select([
          `${by} as code`,
          sql<number>`count(*)::int`.as('open'),
          sql<number>`(count(*) filter (where sla_state = 'red'))::int`.as('overdue'),
        ])
        .where('district_code', '=', q.districtCode)
        .where('state', 'not in', ['closed', 'rejected', 'merged'])
        .groupBy(by);
      if (q.streetCode) query = query.where('street_code', '=', q.streetCode);
      return query.execute();
    },

    hotCells(q: { districtCode: string; prefix: string | null; from: Date; to: Date; limit: number }) {
      let query = db
        .selectFrom('case_record')
        .select(['h3_r9 as cell', sql<number>`count(*)::int`.as('count')])
        .where('district_code', '=', q.districtCode)
        .where('created_at', '>=', q.from)
        .where('created_at', '<', q.to)
        .where('state', 'not in', ['rejected', 'merged'])
        .groupBy('h3_r9')
        .orderBy(sql`count(*)`, 'desc')
        .orderBy('h3_r9')
        .limit(q.limit);
      if (q.prefix && q.prefix.length > 6)
        query = query.where('street_code', 'like', `${q.prefix.slice(0, 9)}%`);
      return query.execute();
    },

    cellCases(q: { districtCode: string; prefix: string | null; cell: string; from: Date; to: Date }) {
      let query = db
        .selectFrom('case_record')
        .select('case_number')
        .where('district_code', '=', q.districtCode)
        .where('h3_r9', '=', q.cell)
        .where('created_at', '>=', q.from)
        .where('created_at', '<', q.to)
        .where('state', 'not in', ['rejected', 'merged'])
        .orderBy('case_number');
      if (q.prefix && q.prefix.length > 6)
        query = query.where('street_code', 'like', `${q.prefix.slice(0, 9)}%`);
      return query.execute();
    },

    // ---- units ---------------------------------------------------------------------------------

    districts() {
      return db.selectFrom('district').select(['code', 'name']).orderBy('code').execute();
    },
    streets(districtCode: string) {
      return db
        .selectFrom('street')
        .select(['code', 'name'])
        .where('district_code', '=', districtCode)
        .orderBy('code')
        .execute();
    },
    communities(districtCode: string) {
      return db
        .selectFrom('community')
        .select(['code', 'name'])
        .where('district_code', '=', districtCode)
        .orderBy('code')
        .execute();
    },
    grids(districtCode: string) {
      return db
        .selectFrom('grid')
        .select(['code', 'code as name'])
        .where('district_code', '=', districtCode)
        .orderBy('code')
        .execute();
    },
    alleys(districtCode: string) {
      return db
        .selectFrom('alley')
        .select(['id as code', 'name', 'street_code as scope'])
        .where('district_code', '=', districtCode)
        .orderBy('name')
        .orderBy('id')
        .execute();
    },
    organisations(districtCode: string, kinds: readonly OrganisationKind[]) {
      return db
        .selectFrom('organisation')
        .select(['id as code', 'name', 'scope_code as scope', 'kind'])
        .where('district_code', '=', districtCode)
        .where('kind', 'in', kinds as OrganisationKind[])
        .orderBy('name')
        .orderBy('id')
        .execute();
    },
    streetOffice(districtCode: string, streetCode: string) {
      return db
        .selectFrom('organisation')
        .select('id')
        .where('district_code', '=', districtCode)
        .where('kind', '=', 'street_office')
        .where('scope_code', '=', streetCode)
        .orderBy('id')
        .executeTakeFirst();
    },
  };
}
