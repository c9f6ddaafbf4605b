// Times `npm start` to the first healthy /api/health answer: a first start on a fresh data folder, then
// restarts on the same folder. Usage: node scripts/start-time.mjs [runs=3] [port=18431] [data folder]
// With a data folder (e.g. one whose demo history has finished loading) only restarts on it are timed.
// Environment (HUTONG_DEMO_HISTORY etc.) is passed through; HUTONG_DATA_DIR and PORT are set here.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const port = Number(process.argv[3] ?? 18431);
const root = path.resolve(import.meta.dirname, '..');

async function healthy(deadline) {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (res.ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function stopped(deadline) {
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/api/health`);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** CPU seconds (user + system) used so far by the processes of a group, from /proc (Linux only). */
function groupCpu(pgid) {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks / 100;
}

async function startOnce(dataDir) {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, PORT: String(port), HUTONG_DATA_DIR: dataDir, HUTONG_LOG_FORMAT: 'json' },
  });
  const ok = await healthy(Date.now() + 300_000);
  const ms = performance.now() - started;
  const cpu = process.platform === 'linux' ? groupCpu(child.pid) : Number.NaN;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  await exited;
  // npm exits before the server has closed; on a busy machine the server can still be answering (and
  // holding the data folder) when the next start begins, which would time that start at nothing.
  await stopped(Date.now() + 30_000);
  await new Promise((r) => setTimeout(r, 500));
  if (!ok) throw new Error('no healthy answer within 5 minutes');
  return { ms, cpu };
}

const firsts = [];
const restarts = [];
const existing = process.argv[4];
for (let i = 0; existing && i < runs; i++) restarts.push(await startOnce(path.resolve(existing)));
for (let i = 0; !existing && i < runs; i++) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hutong-start-'));
  try {
    firsts.push(await startOnce(dir));
    restarts.push(await startOnce(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
// Wall seconds, and in brackets the CPU seconds the started processes had used by then (less sensitive to
// what else the machine is doing).
const fmt = (xs) => xs.map((x) => `${(x.ms / 1000).toFixed(1)} (${x.cpu.toFixed(1)} CPU)`).join(' / ');
console.log(
  `load ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
if (firsts.length) console.log(`first start (s): ${fmt(firsts)}`);
console.log(`restart (s):     ${fmt(restarts)}`);
