import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from '../cli/context.ts';
import { w3cDateTime } from '../open311/open311.format.ts';
import { AppError } from '../shared/errors.ts';
import { type HotIssue, mineHotIssues } from './hot-issue.mining.ts';
import { parseMessageTsv } from './hot-issue.tsv.ts';

/** The issue as the CLI prints it: times in Beijing time with their offset. */
export function issueForOutput(issue: HotIssue) {
  return {
    rank: issue.rank,
    heat: issue.heat,
    place: issue.place,
    description: issue.description,
    from: w3cDateTime(new Date(issue.from)),
    to: w3cDateTime(new Date(issue.to)),
    messageIds: issue.messageIds,
  };
}

export function registerHotIssueCommands(program: Command, ctx: CliContext): void {
  program
    .command('hotissues')
    .description('group the messages of a message-board TSV into hot issues, hottest first (SPEC §7.2)')
    .requiredOption('--data <file>', 'TSV with the columns id, user, title, time, body, against, likes')
    .option('--top <n>', 'how many issues to list', '10')
    .option('--json', 'print {issues:[{rank, heat, place, description, from, to, messageIds}]}')
    .action(async (opts: { data: string; top: string; json?: boolean }) => {
      const top = Number(opts.top);
      if (!Number.isInteger(top) || top < 1) {
        throw AppError.validation([{ field: 'top', message: 'a whole number ≥ 1' }]);
      }
      let messages: ReturnType<typeof parseMessageTsv>;
      try {
        messages = parseMessageTsv(await readFile(opts.data, 'utf8'));
      } catch (err) {
        throw AppError.validation([{ field: 'data', message: (err as Error).message }]);
      }
      const { issues } = mineHotIssues(messages, {}, top);
      if (opts.json) {
        ctx.print(JSON.stringify({ issues: issues.map(issueForOutput) }));
        return;
      }
      ctx.print(`${messages.length} messages, ${issues.length} hot issues`);
      for (const i of issues) {
        const out = issueForOutput(i);
        ctx.print(
          `${i.rank}. heat ${i.heat}  ${i.people} people, ${i.messageIds.length} messages, ${i.support} likes  ${out.from.slice(0, 10)} – ${out.to.slice(0, 10)}`,
        );
        ctx.print(`   ${i.place || '—'}: ${i.description}`);
      }
    });
}
