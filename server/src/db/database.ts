import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { namePreparedStatements } from './prepared.ts';
import type { Database } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** The embedded instance, when the engine is PGlite (tests snapshot it with `dumpDataDir`). */
  pglite?: PGlite;
  close(): Promise<void>;
}

// Both engines must hand the application the same JavaScript types: counts and sums as numbers,
// not the strings that pg returns for int8 and numeric by default.
const INT8 = 20;
const NUMERIC = 1700;
const toNumber = (v: string) => (v === null ? v : Number(v));
pg.types.setTypeParser(INT8, toNumber);
pg.types.setTypeParser(NUMERIC, toNumber);

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded PGlite engine is used. */
  databaseUrl?: string;
  /** Data folder for PGlite; `undefined` keeps the database in memory (tests). */
  dataDir?: string;
  /** A PGlite data-folder snapshot (from `dumpDataDir`) to start from; tests use it to skip migrations. */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client whose server connection drops (a restart, or a database dropped as it closes)
    // must not crash the process; the pool replaces it on the next query.
    pool.on('error', () => {});
    // Hot statements marked with `prepared()` are parsed and planned once per connection.
    pool.on('connect', (client) => namePreparedStatements(client));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  if (options.dataDir) fs.mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  const pglite = await PGlite.create({
    dataDir: options.dataDir,
    loadDataDir: options.loadDataDir,
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
    // The exclusion constraint of parking bookings (no overlap on one space) needs btree_gist.
    extensions: { btree_gist },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  return {
    db,
    engine: 'pglite',
    pglite,
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
