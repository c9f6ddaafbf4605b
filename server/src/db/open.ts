import path from 'node:path';
import type { Config } from '../config/config.ts';
import { acquireDataLock, type LockRole } from './data-lock.ts';
import { type DatabaseHandle, openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';

export interface OpenAs {
  /** Who opens the embedded database: the server, or a CLI command (named in the lock for others). */
  role: LockRole;
  command?: string;
}

/**
 * Opens the configured database and brings its schema up to date. The embedded engine's data folder
 * is locked for this process first (db/data-lock.ts): a second process on it is refused before it
 * can touch a page.
 */
export async function openConfiguredDatabase(
  config: Config,
  as: OpenAs = { role: 'cli' },
): Promise<DatabaseHandle & { applied: string[]; operatorSecret: string | null }> {
  const lock = config.databaseUrl
    ? null
    : acquireDataLock(config.dataDir, {
        role: as.role,
        command: as.command,
        url: as.role === 'server' ? serverUrl(config) : undefined,
      });
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pglite'),
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const locked: DatabaseHandle = {
    ...handle,
    close: async () => {
      try {
        await handle.close();
      } finally {
        lock?.release();
      }
    },
  };
  try {
    const applied = await migrateToLatest(handle.db);
    return { ...locked, applied, operatorSecret: lock?.holder.secret ?? null };
  } catch (err) {
    await locked.close();
    throw err;
  }
}

/** Where a CLI on the same machine reaches this server: loopback when it listens on every interface. */
export function serverUrl(config: Config): string {
  const host = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
