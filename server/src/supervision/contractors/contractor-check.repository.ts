import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { ContractorItem } from './contractor-check.rules.ts';

export function contractorCheckRepository(db: Kysely<Database>) {
  return {
    items(districtCode: string) {
      return db
        .selectFrom('contractor_item')
        .select(['code', 'area', 'name', 'points'])
        .where('district_code', '=', districtCode)
        .orderBy('position')
        .execute();
    },

    async seedItems(districtCode: string, items: readonly ContractorItem[]): Promise<void> {
      await db
        .insertInto('contractor_item')
        .values(items.map((it, position) => ({ district_code: districtCode, ...it, position })))
        .onConflict((oc) => oc.columns(['district_code', 'code']).doNothing())
        .execute();
    },

    /** Serialises checks of one contractor, so that repeats are counted in order. */
    async lockOrganisation(id: string): Promise<void> {
      await db.selectFrom('organisation').select('id').where('id', '=', id).forUpdate().execute();
    },

    async monthCounts(districtCode: string, organisationId: string, month: string) {
      const rows = await db
        .selectFrom('contractor_finding')
        .select(['item_code', (eb) => eb.fn.countAll<number>().as('n')])
        .where('district_code', '=', districtCode)
        .where('organisation_id', '=', organisationId)
        .where('month', '=', month)
        .groupBy('item_code')
        .execute();
      return new Map(rows.map((r) => [r.item_code, Number(r.n)]));
    },

    async insert(
      check: {
        district_code: string;
        id: string;
        organisation_id: string;
        street_code: string;
        alley_id: string | null;
        checker_user_id: string;
        month: string;
        score: number;
        created_at: Date;
      },
      findings: readonly {
        seq: number;
        item_code: string;
        occurrence: number;
        deduction: number;
        note: string;
      }[],
    ): Promise<void> {
      await db.insertInto('contractor_check').values(check).execute();
      if (findings.length)
        await db
          .insertInto('contractor_finding')
          .values(
            findings.map((f) => ({
              ...f,
              district_code: check.district_code,
              check_id: check.id,
              organisation_id: check.organisation_id,
              month: check.month,
            })),
          )
          .execute();
    },

    list(q: {
      districtCode: string;
      month?: string;
      organisationId?: string | null;
      streetPrefix?: string | null;
    }) {
      let query = db
        .selectFrom('contractor_check as c')
        .innerJoin('organisation as o', 'o.id', 'c.organisation_id')
        .selectAll('c')
        .select('o.name as organisation_name')
        .where('c.district_code', '=', q.districtCode);
      if (q.month) query = query.where('c.month', '=', q.month);
      if (q.organisationId) query = query.where('c.organisation_id', '=', q.organisationId);
      if (q.streetPrefix) query = query.where('c.street_code', 'like', `${q.streetPrefix}%`);
      return query.orderBy('c.created_at', 'desc').limit(500).execute();
    },

    findings(districtCode: string, checkIds: readonly string[]) {
      if (checkIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('contractor_finding')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('check_id', 'in', checkIds)
        .orderBy('seq')
        .execute();
    },
  };
}
