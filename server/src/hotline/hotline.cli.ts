import fs from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { CliContext } from '../cli/context.ts';
import { callServer } from '../cli/operator-client.ts';
import { createContext } from '../context.ts';
import type { LockHolder } from '../db/data-lock.ts';
import { AppError } from '../shared/errors.ts';
import { RESULT_FORMATS, type ResultFormat } from './hotline.results.ts';
import { rowDto } from './hotline.routes.ts';
import { COUNT_KEYS, COUNT_LABELS } from './hotline.sanlv.ts';
import type { ImportSummary } from './hotline.service.ts';

export function registerHotlineCommands(program: Command, ctx: CliContext): void {
  const hotline = program
    .command('hotline')
    .description('12345 hotline work orders in and out, and the 三率');

  hotline
    .command('import')
    .argument('<file>', 'work orders as .xlsx, .csv or .json')
    .option('--mapping <file>', 'JSON column mapping (default: the usual 12345 export headers)')
    .option('--report <file>', 'write the validation report (.xlsx): every row with 结果 and 原因')
    .option('--dry-run', 'check every row and write the report, but file nothing')
    .option(
      '--json',
      'print one JSON object at the end: {rows, imported, existing, rejected, reasons, unlocated, streetLevel}',
    )
    .description(
      'import work orders as hotline cases; orders already imported are left alone. Beside a running ' +
        'server (embedded database) the server does the import',
    )
    .action(
      async (file: string, opts: { mapping?: string; report?: string; dryRun?: boolean; json?: boolean }) => {
        const bytes = await readFileOrSay(file, 'file');
        const mappingJson = opts.mapping ? await readJson(opts.mapping, 'mapping') : undefined;
        const server = ctx.server?.();
        const outcome = server
          ? await importThroughServer(server, file, bytes, mappingJson, opts.dryRun ?? false)
          : await importHere(ctx, file, bytes, mappingJson, opts.dryRun ?? false, !opts.json);
        const { summary, rejected, report } = outcome;
        if (opts.report) await fs.writeFile(opts.report, report);
        if (opts.json) {
          ctx.print(JSON.stringify(importJson(summary)));
          return;
        }
        if (server) ctx.print(`由正在运行的服务（pid ${server.pid}）导入`);
        if (!opts.report) {
          for (const r of rejected) {
            ctx.print(
              `拒绝 第 ${r.row} 行 ${r.workOrderNo ?? ''}: ${r.errors.map((e) => e.message).join('；')}`,
            );
          }
        }
        const created = summary.dryRun ? '可导入' : '导入';
        ctx.print(
          `${summary.rows} 行：${created} ${summary.created}，已存在 ${summary.existing}，拒绝 ${summary.rejected}` +
            `；定位到街道 ${summary.streetLevel}，待定位 ${summary.unlocated}` +
            (summary.dryRun ? '（试运行，未写入）' : ''),
        );
        for (const reason of summary.reasons) ctx.print(`  ${reason.label}: ${reason.count}`);
        if (opts.report) ctx.print(`校验报告已写入 ${opts.report}`);
      },
    );

  hotline
    .command('places')
    .argument('<file>', 'TSV: street (code or name), name, kind (road or landmark), optional lng and lat')
    .description(
      'import a gazetteer of real road and landmark names per street, so that orders naming them are ' +
        'placed at their street (the demo ships one for 西城: server/src/hotline/data/xicheng-places.tsv)',
    )
    .action(async (file: string) => {
      const text = (await readFileOrSay(file, 'file')).toString('utf8');
      const handle = await ctx.openDatabase();
      try {
        const r = await createContext(ctx.config, handle).hotline.importPlaces(
          SYSTEM_ACTOR,
          text,
          path.basename(file),
        );
        ctx.print(`imported ${r.places} roads and landmarks in ${r.streets} streets`);
      } finally {
        await handle.close();
      }
    });

  hotline
    .command('export')
    .requiredOption('--from <date>', 'first day (Beijing, YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day, inclusive')
    .requiredOption('--out <file>', 'the file to write: .xlsx, .csv or .json')
    .option('--format <format>', `${RESULT_FORMATS.join(', ')} (default: from the file name)`)
    .description('write the handling results of the hotline cases whose trail moved in the period')
    .action(async (opts: { from: string; to: string; out: string; format?: string }) => {
      const format = (opts.format ?? path.extname(opts.out).slice(1).toLowerCase()) as ResultFormat;
      if (!RESULT_FORMATS.includes(format)) {
        throw AppError.validation([{ field: 'format', message: `one of ${RESULT_FORMATS.join(', ')}` }]);
      }
      const handle = await ctx.openDatabase();
      try {
        const out = await createContext(ctx.config, handle).hotline.exportResults(SYSTEM_ACTOR, {
          ...opts,
          format,
        });
        await fs.writeFile(opts.out, out.body);
        ctx.print(`wrote ${out.count} work-order results to ${opts.out}`);
      } finally {
        await handle.close();
      }
    });

  hotline
    .command('sanlv')
    .requiredOption('--from <date>', 'first day (Beijing, YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day, inclusive')
    .option('--unit <id>', 'only this organisation')
    .option('--details', 'list the case numbers behind every count')
    .option('--json', 'print the whole summary as JSON')
    .description(
      'the 三率 (response, resolution, satisfaction) per unit over the hotline cases of the period',
    )
    .action(async (opts: { from: string; to: string; unit?: string; details?: boolean; json?: boolean }) => {
      const handle = await ctx.openDatabase();
      try {
        const s = await createContext(ctx.config, handle).hotline.sanlv(SYSTEM_ACTOR, opts);
        if (opts.json) {
          ctx.print(JSON.stringify(s, null, 2));
          return;
        }
        const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
        const w = s.weights;
        ctx.print(
          `${s.from} – ${s.to}: ${s.cases} 件；权重 响应 ${w.response} / 解决 ${w.resolution} / 满意 ${w.satisfaction}`,
        );
        for (const u of s.units) {
          ctx.print(
            `${u.unitName} (${u.unitId})  得分 ${u.score ?? '—'}  响应率 ${pct(u.rates.response)}  ` +
              `解决率 ${pct(u.rates.resolution)}  满意率 ${pct(u.rates.satisfaction)}`,
          );
          ctx.print(`  ${COUNT_KEYS.map((k) => `${COUNT_LABELS[k]} ${u.counts[k]}`).join('，')}`);
          if (u.cases) {
            for (const k of COUNT_KEYS)
              if (u.cases[k].length) ctx.print(`  ${COUNT_LABELS[k]}: ${u.cases[k].join(' ')}`);
          }
        }
        if (s.unattributed.count) ctx.print(`未派遣或退回待重派：${s.unattributed.count} 件`);
      } finally {
        await handle.close();
      }
    });
}

