import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { type Kysely, sql } from 'kysely';
import { migrationStatus } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';

/**
 * A logical backup that either engine can write and either engine can read: one gzip'd file of JSON
 * lines — a header, then every row of every table as PostgreSQL renders it (`row_to_json`), then the
 * files of the data folder that the database points at (photos, classifier models). Being logical, the
 * same file moves an embedded site to a PostgreSQL server (`hutong migrate-to`), and a restore
 * writes rows verbatim, so the hash-chained trail verifies as before.
 */

export const BACKUP_FORMAT = 'hutong-backup';
export const BACKUP_VERSION = 1;
/** Folders of the data folder that belong to the database's state. */
export const DATA_FOLDERS = ['media', 'models'] as const;
/** Rows per statement on restore: large enough to amortise the round trip, small enough for PGlite. */
const BATCH = 2000;
/** Rows read per page on backup. */
const PAGE = 5000;
/** Tables of the installation itself, never copied: the target has its own migration history. */
const SKIPPED = new Set(['schema_migration', 'schema_migration_lock']);

interface Header {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  migration: string | null;
  tables: { name: string; columns: string[]; rows: number }[];
  files: number;
}

type Line = Header | { t: string; r: Record<string, unknown> } | { f: string; data: string };

export interface BackupSummary {
  tables: Record<string, number>;
  files: number;
  bytes: number;
}

interface TableInfo {
  name: string;
  columns: string[];
  /** Primary-key columns and their SQL types, to read the table in pages by key. */
  key: string[];
  keyTypes: string[];
  /** Foreign keys of the table to itself: [column, referenced column]. */
  selfLinks: [string, string][];
}

/** Tables of the schema in an order where every table comes after those it points at. */
export async function tablesInDependencyOrder(db: Kysely<Database>): Promise<TableInfo[]> {
  const { rows: tables } = await sql<{
    name: string;
    columns: string[];
    key: string[] | null;
    key_types: string[] | null;
    self_from: string[] | null;
    self_to: string[] | null;
  }>`
    select c.relname as name,
      array(select a.attname::text from pg_attribute a
            where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped order by a.attnum) as columns,
      (select array(select a.attname::text from unnest(p.conkey) with ordinality k(n, i)
              join pg_attribute a on a.attrelid = c.oid and a.attnum = k.n order by k.i)
       from pg_constraint p where p.conrelid = c.oid and p.contype = 'p') as key,
      (select array(select format_type(a.atttypid, a.atttypmod) from unnest(p.conkey) with ordinality k(n, i)
              join pg_attribute a on a.attrelid = c.oid and a.attnum = k.n order by k.i)
       from pg_constraint p where p.conrelid = c.oid and p.contype = 'p') as key_types,
      array(select a.attname::text from pg_constraint f
            join pg_attribute a on a.attrelid = c.oid and a.attnum = f.conkey[1]
            where f.conrelid = c.oid and f.confrelid = c.oid and f.contype = 'f') as self_from,
      array(select a.attname::text from pg_constraint f
            join pg_attribute a on a.attrelid = c.oid and a.attnum = f.confkey[1]
            where f.conrelid = c.oid and f.confrelid = c.oid and f.contype = 'f') as self_to
    from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
    where ns.nspname = current_schema() and c.relkind in ('r', 'p')
    order by c.relname`.execute(db);
  const { rows: links } = await sql<{ child: string; parent: string }>`
    select distinct t.relname as child, p.relname as parent
    from pg_constraint con
    join pg_class t on t.oid = con.conrelid
    join pg_class p on p.oid = con.confrelid
    join pg_namespace ns on ns.oid = t.relnamespace and ns.nspname = current_schema()
    where con.contype = 'f' and t.oid <> p.oid`.execute(db);
  const order: TableInfo[] = [];
  const placed = new Set<string>();
  const pending: TableInfo[] = tables
    .filter((t) => !SKIPPED.has(t.name))
    .map((t) => ({
      name: t.name,
      columns: t.columns,
      key: t.key ?? [],
      keyTypes: t.key_types ?? [],
      selfLinks: (t.self_from ?? []).map((from, i) => [from, t.self_to?.[i] ?? 'id'] as [string, string]),
    }));
  while (pending.length > 0) {
    const next = pending.findIndex((t) =>
      links.every((l) => l.child !== t.name || placed.has(l.parent) || SKIPPED.has(l.parent)),
    );
    // A cycle between tables cannot be ordered; take the first and rely on the restore's checks.
    const [t] = pending.splice(Math.max(0, next), 1);
    placed.add(t!.name);
    order.push(t!);
  }
  return order;
}

