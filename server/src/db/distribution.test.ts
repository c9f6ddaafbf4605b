import { type Kysely, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { openDatabase } from './database.ts';
import { DISTRIBUTED_TABLES, DISTRIBUTION_COLUMN, placementOf } from './distribution.ts';
import { migrateToLatest } from './migrate.ts';
import { migrations } from './migrations/index.ts';

/**
 * The shard rule (docs/decisions/0004-citus-distribution.md), checked on the migrated schema of the
 * engine under test: every table has a placement; a distributed table has a non-null district column
 * in its primary key and in every unique key; a foreign key between distributed tables carries the
 * district on both sides; a reference or local table never points at a distributed one. These are the
 * conditions `create_distributed_table` and `create_reference_table` check.
 */

interface Constraint {
  table: string;
  name: string;
  kind: string;
  columns: string[];
  parent: string | null;
  parent_columns: string[] | null;
}

async function catalogue(db: Kysely<unknown>) {
  const { rows: tables } = await sql<{ name: string; nullable_district: boolean | null }>`
    select c.relname as name,
      (select not a.attnotnull from pg_attribute a
       where a.attrelid = c.oid and a.attname = ${DISTRIBUTION_COLUMN} and not a.attisdropped) as nullable_district
    from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
    where ns.nspname = current_schema() and c.relkind in ('r', 'p')
    order by 1`.execute(db);
  const { rows: constraints } = await sql<Constraint>`
    select t.relname as table, con.conname as name, con.contype::text as kind,
      array(select a.attname::text from unnest(con.conkey) with ordinality k(n, i)
            join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i) as columns,
      p.relname as parent,
      array(select a.attname::text from unnest(con.confkey) with ordinality k(n, i)
            join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i) as parent_columns
    from pg_constraint con
    join pg_class t on t.oid = con.conrelid
    join pg_namespace ns on ns.oid = t.relnamespace and ns.nspname = current_schema()
    left join pg_class p on p.oid = con.confrelid
    where con.contype in ('p', 'u', 'f', 'x')`.execute(db);
  const { rows: uniqueIndexes } = await sql<{ table: string; name: string; columns: string[] }>`
    select t.relname as table, ic.relname as name,
      array(select a.attname::text from unnest(i.indkey::int2[]) k(n)
            join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n) as columns
    from pg_index i
    join pg_class t on t.oid = i.indrelid
    join pg_class ic on ic.oid = i.indexrelid
    join pg_namespace ns on ns.oid = t.relnamespace and ns.nspname = current_schema()
    where i.indisunique`.execute(db);
  return { tables, constraints, uniqueIndexes };
}

/** Every breach of the shard rule, as readable lines (empty when the schema can be distributed). */
async function breaches(db: Kysely<unknown>): Promise<string[]> {
  const { tables, constraints, uniqueIndexes } = await catalogue(db);
  const out: string[] = [];
  for (const t of tables) {
    const placement = placementOf(t.name);
    if (placement === null) {
      out.push(`${t.name}: not placed (add it to server/src/db/distribution.ts)`);
      continue;
    }
    if (placement !== 'distributed') continue;
    if (t.nullable_district === null) out.push(`${t.name}: no ${DISTRIBUTION_COLUMN} column`);
    else if (t.nullable_district) out.push(`${t.name}: ${DISTRIBUTION_COLUMN} may be null`);
    if (!constraints.some((c) => c.table === t.name && c.kind === 'p')) out.push(`${t.name}: no primary key`);
  }
  for (const c of constraints) {
    const placement = placementOf(c.table);
    if (placement === 'distributed' && c.kind !== 'f' && !c.columns.includes(DISTRIBUTION_COLUMN)) {
      out.push(`${c.table}.${c.name}: key (${c.columns.join(', ')}) without ${DISTRIBUTION_COLUMN}`);
    }
    if (c.kind !== 'f' || !c.parent) continue;
    const parent = placementOf(c.parent);
    if (parent === 'distributed' && placement !== 'distributed') {
      out.push(
        `${c.table}.${c.name}: a ${placement ?? 'unplaced'} table may not point at distributed ${c.parent}`,
      );
    }
    if (parent === 'distributed' && placement === 'distributed') {
      const at = c.columns.indexOf(DISTRIBUTION_COLUMN);
      if (at < 0 || c.parent_columns?.[at] !== DISTRIBUTION_COLUMN) {
        out.push(
          `${c.table}.${c.name}: foreign key to ${c.parent} without ${DISTRIBUTION_COLUMN} on both sides`,
        );
      }
    }
  }
  for (const ix of uniqueIndexes) {
    if (placementOf(ix.table) === 'distributed' && !ix.columns.includes(DISTRIBUTION_COLUMN)) {
      out.push(
        `${ix.table}.${ix.name}: unique index (${ix.columns.join(', ')}) without ${DISTRIBUTION_COLUMN}`,
      );
    }
  }
  return out;
}

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ demo: false });
});
afterAll(async () => {
  await env?.close();
});

