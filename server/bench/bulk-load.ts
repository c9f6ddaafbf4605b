import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/db/schema.ts';
import { secondaryIndexes } from '../src/operations/backup.ts';

/**
 * What a bulk load of a history does to the big tables first, as `pg_restore` and `hutong restore` do:
 * the keys, unique constraints, foreign keys and secondary indexes of `tables` (and the foreign keys of
 * other tables that point at them) are dropped, and autovacuum is held off them, so that COPY only
 * appends to heaps. Each index then costs one sort at the end instead of a random page per row, and
 * each foreign key one join instead of a look-up per row. Check constraints stay.
 *
 * Returns the step that puts everything back as it was, in dependency order (keys first, then the
 * other indexes, then the foreign keys), with memory for the sorts; it reports how long each part took.
 */
export async function deferIndexes(
  db: Kysely<Database>,
  tables: readonly string[],
): Promise<() => Promise<{ keysMs: number; indexesMs: number; foreignKeysMs: number }>> {
  const { rows: constraints } = await sql<{ name: string; table: string; kind: string; definition: string }>`
    select c.conname as name, t.relname as table, c.contype as kind, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c
    join pg_class t on t.oid = c.conrelid
    join pg_namespace ns on ns.oid = t.relnamespace and ns.nspname = current_schema()
    left join pg_class r on r.oid = c.confrelid
    where (c.contype in ('p', 'u') and t.relname in (${sql.join(tables)}))
       or (c.contype = 'f' and (t.relname in (${sql.join(tables)}) or r.relname in (${sql.join(tables)})))
    order by c.contype = 'f' desc, t.relname, c.conname`.execute(db);
  const indexes = await secondaryIndexes(db, tables);
  const keys = constraints.filter((c) => c.kind !== 'f');
  const foreign = constraints.filter((c) => c.kind === 'f');
  const drop = (c: { name: string; table: string }) =>
    sql`alter table ${sql.table(c.table)} drop constraint ${sql.ref(c.name)}`.execute(db);
  for (const c of foreign) await drop(c);
  for (const c of keys) await drop(c);
  for (const ix of indexes) await sql`drop index ${sql.ref(ix.name)}`.execute(db);
  for (const t of tables) await sql`alter table ${sql.table(t)} set (autovacuum_enabled = off)`.execute(db);

  return async () =>
    db.connection().execute(async (conn) => {
      // One session with room to sort: the defaults (64 MB, 4 MB) would spill every build to disk.
      await sql`set maintenance_work_mem = '1GB'`.execute(conn);
      await sql`set work_mem = '256MB'`.execute(conn);
      const add = (c: { table: string; name: string; definition: string }) =>
        sql`alter table ${sql.table(c.table)} add constraint ${sql.ref(c.name)} ${sql.raw(c.definition)}`.execute(
          conn,
        );
      let t = performance.now();
      for (const c of keys) await add(c);
      const keysMs = performance.now() - t;
      t = performance.now();
      for (const ix of indexes) await sql.raw(ix.definition).execute(conn);
      const indexesMs = performance.now() - t;
      t = performance.now();
      for (const c of foreign) await add(c);
      const foreignKeysMs = performance.now() - t;
      for (const tb of tables)
        await sql`alter table ${sql.table(tb)} reset (autovacuum_enabled)`.execute(conn);
      return { keysMs, indexesMs, foreignKeysMs };
    });
}
