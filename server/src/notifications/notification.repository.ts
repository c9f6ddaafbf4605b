import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface NewNotification {
  id: string;
  userId: string;
  districtCode: string | null;
  kind: string;
  caseId: string | null;
  title: string;
  body: string;
  createdAt: Date;
}

/** Roles that act for a unit on a case (sign, feed back): the people a unit's notice is for. */
const UNIT_ROLES = ['department_handler', 'contractor'];

export function notificationRepository(db: Kysely<Database>) {
  return {
    async insertMany(rows: readonly NewNotification[]): Promise<void> {
      if (rows.length === 0) return;
      await db
        .insertInto('notification')
        .values(
          rows.map((n) => ({
            id: n.id,
            user_id: n.userId,
            district_code: n.districtCode,
            kind: n.kind,
            case_id: n.caseId,
            title: n.title,
            body: n.body,
            created_at: n.createdAt,
          })),
        )
        .execute();
    },

    async unitUsers(organisationIds: readonly string[]): Promise<string[]> {
      if (organisationIds.length === 0) return [];
      const rows = await db
        .selectFrom('app_user')
        .select('id')
        .where('organisation_id', 'in', [...organisationIds])
        .where('role', 'in', UNIT_ROLES)
        .where('active', '=', true)
        .execute();
      return rows.map((r) => r.id);
    },

    /** Street dispatchers whose jurisdiction holds one of these codes (district, street, community, grid). */
    async dispatchers(territoryCodes: readonly string[]): Promise<string[]> {
      if (territoryCodes.length === 0) return [];
      const rows = await db
        .selectFrom('app_user')
        .select('id')
        .where('role', '=', 'street_dispatcher')
        .where('scope_code', 'in', [...territoryCodes])
        .where('active', '=', true)
        .execute();
      return rows.map((r) => r.id);
    },

    /** District administrators (区城市管理委) of a district: the level above the street and its units. */
    async districtAdmins(districtCode: string): Promise<string[]> {
      const rows = await db
        .selectFrom('app_user')
        .select('id')
        .where('role', '=', 'district_admin')
        .where('scope_code', '=', districtCode)
        .where('active', '=', true)
        .execute();
      return rows.map((r) => r.id);
    },

    async activeUsers(ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('app_user')
        .select('id')
        .where('id', 'in', [...ids])
        .where('active', '=', true)
        .execute();
      return rows.map((r) => r.id);
    },

    list(userId: string, q: { unreadOnly: boolean; limit: number; offset: number }) {
      let query = db
        .selectFrom('notification as n')
        .leftJoin('case_record as c', 'c.id', 'n.case_id')
        .select([
          'n.id',
          'n.kind',
          'n.case_id',
          'c.case_number',
          'n.title',
          'n.body',
          'n.created_at',
          'n.read_at',
        ])
        .where('n.user_id', '=', userId);
      if (q.unreadOnly) query = query.where('n.read_at', 'is', null);
      return query
        .orderBy('n.created_at', 'desc')
        .orderBy('n.id', 'desc')
        .limit(q.limit)
        .offset(q.offset)
        .execute();
    },

    async unreadCount(userId: string): Promise<number> {
      const row = await db
        .selectFrom('notification')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    /** Marks one of the user's own notifications read; the first reading time is kept. */
    async markRead(userId: string, id: string, now: Date): Promise<boolean> {
      const found = await db
        .selectFrom('notification')
        .select(['id', 'read_at'])
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!found) return false;
      if (!found.read_at) {
        await db
          .updateTable('notification')
          .set({ read_at: now })
          .where('id', '=', id)
          .where('read_at', 'is', null)
          .execute();
      }
      return true;
    },

    async markAllRead(userId: string, now: Date): Promise<number> {
      const r = await db
        .updateTable('notification')
        .set({ read_at: now })
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
