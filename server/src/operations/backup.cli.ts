import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../cli/context.ts';
import { openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { AppError } from '../shared/errors.ts';
import { type BackupSummary, restoreBackup, writeBackup } from './backup.ts';

function describe(s: BackupSummary, seconds: number): string {
  const rows = Object.values(s.tables).reduce((a, b) => a + b, 0);
  const cases = s.tables.case_record ?? 0;
  return `${cases} cases, ${rows} rows in ${Object.keys(s.tables).length} tables, ${s.files} files, ${(s.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`;
}

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('write the database and its photos and models to one file (either engine)')
    .requiredOption('--out <file>', 'the backup file to write (gzip’d JSON lines)')
    .action(async (opts: { out: string }) => {
      const started = performance.now();
      const handle = await ctx.openDatabase();
      try {
        const summary = await writeBackup(handle.db, ctx.config.dataDir, opts.out);
        ctx.print(`backup ${opts.out}: ${describe(summary, (performance.now() - started) / 1000)}`);
      } finally {
        await handle.close();
      }
    });

  program
    .command('restore')
    .description('restore a backup into an empty database (the configured one) and its data folder')
    .argument('<file>', 'a file written by `hutong backup`')
    .action(async (file: string) => {
      const started = performance.now();
      const handle = await ctx.openDatabase();
      try {
        const summary = await restoreBackup(handle.db, ctx.config.dataDir, file);
        ctx.print(`restored ${file}: ${describe(summary, (performance.now() - started) / 1000)}`);
        ctx.print('check it with: npx hutong audit verify');
      } finally {
        await handle.close();
      }
    });

  program
    .command('migrate-to')
    .description(
      'copy this site’s embedded database to an empty PostgreSQL database, then point the server at it',
    )
    .argument('<url>', 'postgres://user@host:port/database')
    .action(async (url: string) => {
      if (!/^postgres(ql)?:\/\//.test(url)) {
        throw AppError.validation([{ field: 'url', message: 'a postgres:// URL' }]);
      }
      if (ctx.config.databaseUrl) {
        throw AppError.validation([
          {
            field: 'HUTONG_DATABASE_URL',
            message: 'this site already runs on PostgreSQL: use backup and restore',
          },
        ]);
      }
      const started = performance.now();
      const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'hutong-migrate-'));
      const file = path.join(folder, 'site.backup');
      try {
        const source = await ctx.openDatabase();
        let written: BackupSummary;
        try {
          written = await writeBackup(source.db, ctx.config.dataDir, file);
        } finally {
          await source.close();
        }
        const target = await openDatabase({ databaseUrl: url, poolSize: 2 });
        try {
          await migrateToLatest(target.db);
          const restored = await restoreBackup(target.db, ctx.config.dataDir, file, { files: false });
          const differs = Object.entries(written.tables).filter(
            ([t, n]) => restored.tables[t] !== n && n > 0,
          );
          if (differs.length > 0)
            throw new Error(`row counts differ after the copy: ${JSON.stringify(differs)}`);
          ctx.print(`copied ${describe(restored, (performance.now() - started) / 1000)}`);
          ctx.print(
            `start the server with HUTONG_DATABASE_URL=${url.replace(/\/\/[^@/]*@/, '//…@')}; the data folder keeps the photos and models`,
          );
        } finally {
          await target.close();
        }
      } finally {
        await fs.rm(folder, { recursive: true, force: true });
      }
    });
}
