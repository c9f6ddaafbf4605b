import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../db/schema.ts';

export interface NewUser {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: string;
  scopeCode: string | null;
  districtCode: string | null;
  organisationId: string | null;
  phone: string | null;
  demo?: boolean;
}

export interface UserListQuery {
  scopePrefix: string | null;
  q?: string;
  limit: number;
  offset: number;
}

export interface UserWithNames extends UserRow {
  organisation_name: string | null;
}

export function accountRepository(db: Kysely<Database>) {
  const withNames = () =>
    db
      .selectFrom('app_user as u')
      .leftJoin('organisation as o', 'o.id', 'u.organisation_id')
      .selectAll('u')
      .select('o.name as organisation_name');

  return {
    findUserByUsername(username: string): Promise<UserRow | undefined> {
      return db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
    },

    findUserById(id: string): Promise<UserWithNames | undefined> {
      return withNames().where('u.id', '=', id).executeTakeFirst();
    },

    async insertUser(u: NewUser): Promise<void> {
      await db
        .insertInto('app_user')
        .values({
          id: u.id,
          username: u.username,
          display_name: u.displayName,
          password_hash: u.passwordHash,
          role: u.role,
          scope_code: u.scopeCode,
          district_code: u.districtCode,
          organisation_id: u.organisationId,
          phone: u.phone,
          demo: u.demo ?? false,
        })
        .execute();
    },

    async updateUser(
      id: string,
      patch: Partial<{ active: boolean; display_name: string; phone: string | null; password_hash: string }>,
      now: Date,
    ): Promise<void> {
      await db
        .updateTable('app_user')
        .set({ ...patch, updated_at: now })
        .where('id', '=', id)
        .execute();
    },

    /**
     * Active accounts of these roles whose jurisdiction covers the territory code or lies inside it:
     * a street's grid workers and alley chiefs, and those of the district or street above a grid.
     */
    listActiveByRoleAround(roles: readonly string[], territoryCode: string): Promise<UserRow[]> {
      const covering: string[] = [];
      for (let len = 6; len <= territoryCode.length; len += 3) covering.push(territoryCode.slice(0, len));
      return db
        .selectFrom('app_user')
        .selectAll()
        .where('active', '=', true)
        .where('role', 'in', [...roles])
        .where((eb) =>
          eb.or([eb('scope_code', 'in', covering), eb('scope_code', 'like', `${territoryCode}%`)]),
        )
        .orderBy('role')
        .orderBy('display_name')
        .limit(500)
        .execute();
    },

    async listUsers(query: UserListQuery): Promise<{ items: UserWithNames[]; total: number }> {
      let base = db.selectFrom('app_user as u');
      if (query.scopePrefix !== null) base = base.where('u.scope_code', 'like', `${query.scopePrefix}%`);
      if (query.q) {
        const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        base = base.where((eb) =>
          eb.or([eb('u.username', 'like', like), eb('u.display_name', 'like', like)]),
        );
      }
      const [{ total }] = (await base.select((eb) => eb.fn.countAll<number>().as('total')).execute()) as [
        { total: number },
      ];
      const items = await base
        .leftJoin('organisation as o', 'o.id', 'u.organisation_id')
        .selectAll('u')
        .select('o.name as organisation_name')
        .orderBy('u.username')
        .limit(query.limit)
        .offset(query.offset)
        .execute();
      return { items, total };
    },

    async insertSession(s: {
      id: string;
      userId: string;
      csrfToken: string;
      createdAt: Date;
      expiresAt: Date;
    }): Promise<void> {
      await db
        .insertInto('user_session')
        .values({
          id: s.id,
          user_id: s.userId,
          csrf_token: s.csrfToken,
          created_at: s.createdAt,
          expires_at: s.expiresAt,
        })
        .execute();
    },

    findSession(id: string, now: Date) {
      return db
        .selectFrom('user_session')
        .selectAll()
        .where('id', '=', id)
        .where('expires_at', '>', now)
        .executeTakeFirst();
    },

    async deleteSession(id: string): Promise<void> {
      await db.deleteFrom('user_session').where('id', '=', id).execute();
    },

    async deleteSessionsOfUser(userId: string): Promise<void> {
      await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
    },

    async insertToken(t: { id: string; userId: string; name: string; tokenHash: string; now: Date }) {
      await db
        .insertInto('api_token')
        .values({ id: t.id, user_id: t.userId, name: t.name, token_hash: t.tokenHash, created_at: t.now })
        .execute();
    },

    async findActiveToken(tokenHash: string, now: Date) {
      const token = await db
        .selectFrom('api_token')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (token)
        await db.updateTable('api_token').set({ last_used_at: now }).where('id', '=', token.id).execute();
      return token;
    },

    getThrottle(username: string) {
      return db.selectFrom('login_throttle').selectAll().where('username', '=', username).executeTakeFirst();
    },

    async recordFailure(
      username: string,
      now: Date,
      windowStart: Date,
      lockFor: (failures: number) => number,
    ) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('login_throttle')
          .selectAll()
          .where('username', '=', username)
          .forUpdate()
          .executeTakeFirst();
        const failures = row && row.last_failure_at > windowStart ? row.failures + 1 : 1;
        const ms = lockFor(failures);
        const lockedUntil = ms > 0 ? new Date(now.getTime() + ms) : null;
        await trx
          .insertInto('login_throttle')
          .values({ username, failures, last_failure_at: now, locked_until: lockedUntil })
          .onConflict((oc) =>
            oc.column('username').doUpdateSet({ failures, last_failure_at: now, locked_until: lockedUntil }),
          )
          .execute();
        return { failures, lockedUntil };
      });
    },

    async clearThrottle(username: string): Promise<void> {
      await db.deleteFrom('login_throttle').where('username', '=', username).execute();
    },
  };
}

export type AccountRepository = ReturnType<typeof accountRepository>;
