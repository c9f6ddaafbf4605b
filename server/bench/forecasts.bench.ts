import fs from 'node:fs/promises';
import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { type Actor, SYSTEM_ACTOR } from '../src/accounts/authorisation.ts';
import { loadConfig } from '../src/config/config.ts';
import { createContext } from '../src/context.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadDemoCity } from '../src/demo/demo-loader.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { HOT_CATEGORIES } from './cases-data.ts';

/**
 * Forecasts for next week of every grid × category of the demo district, and the proactive tasks
 * they propose, over a history of 1,000,000 cases on PostgreSQL (SPEC §7.2, docs/benchmarks.md).
 *
 * The history is written by one INSERT … SELECT in a scratch database: two years of cases over the
 * demo district's grids (skewed, so some grids have far more than others) and its categories (the
 * shares of cases.bench's HOT_CATEGORIES, the rest spread over other event categories), with more
 * cases in summer. Only what forecasting reads is realistic; the rest of each row is filler. Exactly
 * `--forecast-cases` rows are written (the statement draws more and keeps the first N that pass the
 * seasonal filter).
 *
 * Each round reports the wall time, this process's CPU and the CPU of the scratch database's backends
 * (parallel workers included), sampled from /proc, with the load average: on a shared machine the wall
 * time measures the queue for the cores as much as the code.
 */

/** `npm run bench -- forecasts --forecast-cases N` for another size. */
function casesArg(): number {
  const at = process.argv.indexOf('--forecast-cases');
  return at > 0 ? Number(process.argv[at + 1]) : 1_000_000;
}
const CASES = casesArg();
const NOW = new Date('2026-11-25T10:00:00+08:00');

