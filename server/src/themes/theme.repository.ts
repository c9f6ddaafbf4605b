import { type Insertable, type Kysely, sql } from 'kysely';
import { caseTerritoryColumn } from '../cases/case.scope.ts';
import type { Database, MonthlyThemeTable } from '../db/schema.ts';

function inScope(prefix: string) {
  // A prefix that is no territory code (a role without a jurisdiction) matches nothing.
  if (!/^(\d{6}|\d{9}|\d{12}|\d{15})$/.test(prefix)) return sql<boolean>`false`;
  return sql<boolean>`${sql.ref(caseTerritoryColumn(prefix))} = ${prefix}`;
}

export interface CategoryMeasureRow {
  category: string;
  cases: number;
  previous: number;
  people: number;
  overdue: number;
  open: number;
}

export function themeRepository(db: Kysely<Database>) {
  return {
    /**
     * Per category in the territory: cases in [from, to), in the same length of time before, distinct
     * reporters, how many went overdue (red) and how many are still open.
     */
    async categoryMeasures(
      prefix: string,
      from: Date,
      to: Date,
      before: Date,
    ): Promise<CategoryMeasureRow[]> {
      const r = await sql<Record<keyof CategoryMeasureRow, string | number>>`
        select coalesce(c.category_key, c.suggested_key) as category,
               count(*) filter (where c.created_at >= ${from})::int as cases,
               count(*) filter (where c.created_at < ${from})::int as previous,
               count(distinct coalesce(c.reporter_user_id, c.reporter_contact, c.id))
                 filter (where c.created_at >= ${from})::int as people,
               count(*) filter (where c.created_at >= ${from} and c.sla_state = 'red')::int as overdue,
               count(*) filter (where c.created_at >= ${from}
                                  and c.state not in ('closed', 'rejected', 'merged'))::int as open
          from case_record as c
         where c.created_at >= ${before} and c.created_at < ${to}
           and c.state <> 'merged'
           and coalesce(c.category_key, c.suggested_key) is not null
           and ${inScope(prefix)}
         group by 1`.execute(db);
      return r.rows.map((x) => ({
        category: String(x.category),
        cases: Number(x.cases),
        previous: Number(x.previous),
        people: Number(x.people),
        overdue: Number(x.overdue),
        open: Number(x.open),
      }));
    },

    /** Open cases of a category in the territory, oldest first, and the units they are assigned to. */
    async openCases(prefix: string, category: string, limit: number) {
      return db
        .selectFrom('case_record as c')
        .select(['c.id', 'c.assigned_org_id'])
        .where(sql<boolean>`coalesce(c.category_key, c.suggested_key) = ${category}`)
        .where('c.state', 'not in', ['closed', 'rejected', 'merged'])
        .where(inScope(prefix))
        .orderBy('c.created_at')
        .limit(limit)
        .execute();
    },

    /** Which of these cases are still open, with their units. */
    async openCasesOf(ids: readonly string[]) {
      const out: { id: string; assigned_org_id: string | null }[] = [];
      for (let i = 0; i < ids.length; i += 1000) {
        out.push(
          ...(await db
            .selectFrom('case_record')
            .select(['id', 'assigned_org_id'])
            .where('id', 'in', ids.slice(i, i + 1000))
            .where('state', 'not in', ['closed', 'rejected', 'merged'])
            .execute()),
        );
      }
      return out;
    },

    /** Proposals go in once per month and fingerprint: proposing again keeps what was decided. */
    async insertThemes(rows: Insertable<MonthlyThemeTable>[]) {
      if (rows.length === 0) return;
      await db
        .insertInto('monthly_theme')
        .values(rows)
        .onConflict((oc) => oc.columns(['district_code', 'month', 'fingerprint']).doNothing())
        .execute();
    },

    listThemes(prefix: string | null, month?: string) {
      let q = db.selectFrom('monthly_theme').selectAll();
      if (prefix !== null) {
        q = /^\d+$/.test(prefix) ? q.where('scope_code', 'like', `${prefix}%`) : q.where(sql<boolean>`false`);
      }
      if (month) q = q.where('month', '=', month);
      return q.orderBy('month', 'desc').orderBy('heat', 'desc').orderBy('id').limit(200).execute();
    },

    findTheme(id: string) {
      return db.selectFrom('monthly_theme').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Moves a proposal on, once: a theme already adopted or dismissed stays as it is (undefined). */
    claim(districtCode: string, id: string, state: 'adopted' | 'dismissed', by: string, at: Date) {
      return db
        .updateTable('monthly_theme')
        .set({ state, decided_by: by, decided_at: at })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where('state', '=', 'proposed')
        .returningAll()
        .executeTakeFirst();
    },

    /** Puts a claimed proposal back, when opening its campaign failed. */
    async release(districtCode: string, id: string) {
      await db
        .updateTable('monthly_theme')
        .set({ state: 'proposed', decided_by: null, decided_at: null })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .execute();
    },

    async setCampaign(districtCode: string, id: string, campaignId: string) {
      await db
        .updateTable('monthly_theme')
        .set({ campaign_id: campaignId })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .execute();
    },
  };
}
