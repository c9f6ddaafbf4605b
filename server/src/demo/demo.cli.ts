import type { Command } from 'commander';
import type { CliContext } from '../cli/context.ts';
import { createContext } from '../context.ts';
import { DEMO_PASSWORD, loadDemoCity } from './demo-loader.ts';

export function registerDemoCommands(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('the demo city')
    .command('load')
    .description('load the demo city (西城区, approximate geometry) and its demo accounts, once')
    .action(async () => {
      const handle = await ctx.openDatabase();
      try {
        const { loaded, accounts } = await loadDemoCity(createContext(ctx.config, handle));
        ctx.print(loaded ? 'demo city loaded' : 'demo city was already loaded');
        for (const a of accounts)
          ctx.print(`  ${a.username} / ${DEMO_PASSWORD}  ${a.role}  ${a.scopeCode ?? ''}`);
      } finally {
        await handle.close();
      }
    });
}
