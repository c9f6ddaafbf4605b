// `npm run soak -- [--engine pglite|postgres] [--minutes 60] [--clients 8] [--rate 20] [--url postgres://…]`
//
// The soak test: the real server under mixed traffic for a long time — residents' reports, public
// tracking pages and alley boards, the street desk's and a department's queue reads, the desk's
// acceptances — at a steady rate. Every minute it samples the server's resident set size, its event-
// loop delay (p50/p99/max, measured inside the server by a probe loaded before it) and the errors and
// latencies of the minute. At the end it prints a table and the verdict: the RSS growth after the
// warm-up (the first tenth of the run, at least 5 minutes) must stay under 10 % and no request may fail.
// Exits 1 otherwise.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: args } = parseArgs({
  options: {
    engine: { type: 'string', default: 'pglite' },
    minutes: { type: 'string', default: '60' },
    clients: { type: 'string', default: '8' },
    // Requests per second over all clients.
    rate: { type: 'string', default: '20' },
    url: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    'sample-seconds': { type: 'string', default: '60' },
  },
});
const engine = args.engine === 'postgres' ? 'postgres' : 'pglite';
const minutes = Number(args.minutes);
const clients = Number(args.clients);
const rate = Number(args.rate);
const sampleMs = Number(args['sample-seconds']) * 1000;
const root = path.resolve(import.meta.dirname, '..');
const STREET = '110102001';
const CATEGORY = 'event:06010';

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

