import { type Insertable, type Kysely, sql } from 'kysely';
import { caseTerritoryColumn } from '../cases/case.scope.ts';
import type { Database, ProactiveTaskState, ProactiveTaskTable } from '../db/schema.ts';

/** 1970-01-05 00:00 in Beijing (a Monday), in epoch seconds: week numbers count from it. */
const MONDAY_BEIJING_S = Date.UTC(1970, 0, 5) / 1000 - 8 * 3600;
const WEEK_S = 7 * 86_400;

/**
 * Cases as the forecasts count them: every report that became a case, by the week it came in, under
 * its category (the dispatcher's, or the classifier's suggestion while it is not filed). Merged
 * duplicates count once, in the case they were merged into (its supporters); rejected reports count,
 * since they were complaints too.
 */
function scoped(prefix: string | null) {
  if (prefix === null) return sql<boolean>`true`;
  // A prefix that is no territory code (a role without a jurisdiction) matches nothing.
  if (!/^(\d{6}|\d{9}|\d{12}|\d{15})$/.test(prefix)) return sql<boolean>`false`;
  return sql<boolean>`${sql.ref(caseTerritoryColumn(prefix))} = ${prefix}`;
}

export interface WeeklyCountRow {
  place: string;
  category: string;
  week: number;
  n: number;
}

