import { type Kysely, sql } from 'kysely';
import type { Database, ParkingBookingState } from '../../db/schema.ts';

/** Shared parking's SQL (docs/participation.md). Every query names the district, the shard key. */
export function parkingRepository(db: Kysely<Database>) {
  return {
    async insertSpace(row: {
      district_code: string;
      id: string;
      community_code: string;
      alley_id: string | null;
      name: string;
      unit_name: string;
      note: string;
      windows: string;
      created_at: Date;
      created_by: string | null;
    }) {
      await db
        .insertInto('parking_space')
        .values({ ...row, state: 'open', updated_at: row.created_at })
        .execute();
    },

    async findSpace(id: string) {
      return db.selectFrom('parking_space').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Spaces whose community starts with `prefix` (a district, street or community code). */
    async spaces(q: { prefix?: string; alleyId?: string; openOnly: boolean }) {
      let query = db.selectFrom('parking_space').selectAll();
      if (q.prefix) {
        query = query
          .where('district_code', '=', q.prefix.slice(0, 6))
          .where('community_code', 'like', `${q.prefix}%`);
      }
      if (q.alleyId) query = query.where('alley_id', '=', q.alleyId);
      if (q.openOnly) query = query.where('state', '=', 'open');
      return query.orderBy('community_code').orderBy('name').orderBy('id').execute();
    },

    async updateSpace(
      district: string,
      id: string,
      patch: { name?: string; unit_name?: string; note?: string; windows?: string; alley_id?: string | null },
      now: Date,
    ) {
      const r = await db
        .updateTable('parking_space')
        .set({ ...patch, updated_at: now })
        .where('district_code', '=', district)
        .where('id', '=', id)
        .where('state', '=', 'open')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /**
     * Withdraws a space and cancels its bookings not started yet, in one transaction. False when the
     * space was already withdrawn.
     */
    async withdrawSpace(district: string, id: string, now: Date, by: string | null) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .updateTable('parking_space')
          .set({ state: 'withdrawn', withdrawn_at: now, updated_at: now })
          .where('district_code', '=', district)
          .where('id', '=', id)
          .where('state', '=', 'open')
          .executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return null;
        const c = await trx
          .updateTable('parking_booking')
          .set({ state: 'cancelled', cancelled_at: now, cancelled_by: by })
          .where('district_code', '=', district)
          .where('space_id', '=', id)
          .where('state', '=', 'booked')
          .where('starts_at', '>', now)
          .executeTakeFirst();
        return Number(c.numUpdatedRows);
      });
    },

    /**
     * Inserts a booking. The exclusion constraint parking_booking_no_overlap refuses it (SQLSTATE
     * 23P01) when it overlaps an active booking of the same space, however many race for it.
     */
    async insertBooking(row: {
      district_code: string;
      id: string;
      space_id: string;
      community_code: string;
      user_id: string;
      starts_at: Date;
      ends_at: Date;
      created_at: Date;
    }) {
      await db
        .insertInto('parking_booking')
        .values({ ...row, state: 'booked' })
        .execute();
    },

    async findBooking(id: string) {
      return db.selectFrom('parking_booking').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Moves a booking from one state to the next; false when it was no longer in `from`. */
    async transition(
      district: string,
      id: string,
      from: ParkingBookingState,
      set: {
        state: ParkingBookingState;
        checked_in_at?: Date;
        checked_out_at?: Date;
        cancelled_at?: Date;
        cancelled_by?: string | null;
      },
    ) {
      const r = await db
        .updateTable('parking_booking')
        .set(set)
        .where('district_code', '=', district)
        .where('id', '=', id)
        .where('state', '=', from)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /**
     * Marks the bookings not checked in by `before` (their start plus the grace minutes) as no-shows,
     * which also frees the rest of their time. Narrowed to one district, one user or one space.
     */
    async markNoShows(before: Date, q: { district?: string; userId?: string; spaceId?: string } = {}) {
      let query = db
        .updateTable('parking_booking')
        .set({ state: 'no_show' })
        .where('state', '=', 'booked')
        .where('starts_at', '<=', before);
      if (q.district) query = query.where('district_code', '=', q.district);
      if (q.userId) query = query.where('user_id', '=', q.userId);
      if (q.spaceId) query = query.where('space_id', '=', q.spaceId);
      const r = await query.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async countNoShows(userId: string, since: Date) {
      const r = await db
        .selectFrom('parking_booking')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .where('state', '=', 'no_show')
        .where('starts_at', '>=', since)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async userBookings(userId: string, limit: number) {
      return db
        .selectFrom('parking_booking as b')
        .innerJoin('parking_space as s', (j) =>
          j.onRef('s.district_code', '=', 'b.district_code').onRef('s.id', '=', 'b.space_id'),
        )
        .selectAll('b')
        .select(['s.name as space_name', 's.unit_name'])
        .where('b.user_id', '=', userId)
        .orderBy('b.starts_at', 'desc')
        .limit(limit)
        .execute();
    },

    /** Bookings of the spaces under `prefix` (null: all) that end after `since`, with who booked. */
    async bookings(q: { prefix: string | null; spaceId?: string; since: Date; limit: number }) {
      let query = db
        .selectFrom('parking_booking as b')
        .innerJoin('parking_space as s', (j) =>
          j.onRef('s.district_code', '=', 'b.district_code').onRef('s.id', '=', 'b.space_id'),
        )
        .leftJoin('app_user as u', 'u.id', 'b.user_id')
        .selectAll('b')
        .select(['s.name as space_name', 's.unit_name', 'u.display_name'])
        .where('b.ends_at', '>', q.since);
      if (q.prefix) {
        query = query
          .where('b.district_code', '=', q.prefix.slice(0, 6))
          .where('b.community_code', 'like', `${q.prefix}%`);
      }
      if (q.spaceId) query = query.where('b.space_id', '=', q.spaceId);
      return query.orderBy('b.starts_at').orderBy('b.id').limit(q.limit).execute();
    },

    /** No-shows since `since` per person, in the spaces under `prefix` (null: all), most first. */
    async noShowsByPerson(q: { prefix: string | null; since: Date }) {
      let query = db
        .selectFrom('parking_booking as b')
        .leftJoin('app_user as u', 'u.id', 'b.user_id')
        .select(['b.user_id', 'u.display_name'])
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          sql<Date>`max(${eb.ref('b.starts_at')})`.as('last_at'),
        ])
        .where('b.state', '=', 'no_show')
        .where('b.starts_at', '>=', q.since);
      if (q.prefix) {
        query = query
          .where('b.district_code', '=', q.prefix.slice(0, 6))
          .where('b.community_code', 'like', `${q.prefix}%`);
      }
      return query
        .groupBy(['b.user_id', 'u.display_name'])
        .orderBy(sql`count(*)`, 'desc')
        .orderBy('b.user_id')
        .execute();
    },
  };
}

export type ParkingRepository = ReturnType<typeof parkingRepository>;
