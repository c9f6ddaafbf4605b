import { type Kysely, sql } from 'kysely';
import type { Actor } from '../../accounts/authorisation.ts';
import type { Role } from '../../accounts/roles.ts';
import type { Database } from '../../db/schema.ts';

/** All SQL of household visits (十必访). */
export function visitRepository(db: Kysely<Database>) {
  return {
    /** An active account named as a household's official, as an actor, or undefined. */
    async findOfficial(userId: string): Promise<Actor | undefined> {
      const u = await db
        .selectFrom('app_user')
        .select(['id', 'username', 'role', 'scope_code', 'organisation_id'])
        .where('id', '=', userId)
        .where('active', '=', true)
        .executeTakeFirst();
      return u
        ? {
            userId: u.id,
            username: u.username,
            role: u.role as Role,
            scopeCode: u.scope_code,
            organisationId: u.organisation_id,
          }
        : undefined;
    },

    /** Active staff accounts whose scope contains the community or lies inside it (candidates only). */
    async officialCandidates(communityCode: string, roles: readonly Role[]) {
      const rows = await db
        .selectFrom('app_user')
        .select(['id', 'username', 'display_name', 'role', 'scope_code', 'organisation_id'])
        .where('active', '=', true)
        .where('role', 'in', [...roles])
        .where((eb) =>
          eb.or([
            eb('scope_code', 'is', null),
            sql<boolean>`${communityCode} like ${eb.ref('scope_code')} || '%'`,
            eb('scope_code', 'like', `${communityCode}%`),
          ]),
        )
        .orderBy('display_name')
        .execute();
      return rows.map((u) => ({
        displayName: u.display_name,
        actor: {
          userId: u.id,
          username: u.username,
          role: u.role as Role,
          scopeCode: u.scope_code,
          organisationId: u.organisation_id,
        } satisfies Actor,
      }));
    },

    async insertHousehold(h: {
      district_code: string;
      id: string;
      community_code: string;
      grid_code: string | null;
      label: string;
      address: string;
      kinds: string;
      contact_name: string;
      contact_phone: string;
      official_user_id: string | null;
      created_at: Date;
      created_by: string | null;
    }): Promise<void> {
      await db.insertInto('visit_household').values(h).execute();
    },

    findHousehold(id: string) {
      return db.selectFrom('visit_household').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /**
     * Households under a territory prefix (a community's, or a grid's own), with their last visit and
     * their official's name. `prefix` null: every household.
     */
    households(q: { prefix: string | null; communityCode?: string }) {
      let query = db
        .selectFrom('visit_household as h')
        .leftJoin('app_user as u', 'u.id', 'h.official_user_id')
        .select((eb) => [
          'h.district_code',
          'h.id',
          'h.community_code',
          'h.grid_code',
          'h.label',
          'h.address',
          'h.kinds',
          'h.contact_name',
          'h.contact_phone',
          'h.official_user_id',
          'u.display_name as official_name',
          'h.created_at',
          eb
            .selectFrom('household_visit as v')
            .select((e) => e.fn.max('v.visited_at').as('last'))
            .whereRef('v.district_code', '=', 'h.district_code')
            .whereRef('v.household_id', '=', 'h.id')
            .as('last_visit_at'),
        ]);
      const prefix = q.prefix;
      if (prefix !== null)
        query = query.where((eb) =>
          eb.or([eb('h.community_code', 'like', `${prefix}%`), eb('h.grid_code', 'like', `${prefix}%`)]),
        );
      if (q.communityCode) query = query.where('h.community_code', '=', q.communityCode);
      return query.orderBy('h.community_code').orderBy('h.label').execute();
    },

    async insertVisit(v: {
      district_code: string;
      id: string;
      household_id: string;
      visitor_user_id: string | null;
      visited_at: Date;
      notes: string;
      case_id: string | null;
      case_number: string | null;
      created_at: Date;
    }): Promise<void> {
      await db.insertInto('household_visit').values(v).execute();
    },

    visits(districtCode: string, householdId: string) {
      return db
        .selectFrom('household_visit as v')
        .leftJoin('app_user as u', 'u.id', 'v.visitor_user_id')
        .select([
          'v.id',
          'v.household_id',
          'v.visitor_user_id',
          'u.display_name as visitor_name',
          'v.visited_at',
          'v.notes',
          'v.case_id',
          'v.case_number',
        ])
        .where('v.district_code', '=', districtCode)
        .where('v.household_id', '=', householdId)
        .orderBy('v.visited_at', 'desc')
        .execute();
    },
  };
}
