import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { migrationStatus } from '../db/migrate.ts';
import type { AppContext } from './context.ts';

export const systemRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness, database engine and schema migration',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.object({
              engine: z.enum(['pglite', 'postgres']),
              migration: z.object({
                latest: z.string().nullable(),
                applied: z.number(),
                pending: z.number(),
              }),
            }),
            demo: z.boolean(),
            demoHistory: z
              .object({
                state: z.enum(['off', 'pending', 'loading', 'complete', 'skipped', 'failed']),
                cases: z.number().int(),
                loaded: z.number().int(),
                error: z.string().optional(),
              })
              .describe('the demo’s past: loading after start, complete when dashboards show the whole year'),
            time: z.string(),
            calendar: z
              .object({
                coveredUntil: z.string().nullable().describe('last day of the published holiday data'),
                coversNext12Months: z.boolean(),
              })
              .describe(
                'false coverage means deadlines beyond it ignore holidays not yet loaded (SPEC §4.4)',
              ),
          }),
        },
      },
    },
    async () => {
      await sql`select 1`.execute(ctx.db);
      const migration = await migrationStatus(ctx.db);
      const demo = await ctx.db
        .selectFrom('app_meta')
        .select('key')
        .where('key', '=', 'demo_loaded')
        .executeTakeFirst();
      return {
        status: 'ok' as const,
        database: { engine: ctx.engine, migration },
        demo: !!demo,
        demoHistory: ctx.demoHistory.status,
        time: ctx.clock.now().toISOString(),
        calendar: {
          coveredUntil: ctx.calendar.coverage()?.to ?? null,
          coversNext12Months: ctx.calendar.coversNext(12, ctx.clock.now()),
        },
      };
    },
  );

  app.get(
    '/api/config/map',
    {
      schema: {
        tags: ['system'],
        summary: 'The tile source the web map should use; null tiles mean a plain background',
        response: {
          200: z.object({
            tiles: z.object({ url: z.string(), crs: z.enum(['wgs84', 'gcj02']) }).nullable(),
            styleUrl: z.string().nullable(),
          }),
        },
      },
    },
    async () => ({
      tiles: ctx.config.map.tilesUrl ? { url: ctx.config.map.tilesUrl, crs: ctx.config.map.tilesCrs } : null,
      styleUrl: ctx.config.map.styleUrl ?? null,
    }),
  );

  app.get(
    '/api/config/site',
    {
      schema: {
        tags: ['system'],
        summary: 'Where residents reach this site (HUTONG_PUBLIC_URL): QR codes and printed links use it',
        response: {
          200: z.object({
            publicUrl: z
              .string()
              .nullable()
              .describe('the public base URL without a trailing slash; null: the address the browser used'),
          }),
        },
      },
    },
    async () => ({ publicUrl: ctx.config.security.publicUrl ?? null }),
  );
};
