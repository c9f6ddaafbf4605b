import type { Kysely } from 'kysely';
import type { Database, VolunteerActivityKind, VolunteerMemberState } from '../../db/schema.ts';

/** All SQL of volunteer teams, members, activities and attendance. The service opens the transactions. */
export function volunteerRepository(db: Kysely<Database>) {
  return {
    async insertTeam(t: {
      district_code: string;
      id: string;
      community_code: string;
      alley_id: string | null;
      name: string;
      created_at: Date;
    }): Promise<void> {
      await db.insertInto('volunteer_team').values(t).execute();
    },

    async updateTeam(
      districtCode: string,
      id: string,
      set: { name?: string; alley_id?: string | null },
    ): Promise<void> {
      if (!Object.keys(set).length) return;
      await db
        .updateTable('volunteer_team')
        .set(set)
        .where('district_code', '=', districtCode)
        .where('id', '=', id)
        .execute();
    },

    findTeam(id: string) {
      return db.selectFrom('volunteer_team').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /** Teams with their approved members and confirmed service minutes. */
    teams(q: { communityPrefix?: string; alleyId?: string }) {
      let query = db.selectFrom('volunteer_team as t').select((eb) => [
        't.district_code',
        't.id',
        't.community_code',
        't.alley_id',
        't.name',
        't.created_at',
        eb
          .selectFrom('volunteer_member as m')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('m.district_code', '=', 't.district_code')
          .whereRef('m.team_id', '=', 't.id')
          .where('m.state', '=', 'approved')
          .as('members'),
        eb
          .selectFrom('volunteer_signup as s')
          .innerJoin('volunteer_activity as a', (j) =>
            j.onRef('a.district_code', '=', 's.district_code').onRef('a.id', '=', 's.activity_id'),
          )
          .select((e) => e.fn.sum<string | number | null>('s.minutes').as('m'))
          .whereRef('a.district_code', '=', 't.district_code')
          .whereRef('a.team_id', '=', 't.id')
          .where('s.attended', '=', true)
          .as('minutes'),
      ]);
      if (q.communityPrefix) query = query.where('t.community_code', 'like', `${q.communityPrefix}%`);
      if (q.alleyId) query = query.where('t.alley_id', '=', q.alleyId);
      return query.orderBy('t.community_code').orderBy('t.name').execute();
    },

    findMember(districtCode: string, teamId: string, userId: string, lock = false) {
      let q = db
        .selectFrom('volunteer_member')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId);
      if (lock) q = q.forUpdate();
      return q.executeTakeFirst();
    },

    /** An application; a rejected one may apply again. Answers false when one is pending or approved. */
    async apply(m: {
      district_code: string;
      team_id: string;
      user_id: string;
      note: string;
      applied_at: Date;
    }) {
      const r = await db
        .insertInto('volunteer_member')
        .values({ ...m, state: 'applied', decided_at: null, decided_by: null })
        .onConflict((oc) =>
          oc
            .columns(['district_code', 'team_id', 'user_id'])
            .doUpdateSet({
              state: 'applied',
              note: m.note,
              applied_at: m.applied_at,
              decided_at: null,
              decided_by: null,
            })
            .where('volunteer_member.state', '=', 'rejected'),
        )
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async decideMember(
      districtCode: string,
      teamId: string,
      userId: string,
      state: Exclude<VolunteerMemberState, 'applied'>,
      at: Date,
      by: string | null,
    ): Promise<boolean> {
      const r = await db
        .updateTable('volunteer_member')
        .set({ state, decided_at: at, decided_by: by })
        .where('district_code', '=', districtCode)
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .where('state', '=', 'applied')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    members(districtCode: string, teamId: string) {
      return db
        .selectFrom('volunteer_member as m')
        .innerJoin('app_user as u', 'u.id', 'm.user_id')
        .select([
          'm.user_id',
          'u.username',
          'u.display_name',
          'm.state',
          'm.note',
          'm.applied_at',
          'm.decided_at',
        ])
        .where('m.district_code', '=', districtCode)
        .where('m.team_id', '=', teamId)
        .orderBy('m.applied_at')
        .orderBy('u.username')
        .execute();
    },

    membershipsOf(userId: string) {
      return db
        .selectFrom('volunteer_member as m')
        .innerJoin('volunteer_team as t', (j) =>
          j.onRef('t.district_code', '=', 'm.district_code').onRef('t.id', '=', 'm.team_id'),
        )
        .select(['m.team_id', 't.name', 't.community_code', 'm.state', 'm.applied_at', 'm.decided_at'])
        .where('m.user_id', '=', userId)
        .orderBy('m.applied_at')
        .execute();
    },

    async insertActivity(a: {
      district_code: string;
      id: string;
      team_id: string;
      kind: VolunteerActivityKind;
      title: string;
      place: string;
      alley_id: string | null;
      starts_at: Date;
      ends_at: Date;
      capacity: number | null;
      organiser_user_id: string | null;
      created_at: Date;
    }): Promise<void> {
      await db.insertInto('volunteer_activity').values(a).execute();
    },

    /** An activity with its team's community; locked FOR UPDATE when asked (sign-ups count under it). */
    findActivity(id: string, lock = false) {
      let q = db
        .selectFrom('volunteer_activity as a')
        .innerJoin('volunteer_team as t', (j) =>
          j.onRef('t.district_code', '=', 'a.district_code').onRef('t.id', '=', 'a.team_id'),
        )
        .select([
          'a.district_code',
          'a.id',
          'a.team_id',
          'a.kind',
          'a.title',
          'a.place',
          'a.alley_id',
          'a.starts_at',
          'a.ends_at',
          'a.capacity',
          'a.organiser_user_id',
          't.community_code',
          't.name as team_name',
        ])
        .where('a.id', '=', id);
      if (lock) q = q.forUpdate('a');
      return q.executeTakeFirst();
    },

    activities(q: { teamId?: string; communityPrefix?: string; from?: Date }) {
      let query = db
        .selectFrom('volunteer_activity as a')
        .innerJoin('volunteer_team as t', (j) =>
          j.onRef('t.district_code', '=', 'a.district_code').onRef('t.id', '=', 'a.team_id'),
        )
        .select((eb) => [
          'a.district_code',
          'a.id',
          'a.team_id',
          't.name as team_name',
          't.community_code',
          'a.kind',
          'a.title',
          'a.place',
          'a.alley_id',
          'a.starts_at',
          'a.ends_at',
          'a.capacity',
          eb
            .selectFrom('volunteer_signup as s')
            .select((e) => e.fn.countAll<number>().as('n'))
            .whereRef('s.district_code', '=', 'a.district_code')
            .whereRef('s.activity_id', '=', 'a.id')
            .as('signed_up'),
        ]);
      if (q.teamId) query = query.where('a.team_id', '=', q.teamId);
      if (q.communityPrefix) query = query.where('t.community_code', 'like', `${q.communityPrefix}%`);
      if (q.from) query = query.where('a.ends_at', '>', q.from);
      return query.orderBy('a.starts_at').orderBy('a.id').limit(500).execute();
    },

    async countSignups(districtCode: string, activityId: string): Promise<number> {
      const r = await db
        .selectFrom('volunteer_signup')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('district_code', '=', districtCode)
        .where('activity_id', '=', activityId)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },

    findSignup(districtCode: string, activityId: string, userId: string) {
      return db
        .selectFrom('volunteer_signup')
        .selectAll()
        .where('district_code', '=', districtCode)
        .where('activity_id', '=', activityId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
    },

    async insertSignup(s: {
      district_code: string;
      activity_id: string;
      user_id: string;
      signed_up_at: Date;
    }) {
      await db
        .insertInto('volunteer_signup')
        .values({ ...s, attended: null, minutes: null, confirmed_at: null, confirmed_by: null })
        .onConflict((oc) => oc.columns(['district_code', 'activity_id', 'user_id']).doNothing())
        .execute();
    },

    /** Withdraws a sign-up not yet confirmed. */
    async deleteSignup(districtCode: string, activityId: string, userId: string): Promise<boolean> {
      const r = await db
        .deleteFrom('volunteer_signup')
        .where('district_code', '=', districtCode)
        .where('activity_id', '=', activityId)
        .where('user_id', '=', userId)
        .where('confirmed_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    signups(districtCode: string, activityId: string) {
      return db
        .selectFrom('volunteer_signup as s')
        .innerJoin('app_user as u', 'u.id', 's.user_id')
        .select([
          's.user_id',
          'u.display_name',
          's.signed_up_at',
          's.attended',
          's.minutes',
          's.confirmed_at',
        ])
        .where('s.district_code', '=', districtCode)
        .where('s.activity_id', '=', activityId)
        .orderBy('s.signed_up_at')
        .execute();
    },

    /** Records an attendance once: answers false when it was confirmed before (nothing changes then). */
    async confirm(
      districtCode: string,
      activityId: string,
      userId: string,
      attended: boolean,
      minutes: number | null,
      at: Date,
      by: string | null,
    ): Promise<boolean> {
      const r = await db
        .updateTable('volunteer_signup')
        .set({ attended, minutes, confirmed_at: at, confirmed_by: by })
        .where('district_code', '=', districtCode)
        .where('activity_id', '=', activityId)
        .where('user_id', '=', userId)
        .where('confirmed_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Confirmed attendances of a person (all teams) or of a team (all members). */
    attendances(q: { userId?: string; teamId?: string }) {
      let query = db
        .selectFrom('volunteer_signup as s')
        .innerJoin('volunteer_activity as a', (j) =>
          j.onRef('a.district_code', '=', 's.district_code').onRef('a.id', '=', 's.activity_id'),
        )
        .innerJoin('volunteer_team as t', (j) =>
          j.onRef('t.district_code', '=', 'a.district_code').onRef('t.id', '=', 'a.team_id'),
        )
        .select([
          's.user_id',
          'a.team_id',
          't.name as team_name',
          'a.id as activity_id',
          'a.title',
          'a.kind',
          'a.starts_at',
          's.attended',
          's.minutes',
        ])
        .where('s.confirmed_at', 'is not', null);
      if (q.userId) query = query.where('s.user_id', '=', q.userId);
      if (q.teamId) query = query.where('a.team_id', '=', q.teamId);
      return query.orderBy('a.starts_at').execute();
    },
  };
}
