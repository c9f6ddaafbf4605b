import type { Command } from 'commander';
import type { CliContext } from '../cli/context.ts';
import { callServer } from '../cli/operator-client.ts';
import { createContext } from '../context.ts';
import { AppError } from '../shared/errors.ts';
import { SYSTEM_ACTOR } from './authorisation.ts';
import { ROLES } from './roles.ts';

export function registerAccountCommands(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('accounts');

  user
    .command('add')
    .argument('<username>')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--scope <code>', 'jurisdiction: a district, street, community or grid code')
    .option('--org <id>', 'organisation id (departments and contractors)')
    .option('--name <displayName>', 'display name')
    .option('--phone <phone>')
    .option('--password <password>', 'password (otherwise a random one is generated and printed)')
    .description('create an account')
    .action(
      async (
        username: string,
        opts: {
          role: string;
          scope?: string;
          org?: string;
          name?: string;
          phone?: string;
          password?: string;
        },
      ) => {
        const { randomBytes } = await import('node:crypto');
        const password = opts.password ?? randomBytes(12).toString('base64url');
        const input = {
          username,
          displayName: opts.name ?? username,
          password,
          role: opts.role,
          scopeCode: opts.scope ?? null,
          organisationId: opts.org ?? null,
          phone: opts.phone ?? null,
        };
        const server = ctx.server?.();
        if (server) {
          const created = await callServer<{ username: string; role: string; scopeName: string | null }>(
            server,
            '/api/operator/users',
            input,
          );
          ctx.print(
            `created ${created.username} (${created.role}${created.scopeName ? `, ${created.scopeName}` : ''}) through the server (pid ${server.pid})`,
          );
          if (!opts.password) ctx.print(`password: ${password}`);
          return;
        }
        const handle = await ctx.openDatabase();
        try {
          const created = await createContext(ctx.config, handle).accounts.createUser(SYSTEM_ACTOR, input);
          ctx.print(
            `created ${created.username} (${created.role}${created.scopeCode ? `, ${created.scopeName}` : ''})`,
          );
          if (!opts.password) ctx.print(`password: ${password}`);
        } finally {
          await handle.close();
        }
      },
    );

  program
    .command('token')
    .description('API tokens for machine clients')
    .command('create')
    .argument('<username>')
    .requiredOption('--name <name>', 'what the token is for')
    .action(async (username: string, opts: { name: string }) => {
      const server = ctx.server?.();
      if (server) {
        const { token } = await callServer<{ token: string }>(server, '/api/operator/tokens', {
          username,
          name: opts.name,
        });
        ctx.print(token);
        return;
      }
      const handle = await ctx.openDatabase();
      try {
        const app = createContext(ctx.config, handle);
        const row = await handle.db
          .selectFrom('app_user')
          .select('id')
          .where('username', '=', username)
          .executeTakeFirst();
        const actor = row ? await app.accounts.actorFor(row.id) : null;
        if (!actor) throw new AppError('NOT_FOUND', `no active user ${username}`);
        const { token } = await app.accounts.createApiToken(actor, opts.name);
        ctx.print(token);
      } finally {
        await handle.close();
      }
    });
}
