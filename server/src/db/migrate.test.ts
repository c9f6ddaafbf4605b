import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { migrateToLatest, migrationStatus } from './migrate.ts';
import { migrations } from './migrations/index.ts';

describe('migrations', () => {
  it('upgrade a database that stopped at an earlier release, in name order', async () => {
    // Databases in use ran up to 0009 before the later files existed; a new file named below the last
    // applied one would make the migrator refuse to start, so every new name must sort after it.
    const handle = await openDatabase({});
    try {
      const migrator = new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'schema_migration',
        migrationLockTableName: 'schema_migration_lock',
      });
      expect(await migrationStatus(handle.db)).toEqual({
        latest: null,
        applied: 0,
        pending: Object.keys(migrations).length,
      });
      const first = await migrator.migrateTo('20261122_0009_case_indexes');
      expect(first.error).toBeUndefined();
      expect((await migrationStatus(handle.db)).latest).toBe('20261122_0009_case_indexes');

      const applied = await migrateToLatest(handle.db);
      const names = Object.keys(migrations).sort();
      expect(applied).toEqual(names.slice(names.indexOf('20261122_0009_case_indexes') + 1));
      expect(await migrationStatus(handle.db)).toMatchObject({ pending: 0, latest: names.at(-1) });
      // Nothing left: the start with nothing to apply returns at once, and applies nothing.
      expect(await migrateToLatest(handle.db)).toEqual([]);
      expect(await migrationStatus(handle.db)).toEqual({
        latest: names.at(-1),
        applied: names.length,
        pending: 0,
      });
    } finally {
      await handle.close();
    }
  });

  it('list each file under a name that sorts after every one landed before it', () => {
    const names = Object.keys(migrations);
    expect(names).toEqual([...names].sort());
  });
});
