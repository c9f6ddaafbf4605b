import { type Kysely, sql } from 'kysely';
import type { Database, OrganisationKind } from '../db/schema.ts';
import type { CountMeasure, MeasureFacts, RollupKey } from './measures.ts';

/** All SQL of the evaluation folder: measure facts, rollups, the units they are shown for, schemes and runs. */
export function evaluationRepository(db: Kysely<Database>) {
  return {
    async facts(districtCode: string, caseId: string): Promise<MeasureFacts | null> {
      const row = await db
        .selectFrom('case_measure_fact')
        .select('facts')
        .where('district_code', '=', districtCode)
        .where('case_id', '=', caseId)
        .executeTakeFirst();
      return row?.facts ?? null;
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
     * Adds signed deltas to the rollup cells, in one statement. Cells are written in key order so that
     * two transactions touching the same cells lock them in the same order and cannot deadlock.
     */
    async addToRollup(districtCode: string, categoryKey: string, deltas: { key: RollupKey; n: number }[]) {
      if (deltas.length === 0) return;
      const rows = deltas
        .map((d) => ({
          district_code: districtCode,
          level: d.key.level,
          day: d.key.day,
          unit_code: d.key.unit,
          category_key: categoryKey,
          measure: d.key.measure,
          n: d.n,
        }))
        .sort((a, b) =>
          a.level < b.level
            ? -1
            : a.level > b.level
              ? 1
              : a.day < b.day
                ? -1
                : a.day > b.day
                  ? 1
                  : a.unit_code < b.unit_code
                    ? -1
                    : a.unit_code > b.unit_code
                      ? 1
                      : a.measure < b.measure
                        ? -1
                        : a.measure > b.measure
                          ? 1
                          : 0,
        );
      await db
        .insertInto('measure_rollup')
        .values(rows)
        .onConflict((oc) =>
          oc
            .columns(['district_code', 'level', 'day', 'unit_code', 'category_key', 'measure'])
            .doUpdateSet({ n: sql`measure_rollup.n + excluded.n` }),
        )
        .execute();
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
        .select(['unit_code', 'measure', sql<number>`sum(n)::float8`.as('n')])
        .where('district_code', '=', q.districtCode)
        .where('level', '=', q.level)
        .where('day', '>=', q.from)
        .where('day', '<=', q.to)
        .groupBy(['unit_code', 'measure']);
      if (q.units) query = query.where('unit_code', 'in', [...q.units]);
      if (q.unitPrefix) query = query.where('unit_code', 'like', `${q.unitPrefix}%`);
      const rows = await query.execute();
      return rows.map((r) => ({ unit: r.unit_code, measure: r.measure as CountMeasure, n: Number(r.n) }));
    },

    /** Per day (or per category) sums of some counts for one unit: trends and top categories. */
    async series(q: {
      districtCode: string;
      level: string;
      unit: string;
      from: string;
      to: string;
      measures: readonly string[];
      by: 'day' | 'category_key';
    }): Promise<{ key: string; measure: CountMeasure; n: number }[]> {
      const rows = await db
        .selectFrom('measure_rollup')
        .select([
          q.by === 'day' ? 'day as key' : 'category_key as key',
          'measure',
          sql<number>`sum(n)::float8`.as('n'),
        ])
        .where('district_code', '=', q.districtCode)
        .where('level', '=', q.level)
        .where('unit_code', '=', q.unit)
        .where('day', '>=', q.from)
        .where('day', '<=', q.to)
        .where('measure', 'in', [...q.measures])
        .groupBy([q.by, 'measure'])
        .execute();
      return rows.map((r) => ({ key: r.key, measure: r.measure as CountMeasure, n: Number(r.n) }));
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
