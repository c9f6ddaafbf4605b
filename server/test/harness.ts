import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../src/config/config.ts';
import { createContext } from '../src/context.ts';
import { type DatabaseHandle, openDatabase } from '../src/db/database.ts';
import { buildApp } from '../src/http/app.ts';
import type { AppContext } from '../src/http/context.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { TEMPLATE_CLOCK, withDatabase } from './global-setup.ts';

export interface TestEnv {
  ctx: AppContext;
  handle: DatabaseHandle;
  clock: ManualClock;
  app: FastifyInstance;
  engine: 'pglite' | 'postgres';
  close(): Promise<void>;
}

let counter = 0;

/**
 * A fresh database for one test file: a copy of the migrated template (with the demo city unless
 * `demo: false`), on PGlite by default and on PostgreSQL when HUTONG_TEST_DATABASE_URL is set.
 */
export async function createTestEnv(
  options: { demo?: boolean; configure?: (config: Config) => Config } = {},
): Promise<TestEnv> {
  const which = options.demo === false ? 'empty' : 'demo';
  const templates = inject('templates');
  const url = inject('testDatabaseUrl');
  let handle: DatabaseHandle;
  let drop: (() => Promise<void>) | null = null;
  if (url) {
    const template = templates[which];
    const name = `hutong_t${process.pid}_${++counter}_${template.slice(11)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name} template ${template}`);
    await admin.end();
    handle = await openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 8 });
    drop = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    const snapshot = await fs.readFile(templates[which]);
    handle = await openDatabase({ loadDataDir: new Blob([snapshot]) });
  }
  const clock = new ManualClock(TEMPLATE_CLOCK);
  // Each test file keeps its uploads in its own folder, removed with the database.
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-test-data-'));
  const base = loadConfig();
  // Tests file many reports from one address within a minute of the test clock: the limit on anonymous
  // writes is off unless a test switches it on (`configure`).
  const config = (options.configure ?? ((c) => c))({
    ...base,
    demo: false,
    dataDir,
    security: { ...base.security, rateLimit: { ...base.security.rateLimit, enabled: false } },
  });
  const ctx = createContext(config, handle, clock);
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    handle,
    clock,
    app,
    engine: handle.engine,
    async close() {
      await app.close();
      await handle.close();
      if (drop) await drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  cookie: string;
  csrfToken: string;
  headers: Record<string, string>;
}

export async function login(app: FastifyInstance, username: string, password = 'demo'): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'hutong_session');
  if (!cookie) throw new Error('no session cookie');
  const { csrfToken } = res.json() as { csrfToken: string };
  const header = `hutong_session=${cookie.value}`;
  return { cookie: header, csrfToken, headers: { cookie: header, 'x-csrf-token': csrfToken } };
}
