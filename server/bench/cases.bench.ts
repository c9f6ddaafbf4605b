import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { gridDisk, latLngToCell } from 'h3-js';
import { type Kysely, type KyselyPlugin, sql } from 'kysely';
import pg from 'pg';
import type { Actor } from '../src/accounts/authorisation.ts';
import { caseRepository, QUEUE_COUNT_CAP } from '../src/cases/case.repository.ts';
import { CaseService, type IntakeInput, ringsFor } from '../src/cases/case.service.ts';
import { snapshotProblems } from '../src/cases/case.state.ts';
import { eventHash, GENESIS_HASH, verifyTrail } from '../src/cases/case.trail.ts';
import { loadConfig } from '../src/config/config.ts';
import { createContext, officialCalendar } from '../src/context.ts';
import { type DatabaseHandle, type Engine, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { Database } from '../src/db/schema.ts';
import { loadDemoCity } from '../src/demo/demo-loader.ts';
import { buildApp } from '../src/http/app.ts';
import type { AppContext } from '../src/http/context.ts';
import { systemClock } from '../src/shared/clock.ts';
import { parseCatalogue } from '../src/taxonomy/taxonomy.catalogue.ts';
import { DEMO_DISTRICT, generateDemoCity } from '../src/territory/demo-city.ts';
import { deferIndexes } from './bulk-load.ts';
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
  intakeInput,
  loadBatchPg,
  loadBatchPglite,
  reportBodies,
} from './cases-data.ts';
import { generateCasesInParallel } from './cases-parallel.ts';

/**
 * The case loop at scale (SPEC §10): a district with two years of history (see cases-data.ts), then
 * - the dispatcher's and a department's queue, with and without their indexes, and two other reads
 *   that grow with the history (an alley's public board, a report's duplicate candidates);
 * - public intake over HTTP (a real server, 32 keep-alive clients in a child process) and the same
 *   intake called directly on the service with the same concurrency, in alternating rounds, with the
 *   default classifier model active as a fresh server trains it; on PostgreSQL also with asynchronous
 *   commit, to show what the durable flush costs; the statements an intake sends, alone and with
 *   concurrent callers (group commit); a V8 profile of the main thread.
 * On PostgreSQL (a scratch database `hutong_bench_<pid>`) and on PGlite (a temporary folder); both are
 * removed at the end, after a failure and on Ctrl-C too. Results are written up in docs/benchmarks.md.
 *
 *   npm run bench -- cases [--engine postgres|pglite|both] [--scale N] [--pg-url URL]
 *                          [--rounds N] [--intakes N] [--concurrency N] [--queries N]
 *                          [--loader fast|serial] [--threads N] [--db NAME] [--keep] [--load-only]
 *
 * Defaults: 1,000,000 cases on PostgreSQL and 200,000 on PGlite, 3 (PGlite 2) rounds of 2,000
 * (PGlite 1,000) intakes each way, 32 clients, 300 timed calls per queue.
 */

const SEED = 20_261_122;
const DEFAULT_SCALE: Record<Engine, number> = { postgres: 1_000_000, pglite: 200_000 };
const DEFAULT_INTAKES: Record<Engine, number> = { postgres: 2_000, pglite: 1_000 };
const DEFAULT_ROUNDS: Record<Engine, number> = { postgres: 3, pglite: 2 };
const BATCH = 10_000;
const WARM_UP = 300;
const DISTRICT = DEMO_DISTRICT.code;
const STREET = '110102001';

interface Options {
  engines: Engine[];
  scale: number | null;
  pgUrl: string;
  /** `fast`: worker threads, keys and indexes built after the load; `serial`: the first loader. */
  loader: 'fast' | 'serial';
  threads: number | null;
  /** A PostgreSQL database to load into, or to measure again if it already holds a history. */
  db: string | null;
  /** Keep the database at the end (and on Ctrl-C), so that the measuring can be run again on it. */
  keep: boolean;
  /** Stop after loading and checking the history (to compare loaders). */
  loadOnly: boolean;
  rounds: number | null;
  intakes: number | null;
  concurrency: number;
  queries: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    const a = argv[i]!;
    return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
  };
  const count = (name: string): number | null => {
    const v = value(name);
    if (v === undefined) return null;
    const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(v.replaceAll('_', '').replaceAll(',', ''));
    if (!m) throw new Error(`--${name} must be a number (like 200000, 200k or 1m), not "${v}"`);
    const n = Number(m[1]) * ({ k: 1e3, m: 1e6 }[m[2]!.toLowerCase()] ?? 1);
    if (!(n >= 1)) throw new Error(`--${name} must be at least 1`);
    return Math.round(n);
  };
  const engine = value('engine') ?? 'both';
  const loader = value('loader') ?? 'fast';
  if (loader !== 'fast' && loader !== 'serial')
    throw new Error(`--loader must be fast or serial, not "${loader}"`);
  const db = value('db') ?? null;
  if (db !== null && !/^[a-z_][a-z0-9_]*$/.test(db))
    throw new Error(`--db must be a plain database name (lower case, digits, _), not "${db}"`);
  if (!['postgres', 'pglite', 'both'].includes(engine))
    throw new Error(`--engine must be postgres, pglite or both, not "${engine}"`);
  const config = loadConfig();
  return {
    engines: engine === 'both' ? ['postgres', 'pglite'] : [engine as Engine],
    scale: count('scale'),
    pgUrl:
      value('pg-url') ??
      config.testDatabaseUrl ??
      config.databaseUrl ??
      'postgres://postgres@127.0.0.1:5432/postgres',
    loader,
    threads: count('threads'),
    db,
    keep: argv.includes('--keep'),
    loadOnly: argv.includes('--load-only'),
    rounds: count('rounds'),
    intakes: count('intakes'),
    concurrency: count('concurrency') ?? 32,
    queries: count('queries') ?? 300,
  };
}