export async function run(): Promise<void> {
  const config = loadConfig();
  const base = config.testDatabaseUrl ?? config.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `hutong_fcbench_${process.pid}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  try {
    await admin(`drop database if exists ${name} with (force)`);
    await admin(`create database ${name}`);
  } catch (e) {
    console.log(`skipped: no PostgreSQL at ${base} (${String(e)})`);
    return;
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString() });
  let sampler: BackendCpu | null = null;
  try {
    await migrateToLatest(handle.db);
    const clock = new ManualClock(NOW);
    const ctx = createContext({ ...config, demo: false }, handle, clock);
    await loadDemoCity(ctx);
    const hot = HOT_CATEGORIES.flatMap(([key, share]) => Array.from({ length: share }, () => key));
    const t0 = performance.now();
    // setseed and the statement on one connection, so that the same seed gives the same history.
    await handle.db.connection().execute(async (db) => {
      await sql`select setseed(0.42)`.execute(db);
      await sql`
      with g as (select array_agg(code order by code) as codes, array_agg(street_code order by code) as streets,
                        array_agg(community_code order by code) as communities from grid where district_code = '110102'),
           c as (select array_agg(key order by key) as keys from taxonomy_entry e
                   join taxonomy_version v on v.id = e.version_id and v.active
                  where e.district_code = '110102' and e.kind = 'event'),
           rows as (
             select n, floor(power(random(), 2) * cardinality(g.codes))::int + 1 as gi,
                    case when random() < 0.78 then (${hot}::text[])[floor(random() * ${hot.length})::int + 1]
                         else c.keys[floor(random() * cardinality(c.keys))::int + 1] end as category,
                    timestamptz '2024-11-25 00:00+08' + (random() * 730) * interval '1 day' as t
               -- About 15 % of the rows are dropped below (fewer cases outside summer): draw a quarter
               -- more than asked and keep the first CASES that pass (n is in order, the draws are not).
               from generate_series(1, ${Math.ceil(CASES * 1.25)}) as n, g, c)
      insert into case_record (id, district_code, case_number, tracking_code, channel, state, snapshot,
                               description, lng, lat, h3_r9, street_code, community_code, grid_code,
                               category_key, created_at, updated_at)
      select 'fc' || n, '110102', 'FC-' || n, 'FCT' || n, 'resident', 'closed', '{}'::jsonb, '', 116.37, 39.91,
             'x', g.streets[gi], g.communities[gi], g.codes[gi], category,
             -- Summer weeks get a third more cases: a season for the models to find.
             case when extract(month from t) in (6, 7, 8) or random() < 0.75 then t
                  else t - interval '180 days' end, t
        from rows, g
       where case when extract(month from t) in (6, 7, 8) then true else random() < 0.8 end
       order by n
       limit ${CASES}`.execute(db);
    });
    await sql`vacuum (analyze) case_record`.execute(handle.db);
    const count = await sql<{ n: string }>`select count(*) as n from case_record`.execute(handle.db);
    const written = Number(count.rows[0]!.n);
    console.log(
      `history: ${written.toLocaleString('en')} cases written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    if (written !== CASES) throw new Error(`forecasts bench: ${written} cases written, ${CASES} asked`);
    sampler = new BackendCpu(url.toString(), name);
    await sampler.start();

    for (let round = 1; round <= 2; round++) {
      const load0 = os.loadavg()[0]!;
      const pg0 = sampler.ticks();
      const cpu = process.cpuUsage();
      const w = performance.now();
      const next = await ctx.forecasts.nextWeek(SYSTEM_ACTOR, { scopeCode: '110102' });
      const wall = (performance.now() - w) / 1000;
      const u = process.cpuUsage(cpu);
      await sampler.sample();
      const pgS = (sampler.ticks() - pg0) / 100;
      console.log(
        `round ${round}: next week for ${next.series.length.toLocaleString('en')} grid × category series ` +
          `(${next.historyWeeks} weeks, model ${next.model}, MASE ${next.mase}, coverage ${next.coverage80}) ` +
          `in ${wall.toFixed(1)} s wall, ${((u.user + u.system) / 1e6).toFixed(1)} s Node CPU, ` +
          `${pgS.toFixed(1)} s PostgreSQL CPU; load ${load0.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}; ` +
          `${next.series.filter((s) => s.aboveNormal).length} above normal`,
      );
    }
    // Proposing is a district administrator's (or a street dispatcher's) decision, not the system's.
    const admin110102: Actor = {
      userId: 'bench-district-admin',
      username: 'bench-district-admin',
      role: 'district_admin',
      scopeCode: '110102',
      organisationId: null,
    };
    const w = performance.now();
    const proposed = await ctx.forecasts.propose(admin110102, { scopeCode: '110102' });
    console.log(
      `proposing: ${proposed.proposed} tasks in ${((performance.now() - w) / 1000).toFixed(1)} s (forecast included)`,
    );
  } finally {
    await sampler?.stop();
    await handle.close();
    await admin(`drop database if exists ${name} with (force)`);
  }
}

/**
 * CPU ticks (1/100 s) of the scratch database's backends and their parallel workers: pg_stat_activity
 * is read every 50 ms and each process's /proc/PID/stat kept at its latest value, so a parallel worker
 * that has ended still counts (less its last 50 ms at most). Zero when /proc is not readable.
 */
class BackendCpu {
  private readonly seen = new Map<number, number>();
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  constructor(
    private readonly url: string,
    private readonly database: string,
  ) {}

  async start(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.url });
    await this.client.connect();
    await this.sample();
    this.timer = setInterval(() => void this.sample(), 50);
  }

  async sample(): Promise<void> {
    if (!this.client || this.busy) return;
    this.busy = true;
    try {
      const { rows } = await this.client.query<{ pid: number }>(
        'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [this.database],
      );
      for (const { pid } of rows) {
        try {
          const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          this.seen.set(pid, Number(f[11]) + Number(f[12]));
        } catch {
          // ended between the query and the read, or /proc is not readable
        }
      }
    } finally {
      this.busy = false;
    }
  }

  ticks(): number {
    let t = 0;
    for (const v of this.seen.values()) t += v;
    return t;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 10));
    await this.client?.end();
  }
}
