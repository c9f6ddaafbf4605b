import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config/config.ts';
import { createContext, officialCalendar } from '../src/context.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadDemoCity } from '../src/demo/demo-loader.ts';
import { restoreBackup, writeBackup } from '../src/operations/backup.ts';
import { parseCatalogue } from '../src/taxonomy/taxonomy.catalogue.ts';
import { DEMO_DISTRICT, generateDemoCity } from '../src/territory/demo-city.ts';
import { withDatabase } from '../test/global-setup.ts';
import {
  buildWorld,
  COUNTER_COLUMNS,
  copyPg,
  counterRows,
  generateCases,
  loadBatchPg,
} from './cases-data.ts';

/**
 * Backup and restore at scale on PostgreSQL: a district's history of `--scale` cases (the case
 * benchmark's generator), `hutong backup`'s writer, a restore into an empty database, the counts
 * compared and the restored trail verified.
 *
 *   npm run bench -- backup [--scale N] [--pg-url URL]
 *
 * HUTONG_BENCH_BACKUP_DB=<name> keeps the source database under that name: a later run that finds it
 * loaded with the same number of cases skips the load and goes straight to the backup. Drop it by
 * hand when done.
 */
export async function run(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: {
      scale: { type: 'string', default: '1000000' },
      'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    },
    strict: false,
  });
  const scale = Number(values.scale);
  const pgUrl = String(values['pg-url']);
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-bench-backup-'));
  const kept = process.env.HUTONG_BENCH_BACKUP_DB;
  const names = [
    kept ?? `hutong_bench_src_${process.pid}`,
    `hutong_bench_dst_${process.pid}`,
    `hutong_bench_pgr_${process.pid}`,
  ];
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const handles: DatabaseHandle[] = [];
  try {
    const reuse = kept ? await loadedCases(admin, pgUrl, kept) : null;
    for (const n of names) {
      if (n === kept && reuse === scale) continue;
      await admin.query(`drop database if exists ${n} with (force)`);
      await admin.query(`create database ${n}`);
    }
    const source = await openDatabase({ databaseUrl: withDatabase(pgUrl, names[0]!) });
    handles.push(source);
    const dataDir = path.join(folder, 'site');
    const ctx = createContext({ ...loadConfig(), demo: true, dataDir }, source);
    if (reuse === scale) {
      console.log(`reusing ${kept}: ${scale.toLocaleString('en')} cases already loaded`);
    } else {
      await migrateToLatest(source.db);
      await loadDemoCity(ctx);
      const { text } = await ctx.taxonomy.exportCatalogue(DEMO_DISTRICT.code);
      const categories = parseCatalogue(text).rows.map((r) => ({
        key: r.key,
        name: r.name,
        handlingLimit: r.settings.handlingLimit ?? { amount: 3, unit: 'working_days' as const },
        severity: r.settings.severity ?? 'normal',
        public: r.settings.public ?? true,
      }));
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const batches = generateCases({
        scale,
        seed: 20_261_207,
        batchSize: Math.min(10_000, scale),
        world: buildWorld(generateDemoCity(), 20_261_207),
        categories,
        rules: await ctx.taxonomy.rulesInForce(DEMO_DISTRICT.code),
        calendar: officialCalendar(),
      });
      const pool = new pg.Pool({ connectionString: withDatabase(pgUrl, names[0]!), max: 1 });
      const client = await pool.connect();
      try {
        for (;;) {
          const next = await batches.next();
          if (next.done) {
            await copyPg(client, 'case_number_counter', COUNTER_COLUMNS, counterRows(next.value.counters));
            break;
          }
          await loadBatchPg(client, next.value);
        }
        await client.query('vacuum analyze');
      } finally {
        client.release();
        await pool.end();
      }
      const loadS = (performance.now() - t0) / 1000;
      const loadCpu = process.cpuUsage(cpu0);
      console.log(
        `loaded ${scale.toLocaleString('en')} cases in ${loadS.toFixed(1)} s (Node CPU ${((loadCpu.user + loadCpu.system) / 1e6).toFixed(1)} s); load average ${os
          .loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')}`,
      );
    }

    const file = path.join(folder, 'site.backup');
    let t = performance.now();
    let cpu = process.cpuUsage();
    const written = await writeBackup(source.db, dataDir, file);
    const backupS = (performance.now() - t) / 1000;
    const backupCpu = cpuSeconds(cpu);
    const rows = Object.values(written.tables).reduce((a, b) => a + b, 0);
    console.log(
      `backup: ${rows.toLocaleString('en')} rows, ${(written.bytes / 1e6).toFixed(0)} MB in ${backupS.toFixed(1)} s (${Math.round(rows / backupS).toLocaleString('en')} rows/s), Node CPU ${backupCpu.toFixed(1)} s; load average ${loadAverage()}`,
    );

    const target = await openDatabase({ databaseUrl: withDatabase(pgUrl, names[1]!) });
    handles.push(target);
    await migrateToLatest(target.db);
    t = performance.now();
    cpu = process.cpuUsage();
    const restored = await restoreBackup(target.db, path.join(folder, 'restored'), file);
    const restoreS = (performance.now() - t) / 1000;
    const restoreCpu = cpuSeconds(cpu);
    console.log(
      `restore: ${restoreS.toFixed(1)} s (${Math.round(rows / restoreS).toLocaleString('en')} rows/s), Node CPU ${restoreCpu.toFixed(1)} s; load average ${loadAverage()}`,
    );
    // The counts now, before the baseline: the audit of the restored trail comes last and is the longest.
    const differs = Object.entries(written.tables).filter(([k, n]) => restored.tables[k] !== n && n > 0);
    const { rows: c } = await sql<{ n: number }>`select count(*)::int as n from case_record`.execute(
      target.db,
    );
    console.log(
      `restored ${c[0]!.n.toLocaleString('en')} cases, ${Object.values(restored.tables)
        .reduce((a, b) => a + b, 0)
        .toLocaleString('en')} rows; tables differing: ${differs.length}`,
    );
    // The baseline of the same run: PostgreSQL's own tools on the same database (custom format, one
    // job), which is what an operator would otherwise script. They copy the database only, not the
    // data folder, and their restore is not one transaction.
    const dump = path.join(folder, 'site.pgdump');
    t = performance.now();
    await run_('pg_dump', ['-Fc', '-f', dump, withDatabase(pgUrl, names[0]!)]);
    const dumpS = (performance.now() - t) / 1000;
    t = performance.now();
    await run_('pg_restore', ['-d', withDatabase(pgUrl, names[2]!), dump]);
    const pgRestoreS = (performance.now() - t) / 1000;
    const dumpBytes = (await fs.stat(dump)).size;
    console.log(
      `baseline pg_dump -Fc: ${(dumpBytes / 1e6).toFixed(0)} MB in ${dumpS.toFixed(1)} s; pg_restore ${pgRestoreS.toFixed(1)} s; hutong backup ÷ pg_dump time ${(backupS / dumpS).toFixed(2)}, restore ÷ pg_restore ${(restoreS / pgRestoreS).toFixed(2)}`,
    );
    t = performance.now();
    const restoredCtx = createContext(
      { ...loadConfig(), demo: false, dataDir: path.join(folder, 'restored') },
      target,
    );
    const audit = await restoredCtx.cases.verifyAudit();
    const auditS = (performance.now() - t) / 1000;
    console.log(
      `audit verify of the restored trail: ${audit.cases.toLocaleString('en')} cases, ${audit.events.toLocaleString('en')} events, ${audit.problems.length} problems in ${auditS.toFixed(1)} s`,
    );
  } finally {
    for (const h of handles) await h.close().catch(() => {});
    for (const n of names) {
      if (n !== kept) await admin.query(`drop database if exists ${n} with (force)`).catch(() => {});
    }
    await admin.end();
    await fs.rm(folder, { recursive: true, force: true });
  }
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
}

/** Cases in a kept source database, or null when it does not exist or holds no cases table. */
async function loadedCases(admin: pg.Client, pgUrl: string, name: string): Promise<number | null> {
  const { rows } = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (rows.length === 0) return null;
  const c = new pg.Client({ connectionString: withDatabase(pgUrl, name) });
  await c.connect();
  try {
    const r = await c.query<{ n: number }>('select count(*)::int as n from case_record');
    return r.rows[0]!.n;
  } catch {
    return null;
  } finally {
    await c.end();
  }
}

const execFileAsync = promisify(execFile);
async function run_(command: string, args: string[]): Promise<void> {
  await execFileAsync(command, args, { maxBuffer: 16 * 1024 * 1024 });
}
