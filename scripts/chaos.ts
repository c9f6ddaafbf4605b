// `npm run chaos -- [--engine pglite|postgres] [--trials N] [--clients N] [--url postgres://…]`
//
// The crash test: concurrent clients post reports with Idempotency-Keys while the server is killed
// with SIGKILL at random moments and started again. Every report the server acknowledged (201) must
// be in the database exactly once, under the case number it was given; a report that got no answer is
// sent again with the same key after the restart and must then end as exactly one case too. On the
// embedded engine the data folder must open again after every kill. Prints the figures and exits 1 on
// any loss, duplicate or failed start.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../server/src/db/database.ts';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'pglite' },
    trials: { type: 'string' },
    clients: { type: 'string', default: '16' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    seed: { type: 'string', default: '7' },
  },
});
const engine = args.engine === 'postgres' ? 'postgres' : 'pglite';
const trials = Number(args.trials ?? (engine === 'postgres' ? 20 : 5));
const clients = Number(args.clients);
const root = path.resolve(import.meta.dirname, '..');

// A small deterministic generator, so a run can be repeated kill for kill.
let seed = Number(args.seed);
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const a = probe.address();
      probe.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

interface Sent {
  key: string;
  body: { description: string; lng: number; lat: number };
  caseNumber: string | null;
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'hutong-chaos-'));
let databaseUrl: string | undefined;
let dropDatabase: (() => Promise<void>) | null = null;
if (engine === 'postgres') {
  const name = `hutong_chaos_${process.pid}`;
  const admin = new pg.Client({ connectionString: args.url });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(args.url!);
  u.pathname = `/${name}`;
  databaseUrl = u.toString();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: args.url });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
}

const port = await freePort();
const base = `http://127.0.0.1:${port}`;

async function start(): Promise<{ child: ChildProcess; ms: number }> {
  const began = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    HUTONG_DATA_DIR: dataDir,
    HUTONG_DEMO: 'true',
    HUTONG_LOG_LEVEL: 'error',
    // Every client is the same address: the crash test measures durability, not the limiter.
    HUTONG_RATE_LIMIT: 'false',
  };
  delete env.HUTONG_DATABASE_URL;
  if (databaseUrl) env.HUTONG_DATABASE_URL = databaseUrl;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} while starting`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { child, ms: performance.now() - began };
    } catch {
      // not listening yet
    }
    if (performance.now() - began > 180_000) throw new Error('the server did not start within 180 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function post(s: Sent): Promise<boolean> {
  try {
    const res = await fetch(`${base}/api/public/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': s.key },
      body: JSON.stringify(s.body),
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status !== 201) return false;
    const got = (await res.json()) as { caseNumber: string };
    if (s.caseNumber && s.caseNumber !== got.caseNumber) {
      throw new Error(`${s.key} was acknowledged as ${s.caseNumber}, then answered as ${got.caseNumber}`);
    }
    s.caseNumber = got.caseNumber;
    return true;
  } catch (e) {
    if (e instanceof Error && e.message.includes('was acknowledged')) throw e;
    return false;
  }
}

const sent: Sent[] = [];
const startTimes: number[] = [];
const first = await start();
startTimes.push(first.ms);
const streets = (await (await fetch(`${base}/api/territory/streets`)).json()) as {
  center: [number, number];
}[];
let server = first.child;
let acknowledgedBeforeKill = 0;
let retried = 0;

for (let trial = 0; trial < trials; trial++) {
  let running = true;
  const unanswered: Sent[] = [];
  const workers = Array.from({ length: clients }, async (_, c) => {
    let n = 0;
    while (running) {
      const [lng, lat] = streets[(c + n) % streets.length]!.center;
      const key = `chaos-${process.pid}-${trial}-${c}-${n++}`;
      const s: Sent = {
        key,
        body: {
          description: `压力测试上报 ${key} 路面破损`,
          lng: lng + random() * 1e-4,
          lat: lat + random() * 1e-4,
        },
        caseNumber: null,
      };
      sent.push(s);
      if (await post(s)) acknowledgedBeforeKill++;
      else {
        unanswered.push(s);
        // After a kill every call fails at once: wait for the restart instead of spinning.
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
  await new Promise((r) => setTimeout(r, 500 + random() * 2500));
  server.kill('SIGKILL');
  await new Promise((r) => server.once('exit', r));
  running = false;
  await Promise.all(workers);
  const again = await start();
  startTimes.push(again.ms);
  server = again.child;
  for (const s of unanswered) {
    retried++;
    if (!(await post(s))) throw new Error(`${s.key} got no answer after the restart`);
  }
  process.stdout.write(
    `trial ${trial + 1}/${trials}: ${sent.length} sent so far, restart ${Math.round(again.ms)} ms\n`,
  );
}

server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));

// Count in the database itself: every key's report exactly once, under the number it was given.
const handle = await openDatabase(databaseUrl ? { databaseUrl } : { dataDir: path.join(dataDir, 'pglite') });
const rows = await handle.db
  .selectFrom('case_record')
  .select(['case_number', 'description'])
  .where('description', 'like', '压力测试上报 chaos-%')
  .execute();
await handle.close();
const found = new Map<string, string[]>();
for (const r of rows) {
  const key = r.description.split(' ')[1]!;
  found.set(key, [...(found.get(key) ?? []), r.case_number]);
}
let lost = 0;
let duplicated = 0;
let wrongNumber = 0;
for (const s of sent) {
  const numbers = found.get(s.key) ?? [];
  if (s.caseNumber === null) continue;
  if (numbers.length === 0) lost++;
  else if (numbers.length > 1) duplicated++;
  else if (numbers[0] !== s.caseNumber) wrongNumber++;
}
const acknowledged = sent.filter((s) => s.caseNumber !== null).length;
const stray = [...found.keys()].filter((k) => !sent.some((s) => s.key === k && s.caseNumber !== null)).length;
const sorted = [...startTimes].sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      engine,
      trials,
      clients,
      sent: sent.length,
      acknowledgedBeforeKill,
      retriedAfterRestart: retried,
      acknowledged,
      lost,
      duplicated,
      wrongNumber,
      casesWithoutAnAcknowledgement: stray,
      restartMs: {
        median: Math.round(sorted[Math.floor(sorted.length / 2)]!),
        max: Math.round(sorted.at(-1)!),
      },
    },
    null,
    2,
  ),
);
await rm(dataDir, { recursive: true, force: true });
if (dropDatabase) await dropDatabase();
process.exit(lost + duplicated + wrongNumber > 0 ? 1 : 0);
