import type { Command } from 'commander';
import type { CliContext } from '../cli/context.ts';
import { createContext } from '../context.ts';

export function registerCaseCommands(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .description('the tamper-evident case trail')
    .command('verify')
    .option('--district <code>', 'only this district')
    .description('check every case trail; exits 1 and lists each edited, deleted or reordered event')
    .action(async (opts: { district?: string }) => {
      const handle = await ctx.openDatabase();
      try {
        const { cases, events, problems } = await createContext(ctx.config, handle).cases.verifyAudit(
          opts.district,
        );
        for (const p of problems)
          ctx.print(`${p.problem.padEnd(11)} case ${p.caseId} event ${p.seq}: ${p.detail}`);
        ctx.print(
          `${cases} cases, ${events} events checked: ${problems.length ? `${problems.length} problems` : 'the trail is intact'}`,
        );
        if (problems.length) process.exitCode = 1;
      } finally {
        await handle.close();
      }
    });
}
