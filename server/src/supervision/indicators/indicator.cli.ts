import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../accounts/authorisation.ts';
import type { CliContext } from '../../cli/context.ts';
import { createContext } from '../../context.ts';
import { AppError } from '../../shared/errors.ts';
import { shapeOf } from './indicator.rules.ts';

export function registerIndicatorCommands(program: Command, ctx: CliContext): void {
  const indicators = program
    .command('indicators')
    .description('the three-level check indicator system of a district (SPEC §3), as TSV');

  indicators
    .command('export')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option('--district <code>', 'the district (6 digits); default: the only one')
    .option('--version-id <id>', 'a version other than the active one')
    .description('export the indicator system as TSV; import reads the same file back')
    .action(async (opts: { out?: string; district?: string; versionId?: string }) => {
      const handle = await ctx.openDatabase();
      try {
        const app = createContext(ctx.config, handle);
        const district = await app.taxonomy.districtForOperator(opts.district);
        const { version, text } = await app.supervision.indicators.exportTsv(district, opts.versionId);
        if (opts.out) {
          await fs.writeFile(opts.out, text);
          ctx.print(`wrote version ${version.number} (${version.id}) of ${district} to ${opts.out}`);
        } else process.stdout.write(text);
      } finally {
        await handle.close();
      }
    });

  indicators
    .command('import')
    .argument('<file>', 'TSV with the columns export writes')
    .option('--district <code>', 'the district (6 digits); default: the only one')
    .option('--label <text>', 'a label for the new version')
    .description('create and activate a new version of the indicator system from a TSV file')
    .action(async (file: string, opts: { district?: string; label?: string }) => {
      const text = await fs.readFile(file, 'utf8');
      const handle = await ctx.openDatabase();
      try {
        const app = createContext(ctx.config, handle);
        const district = await app.taxonomy.districtForOperator(opts.district);
        const s = await app.supervision.indicators
          .importTsv(SYSTEM_ACTOR, district, text, opts.label)
          .catch((err: unknown) => {
            if (err instanceof AppError && Array.isArray(err.details.fields)) {
              for (const f of err.details.fields as { field: string; message: string }[])
                ctx.print(`error   ${f.field}: ${f.message}`);
              throw new AppError(err.code, err.message);
            }
            throw err;
          });
        ctx.print(
          `imported ${shapeOf(s.items).join(' / ')} indicators as version ${s.version.number} (${s.version.id}) of ${district}, now active`,
        );
      } finally {
        await handle.close();
      }
    });
}