/** Writes the database and the data folder's files to `file` (gzip'd JSON lines). */
export async function writeBackup(
  db: Kysely<Database>,
  dataDir: string,
  file: string,
): Promise<BackupSummary> {
  const tables = await tablesInDependencyOrder(db);
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t.name)}`.execute(
      db,
    );
    counts[t.name] = rows[0]!.n;
  }
  const files = await dataFiles(dataDir);
  const header: Header = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    migration: (await migrationStatus(db)).latest,
    tables: tables.map((t) => ({ name: t.name, columns: t.columns, rows: counts[t.name]! })),
    files: files.length,
  };

  async function* lines(): AsyncGenerator<string> {
    yield `${JSON.stringify(header)}\n`;
    for (const t of tables) {
      // Pages in primary-key order, each starting after the last key of the one before: every page
      // is an index range, however large the table (an offset would rescan what came before).
      const key = sql.join(t.key.map((k) => sql.ref(`x.${k}`)));
      let after: string[] | null = null;
      for (;;) {
        const from: ReturnType<typeof sql> = after
          ? sql`where (${key}) > (${sql.join(after.map((v, i) => sql`cast(${v} as ${sql.raw(t.keyTypes[i]!)})`))})`
          : sql``;
        const { rows } = await sql<{ j: string; k: string[] }>`
          select row_to_json(x)::text as j, array[${sql.join(t.key.map((k) => sql`${sql.ref(`x.${k}`)}::text`))}] as k
          from ${sql.table(t.name)} x ${from}
          order by ${key} limit ${PAGE}`.execute(db);
        // One chunk per page: a yield per row costs more than the row.
        const name = JSON.stringify(t.name);
        yield rows.map((r) => `{"t":${name},"r":${r.j}}\n`).join('');
        if (rows.length < PAGE) break;
        after = rows.at(-1)!.k;
      }
    }
    for (const f of files) {
      const data = await fs.readFile(path.join(dataDir, f));
      yield `${JSON.stringify({ f, data: data.toString('base64') })}\n`;
    }
  }

  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.partial`;
  await pipeline(lines(), createGzip(), createWriteStream(partial));
  // Renamed only when complete, so a backup that was interrupted never looks like a good one.
  await fs.rename(partial, file);
  return { tables: counts, files: files.length, bytes: (await fs.stat(file)).size };
}

async function dataFiles(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  for (const folder of DATA_FOLDERS) {
    const root = path.join(dataDir, folder);
    const entries = await fs.readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isFile() || e.name.endsWith('.tmp')) continue;
      out.push(path.relative(dataDir, path.join(e.parentPath, e.name)));
    }
  }
  return out.sort();
}

/** Reads a backup's lines one at a time (the file may be larger than memory). */
async function* readLines(file: string): AsyncGenerator<Line> {
  const input = createReadStream(file).pipe(createGunzip());
  const rl = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    if (line.trim()) yield JSON.parse(line) as Line;
  }
}

/** The header of a backup file, checked. */
export async function readBackupHeader(file: string): Promise<Header> {
  for await (const line of readLines(file)) {
    const h = line as Header;
    if (h.format !== BACKUP_FORMAT) {
      throw AppError.validation([{ field: 'file', message: 'not a Hutong backup' }]);
    }
    if (h.version > BACKUP_VERSION) {
      throw AppError.validation([
        { field: 'file', message: `backup format ${h.version} is newer than this program` },
      ]);
    }
    return h;
  }
  throw AppError.validation([{ field: 'file', message: 'empty file' }]);
}

/**
 * Restores a backup into an empty database migrated to the same schema, in one transaction (a restore
 * that fails leaves the target as it was), and its files into `dataDir`. Refuses a target that already
 * holds cases or users other than none, and a backup made by a newer schema than the target's.
 */