// ---- small helpers -------------------------------------------------------------------------------

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface Stats {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

function stats(xs: ArrayLike<number>): Stats {
  const s = Float64Array.from(xs).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  let sum = 0;
  for (const x of s) sum += x;
  return { n: s.length, p50: q(0.5), p99: q(0.99), mean: sum / s.length, max: s[s.length - 1]! };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function withOption(url: string, name: string, value: string): string {
  const u = new URL(url);
  u.searchParams.set(name, value);
  return u.toString();
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// ---- scratch databases ---------------------------------------------------------------------------

interface Scratch {
  handle: DatabaseHandle;
  /** The scratch database's URL (PostgreSQL only). */
  url: string | null;
  dataDir: string;
  version: string;
  /** The database already held a history (`--db` of an earlier `--keep` run): measure it as it is. */
  reused: boolean;
  drop(): Promise<void>;
}

let pendingCleanup: (() => Promise<void>) | null = null;
let signalsInstalled = false;

/** Ctrl-C or a kill during a run still drops the scratch database. */
function installSignalCleanup(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: removing the scratch database before exiting`);
      // Connections cut by the forced drop report errors on their way out; nothing is left to save.
      process.on('uncaughtException', () => {});
      const done = pendingCleanup ? pendingCleanup() : Promise.resolve();
      done.finally(() => process.exit(130));
    });
  }
}

async function openScratch(engine: Engine, o: Options): Promise<Scratch> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-bench-'));
  const removeDir = () => fs.rm(dataDir, { recursive: true, force: true });
  if (engine === 'pglite') {
    let handle: DatabaseHandle | null = null;
    const drop = async () => {
      await handle?.close().catch(() => {});
      await removeDir();
    };
    // On a signal the embedded engine dies with the process; only its folder needs removing.
    pendingCleanup = removeDir;
    handle = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    const { rows } = await handle.pglite!.query<{ v: string }>('select version() as v');
    return { handle, url: null, dataDir, version: rows[0]!.v, reused: false, drop };
  }
  const name = o.db ?? `hutong_bench_${process.pid}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: o.pgUrl });
    await c.connect();
    try {
      return await c.query(statement);
    } finally {
      await c.end();
    }
  };
  let handle: DatabaseHandle | null = null;
  const forceDrop = async () => {
    await admin(`drop database if exists ${name} with (force)`).catch((e: unknown) =>
      console.error(`could not drop ${name}: ${String(e)}`),
    );
    await removeDir();
  };
  const drop = async () => {
    await handle?.close().catch(() => {});
    if (o.keep) {
      await removeDir();
      console.log(`database ${name} kept (--keep); drop it with: dropdb ${name}`);
    } else await forceDrop();
  };
  // On a signal, queries may still be running: drop at once (WITH (FORCE) ends their sessions).
  pendingCleanup = o.keep ? removeDir : forceDrop;
  const exists = o.db
    ? ((await admin(`select 1 from pg_database where datname = '${name}'`)).rowCount ?? 0) > 0
    : false;
  if (!exists) {
    await admin(`drop database if exists ${name} with (force)`);
    await admin(`create database ${name}`);
  }
  const url = withDatabase(o.pgUrl, name);
  // The server's own pool size (openDatabase's default), so intake sees what production sees.
  handle = await openDatabase({ databaseUrl: url });
  const { rows } = await sql<{ v: string }>`select version() as v`.execute(handle.db);
  let reused = false;
  if (exists) {
    const { rows: any } = await sql<{ n: number }>`
      select count(*)::int as n from pg_tables where tablename = 'case_record' and schemaname = current_schema()`.execute(
      handle.db,
    );
    if (any[0]!.n > 0) {
      const { rows: one } = await sql`select 1 from case_record limit 1`.execute(handle.db);
      reused = one.length > 0;
    }
    if (!reused) {
      // Named but without a history (an interrupted load): start it again from an empty database.
      await handle.close();
      await admin(`drop database ${name} with (force)`);
      await admin(`create database ${name}`);
      handle = await openDatabase({ databaseUrl: url });
    }
  }
  return { handle, url, dataDir, version: rows[0]!.v, reused, drop };
}

// ---- the history ---------------------------------------------------------------------------------

async function districtTaxonomy(ctx: AppContext) {
  const { text } = await ctx.taxonomy.exportCatalogue(DISTRICT);
  const categories: Category[] = parseCatalogue(text).rows.map((r) => ({
    key: r.key,
    name: r.name,
    handlingLimit: r.settings.handlingLimit ?? { amount: 3, unit: 'working_days' },
    severity: r.settings.severity ?? 'normal',
    public: r.settings.public ?? true,
  }));
  return { categories, rules: await ctx.taxonomy.rulesInForce(DISTRICT) };
}

interface LoadResult {
  summary: GenerationSummary;
  wallMs: number;
  nodeCpuMs: number;
  /** CPU of this database's backends during the load (and the builds after it), from /proc. */
  pgCpuMs: number | null;
  /** Keys, indexes and foreign keys built after the load (fast loader only). */
  buildMs: { keysMs: number; indexesMs: number; foreignKeysMs: number } | null;
  vacuumMs: number;
}

/** The tables a history fills: their keys and indexes are built after a fast load. */
const HISTORY_TABLES = ['case_record', 'case_event', 'case_follower'];

/**
 * CPU of the backends of one database, sampled every second from /proc: backends come and go (the
 * loaders' pool, parallel index builders), so each keeps the last value it was seen with.
 */
class BackendCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private failed = false;

  constructor(private readonly client: pg.Client) {}

  async start(): Promise<void> {
    const t = await backendTicks(this.client);
    if (!t) this.failed = true;
    else for (const [pid, v] of t) this.first.set(pid, v);
    this.timer = setInterval(() => void this.sample(), 1_000);
  }

  private async sample(): Promise<void> {
    const t = await backendTicks(this.client).catch(() => null);
    if (t) for (const [pid, v] of t) this.last.set(pid, v);
  }

  /** ms of CPU since start, or null where /proc could not be read. */
  async stop(): Promise<number | null> {
    if (this.timer) clearInterval(this.timer);
    await this.sample();
    if (this.failed) return null;
    let ticks = 0;
    for (const [pid, v] of this.last) ticks += v - (this.first.get(pid) ?? 0);
    return ticks * 10;
  }
}

