import fs from 'node:fs/promises';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { SYSTEM_ACTOR } from '../src/accounts/authorisation.ts';
import { caseRepository } from '../src/cases/case.repository.ts';
import { loadConfig } from '../src/config/config.ts';
import { createContext, officialCalendar } from '../src/context.ts';
import { type DatabaseHandle, type Engine, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadDemoCity } from '../src/demo/demo-loader.ts';
import { demoFixtureCity, fixtureWorkbook, generateHotlineOrders } from '../src/hotline/hotline.fixtures.ts';
import { HotlineService } from '../src/hotline/hotline.service.ts';
import { systemClock } from '../src/shared/clock.ts';

/**
 * A 12345 export at scale (SPEC §9, §10): a deterministic 10,000-row workbook over the demo city with
 * nine deliberately bad rows (three without content, three with unusable coordinates, three with an
 * unknown category), imported with its validation report, then imported again, which must add nothing.
 * On a fresh PGlite database in a temporary folder, or on a scratch PostgreSQL database.
 *
 *   npm run bench -- hotline [--rows N] [--engine pglite|postgres] [--pg-url URL] [--chunk N] [--no-classifier] [--profile FILE]
 *
 * --chunk sets the orders per transaction (1: each order through the single intake, the reference path);
 * --profile FILE writes a CPU profile of the first import.
 */

function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = argv[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
}

