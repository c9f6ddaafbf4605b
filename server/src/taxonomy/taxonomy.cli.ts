import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { CliContext } from '../cli/context.ts';
import { createContext } from '../context.ts';
import { AppError } from '../shared/errors.ts';

export function registerTaxonomyCommands(program: Command, ctx: CliContext): void {
  const taxonomy = program
    .command('taxonomy')
    .description('the problem taxonomy (部件 / 事件 categories) and its default routing');

  taxonomy
    .command('import')
    .argument(
      '<file>',
      'catalogue TSV: code, kind, major_class, name, keywords (and the columns export adds)',
    )
    .option('--district <code>', 'the district (6 digits); default: the only one in the territory')
    .option('--label <text>', 'a label for the new version')
    .description('create and activate a new taxonomy version from a catalogue file, with defaults filled in')
    .action(async (file: string, opts: { district?: string; label?: string }) => {
      const text = await fs.readFile(file, 'utf8');
      const handle = await ctx.openDatabase();
      try {
        const app = createContext(ctx.config, handle);
        const districtCode = await app.taxonomy.districtForOperator(opts.district);
        const result = await app.taxonomy
          .importCatalogue(SYSTEM_ACTOR, text, { districtCode, label: opts.label })
          .catch((err: unknown) => {
            if (
              err instanceof AppError &&
              err.code === 'VALIDATION_FAILED' &&
              Array.isArray(err.details.fields)
            ) {
              for (const f of err.details.fields as { field: string; message: string }[]) {
                ctx.print(`error   ${f.field}: ${f.message}`);
              }
              // Printed line by line above; the error itself need not repeat them.
              throw new AppError(err.code, err.message);
            }
            throw err;
          });
        const v = result.version;
        ctx.print(
          `imported ${result.entryCount} categories as version ${v.number} (${v.id}) of ${v.districtCode}, now active`,
        );
        ctx.print(
          `default routing rules: ${result.rules.total} (${result.rules.added} added, ${result.rules.removed} removed)`,
        );
      } finally {
        await handle.close();
      }
    });

  taxonomy
    .command('export')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option('--district <code>', 'the district (6 digits); default: the only one')
    .option('--version-id <id>', 'a version other than the active one')
    .description('export a taxonomy version as a catalogue TSV with its settings; import reads it back')
    .action(async (opts: { out?: string; district?: string; versionId?: string }) => {
      const handle = await ctx.openDatabase();
      try {
        const app = createContext(ctx.config, handle);
        const districtCode = await app.taxonomy.districtForOperator(opts.district);
        const { version, text } = await app.taxonomy.exportCatalogue(districtCode, opts.versionId);
        if (opts.out) {
          await fs.writeFile(opts.out, text);
          ctx.print(`wrote version ${version.number} (${version.id}) of ${districtCode} to ${opts.out}`);
        } else process.stdout.write(text);
      } finally {
        await handle.close();
      }
    });
}
