import { type Kysely, sql } from 'kysely';

// Citus distributes a table by one column and accepts a primary key, a unique key or a foreign key
// between distributed tables only when it includes that column. This migration gives the tables that
// grow with the cases `district_code` in each of them (docs/decisions/0004-citus-distribution.md).
// It reads the keys from the catalogue instead of naming them, so it moves any database over whatever
// names its constraints were given. The district goes last in each key: the leading columns stay what
// the code looks rows up by (a case by id, events by case), so no lookup loses its index. The table list is frozen here: later tables follow the rule from
// their own migration, and the shard-rule test holds them to it.
const TABLES = [
  'case_record',
  'case_event',
  'case_follower',
  'case_number_counter',
  'idempotency_key',
  'classification_label',
  'notification',
  'campaign',
  'campaign_item',
  'joint_action',
  'joint_task',
  'open311_request',
  'open311_request_update',
  'webhook_delivery',
  'monthly_theme',
  'proactive_task',
];

interface Key {
  table: string;
  name: string;
  kind: 'p' | 'u' | 'f';
  columns: string[];
  parent: string | null;
  parentColumns: string[];
  onDelete: string;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const list = (names: readonly string[]) => names.map(quote).join(', ');

async function keysOf(db: Kysely<unknown>, tables: readonly string[]): Promise<Key[]> {
  const { rows } = await sql<{
    table: string;
    name: string;
    kind: string;
    columns: string[];
    parent: string | null;
    parent_columns: string[] | null;
    on_delete: string;
  }>`
    select t.relname as table, con.conname as name, con.contype::text as kind,
      array(select a.attname::text from unnest(con.conkey) with ordinality k(n, i)
            join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i) as columns,
      p.relname as parent,
      array(select a.attname::text from unnest(con.confkey) with ordinality k(n, i)
            join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i) as parent_columns,
      con.confdeltype::text as on_delete
    from pg_constraint con
    join pg_class t on t.oid = con.conrelid
    join pg_namespace ns on ns.oid = t.relnamespace and ns.nspname = current_schema()
    left join pg_class p on p.oid = con.confrelid
    where con.contype in ('p', 'u', 'f') and t.relname = any(${[...tables]}::text[])
    order by t.relname, con.conname`.execute(db);
  return rows.map((r) => ({
    table: r.table,
    name: r.name,
    kind: r.kind as Key['kind'],
    columns: r.columns,
    parent: r.parent,
    parentColumns: r.parent_columns ?? [],
    onDelete: r.on_delete,
  }));
}

const ON_DELETE: Record<string, string> = {
  a: '',
  r: ' on delete restrict',
  c: ' on delete cascade',
  n: ' on delete set null',
  d: ' on delete set default',
};

export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows: present } = await sql<{ relname: string }>`
    select c.relname from pg_class c join pg_namespace ns on ns.oid = c.relnamespace
    where ns.nspname = current_schema() and c.relkind in ('r', 'p') and c.relname = any(${TABLES}::text[])`.execute(
    db,
  );
  const tables = present.map((r) => r.relname);
  const distributed = new Set(tables);

  // Idempotency keys were the one table of reports without the district: a key's row now lives with the
  // case it created (its response names the case number, whose first six digits are the district).
  if (distributed.has('idempotency_key')) {
    await sql`alter table idempotency_key add column if not exists district_code char(6)`.execute(db);
    await sql`update idempotency_key set district_code = coalesce(left(response->>'caseNumber', 6), '000000')
      where district_code is null`.execute(db);
    await sql`alter table idempotency_key alter column district_code set not null`.execute(db);
  }

  const keys = await keysOf(db, tables);
  const lacking = (k: Key) => !k.columns.includes('district_code');
  // Foreign keys between distributed tables go first: they depend on the keys about to be replaced.
  const links = keys.filter((k) => k.kind === 'f' && k.parent !== null && distributed.has(k.parent));
  for (const k of links) {
    await sql.raw(`alter table ${quote(k.table)} drop constraint ${quote(k.name)}`).execute(db);
  }
  for (const k of keys.filter((x) => (x.kind === 'p' || x.kind === 'u') && lacking(x))) {
    await sql.raw(`alter table ${quote(k.table)} drop constraint ${quote(k.name)}`).execute(db);
    const kind = k.kind === 'p' ? 'primary key' : 'unique';
    await sql
      .raw(
        `alter table ${quote(k.table)} add constraint ${quote(k.name)} ${kind} (${list(k.columns)}, district_code)`,
      )
      .execute(db);
  }

  // Unique indexes that are not constraints (partial ones): rebuilt with the district added.
  const { rows: indexes } = await sql<{
    table: string;
    name: string;
    columns: string[];
    predicate: string | null;
  }>`
    select t.relname as table, ic.relname as name,
      array(select a.attname::text from unnest(i.indkey::int2[]) with ordinality k(n, o)
            join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n order by k.o) as columns,
      pg_get_expr(i.indpred, i.indrelid) as predicate
    from pg_index i
    join pg_class t on t.oid = i.indrelid
    join pg_class ic on ic.oid = i.indexrelid
    join pg_namespace ns on ns.oid = t.relnamespace and ns.nspname = current_schema()
    where i.indisunique and not i.indisprimary and t.relname = any(${tables}::text[])
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`.execute(db);
  for (const ix of indexes.filter((x) => !x.columns.includes('district_code'))) {
    await sql.raw(`drop index ${quote(ix.name)}`).execute(db);
    const where = ix.predicate ? ` where ${ix.predicate}` : '';
    await sql
      .raw(
        `create unique index ${quote(ix.name)} on ${quote(ix.table)} (${list(ix.columns)}, district_code)${where}`,
      )
      .execute(db);
  }

  for (const k of links) {
    const child = k.columns.includes('district_code') ? k.columns : ['district_code', ...k.columns];
    const parent = k.parentColumns.includes('district_code')
      ? k.parentColumns
      : ['district_code', ...k.parentColumns];
    await sql
      .raw(
        `alter table ${quote(k.table)} add constraint ${quote(k.name)} foreign key (${list(child)}) references ${quote(k.parent!)} (${list(parent)})${ON_DELETE[k.onDelete] ?? ''}`,
      )
      .execute(db);
  }
}

export async function down(): Promise<void> {
  // Narrowing the keys back could only fail on data that is valid now (a case number reused across
  // districts); restore a backup taken before the upgrade instead.
  throw new Error('20261207_0080_distribution_keys cannot be undone: restore a backup taken before it');
}
