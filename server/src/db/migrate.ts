import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrations } from './migrations/index.ts';
import type { Database } from './schema.ts';

export interface MigrationStatus {
  latest: string | null;
  applied: number;
  pending: number;
}

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'schema_migration',
    migrationLockTableName: 'schema_migration_lock',
    // Capabilities own number ranges (supervision 0030–0039 lands after intelligence 0040 was applied):
    // a database that already ran a later number must still take an earlier one that arrives late.
    allowUnorderedMigrations: true,
  });
}

/**
 * The names of the applied migrations, or null before the first (no table yet), in two small queries.
 * Kysely's Migrator finds its table by introspecting every column of every table, which takes most of
 * a second on the embedded engine, so a start with nothing to apply and `/api/health` use this instead.
 */
async function appliedMigrations(db: Kysely<Database>): Promise<Set<string> | null> {
  const table = await sql<{ t: string | null }>`select to_regclass('schema_migration')::text as t`.execute(
    db,
  );
  if (!table.rows[0]?.t) return null;
  const rows = await sql<{ name: string }>`select name from schema_migration`.execute(db);
  return new Set(rows.rows.map((r) => r.name));
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const applied = await appliedMigrations(db);
  if (applied && Object.keys(migrations).every((name) => applied.has(name))) return [];
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus> {
  const applied = (await appliedMigrations(db)) ?? new Set<string>();
  // The Migrator's order: by name.
  const known = Object.keys(migrations).sort();
  const done = known.filter((name) => applied.has(name));
  return { latest: done.at(-1) ?? null, applied: done.length, pending: known.length - done.length };
}
