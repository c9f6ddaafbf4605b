import { type Kysely, sql } from 'kysely';
import type {
  AlleyChecklist,
  AlleyRow,
  AlleyUpdate,
  Database,
  LineStringGeometry,
  NewAlley,
} from '../db/schema.ts';
import type { Polygonal } from './geometry.ts';

type Area = 'district' | 'street' | 'community' | 'grid';

export interface AlleyListQuery {
  scopePrefix?: string | null;
  streetCode?: string;
  communityCode?: string;
  q?: string;
  limit: number;
  offset: number;
}

export function territoryRepository(db: Kysely<Database>) {
  return {
    async upsertDistrict(
      d: { code: string; name: string; boundary: Polygonal; approximate: boolean },
      now: Date,
    ) {
      const row = { ...d, boundary: JSON.stringify(d.boundary), updated_at: now };
      await db
        .insertInto('district')
        .values(row)
        .onConflict((oc) => oc.column('code').doUpdateSet(row))
        .execute();
    },

    async upsertStreet(
      s: { code: string; name: string; boundary: Polygonal; center: [number, number]; approximate: boolean },
      now: Date,
    ) {
      const row = {
        code: s.code,
        district_code: s.code.slice(0, 6),
        name: s.name,
        boundary: JSON.stringify(s.boundary),
        center_lng: s.center[0],
        center_lat: s.center[1],
        approximate: s.approximate,
        updated_at: now,
      };
      await db
        .insertInto('street')
        .values(row)
        .onConflict((oc) => oc.column('code').doUpdateSet(row))
        .execute();
    },

    async upsertCommunity(
      c: { code: string; name: string; boundary: Polygonal; approximate: boolean },
      now: Date,
    ) {
      const row = {
        code: c.code,
        street_code: c.code.slice(0, 9),
        district_code: c.code.slice(0, 6),
        name: c.name,
        boundary: JSON.stringify(c.boundary),
        approximate: c.approximate,
        updated_at: now,
      };
      await db
        .insertInto('community')
        .values(row)
        .onConflict((oc) => oc.column('code').doUpdateSet(row))
        .execute();
    },

    async upsertGrids(grids: { code: string; boundary: Polygonal; approximate: boolean }[], now: Date) {
      for (let i = 0; i < grids.length; i += 500) {
        const rows = grids.slice(i, i + 500).map((g) => ({
          code: g.code,
          community_code: g.code.slice(0, 12),
          street_code: g.code.slice(0, 9),
          district_code: g.code.slice(0, 6),
          boundary: JSON.stringify(g.boundary),
          approximate: g.approximate,
          updated_at: now,
        }));
        await db
          .insertInto('grid')
          .values(rows)
          .onConflict((oc) =>
            oc.column('code').doUpdateSet((eb) => ({
              boundary: eb.ref('excluded.boundary'),
              approximate: eb.ref('excluded.approximate'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
    },

    async upsertAlleys(alleys: NewAlley[]) {
      for (let i = 0; i < alleys.length; i += 200) {
        await db
          .insertInto('alley')
          .values(alleys.slice(i, i + 200))
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              district_code: eb.ref('excluded.district_code'),
              street_code: eb.ref('excluded.street_code'),
              community_code: eb.ref('excluded.community_code'),
              grid_codes: eb.ref('excluded.grid_codes'),
              name: eb.ref('excluded.name'),
              alley_type: eb.ref('excluded.alley_type'),
              geometry: eb.ref('excluded.geometry'),
              length_m: eb.ref('excluded.length_m'),
              current_tier: eb.ref('excluded.current_tier'),
              target_tier: eb.ref('excluded.target_tier'),
              chief_name: eb.ref('excluded.chief_name'),
              chief_title: eb.ref('excluded.chief_title'),
              chief_duties: eb.ref('excluded.chief_duties'),
              chief_phone: eb.ref('excluded.chief_phone'),
              council: eb.ref('excluded.council'),
              contractor_id: eb.ref('excluded.contractor_id'),
              volunteer_team: eb.ref('excluded.volunteer_team'),
              plan: eb.ref('excluded.plan'),
              residents_pact: eb.ref('excluded.residents_pact'),
              culture_note: eb.ref('excluded.culture_note'),
              notice_board: eb.ref('excluded.notice_board'),
              checklist: eb.ref('excluded.checklist'),
              approximate: eb.ref('excluded.approximate'),
              updated_at: eb.ref('excluded.updated_at'),
              version: sql<number>`alley.version + 1`,
            })),
          )
          .execute();
      }
    },

    /** The highest alley sequence used in a street, for numbering alleys that arrive without an id. */
    async maxAlleySequence(streetCode: string): Promise<number> {
      const rows = await db.selectFrom('alley').select('id').where('id', 'like', `${streetCode}-%`).execute();
      return rows.reduce((m, r) => Math.max(m, Number(r.id.slice(10)) || 0), 0);
    },

    async codesOf(layer: Area): Promise<Set<string>> {
      const rows = await db.selectFrom(layer).select('code').execute();
      return new Set(rows.map((r) => r.code));
    },

    async organisationIds(): Promise<Set<string>> {
      const rows = await db.selectFrom('organisation').select('id').execute();
      return new Set(rows.map((r) => r.id));
    },

    async areaName(code: string): Promise<string | null> {
      const table: Area | null =
        code.length === 6
          ? 'district'
          : code.length === 9
            ? 'street'
            : code.length === 12
              ? 'community'
              : code.length === 15
                ? 'grid'
                : null;
      if (!table || !/^\d+$/.test(code)) return null;
      if (table === 'grid') {
        const g = await db
          .selectFrom('grid')
          .innerJoin('community', 'community.code', 'grid.community_code')
          .select(['grid.code', 'community.name'])
          .where('grid.code', '=', code)
          .executeTakeFirst();
        return g ? `${g.name} 网格 ${g.code.slice(12)}` : null;
      }
      const row = await db.selectFrom(table).select('name').where('code', '=', code).executeTakeFirst();
      return row?.name ?? null;
    },

    listDistricts() {
      return db.selectFrom('district').selectAll().orderBy('code').execute();
    },

    listStreets(districtCode?: string) {
      let q = db
        .selectFrom('street as s')
        .selectAll('s')
        .select((eb) => [
          eb
            .selectFrom('community')
            .whereRef('community.street_code', '=', 's.code')
            .select(eb.fn.countAll<number>().as('n'))
            .as('community_count'),
          eb
            .selectFrom('alley')
            .whereRef('alley.street_code', '=', 's.code')
            .select(eb.fn.countAll<number>().as('n'))
            .as('alley_count'),
        ])
        .orderBy('s.code');
      if (districtCode) q = q.where('s.district_code', '=', districtCode);
      return q.execute();
    },

    listCommunities(filter: { streetCode?: string }) {
      let q = db.selectFrom('community').selectAll().orderBy('code');
      if (filter.streetCode) q = q.where('street_code', '=', filter.streetCode);
      return q.execute();
    },

    listGrids(filter: { streetCode?: string; communityCode?: string }) {
      let q = db.selectFrom('grid').selectAll().orderBy('code');
      if (filter.streetCode) q = q.where('street_code', '=', filter.streetCode);
      if (filter.communityCode) q = q.where('community_code', '=', filter.communityCode);
      return q.execute();
    },

    async listAlleys(query: AlleyListQuery): Promise<{ items: AlleyRow[]; total: number }> {
      let base = db.selectFrom('alley');
      if (query.scopePrefix) base = base.where('street_code', 'like', `${query.scopePrefix.slice(0, 9)}%`);
      if (query.streetCode) base = base.where('street_code', '=', query.streetCode);
      if (query.communityCode) base = base.where('community_code', '=', query.communityCode);
      if (query.q) base = base.where('name', 'like', `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      const counted = await base
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      const items = await base
        .selectAll()
        .orderBy('street_code')
        .orderBy('id')
        .limit(query.limit)
        .offset(query.offset)
        .execute();
      return { items, total: counted.total };
    },

    allAlleys(filter: { streetCode?: string } = {}) {
      let q = db.selectFrom('alley').selectAll().orderBy('id');
      if (filter.streetCode) q = q.where('street_code', '=', filter.streetCode);
      return q.execute();
    },

    findAlley(id: string) {
      return db
        .selectFrom('alley as a')
        .innerJoin('street as s', 's.code', 'a.street_code')
        .leftJoin('community as c', 'c.code', 'a.community_code')
        .leftJoin('organisation as o', 'o.id', 'a.contractor_id')
        .selectAll('a')
        .select(['s.name as street_name', 'c.name as community_name', 'o.name as contractor_name'])
        .where('a.id', '=', id)
        .executeTakeFirst();
    },

    /** Optimistic concurrency: the update applies only to the version the editor saw. */
    async updateAlley(id: string, expectedVersion: number, patch: AlleyUpdate): Promise<boolean> {
      const r = await db
        .updateTable('alley')
        .set({ ...patch, version: sql<number>`version + 1` })
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** What the base map draws: public columns only (no chief, phone or registry text). */
    baseLayerRows(streetCode?: string) {
      let streets = db
        .selectFrom('street')
        .select(['code', 'name', 'boundary', 'center_lng', 'center_lat', 'approximate'])
        .orderBy('code');
      let communities = db
        .selectFrom('community')
        .select(['code', 'name', 'boundary', 'approximate'])
        .orderBy('code');
      let alleys = db
        .selectFrom('alley')
        .select(['id', 'name', 'street_code', 'alley_type', 'geometry', 'approximate'])
        .orderBy('id');
      if (streetCode) {
        streets = streets.where('code', '=', streetCode);
        communities = communities.where('street_code', '=', streetCode);
        alleys = alleys.where('street_code', '=', streetCode);
      }
      return Promise.all([streets.execute(), communities.execute(), alleys.execute()]);
    },

    locatorData() {
      return Promise.all([
        db.selectFrom('street').select(['code', 'name', 'boundary']).execute(),
        db.selectFrom('community').select(['code', 'name', 'boundary']).execute(),
        db.selectFrom('grid').select(['code', 'boundary']).execute(),
        db.selectFrom('alley').select(['id', 'name', 'geometry']).execute(),
      ]);
    },

    listOrganisations(filter: { scopePrefix?: string | null; kind?: string }) {
      let q = db.selectFrom('organisation').selectAll().orderBy('kind').orderBy('id');
      if (filter.kind) q = q.where('kind', '=', filter.kind as 'department');
      if (filter.scopePrefix) {
        const p = filter.scopePrefix;
        // An organisation serving the whole district also serves every street in it.
        q = q.where((eb) =>
          eb.or([eb('scope_code', 'like', `${p}%`), eb(sql.val(p), 'like', sql<string>`scope_code || '%'`)]),
        );
      }
      return q.execute();
    },

    findOrganisation(id: string) {
      return db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async upsertOrganisations(
      orgs: {
        id: string;
        districtCode: string;
        scopeCode: string;
        name: string;
        kind: 'street_office' | 'department' | 'contractor';
        departmentType: string | null;
        patternTier: '1' | '5' | 'N' | null;
        phone: string | null;
      }[],
      now: Date,
    ) {
      for (const o of orgs) {
        const row = {
          id: o.id,
          district_code: o.districtCode,
          scope_code: o.scopeCode,
          name: o.name,
          kind: o.kind,
          department_type: o.departmentType,
          pattern_tier: o.patternTier,
          phone: o.phone,
          updated_at: now,
        };
        await db
          .insertInto('organisation')
          .values(row)
          .onConflict((oc) => oc.column('id').doUpdateSet(row))
          .execute();
      }
    },

    async bumpTerritoryVersion(now: Date): Promise<number> {
      const row = await db
        .insertInto('app_meta')
        .values({ key: 'territory_version', value: JSON.stringify(1), updated_at: now })
        .onConflict((oc) =>
          oc
            .column('key')
            .doUpdateSet({ value: sql`to_jsonb((app_meta.value #>> '{}')::int + 1)`, updated_at: now }),
        )
        .returning('value')
        .executeTakeFirstOrThrow();
      return Number(row.value);
    },

    async territoryVersion(): Promise<number> {
      const row = await db
        .selectFrom('app_meta')
        .select('value')
        .where('key', '=', 'territory_version')
        .executeTakeFirst();
      return row ? Number(row.value) : 0;
    },
  };
}

export type TerritoryRepository = ReturnType<typeof territoryRepository>;

export type { AlleyChecklist, LineStringGeometry };