export function forecastRepository(db: Kysely<Database>) {
  return {
    /**
     * Case counts per place (the grid, or the street when a case has no grid) × category × week, for
     * weeks [fromWeek, toWeek] (week numbers as in forecast.series.ts).
     */
    async weeklyCounts(prefix: string | null, fromWeek: number, toWeek: number): Promise<WeeklyCountRow[]> {
      const from = new Date((MONDAY_BEIJING_S + fromWeek * WEEK_S) * 1000);
      const to = new Date((MONDAY_BEIJING_S + (toWeek + 1) * WEEK_S) * 1000);
      const rows = await sql<{ place: string; category: string; week: number | string; n: number | string }>`
        select coalesce(c.grid_code, c.street_code) as place,
               coalesce(c.category_key, c.suggested_key) as category,
               floor((extract(epoch from c.created_at) - ${MONDAY_BEIJING_S}) / ${WEEK_S})::int as week,
               count(*)::int as n
          from case_record as c
         where c.created_at >= ${from} and c.created_at < ${to}
           and c.state <> 'merged'
           and coalesce(c.category_key, c.suggested_key) is not null
           and ${scoped(prefix)}
         group by 1, 2, 3`.execute(db);
      return rows.rows.map((r) => ({
        place: r.place,
        category: r.category,
        week: Number(r.week),
        n: Number(r.n),
      }));
    },

    /** The week of the oldest case in the scope, or null when there is none. */
    async firstWeek(prefix: string | null): Promise<number | null> {
      const r = await sql<{ first: Date | null }>`
        select min(c.created_at) as first from case_record as c where ${scoped(prefix)}`.execute(db);
      const first = r.rows[0]?.first;
      if (!first) return null;
      return Math.floor((new Date(first).getTime() / 1000 - MONDAY_BEIJING_S) / WEEK_S);
    },

    /** Inserts proposals; one already proposed for the same week, place and category stays as it is. */
    async insertTasks(tasks: Insertable<ProactiveTaskTable>[]): Promise<string[]> {
      if (tasks.length === 0) return [];
      const ids: string[] = [];
      for (let i = 0; i < tasks.length; i += 500) {
        const inserted = await db
          .insertInto('proactive_task')
          .values(tasks.slice(i, i + 500))
          .onConflict((oc) =>
            oc.columns(['district_code', 'week_start', 'scope_code', 'category_key']).doNothing(),
          )
          .returning('id')
          .execute();
        ids.push(...inserted.map((r) => r.id));
      }
      return ids;
    },

    listTasks(filter: {
      prefix: string | null;
      state?: ProactiveTaskState;
      weekStart?: Date;
      limit: number;
    }) {
      let q = db.selectFrom('proactive_task').selectAll();
      if (filter.prefix !== null) {
        q = /^\d+$/.test(filter.prefix)
          ? q.where('scope_code', 'like', `${filter.prefix}%`)
          : q.where(sql<boolean>`false`);
      }
      if (filter.state) q = q.where('state', '=', filter.state);
      if (filter.weekStart) q = q.where('week_start', '=', filter.weekStart);
      return q
        .orderBy('week_start', 'desc')
        .orderBy('forecast', 'desc')
        .orderBy('id')
        .limit(filter.limit)
        .execute();
    },

    findTask(id: string) {
      return db.selectFrom('proactive_task').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Decides a proposal once: a task already accepted or dismissed is left as it is (returns undefined). */
    decide(
      districtCode: string,
      id: string,
      state: 'accepted' | 'dismissed',
      by: string | null,
      at: Date,
      reason: string | null,
    ) {
      return db
        .updateTable('proactive_task')
        .set({ state, decided_by: by, decided_at: at, reason })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where('state', '=', 'proposed')
        .returningAll()
        .executeTakeFirst();
    },

    /** Tasks whose week ended before `before` and that have no actual count yet. */
    unevaluated(before: Date, limit: number) {
      return db
        .selectFrom('proactive_task')
        .selectAll()
        .where('evaluated_at', 'is', null)
        .where('week_start', '<=', new Date(before.getTime() - WEEK_S * 1000))
        .orderBy('week_start')
        .limit(limit)
        .execute();
    },

    /** Cases of one place (grid or street) and category that came in during [from, to). */
    async countIn(place: string, category: string, from: Date, to: Date): Promise<number> {
      const r = await sql<{ n: number | string }>`
        select count(*)::int as n from case_record as c
         where ${scoped(place)}
           and coalesce(c.category_key, c.suggested_key) = ${category}
           and c.state <> 'merged' and c.created_at >= ${from} and c.created_at < ${to}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    },

    evaluate(districtCode: string, id: string, actual: number, came: boolean, at: Date) {
      return db
        .updateTable('proactive_task')
        .set({ actual, came, evaluated_at: at })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .execute();
    },

    /** How proposals fared in the scope for weeks starting in [from, to). */
    async stats(prefix: string | null, from: Date, to: Date) {
      let q = db
        .selectFrom('proactive_task')
        .select((eb) => [
          eb.fn.countAll<number>().as('proposed'),
          eb.fn.countAll<number>().filterWhere('state', '=', 'accepted').as('accepted'),
          eb.fn.countAll<number>().filterWhere('state', '=', 'dismissed').as('dismissed'),
          eb.fn.countAll<number>().filterWhere('evaluated_at', 'is not', null).as('evaluated'),
          eb.fn.countAll<number>().filterWhere('came', '=', true).as('came'),
          eb.fn
            .countAll<number>()
            .filterWhere((w) => w.and([w('state', '=', 'accepted'), w('came', '=', true)]))
            .as('came_accepted'),
          eb.fn
            .countAll<number>()
            .filterWhere((w) => w.and([w('state', '=', 'accepted'), w('evaluated_at', 'is not', null)]))
            .as('evaluated_accepted'),
        ])
        .where('week_start', '>=', from)
        .where('week_start', '<', to);
      if (prefix !== null) {
        q = /^\d+$/.test(prefix) ? q.where('scope_code', 'like', `${prefix}%`) : q.where(sql<boolean>`false`);
      }
      const r = await q.executeTakeFirstOrThrow();
      const n = (x: unknown) => Number(x ?? 0);
      return {
        proposed: n(r.proposed),
        accepted: n(r.accepted),
        dismissed: n(r.dismissed),
        evaluated: n(r.evaluated),
        came: n(r.came),
        cameWhenAccepted: n(r.came_accepted),
        evaluatedAccepted: n(r.evaluated_accepted),
      };
    },
  };
}
