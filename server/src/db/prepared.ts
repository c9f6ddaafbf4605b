import { createHash } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';

/**
 * Server-side prepared statements for the few hot statements whose text never changes (intake's).
 *
 * PostgreSQL parses and plans every unnamed statement again; a named one is parsed once per
 * connection and then only bound and executed. Kysely sends every statement unnamed, so a repository
 * marks a statement by starting its text with `prepared('label')`, and the pg connection names it
 * (`label_<hash of the text>`). The hash makes the name follow the text: a changed statement is a new
 * name, never a clash with an older text on a long-lived connection. PGlite ignores the marker (a
 * comment).
 *
 * Mark only statements whose text is fixed (no IN lists of varying length, no optional clauses):
 * each distinct text stays prepared on every pooled connection for the connection's life.
 */
export function prepared(label: string): RawBuilder<unknown> {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(label)) throw new Error(`prepared statement label "${label}"`);
  return sql.raw(`${MARK}${label} */ `);
}

const MARK = '/* prepared:';
const names = new Map<string, string>();

/** The statement name for a marked text, or null for an ordinary (unnamed) one. */
export function preparedName(text: string): string | null {
  if (!text.startsWith(MARK)) return null;
  let name = names.get(text);
  if (name === undefined) {
    const label = text.slice(MARK.length, text.indexOf(' */'));
    name = `${label}_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}

interface QueryingClient {
  query: (...args: never[]) => unknown;
}

/** Makes a pg client send marked statements as named (prepared) ones; everything else is unchanged. */
export function namePreparedStatements(client: QueryingClient): void {
  const query = client.query.bind(client) as (
    config: unknown,
    values?: unknown,
    callback?: unknown,
  ) => unknown;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    const name = typeof config === 'string' ? preparedName(config) : null;
    return query(name ? { text: config, name } : config, values, callback);
  };
}
