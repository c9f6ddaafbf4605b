import type { Kysely } from 'kysely';
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

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function migrationStatus(db: Kysely<Database>): Promise<MigrationStatus> {
  const all = await migrator(db).getMigrations();
  const applied = all.filter((m) => m.executedAt !== undefined);
  return {
    latest: applied.at(-1)?.name ?? null,
    applied: applied.length,
    pending: all.length - applied.length,
  };
}
