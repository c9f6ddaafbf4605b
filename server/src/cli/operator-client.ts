import { type LockHolder, runningServer } from '../db/data-lock.ts';
import { OPERATOR_SECRET_HEADER } from '../operator/operator.schema.ts';
import { AppError, type ErrorCode, errorStatus } from '../shared/errors.ts';

/** How long a CLI waits for a server that holds the folder but does not answer yet (still starting). */
const CONNECT_PATIENCE_MS = 15_000;

/**
 * Sends a CLI write command to the server that holds the embedded database, as the operator: the
 * secret comes from the lock file, which only the account running the server (and root) can read.
 */
export async function callServer<T>(server: LockHolder, route: string, body: unknown): Promise<T> {
  if (!server.url || !server.secret) {
    throw new AppError(
      'CONFLICT',
      `the server (pid ${server.pid}) has this data folder open but names no address: stop it, then run this again`,
    );
  }
  const deadline = Date.now() + CONNECT_PATIENCE_MS;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(new URL(route, server.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [OPERATOR_SECRET_HEADER]: server.secret },
        body: JSON.stringify(body),
      });
    } catch (err) {
      if (Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      throw new AppError(
        'CONFLICT',
        `the server (pid ${server.pid}) has this data folder open but does not answer at ${server.url} ` +
          `(${(err as Error).message}): wait for it to start, or stop it`,
      );
    }
    const json = (await res.json().catch(() => null)) as
      | (T & { error?: { code: string; message: string; details?: Record<string, unknown> } })
      | null;
    if (res.ok) return json as T;
    const e = json?.error;
    const code = (e && e.code in errorStatus ? e.code : 'INTERNAL') as ErrorCode;
    throw new AppError(code, e?.message ?? `the server answered ${res.status}`, e?.details ?? {});
  }
}

/** The live server holding the embedded database's folder, when the CLI should send work to it. */
export function serverHolding(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): LockHolder | null {
  return config.databaseUrl ? null : runningServer(config.dataDir);
}
