import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { CliContext } from '../cli/context.ts';
import { createContext } from '../context.ts';
import { AppError } from '../shared/errors.ts';
import { LAYERS, type Layer } from './territory.schema.ts';

export function registerTerritoryCommands(program: Command, ctx: CliContext): void {
  const territory = program
    .command('territory')
    .description('districts, streets, communities, grids and alleys');

  territory
    .command('import')
    .argument('<file>', 'GeoJSON FeatureCollection in the Hutong territory format')
    .option('--skip-invalid', 'import the valid features and skip those with errors')
    .option('--dry-run', 'validate and report without writing anything')
    .description('import territory from GeoJSON; a file with errors imports nothing unless --skip-invalid')
    .action(async (file: string, opts: { skipInvalid?: boolean; dryRun?: boolean }) => {
      const input = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
      const handle = await ctx.openDatabase();
      try {
        const app = createContext(ctx.config, handle);
        const report = await app.territory
          .importTerritory(SYSTEM_ACTOR, input, { skipInvalid: opts.skipInvalid, dryRun: opts.dryRun })
          .catch((err: unknown) => {
            if (err instanceof AppError && err.code === 'INVALID_GEOJSON') {
              printFeatureReports(ctx, err.details.features as FeatureLine[]);
            }
            throw err;
          });
        printFeatureReports(ctx, report.features);
        const counts = Object.entries(report.imported)
          .filter(([, n]) => n > 0)
          .map(([layer, n]) => `${n} ${layer}`)
          .join(', ');
        ctx.print(
          `${report.dryRun ? 'would import' : 'imported'} ${counts || 'nothing'} of ${report.featureCount} features; skipped ${report.skipped}`,
        );
      } finally {
        await handle.close();
      }
    });

  territory
    .command('export')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .option('--layers <list>', `comma-separated: ${LAYERS.join(',')}`)
    .option('--street <code>', 'only this street')
    .description('export territory as GeoJSON in the import format')
    .action(async (opts: { out?: string; layers?: string; street?: string }) => {
      const layers = opts.layers?.split(',').map((s) => s.trim()) as Layer[] | undefined;
      const bad = layers?.filter((l) => !LAYERS.includes(l)) ?? [];
      if (bad.length)
        throw new AppError('VALIDATION_FAILED', `unknown layers: ${bad.join(', ')}`, { field: 'layers' });
      const handle = await ctx.openDatabase();
      try {
        const fc = await createContext(ctx.config, handle).territory.exportTerritory({
          layers,
          streetCode: opts.street,
        });
        const text = JSON.stringify(fc);
        if (opts.out) {
          await fs.writeFile(opts.out, text);
          ctx.print(`wrote ${fc.features.length} features to ${opts.out}`);
        } else process.stdout.write(`${text}\n`);
      } finally {
        await handle.close();
      }
    });
}

interface FeatureLine {
  index: number;
  layer: string | null;
  key: string | null;
  errors: { field: string; message: string }[];
  warnings: { field: string; message: string }[];
}

function printFeatureReports(ctx: CliContext, features: FeatureLine[]): void {
  for (const f of features) {
    const where = `feature ${f.index}${f.layer ? ` (${f.layer}${f.key ? ` ${f.key}` : ''})` : ''}`;
    for (const e of f.errors) ctx.print(`error   ${where} ${e.field}: ${e.message}`);
    for (const w of f.warnings) ctx.print(`warning ${where} ${w.field}: ${w.message}`);
  }
}
