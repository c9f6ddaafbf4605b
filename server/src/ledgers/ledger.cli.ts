import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { CliContext } from '../cli/context.ts';
import { createContext } from '../context.ts';
import { AppError } from '../shared/errors.ts';
import type { LedgerStateFilter } from './ledger.repository.ts';

const STATES: readonly LedgerStateFilter[] = ['open', 'closed', 'all'];

export function registerLedgerCommands(program: Command, ctx: CliContext): void {
  const ledger = program
    .command('ledger')
    .description('the case ledger (台账) and campaign ledgers (动态清零)');

  ledger
    .command('export')
    .requiredOption('--out <file>', 'the .xlsx file to write')
    .option('--street <code>', 'only this street (9 digits)')
    .option('--state <state>', `${STATES.join(', ')}`, 'open')
    .option('--from <date>', 'found on or after this Beijing date (YYYY-MM-DD)')
    .option('--to <date>', 'found on or before this Beijing date (YYYY-MM-DD)')
    .option('--category <key>', 'only this category (event:06001 or 06001)')
    .option('--unit <id>', 'only the cases this organisation is responsible for (责任单位)')
    .option('--campaign <id>', 'export this campaign ledger instead of the case ledger')
    .description('write the case ledger, or a campaign ledger, as an Excel workbook')
    .action(
      async (opts: {
        out: string;
        street?: string;
        state: string;
        from?: string;
        to?: string;
        category?: string;
        unit?: string;
        campaign?: string;
      }) => {
        if (!STATES.includes(opts.state as LedgerStateFilter)) {
          throw AppError.validation([{ field: 'state', message: `one of ${STATES.join(', ')}` }]);
        }
        const handle = await ctx.openDatabase();
        try {
          const app = createContext(ctx.config, handle);
          const { buffer, count } = opts.campaign
            ? await app.campaigns.exportXlsx(SYSTEM_ACTOR, opts.campaign)
            : await app.ledgers.exportCases(SYSTEM_ACTOR, {
                street: opts.street,
                state: opts.state as LedgerStateFilter,
                from: opts.from,
                to: opts.to,
                category: opts.category,
                unit: opts.unit,
              });
          await fs.writeFile(opts.out, buffer);
          ctx.print(`wrote ${count} entries to ${opts.out}`);
        } finally {
          await handle.close();
        }
      },
    );
}