export async function restoreBackup(
  db: Kysely<Database>,
  dataDir: string,
  file: string,
  options: { files?: boolean } = {},
): Promise<BackupSummary> {
  const header = await readBackupHeader(file);
  const target = (await migrationStatus(db)).latest;
  if (header.migration && target && header.migration > target) {
    throw new AppError(
      'CONFLICT',
      `The backup was made at migration ${header.migration}, newer than this program's ${target}: upgrade first`,
      {
        field: 'file',
      },
    );
  }
  const present = await tablesInDependencyOrder(db);
  const known = new Map(present.map((t) => [t.name, t.columns]));
  const { rows: taken } = await sql<{ n: number }>`
    select (select count(*) from case_record)::int + (select count(*) from app_user)::int
      + (select count(*) from street)::int as n`.execute(db);
  if (taken[0]!.n > 0) {
    throw new AppError(
      'CONFLICT',
      'Restore only into an empty database: this one already has territory, users or cases',
      {
        field: 'target',
      },
    );
  }
  const counts: Record<string, number> = {};
  let files = 0;
  await db.transaction().execute(async (trx) => {
    // Tables come parents first. A table that points at itself (a taxonomy version based on an older
    // one) is held back and written in rounds, each row after the one it points at.
    const selfLinked = new Map(
      present.filter((t) => t.selfLinks.length > 0).map((t) => [t.name, t.selfLinks]),
    );
    let batch: Record<string, unknown>[] = [];
    let table: string | null = null;
    const flush = async () => {
      if (!table || batch.length === 0) return;
      const links = selfLinked.get(table);
      if (links) {
        let rest = batch;
        const written = new Set<string>();
        while (rest.length > 0) {
          const ready = rest.filter((r) =>
            links.every(
              ([from]) => r[from] === null || r[from] === undefined || written.has(String(r[from])),
            ),
          );
          if (ready.length === 0)
            throw new AppError('VALIDATION_FAILED', `${table} points at rows it lacks`, { table });
          await write(table, ready);
          for (const r of ready) for (const [, to] of links) written.add(String(r[to]));
          rest = rest.filter((r) => !ready.includes(r));
        }
        batch = [];
        return;
      }
      await write(table, batch);
      batch = [];
    };
    const write = async (table: string, batch: Record<string, unknown>[]) => {
      const columns = (header.tables.find((t) => t.name === table)?.columns ?? []).filter((c) =>
        known.get(table!)?.includes(c),
      );
      const list = sql.join(columns.map((c) => sql.ref(c)));
      await sql`insert into ${sql.table(table)} (${list})
        select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(batch)}::json)`.execute(
        trx,
      );
      counts[table] = (counts[table] ?? 0) + batch.length;
    };
    // Indexes that back no constraint are dropped for the load and built again at its end, inside the
    // same transaction: one build per index is several times cheaper than keeping each up to date row
    // by row, and a restore that fails rolls the drops back with the rows.
    const secondary = await secondaryIndexes(trx);
    for (const ix of secondary) await sql`drop index ${sql.ref(ix.name)}`.execute(trx);
    let first = true;
    for await (const line of readLines(file)) {
      if (first) {
        first = false;
        continue;
      }
      if ('t' in line) {
        if (!known.has(line.t)) continue;
        if (line.t !== table || (batch.length >= BATCH && !selfLinked.has(line.t))) {
          await flush();
          table = line.t;
        }
        batch.push(line.r);
      } else if ('f' in line) {
        await flush();
        // Moving to another engine in the same data folder: the files are already where they belong.
        if (options.files === false) continue;
        const to = path.join(dataDir, line.f);
        if (
          !DATA_FOLDERS.some((d) => line.f.startsWith(`${d}/`)) ||
          path.relative(dataDir, to).startsWith('..')
        ) {
          throw AppError.validation([
            { field: 'file', message: `a file outside the data folders: ${line.f}` },
          ]);
        }
        await fs.mkdir(path.dirname(to), { recursive: true });
        await fs.writeFile(to, Buffer.from(line.data, 'base64'));
        files++;
      }
    }
    await flush();
    for (const ix of secondary) await sql.raw(ix.definition).execute(trx);
    for (const t of header.tables) {
      if (known.has(t.name) && (counts[t.name] ?? 0) !== t.rows) {
        throw new AppError(
          'VALIDATION_FAILED',
          `The backup lists ${t.rows} rows of ${t.name} but holds ${counts[t.name] ?? 0}`,
          {
            field: 'file',
            table: t.name,
          },
        );
      }
    }
  });
  return { tables: counts, files, bytes: (await fs.stat(file)).size };
}

/**
 * The indexes of the schema that no primary key, unique or exclusion constraint relies on (of `tables`
 * only, when given): what a bulk load drops first and builds once at its end.
 */
export async function secondaryIndexes(
  db: Kysely<Database>,
  tables?: readonly string[],
): Promise<{ name: string; table: string; definition: string }[]> {
  const { rows } = await sql<{ name: string; table: string; definition: string }>`
    select ic.relname as name, t.relname as table, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class t on t.oid = i.indrelid
    join pg_namespace ns on ns.oid = t.relnamespace and ns.nspname = current_schema()
    where not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      and t.relkind = 'r'
    order by 1`.execute(db);
  return tables ? rows.filter((r) => tables.includes(r.table)) : rows;
}