async function loadHistory(
  engine: Engine,
  scratch: Scratch,
  ctx: AppContext,
  scale: number,
  label: string,
  o: Options,
): Promise<LoadResult> {
  const { categories, rules } = await districtTaxonomy(ctx);
  const batchSize = Math.min(BATCH, scale);
  const fast = o.loader === 'fast';
  const batches = fast
    ? generateCasesInParallel({
        scale,
        seed: SEED,
        batchSize,
        worldSeed: SEED,
        categories,
        rules,
        threads: o.threads ?? undefined,
      })
    : generateCases({
        scale,
        seed: SEED,
        batchSize,
        world: buildWorld(generateDemoCity(), SEED),
        categories,
        rules,
        calendar: officialCalendar(),
      });
  let monitor: pg.Client | null = null;
  let backends: BackendCpu | null = null;
  if (engine === 'postgres') {
    monitor = new pg.Client({ connectionString: scratch.url! });
    await monitor.connect();
    backends = new BackendCpu(monitor);
    await backends.start();
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const rebuild = fast ? await deferIndexes(ctx.db, HISTORY_TABLES) : null;
  let loaded = 0;
  let nextReport = Math.max(BATCH, Math.round(scale / 10));
  const progress = (b: Batch) => {
    loaded += b.cases;
    if (loaded >= nextReport || loaded === scale) {
      const s = (performance.now() - t0) / 1000;
      console.log(
        `${label} … ${fmt(loaded)} cases loaded in ${s.toFixed(1)} s (${fmt(loaded / s)}/s); load average ${os
          .loadavg()[0]!
          .toFixed(1)}`,
      );
      nextReport += Math.max(BATCH, Math.round(scale / 10));
    }
  };

  let summary: GenerationSummary;
  try {
    if (engine === 'postgres') {
      // Two loaders: while one connection ingests a batch, the next one is generated (two cores).
      const pool = new pg.Pool({ connectionString: scratch.url!, max: 2 });
      pool.on('error', () => {});
      pool.on('connect', (c) => c.on('error', () => {}));
      try {
        const inflight = new Set<Promise<void>>();
        let failure: unknown = null;
        for (;;) {
          const next = await batches.next();
          if (next.done) {
            summary = next.value;
            break;
          }
          const batch = next.value;
          while (inflight.size >= 2) await Promise.race(inflight);
          if (failure) throw failure;
          const job = (async () => {
            const client = await pool.connect();
            try {
              await loadBatchPg(client, batch);
            } finally {
              client.release();
            }
            progress(batch);
          })().catch((e: unknown) => {
            failure ??= e;
          });
          const tracked: Promise<void> = job.finally(() => inflight.delete(tracked));
          inflight.add(tracked);
        }
        await Promise.all(inflight);
        if (failure) throw failure;
        const client = await pool.connect();
        try {
          await copyPg(client, 'case_number_counter', COUNTER_COLUMNS, counterRows(summary.counters));
        } finally {
          client.release();
        }
      } finally {
        await pool.end();
      }
    } else {
      const pglite = scratch.handle.pglite!;
      for (;;) {
        const next = await batches.next();
        if (next.done) {
          summary = next.value;
          break;
        }
        await loadBatchPglite(pglite, next.value);
        progress(next.value);
      }
      await copyPglite(pglite, 'case_number_counter', COUNTER_COLUMNS, counterRows(summary.counters));
    }
  } finally {
    await batches.return(undefined as never);
  }
  const buildMs = rebuild ? await rebuild() : null;
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // What autovacuum would have done on a live database: statistics, and the visibility map that lets
  // counts use index-only scans.
  const v0 = performance.now();
  await sql`vacuum (analyze) case_record`.execute(ctx.db);
  await sql`vacuum (analyze) case_event`.execute(ctx.db);
  await sql`vacuum (analyze) case_follower`.execute(ctx.db);
  await sql`analyze case_number_counter`.execute(ctx.db);
  const vacuumMs = performance.now() - v0;
  const pgCpuMs = (await backends?.stop()) ?? null;
  await monitor?.end();
  return { summary, wallMs, nodeCpuMs: (cpu.user + cpu.system) / 1000, pgCpuMs, buildMs, vacuumMs };
}

/** The cost of hashing one typical event (a tier-2 dispatch), which dominates generating a history. */
function eventHashMicros(): number {
  const event = {
    caseId: 'case_0123456789abcdef0123456789abcdef',
    seq: 3,
    districtCode: DISTRICT,
    at: new Date(Date.UTC(2026, 0, 5, 2)),
    actorUserId: 'user_0123456789abcdef0123456789abcdef',
    actorRole: 'street_dispatcher',
    action: 'dispatch',
    fromState: 'accepted',
    toState: 'dispatched',
    reason: null,
    payload: { tier: 2, assignment: { kind: 'unit', unitId: `org-cg-${STREET}` }, previousAssignment: null },
  };
  let h = GENESIS_HASH;
  for (let i = 0; i < 5_000; i++) h = eventHash(event, h);
  const n = 50_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) h = eventHash(event, h);
  return ((performance.now() - t) * 1000) / n;
}

/** Re-reads sampled cases through the repository and checks their chains and snapshots. */
async function verifySample(db: Kysely<Database>, ids: readonly string[]) {
  const repo = caseRepository(db);
  let events = 0;
  let chainProblems = 0;
  let snapshotIssues = 0;
  for (const id of ids) {
    const chain = await repo.events(id);
    events += chain.length;
    chainProblems += verifyTrail(id, chain).length + (chain.length === 0 ? 1 : 0);
    const row = await repo.findById(id);
    const snapshot = row?.snapshot;
    if (!row || !snapshot || snapshot.state !== row.state || snapshotProblems(snapshot).length)
      snapshotIssues++;
  }
  return { cases: ids.length, events, chainProblems, snapshotIssues };
}

async function printSizes(ctx: AppContext, label: string): Promise<void> {
  for (const r of await tableSizes(ctx.db))
    console.log(`${label} ${r.name}: ${fmt(Number(r.rows))} rows, ${r.total} with indexes (${r.heap} heap)`);
  const { rows } = await sql<{ size: string }>`
    select pg_size_pretty(pg_database_size(current_database())) as size`.execute(ctx.db);
  console.log(`${label} database size: ${rows[0]!.size}`);
}

async function tableSizes(db: Kysely<Database>) {
  const { rows } = await sql<{ name: string; rows: number; total: string; heap: string }>`
    select c.relname as name, c.reltuples::bigint as rows,
           pg_size_pretty(pg_total_relation_size(c.oid)) as total,
           pg_size_pretty(pg_relation_size(c.oid)) as heap
    from pg_class c
    where c.relname in ('case_record', 'case_event', 'case_follower') order by 1`.execute(db);
  return rows;
}

// ---- queues --------------------------------------------------------------------------------------

async function timeIt(fn: () => Promise<unknown>, warm: number, n: number): Promise<Stats> {
  for (let i = 0; i < warm; i++) await fn();
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    xs[i] = performance.now() - t;
  }
  return stats(xs);
}

const dispatcher: Actor = {
  userId: 'user_bench_dispatcher',
  username: 'bench-dispatcher',
  role: 'street_dispatcher',
  scopeCode: STREET,
  organisationId: null,
};
const department: Actor = {
  userId: 'user_bench_department',
  username: 'bench-department',
  role: 'department_handler',
  scopeCode: STREET,
  organisationId: `org-cg-${STREET}`,
};
const districtAdmin: Actor = {
  userId: 'user_bench_admin',
  username: 'bench-admin',
  role: 'district_admin',
  scopeCode: DISTRICT,
  organisationId: null,
};

interface QueueCase {
  name: string;
  actor: Actor;
  query: { scopePrefix: string | null; states?: string[]; limit: number; offset: number };
  /** The WHERE clause the repository builds, for EXPLAIN of its two statements (count, then page). */
  where: string;
  runs: number;
  baselineRuns: number;
}

interface QueueResult {
  name: string;
  total: number;
  totalCapped: boolean;
  indexed: Stats;
  baseline: Stats | null;
  plan: string;
  baselinePlan: string;
}

