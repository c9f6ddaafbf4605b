import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the server finds the files it ships with (holiday calendars, the default catalogue, the demo's
 * gazetteer, the built console) and the modules it starts as processes of their own. A module cannot
 * find them from its own location: under tsx and vitest it is its own `.ts` file in `server/src`, but
 * under `npm start` it is part of one bundle in `server/dist` (scripts/build-server.mjs). Both lie below
 * the repository's root, so everything is found from there.
 */

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'server', 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no folder above ${from} holds server/package.json`);
  }
}

/** The repository's root: the nearest folder above this module (or the bundle) holding server/package.json. */
export const repoRoot = findRepoRoot(import.meta.dirname);

/** A path given from the repository's root, e.g. `repoPath('server/src/calendar/holiday-cn')`. */
export function repoPath(...segments: string[]): string {
  return path.join(repoRoot, ...segments);
}

/** True when this process runs the bundle (`npm start`), false under tsx or vitest. */
export const runsBundled = !import.meta.url.endsWith('.ts');

/**
 * How to start a module of the server's (given from `server/src`) as a child process: from the bundle, its
 * own entry beside the server's (scripts/build-server.mjs must list it) run by plain Node with source
 * maps; from the sources, the `.ts` file through tsx, which a child does not inherit from its parent.
 */
export function childEntry(source: string): { module: string; execArgv: string[] } {
  if (!runsBundled) return { module: repoPath('server/src', source), execArgv: ['--import', 'tsx'] };
  return {
    module: repoPath('server/dist', `${path.basename(source, '.ts')}.js`),
    execArgv: ['--enable-source-maps'],
  };
}
