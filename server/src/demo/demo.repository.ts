import type { Kysely } from 'kysely';
import type { Role } from '../accounts/roles.ts';
import type { Database } from '../db/schema.ts';

export function demoRepository(db: Kysely<Database>) {
  return {
    async isLoaded(): Promise<boolean> {
      const row = await db
        .selectFrom('app_meta')
        .select('key')
        .where('key', '=', 'demo_loaded')
        .executeTakeFirst();
      return !!row;
    },
    async markLoaded(now: Date): Promise<void> {
      await db
        .insertInto('app_meta')
        .values({ key: 'demo_loaded', value: JSON.stringify(now.toISOString()), updated_at: now })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    },
    /** Active departments and contractors: every unit a dispatch or a whistle can name. */
    async summonableUnits() {
      return db
        .selectFrom('organisation')
        .select(['id', 'name', 'kind', 'scope_code'])
        .where('kind', 'in', ['department', 'contractor'])
        .where('active', '=', true)
        .orderBy('id')
        .execute();
    },
    async usernamesTaken(usernames: readonly string[]): Promise<Set<string>> {
      if (usernames.length === 0) return new Set();
      const rows = await db
        .selectFrom('app_user')
        .select('username')
        .where('username', 'in', [...usernames])
        .execute();
      return new Set(rows.map((r) => r.username));
    },
    async demoAccounts() {
      const rows = await db
        .selectFrom('app_user')
        .select(['username', 'role', 'scope_code'])
        .where('demo', '=', true)
        .orderBy('username')
        .execute();
      return rows.map((r) => ({ username: r.username, role: r.role as Role, scopeCode: r.scope_code }));
    },
  };
}
