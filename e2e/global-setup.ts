import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const WEB_DIST = join(ROOT, 'web', 'dist');
const START_TIMEOUT_MS = 120_000;

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const log = await readFile(logFile, 'utf8').catch(() => '');
      throw new Error(
        `The server exited with code ${child.exitCode} before it was healthy:\n${log.slice(-4000)}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.ok) return;
    } catch {
      // Not listening yet: the first start creates the database and loads the demo city.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  const log = await readFile(logFile, 'utf8').catch(() => '');
  throw new Error(`The server was not healthy within ${START_TIMEOUT_MS / 1000} s:\n${log.slice(-4000)}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts the real server as `npm start` runs it, from its bundle (server/dist, built here first: a
 * second or less), on a free port with a fresh data folder, so every run begins from the demo city
 * alone, and stops it afterwards. It does not build the console: the pages under test are whatever
 * `npm run build` left in web/dist.
 */
export default async function setup(project: TestProject) {
  for (const page of ['index.html', join('r', 'index.html')]) {
    if (!existsSync(join(WEB_DIST, page))) {
      throw new Error(`web/dist/${page} is missing: run \`npm run build\` before \`npm run e2e\`.`);
    }
  }
  await run(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT });
  const dataDir = await mkdtemp(join(tmpdir(), 'hutong-e2e-data-'));
  const logFile = join(dataDir, 'server.log');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    HUTONG_DATA_DIR: dataDir,
    HUTONG_WEB_DIST: WEB_DIST,
    HUTONG_DEMO: 'true',
    // The demo's year of history takes a while to write; journeys that need figures make their own.
    HUTONG_DEMO_HISTORY: process.env.HUTONG_E2E_DEMO_HISTORY ?? 'false',
    HUTONG_LOG_LEVEL: 'warn',
  };
  // The journeys run on the embedded database of a fresh data folder, whatever the shell points at.
  delete env.HUTONG_DATABASE_URL;
  delete env.HUTONG_MAP_TILES_URL;
  delete env.HUTONG_MAP_STYLE_URL;

  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--enable-source-maps', 'server/dist/main.js'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  try {
    await waitForHealth(baseUrl, child, logFile);
  } catch (error) {
    await stop(child);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('baseUrl', baseUrl);

  return async () => {
    await stop(child);
    log.end();
    await rm(dataDir, { recursive: true, force: true });
  };
}
