import fs from 'node:fs/promises';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { CliContext } from '../cli/context.ts';
import { createContext } from '../context.ts';
import { AppError } from '../shared/errors.ts';
import { reasonText } from './hotline.report.ts';
import { RESULT_FORMATS, type ResultFormat } from './hotline.results.ts';
import { COUNT_KEYS, COUNT_LABELS } from './hotline.sanlv.ts';

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
    .description('import work orders as hotline cases; orders already imported are left alone')
    .action(async (file: string, opts: { mapping?: string; report?: string; dryRun?: boolean }) => {
      const bytes = await readFileOrSay(file, 'file');
      const mappingJson = opts.mapping ? await readJson(opts.mapping, 'mapping') : undefined;
      const handle = await ctx.openDatabase();
      // The bar goes to stderr and only to a terminal, so piped output stays the summary alone.
      const bar = process.stderr.isTTY
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
        const result = await app.hotline.importFile(SYSTEM_ACTOR, bytes, {
          filename: path.basename(file),
          mapping: app.hotline.mapping(mappingJson),
          dryRun: opts.dryRun,
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        });
        if (started) bar?.stop();
        started = false;
        const { summary, rows, report } = result;
        if (opts.report) await fs.writeFile(opts.report, report);
        else {
          for (const r of rows.filter((x) => x.outcome === 'rejected')) {
            ctx.print(`拒绝 第 ${r.rowNumber} 行 ${r.workOrderNo ?? ''}: ${reasonText(r)}`);
          }
        }
        const created = summary.dryRun ? '可导入' : '导入';
        ctx.print(
          `${summary.rows} 行：${created} ${summary.created}，已存在 ${summary.existing}，拒绝 ${summary.rejected}` +
            (summary.dryRun ? '（试运行，未写入）' : ''),
        );
        for (const reason of summary.reasons) ctx.print(`  ${reason.label}: ${reason.count}`);
        if (opts.report) ctx.print(`校验报告已写入 ${opts.report}`);
      } finally {
        if (started) bar?.stop();
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