async function measureQueues(ctx: AppContext, o: Options, history: number): Promise<QueueResult[]> {
  // Without indexes every call scans the table: seconds each beyond a few million cases.
  const baselineRuns = history > 2_000_000 ? 5 : 40;
  const cases: QueueCase[] = [
    {
      name: `dispatcher queue (street ${STREET}, reported)`,
      actor: dispatcher,
      query: { scopePrefix: STREET, states: ['reported'], limit: 50, offset: 0 },
      where: `state in ('reported') and street_code = '${STREET}'`,
      runs: o.queries,
      baselineRuns,
    },
    {
      name: `department queue (org-cg-${STREET}, dispatched + handling)`,
      actor: department,
      query: { scopePrefix: STREET, states: ['dispatched', 'handling'], limit: 50, offset: 0 },
      where: `state in ('dispatched', 'handling') and assigned_org_id = 'org-cg-${STREET}'`,
      runs: o.queries,
      baselineRuns,
    },
    {
      name: `district list, no state filter (what GET /api/cases gives a district admin)`,
      actor: districtAdmin,
      query: { scopePrefix: DISTRICT, limit: 50, offset: 0 },
      where: `district_code = '${DISTRICT}'`,
      runs: 30,
      baselineRuns: 0,
    },
  ];
  const out: QueueResult[] = [];
  for (const c of cases) {
    const { total, totalCapped } = await ctx.cases.queue(c.actor, c.query);
    const indexed = await timeIt(() => ctx.cases.queue(c.actor, c.query), 20, c.runs);
    const plan = await explainQueue(ctx.db, c.where);
    let baseline: Stats | null = null;
    let baselinePlan = '';
    if (c.baselineRuns > 0) {
      // The same service call on one session where the planner may not use any index.
      await ctx.db.connection().execute(async (conn) => {
        await sql`set enable_indexscan = off`.execute(conn);
        await sql`set enable_indexonlyscan = off`.execute(conn);
        await sql`set enable_bitmapscan = off`.execute(conn);
        try {
          const service = new CaseService(conn, ctx.territory, systemClock, officialCalendar());
          baseline = await timeIt(() => service.queue(c.actor, c.query), 2, c.baselineRuns);
          baselinePlan = await explainQueue(conn, c.where);
        } finally {
          await sql`reset enable_indexscan`.execute(conn);
          await sql`reset enable_indexonlyscan`.execute(conn);
          await sql`reset enable_bitmapscan`.execute(conn);
        }
      });
    }
    out.push({ name: c.name, total, totalCapped, indexed, baseline, plan, baselinePlan });
  }
  return out;
}

interface ReadResult {
  name: string;
  detail: string;
  stats: Stats;
  plan: string;
}

/**
 * Two more reads of the case loop that grow with the history: the public notice board of the busiest
 * alley (anyone may load it) and the duplicate candidates shown when a dispatcher opens a new report.
 */
async function measureOtherReads(ctx: AppContext): Promise<ReadResult[]> {
  const { rows } = await sql<{ alley_id: string; n: number }>`
    select alley_id, count(*) as n from case_record where alley_id is not null
    group by alley_id order by n desc, alley_id limit 1`.execute(ctx.db);
  const alley = rows[0];
  if (!alley) return [];
  const out: ReadResult[] = [];
  const board = await timeIt(() => ctx.cases.alleyBoard(alley.alley_id), 3, 30);
  const where = `alley_id = '${alley.alley_id}' and public = true`;
  out.push({
    name: 'public alley board, busiest alley',
    detail: `${fmt(alley.n)} cases on ${alley.alley_id}`,
    stats: board,
    plan:
      `counts: ${await explain(ctx.db, `select count(*) from case_record where ${where}`)} | recent: ` +
      (await explain(
        ctx.db,
        `select tracking_code from case_record where ${where} and state not in ('rejected', 'merged') order by created_at desc limit 10`,
      )),
  });
  const recent = await ctx.db
    .selectFrom('case_record')
    .selectAll()
    .where('alley_id', '=', alley.alley_id)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  const candidates = await ctx.cases.duplicateCandidates(recent);
  const dup = await timeIt(() => ctx.cases.duplicateCandidates(recent), 3, 30);
  const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const cells = gridDisk(latLngToCell(recent.lat, recent.lng, 9), ringsFor(50))
    .map((c) => `'${c}'`)
    .join(', ');
  out.push({
    name: 'duplicate candidates of a new report (case detail)',
    detail: `${candidates.length} candidates within 50 m`,
    stats: dup,
    plan: await explain(
      ctx.db,
      `select * from case_record where h3_r9 in (${cells}) and created_at >= '${since}' order by created_at desc limit 500`,
    ),
  });
  return out;
}

/**
 * The ledger of one street for one month, every state, as a workbook (what a street office exports for
 * its monthly report): the count that decides whether it may be exported, then the rows in batches.
 */
async function measureLedgerExport(ctx: AppContext) {
  const selection = { street: STREET, from: LEDGER_FROM, to: LEDGER_TO, state: 'all' as const };
  let detail = '';
  const once = async () => {
    try {
      const r = await ctx.ledgers.exportCases(districtAdmin, selection);
      detail = `street ${STREET}, ${LEDGER_FROM} … ${LEDGER_TO}, all states: ${fmt(r.count)} rows, ${fmt(r.buffer.length / 1024)} KiB`;
    } catch (e) {
      // Over the export limit: what is timed is then the count that refuses it.
      detail = `street ${STREET}, ${LEDGER_FROM} … ${LEDGER_TO}: refused (${String((e as Error).message)})`;
    }
  };
  const stats = await timeIt(once, 1, 5);
  const plan = await explainAnalyze(
    ctx.db,
    `select count(*) from case_record where street_code = '${STREET}' and created_at >= '${LEDGER_FROM}T00:00:00+08:00' and created_at < timestamptz '${LEDGER_TO}T00:00:00+08:00' + interval '1 day'`,
  );
  return { detail, stats, plan };
}

const LEDGER_FROM = '2026-10-01';
const LEDGER_TO = '2026-10-31';

/** The statements of the two queues, as the repository sends them, for EXPLAIN (ANALYZE, BUFFERS). */
function explainedQueues(): [string, string][] {
  const page = (where: string) =>
    `select * from case_record where ${where} order by created_at desc limit 50`;
  const count = (where: string) =>
    `select count(*) from (select 1 from case_record where ${where} limit ${QUEUE_COUNT_CAP + 1}) as matching`;
  const d = `state in ('reported') and street_code = '${STREET}'`;
  const u = `state in ('dispatched', 'handling') and assigned_org_id = 'org-cg-${STREET}'`;
  return [
    ['dispatcher queue, count', count(d)],
    ['dispatcher queue, page', page(d)],
    ['department queue, count', count(u)],
    ['department queue, page', page(u)],
  ];
}

async function explainAnalyze(db: Kysely<Database>, statement: string): Promise<string> {
  const { rows } = await sql<{
    'QUERY PLAN': string;
  }>`explain (analyze, buffers) ${sql.raw(statement)}`.execute(db);
  return rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n');
}

