import os from 'node:os';
import path from 'node:path';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { loadConfig } from '../config/config.ts';
import { createContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { buildApp } from './app.ts';

/** The OpenAPI document as the server serves it at /api/openapi.json (the parts the checks read). */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
}

/**
 * Builds the OpenAPI document in-process: the app is assembled on a database that answers nothing (a
 * Kysely dummy driver) and default settings, never listens and needs no data folder, so the document is
 * the same on every machine. `npm run gen:api` turns it into the web's types (web/src/api/openapi.gen.ts).
 */
export async function buildOpenApiDocument(): Promise<OpenApiDocument> {
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  // Nothing is written: the folder is only named (media and models would live under it).
  const config = { ...loadConfig({}), demo: false, dataDir: path.join(os.tmpdir(), 'hutong-openapi') };
  const ctx = createContext(config, { db, engine: 'postgres', close: () => db.destroy() });
  const app = await buildApp(ctx);
  try {
    await app.ready();
    return app.swagger() as unknown as OpenApiDocument;
  } finally {
    await app.close();
    await db.destroy();
  }
}
