import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs every `*.bench.ts` in this folder (or only those whose name contains an argument) one after the
 * other. Each benchmark module exports `run(): Promise<void>` and prints its own figures.
 */
// Benchmarks file thousands of anonymous reports a minute from one address: the limit on anonymous
// writes is off unless the environment sets it.
process.env.HUTONG_RATE_LIMIT ??= 'false';
const filters = process.argv.slice(2);
const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
for (const file of files) {
  console.log(`\n## ${file}`);
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { run(): Promise<void> };
  await mod.run();
}
