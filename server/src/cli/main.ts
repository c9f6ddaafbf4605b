import { Command } from 'commander';
import { registerAccountCommands } from '../accounts/account.cli.ts';
import { registerCaseCommands } from '../cases/case.cli.ts';
import { registerClassifierCommands } from '../classification/classifier.cli.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { DataFolderBusyError } from '../db/data-lock.ts';
import { migrateToLatest, migrationStatus } from '../db/migrate.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { registerDemoCommands } from '../demo/demo.cli.ts';
import { registerForecastCommands } from '../forecasts/forecast.cli.ts';
import { registerHotIssueCommands } from '../hotissues/hot-issue.cli.ts';
import { registerHotlineCommands } from '../hotline/hotline.cli.ts';
import { registerLedgerCommands } from '../ledgers/ledger.cli.ts';
import { registerOpen311Commands } from '../open311/open311.cli.ts';
import { registerBackupCommands } from '../operations/backup.cli.ts';
import { AppError } from '../shared/errors.ts';
import { registerIndicatorCommands } from '../supervision/indicators/indicator.cli.ts';
import { registerTaxonomyCommands } from '../taxonomy/taxonomy.cli.ts';
import { registerTerritoryCommands } from '../territory/territory.cli.ts';
import type { CliContext } from './context.ts';
import { serverHolding } from './operator-client.ts';

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

const ctx: CliContext = {
  config,
  // Opening applies pending migrations, so `migrate` below only reports.
  // The lock names the command to whoever is refused, without its options (a password may be one).
  openDatabase: () =>
    openConfiguredDatabase(config, {
      role: 'cli',
      command: `hutong ${process.argv
        .slice(2)
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ')}`,
    }),
  server: () => serverHolding(config),
  print: (line) => process.stdout.write(`${line}\n`),
};

const program = new Command('hutong')
  .description('Hutong — fine-grained governance of back streets and alleys')
  .showHelpAfterError();

program
  .command('migrate')
  .description('apply pending database migrations (also done on every server start)')
  .action(async () => {
    const handle = await ctx.openDatabase();
    try {
      const applied = await migrateToLatest(handle.db);
      const status = await migrationStatus(handle.db);
      ctx.print(applied.length ? `applied: ${applied.join(', ')}` : 'the schema is up to date');
      ctx.print(`engine ${handle.engine}, latest migration ${status.latest}`);
    } finally {
      await handle.close();
    }
  });

registerTerritoryCommands(program, ctx);
registerTaxonomyCommands(program, ctx);
registerAccountCommands(program, ctx);
registerDemoCommands(program, ctx);
registerCaseCommands(program, ctx);
registerClassifierCommands(program, ctx);
registerLedgerCommands(program, ctx);
registerHotlineCommands(program, ctx);
registerOpen311Commands(program, ctx);
registerHotIssueCommands(program, ctx);
registerForecastCommands(program, ctx);
registerBackupCommands(program, ctx);
registerIndicatorCommands(program, ctx);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof DataFolderBusyError) {
    console.error(err.message);
    process.exit(1);
  }
  if (err instanceof AppError) {
    console.error(`${err.code}: ${err.message}`);
    // Per-feature import reports were already printed line by line.
    if (Object.keys(err.details).length && err.code !== 'INVALID_GEOJSON') {
      console.error(JSON.stringify(err.details, null, 2));
    }
    process.exit(1);
  }
  throw err;
}