describe('the shard rule', () => {
  it('holds for every table of the migrated schema', async () => {
    expect(await breaches(env.handle.db as Kysely<unknown>)).toEqual([]);
  });

  it('names a table nobody placed, a unique key without the district and a foreign key across shards', async () => {
    const db = env.handle.db as Kysely<unknown>;
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`create table stray_note (id text primary key, case_id text, district_code char(6) not null)`.execute(
          trx,
        );
        await sql`create unique index notification_loose_idx on notification (id)`.execute(trx);
        await sql`alter table campaign_item add constraint campaign_item_loose_fkey foreign key (case_id, district_code) references case_record (id, district_code)`.execute(
          trx,
        );
        await sql`alter table api_token add column case_district char(6), add column case_id text`.execute(
          trx,
        );
        await sql`alter table api_token add constraint api_token_case_fkey foreign key (case_id, case_district) references case_record (id, district_code)`.execute(
          trx,
        );
        const found = await breaches(trx);
        expect(found).toContain('stray_note: not placed (add it to server/src/db/distribution.ts)');
        expect(found).toContain(
          'notification.notification_loose_idx: unique index (id) without district_code',
        );
        expect(found).toContain(
          'api_token.api_token_case_fkey: a reference table may not point at distributed case_record',
        );
        expect(found.some((b) => b.startsWith('campaign_item.campaign_item_loose_fkey'))).toBe(false);
        throw new Error('undo');
      })
      .catch((e: unknown) => {
        if (!(e instanceof Error) || e.message !== 'undo') throw e;
      });
    expect(await breaches(db)).toEqual([]);
  });

  it('lists only tables that exist, each once', async () => {
    const { tables } = await catalogue(env.handle.db as Kysely<unknown>);
    const names = new Set(tables.map((t) => t.name));
    for (const t of DISTRIBUTED_TABLES) expect(names.has(t), t).toBe(true);
  });
});

describe('moving a database over to the distribution keys', () => {
  it('keeps its idempotency keys, which now carry the district of the case they created', async () => {
    const handle = await openDatabase({});
    try {
      const migrator = new Migrator({
        db: handle.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'schema_migration',
        migrationLockTableName: 'schema_migration_lock',
      });
      const names = Object.keys(migrations);
      const before = names[names.indexOf('20261207_0080_distribution_keys') - 1]!;
      expect((await migrator.migrateTo(before)).error).toBeUndefined();
      const db = handle.db as Kysely<unknown>;
      await sql`insert into idempotency_key (scope, key, request_hash, status_code, response, created_at)
        values ('intake:public', 'k1', 'h', 201, ${JSON.stringify({ caseNumber: '110102-20261201-00001' })}::jsonb, now()),
               ('intake:public', 'k2', 'h', 201, '{}'::jsonb, now())`.execute(db);
      await migrateToLatest(handle.db);
      const { rows } = await sql<{ key: string; district_code: string }>`
        select key, district_code from idempotency_key order by key`.execute(db);
      expect(rows).toEqual([
        { key: 'k1', district_code: '110102' },
        { key: 'k2', district_code: '000000' },
      ]);
      expect(await breaches(db)).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});
