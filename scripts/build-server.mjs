// The server's bundle, which `npm start` runs: its own sources in one ESM file per entry (npm packages
// stay external and load from node_modules as before), with source maps so that stack traces name the
// .ts lines under `node --enable-source-maps`. Loading one file instead of some 300 modules through
// tsx's loader takes about a CPU-second off every restart (docs/benchmarks.md, "Start and restart").
// `node scripts/build-server.mjs` builds it; scripts/start.mjs does when a source is newer than it.
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const sources = path.join(root, 'server/src');
const outdir = path.join(root, 'server/dist');

// The server, and the modules it starts as processes of their own (`childEntry` in
// server/src/shared/paths.ts, which expects each as server/dist/<file name>.js).
const entries = ['main.ts', 'classification/taxonomy-model.child.ts'];
const outputs = entries.map((e) => path.join(outdir, `${path.basename(e, '.ts')}.js`));
export const SERVER_BUNDLE = outputs[0];

/** The latest modification time of a file, or of any file below a folder. */
export function newestMtime(p) {
  const stat = statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Whether an entry's bundle is missing, or a server source (or this build) changed since it was built. */
export function serverBundleStale() {
  const builtAt = Math.min(...outputs.map((o) => (existsSync(o) ? statSync(o).mtimeMs : 0)));
  return builtAt === 0 || Math.max(newestMtime(sources), newestMtime(import.meta.filename)) > builtAt;
}

/** Builds the bundle; returns the milliseconds taken. */
export async function buildServer() {
  const started = Date.now();
  try {
    const { build } = await import('esbuild');
    await build({
      entryPoints: entries.map((e) => path.join(sources, e)),
      outdir,
      entryNames: '[name]',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: true,
      // Stack traces need the mappings only; the sources stay in server/src.
      sourcesContent: false,
      logLevel: 'error',
    });
  } catch (err) {
    // esbuild has printed its own errors (file, line and the code in question) by now; anything else,
    // such as esbuild missing from node_modules, is told here.
    const why = Array.isArray(err?.errors) ? 'see the errors above' : String(err?.message ?? err);
    throw new Error(`the server bundle (server/dist) could not be built from server/src: ${why}`);
  }
  // Dated from the build's start, so that a source saved while it ran still counts as newer.
  for (const o of outputs) utimesSync(o, started / 1000, started / 1000);
  return Date.now() - started;
}

if (process.argv[1] === import.meta.filename) {
  try {
    const ms = await buildServer();
    console.log(`server bundle built in ${ms} ms (${path.relative(root, outdir)}/)`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
