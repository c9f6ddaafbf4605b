import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deferIndexes } from '../bench/bulk-load.ts';
import {
  type Batch,
  buildWorld,
  type Category,
  COUNTER_COLUMNS,
  copyPg,
  copyPglite,
  counterRows,
  type GenerationSummary,
  generateCases,
  loadBatchPg,
  loadBatchPglite,
  permutedTrackingCode,
} from '../bench/cases-data.ts';
import { generateCasesInParallel } from '../bench/cases-parallel.ts';
import { caseRepository } from '../src/cases/case.repository.ts';
import { verifyTrail } from '../src/cases/case.trail.ts';
import { officialCalendar } from '../src/context.ts';
import { parseCatalogue } from '../src/taxonomy/taxonomy.catalogue.ts';
import type { RuleLike } from '../src/taxonomy/taxonomy.routing.ts';
import { DEMO_DISTRICT, generateDemoCity } from '../src/territory/demo-city.ts';
import { withDatabase } from './global-setup.ts';
import { createTestEnv, type TestEnv } from './harness.ts';

/**
 * The benchmark's history generators: the same seed gives the same bytes; the threaded generator gives
 * the same history whatever the number of threads, with case numbers and tracking codes that never
 * collide; and a history bulk-loaded with its keys and indexes built afterwards verifies, with the
 * schema back exactly as it was.
 */
let env: TestEnv;
let categories: Category[];
let rules: RuleLike[];
const SEED = 4_242;

beforeAll(async () => {
  env = await createTestEnv();
  const district = DEMO_DISTRICT.code;
  const { text } = await env.ctx.taxonomy.exportCatalogue(district);
  categories = parseCatalogue(text).rows.map((r) => ({
    key: r.key,
    name: r.name,
    handlingLimit: r.settings.handlingLimit ?? { amount: 3, unit: 'working_days' },
    severity: r.settings.severity ?? 'normal',
    public: r.settings.public ?? true,
  }));
  rules = await env.ctx.taxonomy.rulesInForce(district);
});
afterAll(async () => {
  await env?.close();
});

const text = (c: Batch['caseCopy']) => (typeof c === 'string' ? c : Buffer.from(c).toString('utf8'));

async function drain(gen: AsyncGenerator<Batch, GenerationSummary>) {
  const batches: Batch[] = [];
  for (;;) {
    const n = await gen.next();
    if (n.done) return { batches, summary: n.value };
    batches.push(n.value);
  }
}

function digest(batches: readonly Batch[], summary: GenerationSummary): string {
  const h = createHash('sha256');
  for (const b of batches) for (const c of [b.caseCopy, b.eventCopy, b.followerCopy]) h.update(text(c));
  h.update(JSON.stringify(summary));
  return h.digest('hex');
}

const caseColumn = (batches: readonly Batch[], column: number) =>
  batches.flatMap((b) =>
    text(b.caseCopy)
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[column]!),
  );

const parallel = (threads: number, scale = 1_500) =>
  drain(
    generateCasesInParallel({
      scale,
      seed: SEED,
      batchSize: 500,
      worldSeed: SEED,
      categories,
      rules,
      threads,
    }),
  );

describe('the benchmark history', () => {
  it('is the same, byte for byte, from the same seed on one thread', async () => {
    const once = () =>
      drain(
        generateCases({
          scale: 1_200,
          seed: SEED,
          batchSize: 500,
          world: buildWorld(generateDemoCity(), SEED),
          categories,
          rules,
          calendar: officialCalendar(),
        }),
      );
    const [a, b] = [await once(), await once()];
    expect(digest(a.batches, a.summary)).toBe(digest(b.batches, b.summary));
    expect(a.summary.cases).toBe(1_200);
  });

  it('is the same on one, two or three threads, with unique numbers and tracking codes', async () => {
    const one = await parallel(1);
    const two = await parallel(2);
    const three = await parallel(3);
    expect(digest(two.batches, two.summary)).toBe(digest(one.batches, one.summary));
    expect(digest(three.batches, three.summary)).toBe(digest(one.batches, one.summary));
    expect(one.summary.cases).toBe(1_500);

    const numbers = caseColumn(one.batches, 2);
    const codes = caseColumn(one.batches, 3);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
    // Each day numbers its cases 1, 2, 3 … in report order, and its counter holds the last of them.
    const lastOfDay = new Map<string, number>();
    for (const n of numbers) {
      const [, day, seq] = n.split('-');
      expect(Number(seq)).toBe((lastOfDay.get(day!) ?? 0) + 1);
      lastOfDay.set(day!, Number(seq));
    }
    expect(one.summary.counters).toEqual([...lastOfDay]);
  }, 240_000);

  it('gives every case of a long history its own tracking code (a permutation, not luck)', () => {
    const codes = new Set<string>();
    // Indexes of a ten-million-case history, and neighbours across the 25-bit halves.
    for (let i = 0; i < 50_000; i++) codes.add(permutedTrackingCode(i, SEED));
    for (let i = 2 ** 25 - 25_000; i < 2 ** 25 + 25_000; i++) codes.add(permutedTrackingCode(i, SEED));
    expect(codes.size).toBe(100_000);
    expect(permutedTrackingCode(7, SEED)).not.toBe(permutedTrackingCode(7, SEED + 1));
  });

  it('loads with its keys and indexes built afterwards: the trails verify and the schema is as it was', async () => {
    const db = env.ctx.db;
    const schema = async () => {
      const { rows } = await sql<{ d: string }>`
        select indexdef as d from pg_indexes where schemaname = current_schema()
        union all
        select conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
        from pg_constraint where connamespace = current_schema()::regnamespace
        order by 1`.execute(db);
      return rows.map((r) => r.d);
    };
    const before = await schema();
    const { batches, summary } = await parallel(2);

    const rebuild = await deferIndexes(db, ['case_record', 'case_event', 'case_follower']);
    expect((await schema()).length).toBeLessThan(before.length);
    if (env.handle.pglite) {
      for (const b of batches) await loadBatchPglite(env.handle.pglite, b);
      await copyPglite(
        env.handle.pglite,
        'case_number_counter',
        COUNTER_COLUMNS,
        counterRows(summary.counters),
      );
    } else {
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
      const client = new pg.Client({
        connectionString: withDatabase(inject('testDatabaseUrl')!, rows[0]!.name),
      });
      await client.connect();
      try {
        for (const b of batches) await loadBatchPg(client as unknown as pg.PoolClient, b);
        await copyPg(
          client as unknown as pg.PoolClient,
          'case_number_counter',
          COUNTER_COLUMNS,
          counterRows(summary.counters),
        );
      } finally {
        await client.end();
      }
    }
    await rebuild();
    expect(await schema()).toEqual(before);

    const repo = caseRepository(db);
    let events = 0;
    for (const id of summary.sample) {
      const chain = await repo.events(id);
      events += chain.length;
      expect(verifyTrail(id, chain)).toEqual([]);
    }
    expect(summary.sample.length).toBe(1_500);
    expect(events).toBeGreaterThan(summary.sample.length * 3);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from case_record`.execute(db);
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1_500);
  }, 240_000);
});
