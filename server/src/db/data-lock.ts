import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * One writer for the embedded database. PGlite keeps the whole cluster in one process's memory and
 * writes its pages back to the data folder; two processes on the same folder each believe they own
 * it, number cases independently and overwrite each other's pages until the folder no longer opens.
 * So whichever process opens the folder first holds `hutong.lock` in it until it closes, and any
 * other process is refused at once (or, for the CLI's write commands, hands its work to the running
 * server through its operator API).
 *
 * The lock file names its holder by pid and by the kernel's start time of that pid, so a pid reused
 * by an unrelated process after a crash is not mistaken for the holder. A lock whose holder is gone
 * (killed, power cut) is stale and taken over; the takeover itself is guarded by a second file
 * created exclusively, so two processes finding the same stale lock cannot both win.
 */

export const LOCK_FILE = 'hutong.lock';
const TAKEOVER_FILE = 'hutong.lock.takeover';
/** A takeover guard older than this was left by a process that died mid-takeover. */
const TAKEOVER_STALE_MS = 10_000;

export type LockRole = 'server' | 'cli';

export interface LockHolder {
  pid: number;
  /** The kernel's start time of the pid (clock ticks since boot, Linux); null where unknown. */
  startTicks: number | null;
  startedAt: string;
  hostname: string;
  role: LockRole;
  /** The command line of a CLI holder, for the refusal message. */
  command: string | null;
  /** Where a server holder answers, so a CLI can send its work there. */
  url: string | null;
  /**
   * A server holder's operator secret: whoever can read this file (its mode is 0600, in the data
   * folder the server owns) may run operator commands through the server. Changes on every start.
   */
  secret: string | null;
}

export class DataFolderBusyError extends Error {
  constructor(
    readonly holder: LockHolder,
    readonly dataDir: string,
  ) {
    super(busyMessage(holder, dataDir));
  }
}

function busyMessage(h: LockHolder, dataDir: string): string {
  if (h.role === 'server') {
    return (
      `the server (pid ${h.pid}${h.hostname !== os.hostname() ? ` on ${h.hostname}` : ''}) has this data folder open (${dataDir}): ` +
      'stop it, or run this through the server: `hutong hotline import`, `user add`, `token create` and ' +
      '`classifier retrain` do so by themselves while it runs; other changes are made in the web console or the API ' +
      `(${h.url ?? 'its address'})`
    );
  }
  return (
    `another hutong command (pid ${h.pid}${h.command ? `: ${h.command}` : ''}) has this data folder open (${dataDir}): ` +
    'wait for it to finish, then run this again'
  );
}

/** The kernel's start time of a process, from /proc (Linux); null elsewhere or when it is gone. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[19]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** Whether the process a lock names still runs (and is the same process, not a reused pid). */
export function holderAlive(h: LockHolder): boolean {
  // On another machine (a shared folder) nothing can be checked: assume it runs.
  if (h.hostname !== os.hostname()) return true;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (h.startTicks !== null) {
    const now = processStartTicks(h.pid);
    if (now !== null && now !== h.startTicks) return false;
  }
  return true;
}

/** The lock's holder as the file says, or null when there is no (readable) lock. */
export function readLock(dataDir: string): LockHolder | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8');
  } catch {
    return null;
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid !== 'number') return null;
    return {
      pid: h.pid,
      startTicks: typeof h.startTicks === 'number' ? h.startTicks : null,
      startedAt: String(h.startedAt ?? ''),
      hostname: String(h.hostname ?? os.hostname()),
      role: h.role === 'server' ? 'server' : 'cli',
      command: typeof h.command === 'string' ? h.command : null,
      url: typeof h.url === 'string' ? h.url : null,
      secret: typeof h.secret === 'string' ? h.secret : null,
    };
  } catch {
    // Half-written by a process killed while writing it: no holder can be named, so it is stale.
    return null;
  }
}

/** The running server holding the folder, if one does and is alive. */
export function runningServer(dataDir: string): LockHolder | null {
  const h = readLock(dataDir);
  return h && h.role === 'server' && holderAlive(h) ? h : null;
}

export interface DataLock {
  holder: LockHolder;
  release(): void;
}

/**
 * Takes the data folder's lock for this process, or throws DataFolderBusyError naming the live
 * holder. A stale lock (its holder is gone) is replaced.
 */
export function acquireDataLock(
  dataDir: string,
  options: { role: LockRole; command?: string; url?: string },
): DataLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    startTicks: processStartTicks(process.pid),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    hostname: os.hostname(),
    role: options.role,
    command: options.command ?? null,
    url: options.url ?? null,
    secret: options.role === 'server' ? randomBytes(32).toString('base64url') : null,
  };
  const body = `${JSON.stringify(holder, null, 2)}\n`;

  if (!createExclusive(file, body)) {
    const existing = readLock(dataDir);
    if (existing && holderAlive(existing)) throw new DataFolderBusyError(existing, dataDir);
    takeOver(dataDir, file, body, existing);
  }

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only our own lock is removed: never one a later process took over.
    const now = readLock(dataDir);
    if (now && now.pid === holder.pid && now.startTicks === holder.startTicks && now.role === holder.role) {
      fs.rmSync(file, { force: true });
    }
  };
  // A process that exits without closing (an uncaught error) still leaves the folder free.
  process.on('exit', release);
  return { holder, release };
}

/** Creates the lock file only if none exists; false when one does. */
function createExclusive(file: string, body: string): boolean {
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      fs.writeSync(fd, body);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function takeOver(dataDir: string, file: string, body: string, seen: LockHolder | null): void {
  const guard = path.join(dataDir, TAKEOVER_FILE);
  if (!createExclusive(guard, String(process.pid))) {
    // Someone else is taking over right now, or died doing it long ago.
    let age = 0;
    try {
      age = Date.now() - fs.statSync(guard).mtimeMs;
    } catch {
      age = Number.POSITIVE_INFINITY;
    }
    if (age < TAKEOVER_STALE_MS) {
      const h = readLock(dataDir) ?? seen;
      if (h) throw new DataFolderBusyError(h, dataDir);
      throw new Error(`another process is taking over the lock of ${dataDir}; run this again`);
    }
    fs.rmSync(guard, { force: true });
    if (!createExclusive(guard, String(process.pid))) {
      throw new Error(`another process is taking over the lock of ${dataDir}; run this again`);
    }
  }
  try {
    // Under the guard, look again: the holder may have changed since we read it.
    const now = readLock(dataDir);
    if (now && holderAlive(now)) throw new DataFolderBusyError(now, dataDir);
    fs.rmSync(file, { force: true });
    if (!createExclusive(file, body)) {
      const h = readLock(dataDir);
      if (h) throw new DataFolderBusyError(h, dataDir);
      throw new Error(`could not take the lock of ${dataDir}`);
    }
  } finally {
    fs.rmSync(guard, { force: true });
  }
}
