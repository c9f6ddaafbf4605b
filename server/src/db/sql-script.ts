import { type Kysely, sql } from 'kysely';

/**
 * Runs a script of several statements one by one: PGlite (like any extended-protocol client) refuses
 * more than one command per prepared statement. Statements end with a semicolon at the end of a line.
 */
export async function runScript(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*(?:\n|$)/)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter(Boolean);
  for (const statement of statements) await sql.raw(statement).execute(db);
}