/** The plans of the queue's count (capped, as the repository counts) and page statements. */
async function explainQueue(db: Kysely<Database>, where: string): Promise<string> {
  const count = await explain(
    db,
    `select count(*) from (select 1 from case_record where ${where} limit ${QUEUE_COUNT_CAP + 1}) as matching`,
  );
  const page = await explain(
    db,
    `select * from case_record where ${where} order by created_at desc limit 50 offset 0`,
  );
  return `count: ${count} | page: ${page}`;
}

/** The plan's node lines, condensed to one line. */
async function explain(db: Kysely<Database>, statement: string): Promise<string> {
  const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(statement)}`.execute(db);
  return rows
    .map((r) => r['QUERY PLAN'])
    .filter((l) => /->|^\S/.test(l))
    .map((l) => l.replace(/\s+\(cost=[^)]*\)/, '').trim())
    .join(' ');
}

// ---- intake --------------------------------------------------------------------------------------

interface RoundResult {
  mode: string;
  n: number;
  elapsedMs: number;
  rate: number;
  latency: Stats;
  errors: Record<string, number>;
  firstError: string | null;
  /** This process: the server and the service (the HTTP clients run in a child process). */
  nodeCpuMsPerCase: number;
  /** The HTTP load generator's own CPU, when the round went over HTTP. */
  clientCpuMsPerCase: number | null;
  pgCpuMsPerCase: number | null;
  activity: Activity | null;
}

interface Activity {
  samples: number;
  active: number;
  idleInTransaction: number;
  lockWaits: number;
  walWaits: number;
  clientWaits: number;
}

/** Counts the statements Kysely compiles (BEGIN and COMMIT are not among them). */
class CountingPlugin implements KyselyPlugin {
  count = 0;
  /** Statements by kind and first table, e.g. "InsertQueryNode case_record". */
  readonly kinds = new Map<string, number>();
  transformQuery: KyselyPlugin['transformQuery'] = (args) => {
    this.count++;
    const node = args.node as {
      kind: string;
      from?: { froms?: { table?: { identifier?: { name?: string } } }[] };
      into?: { table?: { identifier?: { name?: string } } };
    };
    const table = node.from?.froms?.[0]?.table?.identifier?.name ?? node.into?.table?.identifier?.name ?? '';
    const kind = `${node.kind.replace('QueryNode', '').replace('Node', '').toLowerCase()} ${table}`.trim();
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
    return args.node;
  };
  transformResult: KyselyPlugin['transformResult'] = async (args) => args.result;
}

class ActivitySampler {
  private stopped = false;
  private done: Promise<Activity> | null = null;

  constructor(private readonly client: pg.Client | null) {}

  start(): void {
    if (!this.client) return;
    const client = this.client;
    this.done = (async () => {
      const a: Activity = {
        samples: 0,
        active: 0,
        idleInTransaction: 0,
        lockWaits: 0,
        walWaits: 0,
        clientWaits: 0,
      };
      while (!this.stopped) {
        const { rows } = await client.query<Omit<Activity, 'samples'>>(`
          select count(*) filter (where state = 'active') as "active",
                 count(*) filter (where state = 'idle in transaction') as "idleInTransaction",
                 count(*) filter (where wait_event_type = 'Lock') as "lockWaits",
                 count(*) filter (where wait_event_type = 'IO' and wait_event like 'WAL%') as "walWaits",
                 count(*) filter (where wait_event_type = 'Client') as "clientWaits"
          from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`);
        const r = rows[0]!;
        a.samples++;
        a.active += Number(r.active);
        a.idleInTransaction += Number(r.idleInTransaction);
        a.lockWaits += Number(r.lockWaits);
        a.walWaits += Number(r.walWaits);
        a.clientWaits += Number(r.clientWaits);
        await sleep(20);
      }
      return a;
    })();
  }

  async stop(): Promise<Activity | null> {
    this.stopped = true;
    if (!this.done) return null;
    const a = await this.done;
    const n = Math.max(1, a.samples);
    return {
      samples: a.samples,
      active: a.active / n,
      idleInTransaction: a.idleInTransaction / n,
      lockWaits: a.lockWaits / n,
      walWaits: a.walWaits / n,
      clientWaits: a.clientWaits / n,
    };
  }
}

/** CPU ticks (1/100 s) used so far by the scratch database's backends, read from /proc. */
async function backendTicks(client: pg.Client | null): Promise<Map<number, number> | null> {
  if (!client) return null;
  const { rows } = await client.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database()',
  );
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, Number(f[11]) + Number(f[12]));
    } catch {
      return null; // another host, or /proc not readable: no figure rather than a wrong one
    }
  }
  return out;
}

function ticksBetween(a: Map<number, number> | null, b: Map<number, number> | null): number | null {
  if (!a || !b) return null;
  let t = 0;
  for (const [pid, v] of b) t += v - (a.get(pid) ?? 0);
  return t * 10; // ms, at the usual USER_HZ of 100
}

interface Measured {
  run: (
    from: number,
    to: number,
  ) => Promise<{
    elapsedMs: number;
    lat: ArrayLike<number>;
    errors: Record<string, number>;
    firstError: string | null;
    /** CPU used elsewhere to drive the round (the HTTP load generator), if any. */
    cpuMs?: number;
  }>;
}

async function measureRound(
  mode: string,
  m: Measured,
  from: number,
  to: number,
  monitor: pg.Client | null,
): Promise<RoundResult> {
  const sampler = new ActivitySampler(monitor);
  const ticks0 = await backendTicks(monitor);
  const cpu0 = process.cpuUsage();
  sampler.start();
  const r = await m.run(from, to);
  const activity = await sampler.stop();
  const cpu = process.cpuUsage(cpu0);
  const pgMs = ticksBetween(ticks0, await backendTicks(monitor));
  const n = to - from;
  return {
    mode,
    n,
    elapsedMs: r.elapsedMs,
    rate: n / (r.elapsedMs / 1000),
    latency: stats(r.lat),
    errors: r.errors,
    firstError: r.firstError,
    nodeCpuMsPerCase: (cpu.user + cpu.system) / 1000 / n,
    clientCpuMsPerCase: r.cpuMs === undefined ? null : r.cpuMs / n,
    pgCpuMsPerCase: pgMs === null ? null : pgMs / n,
    activity,
  };
}

function directRunner(
  service: CaseService,
  inputs: IntakeInput[],
  prefix: string,
  concurrency: number,
  ids: string[],
): Measured {
  return {
    async run(from, to) {
      const lat = new Float64Array(to - from);
      const errors: Record<string, number> = {};
      let firstError: string | null = null;
      let next = from;
      const t0 = performance.now();
      const loop = async () => {
        for (;;) {
          const i = next++;
          if (i >= to) return;
          const t = performance.now();
          try {
            // As the public route calls it: no photos, so no photo hashes.
            const { result } = await service.intake(null, inputs[i]!, `${prefix}${i}`, { photoHashes: [] });
            if (ids.length < 200 && i % 7 === 0) ids.push(result.id);
          } catch (e) {
            const code = (e as { code?: string }).code ?? 'error';
            errors[code] = (errors[code] ?? 0) + 1;
            firstError ??= String(e).slice(0, 300);
          }
          lat[i - from] = performance.now() - t;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, loop));
      return { elapsedMs: performance.now() - t0, lat, errors, firstError };
    },
  };
}

interface Setup {
  name: string;
  ctx: AppContext;
  http: boolean;
  rounds: number;
}

interface SetupResult {
  name: string;
  http: RoundResult[];
  direct: RoundResult[];
}

interface IntakeResults {
  setups: SetupResult[];
  serial: RoundResult;
  statementsPerIntake: number;
  statementKinds: string;
  statementsPerConcurrentIntake: number;
  commitMs: number | null;
  asyncCommitMs: number | null;
  verified: { cases: number; events: number; chainProblems: number; snapshotIssues: number };
  profiles: ProfileSummary[];
}

interface ProfileSummary {
  name: string;
  /** Share of the busy (non-idle) samples, by package or source folder, largest first. */
  byArea: [string, number][];
  /** The functions with the most self time. */
  top: [string, number][];
  busyShare: number;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native code)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const src = url.indexOf('/server/src/');
  if (src >= 0) return `hutong ${url.slice(src + '/server/src/'.length).split('/')[0]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.split('/').slice(-2).join('/');
}

