import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from '../../test/global-setup.ts';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { loadConfig } from '../config/config.ts';
import { createContext } from '../context.ts';
import { type DatabaseHandle, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import type { Database } from '../db/schema.ts';
import { CaseDriver, DEPT, NO_PHOTO } from '../ledgers/ledger.fixtures.ts';
import { readBackupHeader, restoreBackup, writeBackup } from './backup.ts';

/**
 * A site with cases along the loop, a campaign and a photo file is written to a backup and restored
 * into an empty database: the same rows, the trail still verifies, the files are back. The target is
 * an in-memory PGlite, and also a PostgreSQL database when the tests run against one — the embedded
 * site moving to a server (`hutong migrate-to`) is that second restore.
 */
let env: TestEnv;
let folder: string;
let file: string;

async function counts(db: DatabaseHandle['db']) {
  const { rows } = await sql<{ cases: number; events: number; users: number; alleys: number; items: number }>`
    select (select count(*) from case_record)::int as cases, (select count(*) from case_event)::int as events,
      (select count(*) from app_user)::int as users, (select count(*) from alley)::int as alleys,
      (select count(*) from taxonomy_entry)::int as items`.execute(db);
  return rows[0]!;
}

beforeAll(async () => {
  env = await createTestEnv();
  const d = new CaseDriver(env);
  await d.signIn('street_dispatcher', 'department_handler', 'inspector', 'resident', 'district_admin');
  for (const text of ['胡同口垃圾堆了三天', '路灯不亮', '井盖松动']) {
    const k = await d.report(text, { as: 'resident' });
    await d.ok('street_dispatcher', k.caseNumber, 'accept', { categoryKey: 'event:06010' });
    await d.ok('street_dispatcher', k.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
  }
  const closed = await d.report('墙上小广告', { as: 'resident' });
  await d.ok('street_dispatcher', closed.caseNumber, 'accept', { categoryKey: 'event:06010' });
  await d.ok('street_dispatcher', closed.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
  await d.ok('department_handler', closed.caseNumber, 'sign');
  await d.ok('department_handler', closed.caseNumber, 'feedback', { note: '已清除', ...NO_PHOTO });
  await d.ok('inspector', closed.caseNumber, 'verify_pass');
  const photo = path.join(env.ctx.config.dataDir, 'media', 'ab', 'photo.jpg');
  await fs.mkdir(path.dirname(photo), { recursive: true });
  await fs.writeFile(photo, Buffer.from('not really a jpeg'));
  await fs.writeFile(`${photo}.tmp`, Buffer.from('half-written'));
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-backup-'));
  file = path.join(folder, 'site.backup');
});
afterAll(async () => {
  await env?.close();
  if (folder) await fs.rm(folder, { recursive: true, force: true });
});

async function restoreInto(target: DatabaseHandle) {
  await migrateToLatest(target.db);
  const dataDir = path.join(folder, `restored-${target.engine}`);
  const summary = await restoreBackup(target.db, dataDir, file);
  expect(await counts(target.db)).toEqual(await counts(env.handle.db));
  // The indexes dropped for the load are all back, as they were.
  expect(await indexDefinitions(target.db)).toEqual(await indexDefinitions(env.handle.db));
  const ctx = createContext({ ...loadConfig(), demo: false, dataDir }, target);
  const audit = await ctx.cases.verifyAudit();
  expect(audit.problems).toEqual([]);
  expect(audit.cases).toBe((await counts(env.handle.db)).cases);
  expect(await fs.readFile(path.join(dataDir, 'media', 'ab', 'photo.jpg'), 'utf8')).toBe('not really a jpeg');
  return summary;
}

describe('backup and restore', () => {
  it('writes every table and the data folder’s files, but no half-written file', async () => {
    const summary = await writeBackup(env.handle.db, env.ctx.config.dataDir, file);
    expect(summary.tables.case_record).toBe((await counts(env.handle.db)).cases);
    expect(summary.files).toBe(1);
    const header = await readBackupHeader(file);
    expect(header.tables.map((t) => t.name)).toContain('case_event');
    // Parents before the tables that point at them.
    const names = header.tables.map((t) => t.name);
    expect(names.indexOf('case_record')).toBeLessThan(names.indexOf('case_event'));
    expect(names).not.toContain('schema_migration');
  });

  it('restores into an empty embedded database: the same rows, an intact trail, the files', async () => {
    const target = await openDatabase({});
    try {
      await restoreInto(target);
    } finally {
      await target.close();
    }
  });

  it('refuses a database that already holds a site, and changes nothing in it', async () => {
    await expect(restoreBackup(env.handle.db, path.join(folder, 'again'), file)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it.runIf(!!inject('testDatabaseUrl'))('moves the site to an empty PostgreSQL database', async () => {
    const url = inject('testDatabaseUrl')!;
    const name = `hutong_restore_${process.pid}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    const target = await openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 2 });
    try {
      await restoreInto(target);
    } finally {
      await target.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

async function indexDefinitions(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ d: string }>`
    select indexdef as d from pg_indexes where schemaname = current_schema() order by indexname`.execute(db);
  return rows.map((r) => r.d);
}
