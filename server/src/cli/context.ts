import type { Command } from 'commander';
import type { Config } from '../config/config.ts';
import type { LockHolder } from '../db/data-lock.ts';
import type { DatabaseHandle } from '../db/database.ts';

/** What every CLI command group receives: the validated config and a way to open the migrated database. */
export interface CliContext {
  config: Config;
  /** Opens the configured database (PGlite in the data folder, or PostgreSQL) with migrations applied. */
  openDatabase(): Promise<DatabaseHandle>;
  /**
   * The live server holding the embedded database, if any: the write commands that can (hotline
   * import, user add, token create, classifier retrain) then send their work to it
   * (cli/operator-client.ts) instead of opening the folder, which the lock would refuse.
   */
  server?(): LockHolder | null;
  /** Writes a line for the person at the terminal (stdout). */
  print(line: string): void;
}

export type RegisterCommands = (program: Command, ctx: CliContext) => void;
