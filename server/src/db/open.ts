import path from 'node:path';
import type { Config } from '../config/config.ts';
import { type DatabaseHandle, openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

/** Opens the configured database and brings its schema up to date. */
export async function openConfiguredDatabase(
  config: Config,
): Promise<DatabaseHandle & { applied: string[] }> {
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
  });
  try {
    const applied = await migrateToLatest(handle.db);
    return { ...handle, applied };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
