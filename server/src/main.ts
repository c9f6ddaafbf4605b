import { ConfigError, loadConfig } from './config/config.ts';
import { createContext } from './context.ts';
import { DataFolderBusyError } from './db/data-lock.ts';
import { openConfiguredDatabase } from './db/open.ts';
import { DEMO_PASSWORD, loadDemoCity } from './demo/demo-loader.ts';
import { buildApp } from './http/app.ts';
import { systemClock } from './shared/clock.ts';
import { createLogger } from './shared/logger.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config);
  let handle: Awaited<ReturnType<typeof openConfiguredDatabase>>;
  try {
    handle = await openConfiguredDatabase(config, { role: 'server' });
  } catch (err) {
    if (err instanceof DataFolderBusyError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  logger.info({ engine: handle.engine, applied: handle.applied }, 'database ready');
  const ctx = createContext(config, handle, systemClock, { logger, operatorSecret: handle.operatorSecret });
  if (!ctx.calendar.coversNext(12, ctx.clock.now())) {
    logger.warn(
      { coveredUntil: ctx.calendar.coverage()?.to ?? null },
      'the holiday calendar does not cover the next 12 months: deadlines past its end ignore holidays and ' +
        'make-up days; add the next year file to server/src/calendar/holiday-cn/ once it is published',
    );
  }

  if (config.demo) {
    const streets = await ctx.territory.listStreets();
    const demo =
      streets.length === 0 ||
      (await ctx.db.selectFrom('app_meta').select('key').where('key', '=', 'demo_loaded').executeTakeFirst());
    if (demo) {
      const started = Date.now();
      const { loaded, accounts } = await loadDemoCity(ctx);
      if (loaded)
        logger.info({ ms: Date.now() - started }, 'demo city loaded (西城区, approximate geometry)');
      if (accounts.length) {
        console.log(`\nDemo accounts (password "${DEMO_PASSWORD}"):`);
        // One per role in full; the units' own accounts (demo-org-…) in one line, there are dozens.
        const units = accounts.filter((a) => a.username.startsWith('demo-org-'));
        for (const a of accounts.filter((x) => !units.includes(x)))
          console.log(`  ${a.username.padEnd(26)} ${a.role.padEnd(20)} ${a.scopeCode ?? ''}`);
        if (units.length)
          console.log(
            `  and one per summonable unit (${units.length}), e.g. ${units[0]?.username}, demo-org-power`,
          );
      }
    }
  }

  const app = await buildApp(ctx, { logger, serveWeb: true });
  const close = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await ctx.scheduler.stop();
    await ctx.jobs.stop();
    ctx.classification.stop();
    await app.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  // Background work starts once the server answers, and refuses to if a job kind has no handler.
  if (config.jobs.enabled) {
    await ctx.jobs.start();
    ctx.scheduler.start();
    logger.info({ sweepSeconds: config.jobs.sweepSeconds }, 'job runner and scheduler started');
  }
  // The demo's past is written after the server answers, so the first page is fast; /api/health says
  // when it is complete (HUTONG_DEMO_HISTORY=false turns it off).
  void ctx.demoHistory.load((msg, data) => logger.info(data ?? {}, msg));
  console.log(`\nHutong is running on http://localhost:${config.port}  (API docs: /api/docs)`);
  // The classifier loads its active model (well under a second for the default one), or on an
  // installation's first start trains the default one from the taxonomy in a child process, after the
  // server answers; until then /api/classify says 503 and reports are filed without a suggestion. It
  // follows activations made from the CLI.
  const started = Date.now();
  ctx.classification
    .start({ watchMs: 10_000 })
    .then(() => {
      const active = ctx.classification.registry.current();
      logger.info({ model: active?.version ?? null, ms: Date.now() - started }, 'classifier ready');
    })
    .catch((err: unknown) => logger.error({ err }, 'classifier could not start; reports get no suggestion'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
