import { type Kysely, sql } from 'kysely';
import type { Database, PatrolRow } from '../../db/schema.ts';

export interface PointInput {
  lng: number;
  lat: number;
  t: Date;
}

export function patrolRepository(db: Kysely<Database>) {
  return {
    async insert(p: {
      district_code: string;
      id: string;
      user_id: string;
      user_role: string;
      scope_code: string;
      started_at: Date;
    }): Promise<void> {
      await db.insertInto('patrol').values(p).execute();
    },

    find(id: string): Promise<PatrolRow | undefined> {
      return db.selectFrom('patrol').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Locks the patrol so that batches of one patrol number their points one after the other. */
    lock(districtCode: string, id: string): Promise<PatrolRow | undefined> {
      return db
        .selectFrom('patrol')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
    },

    /** Adds the points not already stored (same time and place); answers how many were new. */
    async addPoints(districtCode: string, patrolId: string, points: readonly PointInput[]): Promise<number> {
      if (points.length === 0) return 0;
      const max = await db
        .selectFrom('patrol_point')
        .select((eb) => eb.fn.max('seq').as('m'))
        .where('district_code', '=', districtCode)
        .where('patrol_id', '=', patrolId)
        .executeTakeFirst();
      const first = Number(max?.m ?? 0) + 1;
      const inserted = await db
        .insertInto('patrol_point')
        .values(
          points.map((p, i) => ({
            district_code: districtCode,
            patrol_id: patrolId,
            seq: first + i,
            lng: p.lng,
            lat: p.lat,
            t: p.t,
          })),
        )
        .onConflict((oc) => oc.columns(['district_code', 'patrol_id', 't', 'lng', 'lat']).doNothing())
        .returning('seq')
        .execute();
      return inserted.length;
    },

    points(districtCode: string, patrolId: string) {
      return db
        .selectFrom('patrol_point')
        .select(['lng', 'lat', 't'])
        .where('district_code', '=', districtCode)
        .where('patrol_id', '=', patrolId)
        .orderBy('seq')
        .execute();
    },

    async setLast(districtCode: string, id: string, last: PointInput): Promise<void> {
      await db
        .updateTable('patrol')
        .set({ last_lng: last.lng, last_lat: last.lat, last_at: last.t })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_at', 'is', null), eb('last_at', '<', last.t)]))
        .execute();
    },

    async finish(
      districtCode: string,
      id: string,
      f: { finishedAt: Date; lengthM: number; covered: string[]; excluded: unknown },
    ): Promise<void> {
      // The latest position is for the live map only; once the patrol ends the track is all that stays.
      await db
        .updateTable('patrol')
        .set({
          finished_at: f.finishedAt,
          length_m: f.lengthM,
          covered_alley_ids: f.covered,
          excluded: JSON.stringify(f.excluded),
          last_lng: null,
          last_lat: null,
          last_at: null,
        })
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .execute();
    },

    running(scopePrefix: string | null) {
      let q = db
        .selectFrom('patrol')
        .innerJoin('app_user', 'app_user.id', 'patrol.user_id')
        .select([
          'patrol.id',
          'patrol.user_id',
          'patrol.user_role',
          'patrol.scope_code',
          'patrol.started_at',
          'patrol.last_lng',
          'patrol.last_lat',
          'patrol.last_at',
          'app_user.display_name',
        ])
        .where('patrol.finished_at', 'is', null)
        .where('patrol.last_at', 'is not', null);
      if (scopePrefix !== null) q = q.where('patrol.scope_code', 'like', `${scopePrefix}%`);
      return q.orderBy('patrol.last_at', 'desc').execute();
    },

    /** Finished patrols of a period whose jurisdiction overlaps the scope (either holds the other). */
    finishedBetween(scopePrefix: string | null, from: Date, to: Date) {
      let q = db
        .selectFrom('patrol')
        .innerJoin('app_user', 'app_user.id', 'patrol.user_id')
        .select([
          'patrol.id',
          'patrol.user_id',
          'patrol.user_role',
          'patrol.scope_code',
          'patrol.finished_at',
          'patrol.length_m',
          'patrol.covered_alley_ids',
          'app_user.display_name',
        ])
        .where('patrol.finished_at', '>=', from)
        .where('patrol.finished_at', '<', to);
      if (scopePrefix !== null) {
        const p = scopePrefix;
        q = q.where((eb) =>
          eb.or([
            eb('patrol.scope_code', 'like', `${p}%`),
            eb(sql.val(p), 'like', sql<string>`patrol.scope_code || '%'`),
          ]),
        );
      }
      return q.execute();
    },

    alleys() {
      return db
        .selectFrom('alley')
        .select([
          'id',
          'name',
          'street_code',
          'community_code',
          'grid_codes',
          'geometry',
          'length_m',
          'chief_user_id',
        ])
        .orderBy('id')
        .execute();
    },

    async addFinding(r: {
      district_code: string;
      patrol_id: string;
      case_id: string;
      on_spot: boolean;
      created_at: Date;
    }) {
      await db.insertInto('patrol_finding').values(r).execute();
    },

    findings(districtCode: string, patrolId: string) {
      return db
        .selectFrom('patrol_finding')
        .innerJoin('case_record', 'case_record.id', 'patrol_finding.case_id')
        .select(['case_record.id', 'case_record.case_number', 'case_record.state', 'patrol_finding.on_spot'])
        .where('patrol_finding.district_code', '=', districtCode)
        .where('patrol_finding.patrol_id', '=', patrolId)
        .orderBy('patrol_finding.created_at')
        .execute();
    },
  };
}