async function scratch(engine: Engine, pgUrl: string) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-hotline-bench-'));
  if (engine === 'pglite') {
    const handle = await openDatabase({ dataDir: path.join(dataDir, 'pglite') });
    return {
      handle,
      dataDir,
      drop: async () => {
        await handle.close();
        await fs.rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `hutong_hotline_bench_${process.pid}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const handle: DatabaseHandle = await openDatabase({ databaseUrl: url.toString() });
  return {
    handle,
    dataDir,
    drop: async () => {
      await handle.close();
      await admin(`drop database if exists ${name} with (force)`);
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Statements sent to PostgreSQL (every `query` of a pooled client); PGlite's are not counted. */
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const rows = Number(option(argv, 'rows') ?? 10_000);
  const engine = (option(argv, 'engine') ?? 'pglite') as Engine;
  const pgUrl = option(argv, 'pg-url') ?? 'postgres://postgres@127.0.0.1:5432/postgres';

  const t = performance.now();
  const orders = generateHotlineOrders(demoFixtureCity(), { rows, badPerKind: 3, prefix: 'BENCH' });
  const file = await fixtureWorkbook(orders);
  const expectedCreated = orders.filter((o) => o.expect === 'created').length;
  console.log(
    `generated ${fmt(rows)} rows (${fmt(rows - expectedCreated)} bad) as xlsx: ${(file.length / 1024).toFixed(0)} KiB ` +
      `in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );

  const db = await scratch(engine, pgUrl);
  try {
    await migrateToLatest(db.handle.db);
    const config = { ...loadConfig(), demo: false, dataDir: db.dataDir };
    const ctx = createContext(config, db.handle, systemClock);
    await loadDemoCity(ctx);
    // As on a server: the classifier proposes a category for every order (the default model, trained
    // from the taxonomy when none is active); --no-classifier leaves it out.
    const classifier = !argv.includes('--no-classifier');
    if (classifier) await ctx.classification.start({ trainDefault: true });
    const chunk = option(argv, 'chunk');
    const hotline = chunk
      ? new HotlineService(
          db.handle.db,
          ctx.cases,
          ctx.territory,
          ctx.taxonomy,
          officialCalendar(),
          systemClock,
          {
            weights: config.hotline.sanlvWeights,
            minConfidence: config.hotline.minConfidence,
            chunkSize: Number(chunk),
          },
        )
      : ctx.hotline;
    console.log(
      `engine ${db.handle.engine}, demo city loaded; classifier ${classifier ? 'on' : 'off'}; ` +
        `orders per chunk ${chunk ?? 'default (250)'}`,
    );

    const pass = async (label: string) => {
      const start = performance.now();
      const sent = statements;
      const cpu = process.cpuUsage();
      const r = await hotline.importFile(SYSTEM_ACTOR, file, { filename: 'bench.xlsx' });
      const s = (performance.now() - start) / 1000;
      const n = statements - sent;
      const used = process.cpuUsage(cpu);
      // Node's own CPU time (both engines; PGlite runs inside it, PostgreSQL's server does not).
      const cpuS = (used.user + used.system) / 1e6;
      console.log(
        `${label}: ${fmt(r.summary.rows)} rows in ${s.toFixed(1)} s = ${fmt(r.summary.rows / s)} rows/s; ` +
          `created ${fmt(r.summary.created)}, existing ${fmt(r.summary.existing)}, rejected ${fmt(r.summary.rejected)}; ` +
          `report ${(r.report.length / 1024).toFixed(0)} KiB; Node CPU ${cpuS.toFixed(1)} s = ${fmt(r.summary.rows / cpuS)} rows per CPU-second` +
          (db.handle.engine === 'postgres'
            ? `; ${fmt(n)} statements (${(n / r.summary.rows).toFixed(2)} per row)`
            : ''),
      );
      return { ...r, seconds: s };
    };
    // --profile FILE: a CPU profile of the first import only (open it in Chrome's DevTools).
    const profileTo = option(argv, 'profile');
    const session = profileTo ? new inspector.Session() : null;
    const post = (method: string) =>
      new Promise<unknown>((resolve, reject) =>
        session!.post(method, (err, result) => (err ? reject(err) : resolve(result))),
      );
    if (session) {
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
    }
    const first = await pass('first import ');
    if (session) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      await fs.writeFile(profileTo!, JSON.stringify(profile));
      session.disconnect();
      console.log(`CPU profile of the first import written to ${profileTo}`);
    }
    const firstS = first.seconds;
    for (const reason of first.summary.reasons) console.log(`  rejected: ${reason.label} × ${reason.count}`);
    const second = await pass('second import');
    const count = await db.handle.db
      .selectFrom('case_record')
      .select((eb) => [
        eb.fn.countAll<string>().as('n'),
        eb.fn.count<string>('suggested_key').as('suggested'),
      ])
      .where('channel', '=', 'hotline')
      .executeTakeFirstOrThrow();
    console.log(`cases with the classifier's suggestion: ${fmt(Number(count.suggested))}`);
    // The floor: the same number of cases (case row and first event) written as bare multi-row
    // inserts of 500, with none of the import's reading, checking, placing, numbering or report.
    const filed = await db.handle.db
      .selectFrom('case_record')
      .selectAll()
      .where('channel', '=', 'hotline')
      .execute();
    const bareStart = performance.now();
    const repo = caseRepository(db.handle.db);
    for (let i = 0; i < filed.length; i += 500) {
      await repo.insertReports(
        filed.slice(i, i + 500).map((c, j) => {
          const id = `bare_${i + j}`;
          const { supporters: _s, version: _v, sla_state: _l, ...row } = c;
          return {
            case: {
              ...row,
              id,
              case_number: `${c.case_number}B`,
              tracking_code: `${c.tracking_code}B`,
              external_ref: `${c.external_ref}B`,
            },
            event: {
              caseId: id,
              districtCode: c.district_code,
              at: c.created_at,
              actorUserId: null,
              actorRole: 'street_dispatcher',
              action: 'report',
              fromState: null,
              toState: 'reported',
              reason: null,
              payload: { channel: 'hotline', categoryKey: c.category_key, crs: c.crs_in, photoIds: [] },
            },
            idempotency: null,
          };
        }),
      );
    }
    const bareS = (performance.now() - bareStart) / 1000;
    console.log(
      `bare insert  : ${fmt(filed.length)} cases in ${bareS.toFixed(1)} s = ${fmt(filed.length / bareS)} rows/s ` +
        `(first import at ${((first.summary.rows / firstS / (filed.length / bareS)) * 100).toFixed(0)} % of it)`,
    );
    const ok =
      first.summary.created === expectedCreated &&
      second.summary.created === 0 &&
      second.summary.existing === expectedCreated &&
      Number(count.n) === expectedCreated;
    console.log(
      `hotline cases in the database: ${fmt(Number(count.n))}; second import added nothing: ${ok ? 'yes' : 'NO'}; ` +
        `load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await db.drop();
  }
}
