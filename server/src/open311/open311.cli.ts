import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import type { CliContext } from '../cli/context.ts';
import { createContext } from '../context.ts';
import type { Open311Registry } from './open311.registry.ts';

/**
 * `hutong open311 …`: the operator's side of the client registry. The api_key is printed once, when a
 * client is added; only its hash is stored, so a lost key is replaced by a new client, not recovered.
 */
export function registerOpen311Commands(program: Command, ctx: CliContext): void {
  const open311 = program.command('open311').description('Open311 GeoReport v2 client applications');

  open311
    .command('add-client')
    .argument('<name>', 'the client application, as the district will recognise it')
    .option('--district <code>', 'its jurisdiction (6-digit district code); needed when several are served')
    .description('register a client application and print its new api_key (shown this once only)')
    .action(async (name: string, opts: { district?: string }) => {
      await withRegistry(ctx, async (registry) => {
        const { client, apiKey } = await registry.addClient(SYSTEM_ACTOR, {
          name,
          districtCode: opts.district,
        });
        ctx.print(apiKey);
        process.stderr.write(
          `client ${client.id} "${client.name}" registered for jurisdiction_id ${client.districtCode}; ` +
            'keep the api_key above: it is not shown again\n',
        );
      });
    });

  open311
    .command('list-clients')
    .description('list the registered client applications (never their keys)')
    .action(async () => {
      await withRegistry(ctx, async (registry) => {
        const clients = await registry.listClients(SYSTEM_ACTOR);
        for (const c of clients) {
          ctx.print(
            [c.id, c.active ? 'active ' : 'revoked', c.districtCode, c.createdAt.slice(0, 10), c.name].join(
              '\t',
            ),
          );
        }
        if (!clients.length) ctx.print('no Open311 clients are registered');
      });
    });

  open311
    .command('revoke-client')
    .argument('<id>', 'the client id (see list-clients)')
    .description('revoke a client: its api_key stops working at once')
    .action(async (id: string) => {
      await withRegistry(ctx, async (registry) => {
        const client = await registry.revokeClient(SYSTEM_ACTOR, id);
        ctx.print(`revoked ${client.id} "${client.name}"`);
      });
    });
}

async function withRegistry(
  ctx: CliContext,
  run: (registry: Open311Registry) => Promise<void>,
): Promise<void> {
  const handle = await ctx.openDatabase();
  try {
    await run(createContext(ctx.config, handle).open311.registry);
  } finally {
    await handle.close();
  }
}
