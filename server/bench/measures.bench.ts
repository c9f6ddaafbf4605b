import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import type { Actor } from '../src/accounts/authorisation.ts';
import { loadConfig } from '../src/config/config.ts';
import { createContext, officialCalendar } from '../src/context.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadDemoCity } from '../src/demo/demo-loader.ts';
import { evaluationRepository } from '../src/evaluation/evaluation.repository.ts';
import {
  type Counts,
  contributions,
  emptyCounts,
  FACT_ACTIONS,
  type MeasureFacts,
  stepFacts,
} from '../src/evaluation/measures.ts';
import { rebuildMeasures } from '../src/evaluation/rollup.ts';
import { type Clock, systemClock } from '../src/shared/clock.ts';
import { parseCatalogue } from '../src/taxonomy/taxonomy.catalogue.ts';
import { DEMO_DISTRICT, generateDemoCity } from '../src/territory/demo-city.ts';
import { withDatabase } from '../test/global-setup.ts';
import {
  buildWorld,
  type Category,
  COUNTER_COLUMNS,
  copyPg,
  counterRows,
  generateCases,
  loadBatchPg,
} from './cases-data.ts';
import { rebuildMeasuresReference } from './rollup.reference.ts';

/**
 * `GET /api/measures?level=street` for a district-month from the maintained rollups, against the same
 * figures computed by a naive scan (every case's trail folded at request time) in the same run, on
 * PostgreSQL. HUTONG_BENCH_PG_URL (or HUTONG_TEST_DATABASE_URL) names the server;
 * HUTONG_BENCH_MEASURES_CASES the size (default 1,000,000).
 *
 * Generating and loading a history of millions takes longer than everything after it. With
 * HUTONG_BENCH_MEASURES_DB=<name> the history goes into that database and stays there: a later run
 * with the same size finds it complete (a marker written after the last batch, with the time the
 * loading took) and goes straight to the rebuild and the measurements. A database that holds a history
 * loaded otherwise (the case benchmark's `--db NAME --keep`, 10⁷ cases) is measured as it is.
 * HUTONG_BENCH_MEASURES_LOAD_ONLY=1 stops after loading. Drop the database by hand when done.
 * HUTONG_BENCH_MEASURES_NAIVE_RUNS sets how often the naive scan runs (default 2, the best counts; 0
 * skips it, as at 10⁷ where one scan takes most of an hour). HUTONG_BENCH_MEASURES_REBUILD=0 keeps the
 * rollups an earlier run of the same database rebuilt. HUTONG_BENCH_MEASURES_COMPARE=1 runs the earlier
 * rebuild (`rollup.reference.ts`) and then the current one on the same history, prints both rates with
 * the load average, and counts the rollup cells and facts in which the two differ (0 expected).
 */

const DISTRICT = DEMO_DISTRICT.code;
const SEED = 20_261_207;
const FROM = '2026-10-01';
const TO = '2026-10-31';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)] ?? 0;