/** Runs `fn` under the V8 sampling profiler of this thread and summarises where the time went. */
async function profiled(name: string, fn: () => Promise<unknown>): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    await fn();
    const { profile } = (await session.post('Profiler.stop')) as unknown as {
      profile: { nodes: CpuProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    const byNode = new Map<number, number>();
    profile.samples.forEach((id, i) => {
      byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    const areas = new Map<string, number>();
    const fns = new Map<string, number>();
    let busy = 0;
    let all = 0;
    for (const node of profile.nodes) {
      const t = byNode.get(node.id) ?? 0;
      all += t;
      const f = node.callFrame;
      if (f.functionName === '(idle)') continue;
      busy += t;
      const area = areaOf(f.url, f.functionName);
      areas.set(area, (areas.get(area) ?? 0) + t);
      const key = `${f.functionName || '(anonymous)'} [${area}]`;
      fns.set(key, (fns.get(key) ?? 0) + t);
    }
    const rank = (m: Map<string, number>, k: number) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([x, t]): [string, number] => [x, t / Math.max(1, busy)]);
    return { name, byArea: rank(areas, 10), top: rank(fns, 8), busyShare: busy / Math.max(1, all) };
  } finally {
    await session.post('Profiler.disable').catch(() => {});
    session.disconnect();
  }
}

/** The median round by rate. */
function mid(rs: RoundResult[]): RoundResult {
  return [...rs].sort((a, b) => a.rate - b.rate)[Math.floor(rs.length / 2)]!;
}

async function measureIntake(
  engine: Engine,
  scratch: Scratch,
  ctx: AppContext,
  config: ReturnType<typeof loadConfig>,
  o: Options,
  label: string,
): Promise<IntakeResults> {
  const perRound = o.intakes ?? DEFAULT_INTAKES[engine];
  const rounds = o.rounds ?? DEFAULT_ROUNDS[engine];
  const run = `${engine}-${process.pid}-`;
  const opened: DatabaseHandle[] = [];
  const apps: FastifyInstance[] = [];
  let monitor: pg.Client | null = null;
  let loadGenerator: ChildProcess | null = null;
  try {
    const setups: Setup[] = [{ name: 'as shipped', ctx, http: true, rounds }];
    if (engine === 'postgres') {
      // A diagnostic, same code: commits made asynchronous (the database setting; durability off), to
      // show how much of intake's time is the durable flush.
      const asyncHandle = await openDatabase({
        databaseUrl: withOption(scratch.url!, 'options', '-c synchronous_commit=off'),
      });
      opened.push(asyncHandle);
      setups.push({
        name: 'asynchronous commit',
        ctx: createContext(config, asyncHandle, systemClock),
        http: true,
        rounds: 1,
      });
      monitor = new pg.Client({ connectionString: scratch.url! });
      monitor.on('error', () => {});
      await monitor.connect();
    }
    const httpTotal =
      setups.reduce((n, x) => n + (x.http ? WARM_UP + x.rounds * perRound : 0), 0) + perRound + 200;
    const directTotal =
      setups.reduce((n, x) => n + WARM_UP + x.rounds * perRound, 0) + perRound + 600 + 2_000;
    const world = buildWorld(generateDemoCity(), SEED);
    const { categories } = await districtTaxonomy(ctx);
    const bodies = reportBodies(world, categories, httpTotal + directTotal, SEED + 7);
    const httpBodies = bodies.slice(0, httpTotal).map((b) => JSON.stringify(b));
    const inputs = bodies.slice(httpTotal).map(intakeInput);
    loadGenerator = fork(path.join(import.meta.dirname, 'http-load.ts'), { stdio: 'inherit' });
    const client = loadGenerator;
    client.send({ bodies: httpBodies });
    await once(client, 'message');
    let h = 0;
    let d = 0;
    const directIds: string[] = [];
    const results: SetupResult[] = [];
    let shipped: { name: string; http: Measured | null; direct: Measured } | null = null;

    for (const setup of setups) {
      // The same active model in every configuration (it is on disk in the scratch data folder).
      await setup.ctx.classification.start({ trainDefault: false });
      let http: Measured | null = null;
      if (setup.http) {
        const app = await buildApp(setup.ctx);
        apps.push(app);
        await app.listen({ port: 0, host: '127.0.0.1' });
        const address = app.server.address();
        const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/public/reports`;
        http = {
          async run(from, to) {
            client.send({ url, from, to, concurrency: o.concurrency, prefix: `${run}http-` });
            const [r] = (await once(client, 'message')) as [
              {
                elapsedMs: number;
                lat: number[];
                errors: Record<string, number>;
                firstError: string | null;
                cpuMs: number;
                fatal?: string;
              },
            ];
            if (r.fatal) throw new Error(`the HTTP load generator failed: ${r.fatal}`);
            return r;
          },
        };
      }
      const direct = directRunner(setup.ctx.cases, inputs, `${run}direct-`, o.concurrency, directIds);
      // Warm-up: JIT, the pool's connections, the locator, the server's first requests.
      if (http) {
        await http.run(h, h + WARM_UP);
        h += WARM_UP;
      }
      await direct.run(d, d + WARM_UP);
      d += WARM_UP;
      const out: SetupResult = { name: setup.name, http: [], direct: [] };
      for (let r = 0; r < setup.rounds; r++) {
        // Alternate which goes first, so that a burst of load elsewhere on the machine hits both alike.
        const order = !http ? ['direct'] : r % 2 === 0 ? ['http', 'direct'] : ['direct', 'http'];
        for (const mode of order) {
          let result: RoundResult;
          if (mode === 'http') {
            result = await measureRound('http', http!, h, h + perRound, monitor);
            h += perRound;
            out.http.push(result);
          } else {
            result = await measureRound('direct', direct, d, d + perRound, monitor);
            d += perRound;
            out.direct.push(result);
          }
          console.log(
            `${label} intake, ${setup.name}, ${mode === 'http' ? 'HTTP' : 'direct'} round ${r + 1}: ` +
              `${fmt(result.rate)} cases/s, p50 ${ms(result.latency.p50)} ms, p99 ${ms(result.latency.p99)} ms` +
              (Object.keys(result.errors).length
                ? `, errors ${JSON.stringify(result.errors)}: ${result.firstError}`
                : ''),
          );
        }
      }
      results.push(out);
      shipped ??= { name: setup.name, http, direct };
    }

    // Where the CPU goes: the main thread (server and service; the HTTP clients run in a child
    // process) profiled over one extra round of each kind as shipped.
    const profiles: ProfileSummary[] = [];
    const last = shipped;
    if (last) {
      const n = Math.max(200, Math.round(perRound / 2));
      if (last.http) {
        const httpRunner = last.http;
        const from = h;
        profiles.push(await profiled(`${last.name}, HTTP`, () => httpRunner.run(from, from + n)));
        h += n;
      }
      const lastDirect = last.direct;
      const from = d;
      profiles.push(await profiled(`${last.name}, direct`, () => lastDirect.run(from, from + n)));
      d += n;
    }

    const serialRunner = directRunner(ctx.cases, inputs, `${run}serial-`, 1, directIds);
    const serial = await measureRound('direct, 1 caller', serialRunner, d, d + 300, monitor);
    d += 300;

    // How many statements one intake sends (the locator and taxonomy look-ups included).
    const counter = new CountingPlugin();
    const counted = createContext(
      config,
      { ...scratch.handle, db: scratch.handle.db.withPlugin(counter) },
      systemClock,
    );
    // Warm first, so that the count is the steady state: the locator built, categories cached.
    for (let i = 0; i < 200; i++)
      await counted.cases.intake(null, inputs[d++]!, `${run}count-warm-${i}`, { photoHashes: [] });
    counter.count = 0;
    counter.kinds.clear();
    const countN = 200;
    for (let i = 0; i < countN; i++)
      await counted.cases.intake(null, inputs[d++]!, `${run}count-${i}`, { photoHashes: [] });
    const statementsPerIntake = counter.count / countN;
    const statementKinds = [...counter.kinds]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${(n / countN).toFixed(2)}`)
      .join(', ');
    // The same with the benchmark's concurrency, where intakes share statements (group commit).
    counter.count = 0;
    const concurrentN = 2_000;
    const concurrentRunner = directRunner(
      counted.cases,
      inputs,
      `${run}count-concurrent-`,
      o.concurrency,
      [],
    );
    await concurrentRunner.run(d, d + concurrentN);
    d += concurrentN;
    const statementsPerConcurrentIntake = counter.count / concurrentN;

    let commitMs: number | null = null;
    let asyncCommitMs: number | null = null;
    if (engine === 'postgres') {
      // The floor under anything serialised across a commit: one small commit at a time.
      await sql`create table bench_commit_probe (x int)`.execute(ctx.db);
      const insert = (db: Kysely<Database>) => () =>
        sql`insert into bench_commit_probe values (1)`.execute(db);
      commitMs = (await timeIt(insert(ctx.db), 20, 300)).p50;
      asyncCommitMs = (await timeIt(insert(opened[0]!.db), 20, 300)).p50;
      await sql`drop table bench_commit_probe`.execute(ctx.db);
    }
    const verified = await verifySample(ctx.db, directIds);
    return {
      setups: results,
      serial,
      statementsPerIntake,
      statementKinds,
      statementsPerConcurrentIntake,
      commitMs,
      asyncCommitMs,
      verified,
      profiles,
    };
  } finally {
    loadGenerator?.kill();
    for (const app of apps) await app.close();
    await monitor?.end();
    for (const handle of opened) await handle.close();
  }
}

// ---- one engine ----------------------------------------------------------------------------------

async function benchEngine(engine: Engine, o: Options): Promise<void> {
  const label = `[${engine}]`;
  const scale = o.scale ?? DEFAULT_SCALE[engine];
  let scratch: Scratch | null = null;
  try {
    try {
      scratch = await openScratch(engine, o);
    } catch (e) {
      console.log(`${label} skipped: cannot open a scratch database (${String(e)})`);
      return;
    }
    console.log(`${label} engine: ${scratch.version}`);
    const config = { ...loadConfig(), demo: false, dataDir: scratch.dataDir };
    let t = performance.now();
    await migrateToLatest(scratch.handle.db);
    const ctx = createContext(config, scratch.handle, systemClock);
    if (scratch.reused) {
      const { rows } = await sql<{ n: string }>`select count(*) as n from case_record`.execute(ctx.db);
      console.log(
        `${label} reusing the history in ${o.db}: ${fmt(Number(rows[0]!.n))} cases (migrated in ` +
          `${((performance.now() - t) / 1000).toFixed(1)} s)`,
      );
      await printSizes(ctx, label);
    } else {
      await loadDemoCity(ctx);
      console.log(
        `${label} migrated and demo city loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      );
      const load = await loadHistory(engine, scratch, ctx, scale, label, o);
      const s = load.summary;
      console.log(
        `${label} history (${o.loader} loader): ${fmt(s.cases)} cases, ${fmt(s.events)} events (${(s.events / s.cases).toFixed(2)} per case), ` +
          `${fmt(s.followers)} followers, ${fmt(s.counters.length)} day counters; generated and loaded in ` +
          `${(load.wallMs / 1000).toFixed(1)} s = ${fmt(s.cases / (load.wallMs / 1000))} cases/s ` +
          `(${fmt(s.events / (load.wallMs / 1000))} events/s); Node CPU ${(load.nodeCpuMs / 1000).toFixed(1)} s` +
          (load.pgCpuMs === null ? '' : `, PostgreSQL backends' CPU ${(load.pgCpuMs / 1000).toFixed(1)} s`) +
          (load.buildMs
            ? `; of the wall time, built after the load: keys ${(load.buildMs.keysMs / 1000).toFixed(1)} s, ` +
              `indexes ${(load.buildMs.indexesMs / 1000).toFixed(1)} s, foreign keys ${(load.buildMs.foreignKeysMs / 1000).toFixed(1)} s`
            : '') +
          `; then vacuum + analyze ${(load.vacuumMs / 1000).toFixed(1)} s; load average ${os
            .loadavg()
            .map((x) => x.toFixed(2))
            .join(' ')}`,
      );
      const share = (m: Record<string, number>) =>
        Object.entries(m)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${pct(v / s.cases)}`);
      console.log(`${label} states: ${share(s.byState).join(', ')}`);
      console.log(`${label} channels: ${share(s.byChannel).join(', ')}`);
      console.log(`${label} top categories: ${share(s.byCategory).slice(0, 8).join(', ')}`);
      console.log(`${label} reports on the hottest 5 % of alleys: ${pct(s.hotAlleyShare)}`);
      console.log(
        `${label} eventHash alone: ${eventHashMicros().toFixed(1)} µs per event (it bounds generation)`,
      );
      await printSizes(ctx, label);

      t = performance.now();
      const check = await verifySample(ctx.db, s.sample);
      console.log(
        `${label} trails re-read and verified: ${fmt(check.cases)} sampled cases, ${fmt(check.events)} events, ` +
          `${check.chainProblems} chain problems, ${check.snapshotIssues} invalid snapshots ` +
          `(${((performance.now() - t) / 1000).toFixed(1)} s)`,
      );
      if (o.loadOnly) return;
    }

    const { rows: total } = await sql<{ n: number }>`
      select reltuples::float8 as n from pg_class where relname = 'case_record'`.execute(ctx.db);
    for (const q of await measureQueues(ctx, o, Number(total[0]?.n ?? scale))) {
      const base = q.baseline as Stats | null;
      console.log(
        `${label} ${q.name}: ${fmt(q.total)}${q.totalCapped ? '+' : ''} matching; p50 ${ms(q.indexed.p50)} ms, p99 ${ms(q.indexed.p99)} ms ` +
          `(${q.indexed.n} runs)` +
          (base
            ? `; without indexes p50 ${ms(base.p50)} ms, p99 ${ms(base.p99)} ms (${base.n} runs): ` +
              `${(base.p50 / q.indexed.p50).toFixed(0)}× slower`
            : ''),
      );
      console.log(`${label}   plan: ${q.plan}`);
      if (q.baselinePlan) console.log(`${label}   plan without indexes: ${q.baselinePlan}`);
    }

    for (const r of await measureOtherReads(ctx)) {
      console.log(
        `${label} ${r.name} (${r.detail}): p50 ${ms(r.stats.p50)} ms, p99 ${ms(r.stats.p99)} ms (${r.stats.n} runs)`,
      );
      console.log(`${label}   plan: ${r.plan}`);
    }

    const ledger = await measureLedgerExport(ctx);
    console.log(
      `${label} ledger export of a street-month (${ledger.detail}): p50 ${ms(ledger.stats.p50)} ms, ` +
        `max ${ms(ledger.stats.max)} ms (${ledger.stats.n} runs)`,
    );
    console.log(`${label}   plan of its count:\n${ledger.plan}`);
    if (engine === 'postgres')
      for (const [name, statement] of explainedQueues())
        console.log(
          `${label} EXPLAIN (ANALYZE, BUFFERS) ${name}:\n${await explainAnalyze(ctx.db, statement)}`,
        );

    // As shipped, a report gets the classifier's suggestion at intake: the server trains the default
    // model from the taxonomy at its first start, and so does this run.
    t = performance.now();
    await ctx.classification.start();
    const model = ctx.classification.registry.current();
    console.log(
      `${label} classifier for suggestions at intake: model ${model?.version ?? 'none'}, ` +
        `${model?.labels.length ?? 0} categories, trained in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const intake = await measureIntake(engine, scratch, ctx, config, o, label);
    const line = (r: RoundResult) =>
      `${fmt(r.rate)} cases/s, p50 ${ms(r.latency.p50)} ms, p99 ${ms(r.latency.p99)} ms; CPU per case: ` +
      `Node ${ms(r.nodeCpuMsPerCase)} ms` +
      (r.clientCpuMsPerCase === null ? '' : `, load generator ${ms(r.clientCpuMsPerCase)} ms`) +
      (r.pgCpuMsPerCase === null ? '' : `, PostgreSQL backends ${ms(r.pgCpuMsPerCase)} ms`) +
      (r.activity
        ? `; backends on average: ${r.activity.active.toFixed(1)} active, ${r.activity.lockWaits.toFixed(1)} of ` +
          `them waiting on a lock, ${r.activity.walWaits.toFixed(1)} on WAL; ` +
          `${r.activity.idleInTransaction.toFixed(1)} idle in transaction`
        : '');
    for (const x of intake.setups) {
      const many = (rs: RoundResult[]) =>
        rs.length > 1 ? ` (median of ${rs.length} rounds of ${fmt(rs[0]!.n)})` : ` (${fmt(rs[0]!.n)})`;
      if (x.http.length)
        console.log(
          `${label} intake, ${x.name}, HTTP, ${o.concurrency} clients${many(x.http)}: ${line(mid(x.http))}`,
        );
      console.log(
        `${label} intake, ${x.name}, direct, ${o.concurrency} callers${many(x.direct)}: ${line(mid(x.direct))}`,
      );
      if (x.http.length) {
        const httpRate = median(x.http.map((r) => r.rate));
        const directRate = median(x.direct.map((r) => r.rate));
        console.log(
          `${label} intake, ${x.name}: HTTP ÷ direct = ${(httpRate / directRate).toFixed(2)} ` +
            `(${fmt(httpRate)} / ${fmt(directRate)} cases/s)`,
        );
      }
    }
    console.log(
      `${label} intake, as shipped, direct, 1 caller (${fmt(intake.serial.n)}): ${line(intake.serial)}`,
    );
    console.log(
      `${label} statements per intake: ${intake.statementsPerIntake.toFixed(2)} one at a time ` +
        `(${intake.statementKinds}; a report without photos needs no BEGIN/COMMIT), ` +
        `${intake.statementsPerConcurrentIntake.toFixed(2)} with ${o.concurrency} callers (grouped)` +
        (intake.commitMs === null
          ? ''
          : `; one small commit alone: p50 ${ms(intake.commitMs)} ms durable, ${ms(intake.asyncCommitMs!)} ms asynchronous`),
    );
    for (const p of intake.profiles) {
      console.log(
        `${label} profile of the main thread, ${p.name} (busy ${pct(p.busyShare)} of the time): ` +
          p.byArea.map(([a, x]) => `${a} ${pct(x)}`).join(', '),
      );
      console.log(`${label}   top functions: ${p.top.map(([f, x]) => `${f} ${pct(x)}`).join(', ')}`);
    }
    const v = intake.verified;
    console.log(
      `${label} intake trails verified: ${v.cases} cases, ${v.events} events, ${v.chainProblems} chain problems, ` +
        `${v.snapshotIssues} invalid snapshots`,
    );
    console.log(
      `${label} load average at the end: ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    if (scratch) {
      await scratch.drop();
      pendingCleanup = null;
      if (!o.keep || engine === 'pglite') console.log(`${label} scratch database removed`);
    }
  }
}

export async function run(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  installSignalCleanup();
  const cpus = os.cpus();
  console.log(
    `machine: ${cpus[0]?.model ?? 'unknown'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
      `Node ${process.version}; load average ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
  );
  for (const engine of o.engines) await benchEngine(engine, o);
}
