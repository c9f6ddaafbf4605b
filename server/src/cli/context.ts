import type { Command } from 'commander';
import type { Config } from '../config/config.ts';
import type { DatabaseHandle } from '../db/database.ts';

/** What every CLI command group receives: the validated config and a way to open the migrated database. */
export interface CliContext {
  config: Config;
  /** Opens the configured database (PGlite in the data folder, or PostgreSQL) with migrations applied. */
  openDatabase(): Promise<DatabaseHandle>;
  /** Writes a line for the person at the terminal (stdout). */
  print(line: string): void;
}

export type RegisterCommands = (program: Command, ctx: CliContext) => void;
