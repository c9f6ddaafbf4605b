import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config/config.ts';
import { createContext } from '../src/context.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadDemoCity } from '../src/demo/demo-loader.ts';
import { ManualClock } from '../src/shared/clock.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testEngine: 'pglite' | 'postgres';
    /** PGlite: snapshot files; PostgreSQL: template database names. */
    templates: { empty: string; demo: string };
    testDatabaseUrl: string | null;
  }
}

export const TEMPLATE_CLOCK = new Date('2026-11-02T01:00:00Z');

/**
 * Builds two migrated templates once per run — empty, and with the demo city — so that each test file
 * starts from a fresh copy in about a second instead of migrating and generating again.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig();
  const url = config.testDatabaseUrl ?? null;
  project.provide('testDatabaseUrl', url);
  if (!url) {
    project.provide('testEngine', 'pglite');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-test-'));
    const files = { empty: path.join(dir, 'empty.tgz'), demo: path.join(dir, 'demo.tgz') };
    const handle = await openDatabase({});
    await migrateToLatest(handle.db);
    await fs.writeFile(
      files.empty,
      Buffer.from(await (await handle.pglite!.dumpDataDir('gzip')).arrayBuffer()),
    );
    // Without the units' own accounts (a test adds them with seedUnitAccounts), so that who is told
    // of what stays the one account per role that the tests name.
    await loadDemoCity(createContext(config, handle, new ManualClock(TEMPLATE_CLOCK)), {
      unitAccounts: false,
    });
    await fs.writeFile(
      files.demo,
      Buffer.from(await (await handle.pglite!.dumpDataDir('gzip')).arrayBuffer()),
    );
    await handle.close();
    project.provide('templates', files);
    return async () => {
      await fs.rm(dir, { recursive: true, force: true });
    };
  }

  project.provide('testEngine', 'postgres');
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const names = { empty: `hutong_tpl_empty_${run}`, demo: `hutong_tpl_demo_${run}` };
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  for (const name of [names.empty, names.demo]) {
    await admin.query(`create database ${name}`);
    const handle = await openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 2 });
    await migrateToLatest(handle.db);
    if (name === names.demo)
      // Without the units' own accounts (a test adds them with seedUnitAccounts), so that who is told
      // of what stays the one account per role that the tests name.
      await loadDemoCity(createContext(config, handle, new ManualClock(TEMPLATE_CLOCK)), {
        unitAccounts: false,
      });
    await handle.close();
  }
  await admin.end();
  project.provide('templates', names);
  return async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(
      `select datname from pg_database where datname like 'hutong_t%' and datname like '%${run}%'`,
    );
    for (const r of rows) await c.query(`drop database if exists ${r.datname} with (force)`);
    await c.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
