import type { Kysely } from 'kysely';
import type { Database, InspectionRow } from '../../db/schema.ts';

export function inspectionRepository(db: Kysely<Database>) {
  return {
    latestForAlley(districtCode: string, alleyId: string): Promise<InspectionRow | undefined> {
      return db
        .selectFrom('inspection')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('alley_id', '=', alleyId)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
    },

    async insert(
      i: InspectionRow,
      findings: readonly {
        seq: number;
        indicator_code: string;
        case_id: string;
        deduction: number;
        lng: number;
        lat: number;
        note: string;
        shop_id?: string | null;
      }[],
    ): Promise<void> {
      await db.insertInto('inspection').values(i).execute();
      if (findings.length)
        await db
          .insertInto('inspection_finding')
          .values(findings.map((f) => ({ ...f, district_code: i.district_code, inspection_id: i.id })))
          .execute();
    },

    find(id: string) {
      return db
        .selectFrom('inspection as i')
        .innerJoin('alley as a', 'a.id', 'i.alley_id')
        .innerJoin('app_user as u', 'u.id', 'i.inspector_user_id')
        .selectAll('i')
        .select(['a.name as alley_name', 'u.display_name as inspector_name'])
        .where('i.id', '=', id)
        .executeTakeFirst();
    },

    findings(districtCode: string, inspectionId: string) {
      return db
        .selectFrom('inspection_finding as f')
        .innerJoin('case_record as c', 'c.id', 'f.case_id')
        .select([
          'f.seq',
          'f.indicator_code',
          'f.deduction',
          'f.lng',
          'f.lat',
          'f.note',
          'f.shop_id',
          'c.id as case_id',
          'c.case_number',
          'c.state',
        ])
        .where('f.district_code', '=', districtCode)
        .where('f.inspection_id', '=', inspectionId)
        .orderBy('f.seq')
        .execute();
    },

    list(q: { scopePrefix: string | null; alleyId?: string; limit: number; offset: number }) {
      let query = db
        .selectFrom('inspection as i')
        .innerJoin('alley as a', 'a.id', 'i.alley_id')
        .innerJoin('app_user as u', 'u.id', 'i.inspector_user_id')
        .selectAll('i')
        .select((eb) => [
          'a.name as alley_name',
          'u.display_name as inspector_name',
          eb
            .selectFrom('inspection_finding as f')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('f.district_code', '=', 'i.district_code')
            .whereRef('f.inspection_id', '=', 'i.id')
            .as('finding_count'),
        ]);
      if (q.scopePrefix) query = query.where('i.street_code', 'like', `${q.scopePrefix}%`);
      if (q.alleyId) query = query.where('i.alley_id', '=', q.alleyId);
      return query.orderBy('i.created_at', 'desc').limit(q.limit).offset(q.offset).execute();
    },
  };
}
