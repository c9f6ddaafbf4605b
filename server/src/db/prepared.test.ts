import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { prepared, preparedName } from './prepared.ts';

describe('prepared statement names', () => {
  it('name only marked statements, by label and text', () => {
    expect(preparedName('select 1')).toBeNull();
    expect(preparedName('/* another comment */ select 1')).toBeNull();
    const a = preparedName('/* prepared:next_number */ select 1');
    expect(a).toMatch(/^next_number_[0-9a-f]{16}$/);
    expect(preparedName('/* prepared:next_number */ select 1')).toBe(a);
    // A changed text under the same label is another statement, never a clash on a live connection.
    expect(preparedName('/* prepared:next_number */ select 2')).not.toBe(a);
  });

  it('refuse a label that could break out of the comment', () => {
    expect(() => prepared('x */ drop table case_record; /*')).toThrow(/label/);
    expect(() => prepared('Upper')).toThrow(/label/);
  });
});

describe('prepared statements on the database', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('run a marked statement with its parameters, prepared once per connection on PostgreSQL', async () => {
    const label = `probe_${process.pid}`;
    await env.ctx.db.connection().execute(async (c) => {
      const add = (n: number) => sql<{ n: number }>`${prepared(label)} select ${n}::int + 1 as n`.execute(c);
      expect((await add(1)).rows[0]!.n).toBe(2);
      expect((await add(41)).rows[0]!.n).toBe(42);
      if (env.handle.engine !== 'postgres') return;
      const { rows } = await sql<{ name: string; statement: string }>`
        select name, statement from pg_prepared_statements where name like ${`${label}_%`}`.execute(c);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.statement).toContain('select $1::int + 1 as n');
    });
  });
});
