import { ConfigError, loadConfig } from './config/config.ts';
import { createContext } from './context.ts';
import { openConfiguredDatabase } from './db/open.ts';
import { DEMO_PASSWORD, loadDemoCity } from './demo/demo-loader.ts';
import { buildApp } from './http/app.ts';
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
  const handle = await openConfiguredDatabase(config);
  logger.info({ engine: handle.engine, applied: handle.applied }, 'database ready');
  const ctx = createContext(config, handle);

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
        for (const a of accounts)
          console.log(`  ${a.username.padEnd(26)} ${a.role.padEnd(20)} ${a.scopeCode ?? ''}`);
      }
    }
  }

  const app = await buildApp(ctx, { logger, serveWeb: true });
  const close = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  console.log(`\nHutong is running on http://localhost:${config.port}  (API docs: /api/docs)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