const dataDir = await mkdtemp(path.join(tmpdir(), 'hutong-soak-'));
let databaseUrl: string | undefined;
let dropDatabase: (() => Promise<void>) | null = null;
if (engine === 'postgres') {
  const name = `hutong_soak_${process.pid}`;
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

interface ProbeSample {
  rss: number;
  heapUsed: number;
  eldP50: number;
  eldP99: number;
  eldMax: number;
}
let lastProbe: ProbeSample | null = null;

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PORT: String(port),
  HOST: '127.0.0.1',
  HUTONG_DATA_DIR: dataDir,
  HUTONG_DEMO: 'true',
  HUTONG_DEMO_HISTORY: 'false',
  HUTONG_LOG_LEVEL: 'error',
  // One address sends everything: the soak measures the server over time, not the limiter.
  HUTONG_RATE_LIMIT: 'false',
  HUTONG_SOAK_PROBE_MS: String(sampleMs),
};
delete env.HUTONG_DATABASE_URL;
if (databaseUrl) env.HUTONG_DATABASE_URL = databaseUrl;
const server: ChildProcess = spawn(
  process.execPath,
  ['--import', 'tsx', '--import', './scripts/soak-probe.ts', 'server/src/main.ts'],
  { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] },
);
server.on('message', (m) => {
  lastProbe = m as ProbeSample;
});
const began = performance.now();
for (;;) {
  if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode} while starting`);
  try {
    if ((await fetch(`${base}/api/health`)).ok) break;
  } catch {
    // not listening yet
  }
  if (performance.now() - began > 300_000) throw new Error('the server did not start within 300 s');
  await new Promise((r) => setTimeout(r, 200));
}

interface Session {
  cookie: string;
  csrf: string;
}
async function login(username: string): Promise<Session> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username}: ${res.status}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrf: csrfToken };
}
const desk = await login('demo-street_dispatcher');
const department = await login('demo-department_handler');
const streets = (await (await fetch(`${base}/api/territory/streets`)).json()) as {
  code: string;
  center: [number, number];
}[];
const street = streets.find((s) => s.code === STREET) ?? streets[0]!;
const alleys = (await (await fetch(`${base}/api/territory/alleys?street=${street.code}`)).json()) as
  | { id: string }[]
  | { items: { id: string }[] };
const alleyIds = (Array.isArray(alleys) ? alleys : alleys.items).map((a) => a.id).slice(0, 50);

// Per-minute counters, reset at every sample.
interface Window {
  requests: number;
  errors: number;
  latencies: number[];
  byKind: Record<string, number>;
  errorSamples: string[];
}
const fresh = (): Window => ({ requests: 0, errors: 0, latencies: [], byKind: {}, errorSamples: [] });
let window = fresh();
let totalRequests = 0;
let totalErrors = 0;
const trackingCodes: string[] = [];

async function call(kind: string, url: string, init: RequestInit, ok: (status: number) => boolean) {
  const t = performance.now();
  let status = 0;
  let body: unknown = null;
  try {
    const res = await fetch(`${base}${url}`, { ...init, signal: AbortSignal.timeout(30_000) });
    status = res.status;
    body = await res.json().catch(() => null);
  } catch (e) {
    status = -1;
    body = String(e);
  }
  window.latencies.push(performance.now() - t);
  window.requests++;
  totalRequests++;
  window.byKind[kind] = (window.byKind[kind] ?? 0) + 1;
  if (!ok(status)) {
    window.errors++;
    totalErrors++;
    if (window.errorSamples.length < 3)
      window.errorSamples.push(`${kind} ${status} ${JSON.stringify(body).slice(0, 160)}`);
  }
  return { status, body };
}

const json = (s: Session | null, body: unknown): RequestInit => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(s ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : {}),
  },
  body: JSON.stringify(body),
});
const get = (s: Session | null): RequestInit => ({ headers: s ? { cookie: s.cookie } : {} });

let n = 0;
async function oneRequest(client: number): Promise<void> {
  const i = n++;
  const pick = i % 10;
  if (pick < 3) {
    const key = `soak-${process.pid}-${client}-${i}`;
    const { status, body } = await call(
      'report',
      '/api/public/reports',
      {
        ...json(null, {
          description: `长时运行测试 ${key} 胡同口垃圾堆放`,
          lng: street.center[0] + ((i % 97) - 48) * 2e-5,
          lat: street.center[1] + ((i % 89) - 44) * 2e-5,
        }),
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
      },
      (s) => s === 201,
    );
    if (status === 201) {
      trackingCodes.push((body as { trackingCode: string }).trackingCode);
      if (trackingCodes.length > 500) trackingCodes.shift();
    }
  } else if (pick < 5) {
    const code = trackingCodes[i % Math.max(1, trackingCodes.length)];
    if (code) await call('tracking', `/api/public/reports/${code}`, get(null), (s) => s === 200);
    else await call('board', `/api/public/alleys/${alleyIds[0]}/cases`, get(null), (s) => s === 200);
  } else if (pick === 5) {
    const alley = alleyIds[i % alleyIds.length];
    await call('board', `/api/public/alleys/${alley}/cases`, get(null), (s) => s === 200);
  } else if (pick < 8) {
    await call('desk queue', '/api/cases?state=reported&limit=50', get(desk), (s) => s === 200);
  } else if (pick === 8) {
    await call('department queue', '/api/cases?state=handling&limit=50', get(department), (s) => s === 200);
  } else {
    // The desk accepts the oldest report on its queue that it may accept; a case another client took
    // a moment earlier answers 409, which is the expected race, not a failure.
    const { body } = await call(
      'desk queue',
      '/api/cases?state=reported&limit=20',
      get(desk),
      (s) => s === 200,
    );
    const items = (body as { items?: { id: string; allowedActions: string[] }[] } | null)?.items ?? [];
    const next = items.find((c) => c.allowedActions.includes('accept'));
    if (next)
      await call(
        'accept',
        `/api/cases/${next.id}/actions/accept`,
        json(desk, { categoryKey: CATEGORY }),
        (s) => s === 200 || s === 409,
      );
  }
}

interface Row {
  minute: number;
  rssMb: number;
  heapMb: number;
  eldP50: number;
  eldP99: number;
  eldMax: number;
  requests: number;
  errors: number;
  p50: number;
  p99: number;
}
const rows: Row[] = [];
const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const endAt = performance.now() + minutes * 60_000;
let running = true;
const perClientGap = (1000 * clients) / rate;
const workers = Array.from({ length: clients }, async (_, c) => {
  await new Promise((r) => setTimeout(r, (c * perClientGap) / clients));
  while (running) {
    const t = performance.now();
    await oneRequest(c);
    const wait = perClientGap - (performance.now() - t);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
});
const sampler = (async () => {
  let sample = 0;
  while (performance.now() < endAt) {
    await new Promise((r) => setTimeout(r, sampleMs));
    sample++;
    const w = window;
    window = fresh();
    const p: ProbeSample = lastProbe ?? { rss: 0, heapUsed: 0, eldP50: 0, eldP99: 0, eldMax: 0 };
    const row: Row = {
      minute: (sample * sampleMs) / 60_000,
      rssMb: p.rss / 2 ** 20,
      heapMb: p.heapUsed / 2 ** 20,
      eldP50: p.eldP50,
      eldP99: p.eldP99,
      eldMax: p.eldMax,
      requests: w.requests,
      errors: w.errors,
      p50: quantile(w.latencies, 0.5),
      p99: quantile(w.latencies, 0.99),
    };
    rows.push(row);
    process.stdout.write(
      `${row.minute.toFixed(1).padStart(5)} min  rss ${row.rssMb.toFixed(0)} MB  heap ${row.heapMb.toFixed(0)} MB  ` +
        `loop p50/p99/max ${row.eldP50.toFixed(1)}/${row.eldP99.toFixed(1)}/${row.eldMax.toFixed(0)} ms  ` +
        `${row.requests} req  ${row.errors} err  p50 ${row.p50.toFixed(0)} ms  p99 ${row.p99.toFixed(0)} ms  ` +
        `${JSON.stringify(w.byKind)}${w.errorSamples.length ? `  e.g. ${w.errorSamples.join(' | ')}` : ''}\n`,
    );
  }
  running = false;
})();
await sampler;
await Promise.all(workers);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
await rm(dataDir, { recursive: true, force: true });
if (dropDatabase) await dropDatabase();

const warm = Math.max(5, Math.ceil(rows.length / 10));
const after = rows.slice(warm - 1);
const baseline = after[0];
const last = rows.at(-1);
const growth = baseline && last ? (last.rssMb - baseline.rssMb) / baseline.rssMb : 0;
const peak = Math.max(...after.map((r) => r.rssMb));
process.stdout.write(
  `\n${engine}: ${minutes} min, ${clients} clients at ${rate} req/s; ${totalRequests} requests, ${totalErrors} errors\n` +
    `RSS after warm-up (sample ${warm}) ${baseline?.rssMb.toFixed(0)} MB, at the end ${last?.rssMb.toFixed(0)} MB ` +
    `(${(growth * 100).toFixed(1)} %), peak ${peak.toFixed(0)} MB; event-loop p99 worst minute ` +
    `${Math.max(...rows.map((r) => r.eldP99)).toFixed(1)} ms\n`,
);
const failed = totalErrors > 0 || growth >= 0.1 || rows.length === 0;
process.stdout.write(failed ? 'FAILED\n' : 'passed\n');
process.exit(failed ? 1 : 0);