export async function run(): Promise<void> {
  const url = process.env.HUTONG_BENCH_PG_URL ?? process.env.HUTONG_TEST_DATABASE_URL;
  if (!url) {
    console.log('measures: skipped (set HUTONG_BENCH_PG_URL to a PostgreSQL server)');
    return;
  }
  const scale = Number(process.env.HUTONG_BENCH_MEASURES_CASES ?? 1_000_000);
  const kept = process.env.HUTONG_BENCH_MEASURES_DB;
  if (kept !== undefined && !/^[a-z_][a-z0-9_]*$/.test(kept)) throw new Error(`bad database name ${kept}`);
  const loadOnly = process.env.HUTONG_BENCH_MEASURES_LOAD_ONLY === '1';
  // The naive scan folds every case's trail; at millions one run may be all the time allows.
  const naiveRuns = Math.max(0, Number(process.env.HUTONG_BENCH_MEASURES_NAIVE_RUNS ?? 2));
  const rebuild = process.env.HUTONG_BENCH_MEASURES_REBUILD !== '0';
  const compare = process.env.HUTONG_BENCH_MEASURES_COMPARE === '1';
  const name = kept ?? `hutong_bench_measures_${process.pid}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  const marker = `bench:measures:${scale}:${SEED}`;
  let history: { seconds: number; events: number } | null = null;
  if (kept) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const exists = (await c.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    await c.end();
    if (exists) {
      const k = new pg.Client({ connectionString: withDatabase(url, name) });
      await k.connect();
      history =
        (await k.query('select value from app_meta where key = $1', [marker]).catch(() => ({ rows: [] })))
          .rows[0]?.value ?? null;
      if (!history) {
        // Loaded by another benchmark: its own run recorded how long that took.
        const other = await k
          .query<{ n: number }>(`select reltuples::float8 as n from pg_class where relname = 'case_event'`)
          .catch(() => ({ rows: [{ n: 0 }] }));
        if (other.rows[0]!.n > 0) history = { seconds: Number.NaN, events: other.rows[0]!.n };
      }
      await k.end();
    }
  }
  if (!history) {
    await admin(`drop database if exists ${name} with (force)`);
    await admin(`create database ${name}`);
  }
  const dbUrl = withDatabase(url, name);
  const handle = await openDatabase({ databaseUrl: dbUrl });
  // The history ends on 2026-11-22; "now" is set just after so October is a closed month.
  const clock: Clock = { now: () => new Date(Date.UTC(2026, 11, 7, 2)) };
  try {
    console.log(
      `measures: ${os.cpus().length} cores, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    await migrateToLatest(handle.db);
    const ctx = createContext({ ...loadConfig(), demo: false, dataDir: os.tmpdir() }, handle, systemClock);
    await loadDemoCity(ctx);
    const { text } = await ctx.taxonomy.exportCatalogue(DISTRICT);
    const categories: Category[] = parseCatalogue(text).rows.map((r) => ({
      key: r.key,
      name: r.name,
      handlingLimit: r.settings.handlingLimit ?? { amount: 3, unit: 'working_days' },
      severity: r.settings.severity ?? 'normal',
      public: r.settings.public ?? true,
    }));
    if (history) {
      console.log(
        Number.isNaN(history.seconds)
          ? `measures: ${fmt(history.events)} events: history loaded into ${name} by another run`
          : `measures: ${fmt(scale)} cases, ${fmt(history.events)} events: history kept in ${name} from an ` +
              `earlier run, where generating and loading it took ${history.seconds.toFixed(1)} s`,
      );
    } else {
      const batches = generateCases({
        scale,
        seed: SEED,
        batchSize: 5_000,
        world: buildWorld(generateDemoCity(), SEED),
        categories,
        rules: await ctx.taxonomy.rulesInForce(DISTRICT),
        calendar: officialCalendar(),
      });
      const pool = new pg.Pool({ connectionString: dbUrl, max: 1 });
      const t = performance.now();
      let events = 0;
      let loaded = 0;
      // The generator builds the next batch while the database takes this one (both are CPU-bound: on
      // two cores that nearly halves the time it took one after the other).
      let pending = batches.next();
      for (;;) {
        const next = await pending;
        if (!next.done) pending = batches.next();
        const client = await pool.connect();
        try {
          if (next.done) {
            await copyPg(client, 'case_number_counter', COUNTER_COLUMNS, counterRows(next.value.counters));
            events = next.value.events;
            break;
          }
          await loadBatchPg(client, next.value);
          loaded += next.value.cases;
          if (loaded % 100_000 < next.value.cases)
            console.log(
              `measures: … ${fmt(loaded)} cases in ${((performance.now() - t) / 1000).toFixed(0)} s`,
            );
        } finally {
          client.release();
        }
      }
      await pool.end();
      await sql`vacuum (analyze) case_record`.execute(handle.db);
      await sql`vacuum (analyze) case_event`.execute(handle.db);
      history = { seconds: (performance.now() - t) / 1000, events };
      console.log(
        `measures: ${fmt(scale)} cases, ${fmt(events)} events generated and loaded in ${history.seconds.toFixed(1)} s`,
      );
      if (kept) {
        await handle.db
          .insertInto('app_meta')
          .values({ key: marker, value: JSON.stringify(history) })
          .execute();
      }
    }
    if (loadOnly) return;

    const load = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
    const timedRebuild = async (label: string, fn: typeof rebuildMeasures) => {
      const before = load();
      const t = performance.now();
      let nextReport = 500_000;
      const result = await fn(handle.db, DISTRICT, officialCalendar(), {
        sliceSize: 5_000,
        onProgress: (n) => {
          if (n < nextReport) return;
          nextReport += 500_000;
          const s = (performance.now() - t) / 1000;
          console.log(`measures: … ${label}: ${fmt(n)} cases in ${s.toFixed(0)} s (${fmt(n / s)}/s)`);
        },
      });
      const s = (performance.now() - t) / 1000;
      console.log(
        `measures: ${label}: ${fmt(result.cases)} cases (${fmt(result.filed)} filed) in ${s.toFixed(1)} s, ` +
          `${fmt(result.cases / s)} cases/s, load ${before} → ${load()}`,
      );
      return { ...result, seconds: s };
    };
    if (rebuild && compare) {
      // The earlier rebuild first, its rows kept aside, then the current one over the same history:
      // both rates in one run, and every cell and fact compared.
      const old = await timedRebuild('earlier rebuild (reference)', rebuildMeasuresReference);
      await sql`drop table if exists bench_reference_rollup, bench_reference_fact`.execute(handle.db);
      await sql`create table bench_reference_rollup as select * from measure_rollup where district_code = ${DISTRICT}`.execute(
        handle.db,
      );
      await sql`create table bench_reference_fact as
        select case_id, case_number, category_key, units, first_day, last_day, facts
        from case_measure_fact where district_code = ${DISTRICT}`.execute(handle.db);
      const now = await timedRebuild('current rebuild', rebuildMeasures);
      const differing = async (statement: ReturnType<typeof sql<{ n: number }>>) =>
        (await statement.execute(handle.db)).rows[0]?.n ?? -1;
      const cellsDiffer = await differing(sql<{ n: number }>`select count(*)::int as n from (
          (select * from bench_reference_rollup except all
           select * from measure_rollup where district_code = ${DISTRICT})
          union all
          (select * from measure_rollup where district_code = ${DISTRICT} except all
           select * from bench_reference_rollup)) d`);
      const factsDiffer = await differing(sql<{ n: number }>`select count(*)::int as n from (
          (select * from bench_reference_fact except all
           select case_id, case_number, category_key, units, first_day, last_day, facts
           from case_measure_fact where district_code = ${DISTRICT})
          union all
          (select case_id, case_number, category_key, units, first_day, last_day, facts
           from case_measure_fact where district_code = ${DISTRICT} except all
           select * from bench_reference_fact)) d`);
      await sql`drop table bench_reference_rollup, bench_reference_fact`.execute(handle.db);
      console.log(
        `measures: current ÷ earlier rebuild: ${(old.seconds / now.seconds).toFixed(2)}× the cases/s; ` +
          `rows differing: ${fmt(cellsDiffer)} rollup cells, ${fmt(factsDiffer)} facts`,
      );
    }
    const t = performance.now();
    const rebuilt = rebuild && !compare ? await timedRebuild('rebuild', rebuildMeasures) : null;
    await sql`vacuum (analyze) measure_rollup`.execute(handle.db);
    const cells = await handle.db
      .selectFrom('measure_rollup')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    console.log(
      rebuilt
        ? `measures: rollups rebuilt from the trail in ${((performance.now() - t) / 1000).toFixed(1)} s ` +
            `(${fmt(rebuilt.filed)} filed cases, ${fmt(cells.n)} rollup cells)`
        : `measures: ${fmt(cells.n)} rollup cells (${rebuild ? 'rebuilt above' : 'kept from an earlier run'})`,
    );

    const measures = new (await import('../src/evaluation/measures.service.ts')).MeasureService(
      handle.db,
      clock,
    );
    const actor: Actor = {
      userId: 'bench',
      username: 'bench',
      role: 'district_admin',
      scopeCode: DISTRICT,
      organisationId: null,
    };
    const times: number[] = [];
    let answer = await measures.measures(actor, { level: 'street', from: FROM, to: TO });
    for (let i = 0; i < 50; i++) {
      const s = performance.now();
      answer = await measures.measures(actor, { level: 'street', from: FROM, to: TO });
      times.push(performance.now() - s);
    }
    const p50 = percentile(times, 0.5);
    const p95 = percentile(times, 0.95);
    console.log(
      `measures: rollups, level=street, ${FROM}..${TO}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (50 runs)`,
    );

    // The naive scan: every case of the district, its trail folded at request time, the month's
    // contributions summed per street. The same rule, so the same figures — checked below.
    const naive = async () => {
      const offices = new Map(
        (await evaluationRepository(handle.db).organisations(DISTRICT, ['street_office'])).map(
          (o) => [o.scope, o.code] as const,
        ),
      );
      const perStreet = new Map<string, Counts>();
      let after = '';
      for (;;) {
        const rows = await handle.db
          .selectFrom('case_record')
          .select(['id', 'street_code'])
          .where('district_code', '=', DISTRICT)
          .where('id', '>', after)
          .orderBy('id')
          .limit(10_000)
          .execute();
        if (rows.length === 0) break;
        after = rows.at(-1)?.id ?? after;
        const evs = await handle.db
          .selectFrom('case_event')
          .select(['case_id', 'action', 'at', 'payload'])
          .where(
            'case_id',
            'in',
            rows.map((r) => r.id),
          )
          .where('action', 'in', [...FACT_ACTIONS])
          .orderBy('case_id')
          .orderBy('seq')
          .execute();
        const byCase = new Map<string, typeof evs>();
        for (const e of evs) byCase.set(e.case_id, [...(byCase.get(e.case_id) ?? []), e]);
        for (const r of rows) {
          let f: MeasureFacts | null = null;
          const env = { calendar: officialCalendar(), streetOfficeId: offices.get(r.street_code) ?? null };
          for (const e of byCase.get(r.id) ?? []) f = stepFacts(f, e, env);
          for (const c of contributions(f)) {
            if (c.day < FROM || c.day > TO) continue;
            let counts = perStreet.get(r.street_code);
            if (!counts) {
              counts = emptyCounts();
              perStreet.set(r.street_code, counts);
            }
            counts[c.measure] += c.n;
          }
        }
      }
      return perStreet;
    };
    if (naiveRuns === 0) {
      console.log('measures: naive scan skipped (HUTONG_BENCH_MEASURES_NAIVE_RUNS=0)');
      return;
    }
    const naiveTimes: number[] = [];
    let scanned = new Map<string, Counts>();
    for (let i = 0; i < naiveRuns; i++) {
      const s = performance.now();
      scanned = await naive();
      naiveTimes.push(performance.now() - s);
    }
    const naiveMs = Math.min(...naiveTimes);
    let same = true;
    for (const row of answer.rows) {
      const c = scanned.get(row.unit.code) ?? emptyCounts();
      if (
        c.filed !== row.filed ||
        c.due !== row.due ||
        c.closedOnTime !== row.closedOnTime ||
        c.respondedOnTime !== row.respondedOnTime
      )
        same = false;
    }
    console.log(
      `measures: naive scan of the trail: ${(naiveMs / 1000).toFixed(1)} s (${naiveRuns === 1 ? 'one run' : `best of ${naiveRuns}`}); rollups ÷ naive = ` +
        `${(naiveMs / p95).toFixed(0)}× at p95; same figures: ${same ? 'yes' : 'NO'}`,
    );
  } finally {
    await handle.close();
    if (!kept) await admin(`drop database if exists ${name} with (force)`);
  }
}