/** A file the operator named, or a one-line error naming it rather than a stack trace. */
async function readFileOrSay(file: string, field: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    throw AppError.validation([
      { field, message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}` },
    ]);
  }
}

async function readJson(file: string, field: string): Promise<unknown> {
  const text = (await readFileOrSay(file, field)).toString('utf8');
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw AppError.validation([{ field, message: `${file} is not valid JSON: ${(err as Error).message}` }]);
  }
}

interface ImportOutcome {
  summary: ImportSummary;
  rejected: ReturnType<typeof rowDto>[];
  report: Buffer;
}

/** The contract of `--json`: one object, the counts a script needs. */
export function importJson(s: ImportSummary) {
  return {
    rows: s.rows,
    imported: s.created,
    existing: s.existing,
    rejected: s.rejected,
    reasons: Object.fromEntries(s.reasons.map((r) => [r.label, r.count])),
    unlocated: s.unlocated,
    streetLevel: s.streetLevel,
    ...(s.dryRun ? { dryRun: true } : {}),
  };
}

async function importThroughServer(
  server: LockHolder,
  file: string,
  bytes: Buffer,
  mapping: unknown,
  dryRun: boolean,
): Promise<ImportOutcome> {
  const answer = await callServer<{
    summary: ImportSummary;
    rejected: ImportOutcome['rejected'];
    report: { base64: string };
  }>(server, '/api/operator/hotline/import', {
    filename: path.basename(file),
    base64: bytes.toString('base64'),
    ...(mapping === undefined ? {} : { mapping }),
    dryRun,
  });
  return {
    summary: answer.summary,
    rejected: answer.rejected,
    report: Buffer.from(answer.report.base64, 'base64'),
  };
}

async function importHere(
  ctx: CliContext,
  file: string,
  bytes: Buffer,
  mappingJson: unknown,
  dryRun: boolean,
  showProgress: boolean,
): Promise<ImportOutcome> {
  const handle = await ctx.openDatabase();
  // The bar goes to stderr and only to a terminal, so piped output stays the summary alone.
  const bar =
    showProgress && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: '{bar} {percentage}% | {value}/{total} 行 | 剩余 {eta_formatted}',
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  let started = false;
  try {
    const app = createContext(ctx.config, handle);
    // Imported cases get the classifier's suggestion as every other intake does.
    await app.classification.start().catch(() => {});
    const result = await app.hotline.importFile(SYSTEM_ACTOR, bytes, {
      filename: path.basename(file),
      mapping: app.hotline.mapping(mappingJson),
      dryRun,
      onProgress: (done, total) => {
        if (!bar) return;
        if (!started) {
          bar.start(total, 0);
          started = true;
        }
        bar.update(done);
      },
    });
    app.classification.stop();
    return {
      summary: result.summary,
      rejected: result.rows.filter((r) => r.outcome === 'rejected').map(rowDto),
      report: result.report,
    };
  } finally {
    if (started) bar?.stop();
    await handle.close();
  }
}
