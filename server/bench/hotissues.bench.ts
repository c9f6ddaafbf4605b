import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createRng } from '../src/classification/prng.ts';
import * as reference from '../src/hotissues/hot-issue.mining.reference.ts';
import { type HotMessage, mineHotIssues, nameSpans } from '../src/hotissues/hot-issue.mining.ts';
import { parseMessageTsv } from '../src/hotissues/hot-issue.tsv.ts';

/**
 * Hot-issue mining (SPEC §7.2) on the 2020 Teddy Cup message board (4,326 messages) and on a month of
 * 100,000 messages made from it: each made message is a real one whose place names are replaced by
 * made-up names most of the time, by a made-up author, at a time in one month. So the month has the
 * real wording and lengths, and hundreds of thousands of distinct places. One thread; CPU seconds.
 *
 * The earlier version (`hot-issue.mining.reference.ts`) runs beside the current one on the same data
 * in the same process: on the board, and on months of 20,000 and 40,000 messages (at 100,000 it ran
 * for minutes). `--hot-month N` changes the size of the large month; `--hot-reference-month N` also
 * runs the earlier version on a month of N.
 */

const repoRoot = path.resolve(import.meta.dirname, '../..');
const dataPath = path.resolve(repoRoot, '../shared/data/tipdm2020c-hot.tsv');

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

const syllables = [
  ...'安宝北滨博昌朝晨城春翠达德东枫福富港光广海和河宏华惠佳嘉金锦景静康兰丽莲林龙绿梅美民明南宁鹏平浦清庆荣瑞润森山尚盛书顺泰天万旺文西祥翔新星兴秀雅阳怡银永裕园悦云泽长正芝中竹紫',
];

/** A month of `n` messages made from the real ones (see above). */
export function syntheticMonth(real: readonly HotMessage[], n: number, seed = 1): HotMessage[] {
  const rng = createRng(seed);
  const start = Date.parse('2026-11-01T00:00:00+08:00');
  const name = () =>
    Array.from(
      { length: 2 + Math.floor(rng() * 2) },
      () => syllables[Math.floor(rng() * syllables.length)],
    ).join('');
  const out: HotMessage[] = [];
  for (let i = 0; i < n; i++) {
    const m = real[Math.floor(rng() * real.length)]!;
    // One message in five keeps its real places, so real issues recur; the rest move elsewhere.
    const rename = rng() < 0.8 ? name() : null;
    const replace = (text: string) => {
      if (!rename) return text;
      const marks = nameSpans(text);
      // Built as parts and joined: adding one character at a time makes a chain of hundreds of
      // string pieces per message, which the mining would then pay to flatten and collect.
      const parts: string[] = [];
      let inSpan = false;
      for (let k = 0; k < text.length; k++) {
        if (marks[k] && k + 2 < text.length && marks[k + 2]) {
          if (!inSpan) parts.push(rename);
          inSpan = true;
        } else {
          inSpan = false;
          parts.push(text[k]!);
        }
      }
      return parts.join('');
    };
    out.push({
      id: `s${i}`,
      author: `u${Math.floor(rng() * n * 0.8)}`,
      title: replace(m.title),
      body: replace(m.body),
      time: start + Math.floor(rng() * 30 * 86_400_000),
      support: m.support,
    });
  }
  return out;
}

function argument(name: string): number | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : undefined;
}

type Miner = (messages: readonly HotMessage[]) => { issues: { messageIds: string[] }[]; pairs: number };

function timed(label: string, mine: Miner, messages: readonly HotMessage[]) {
  if (global.gc) global.gc();
  const t = process.cpuUsage();
  const w = performance.now();
  const result = mine(messages);
  const cpu = cpuSeconds(t);
  const mem = process.memoryUsage();
  console.log(
    `${label}: ${messages.length} messages → ${result.issues.length} issues, ${result.pairs} pairs; ` +
      `${cpu.toFixed(2)} s CPU, ${((performance.now() - w) / 1000).toFixed(2)} s wall; ` +
      `heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB, rss ${(mem.rss / 2 ** 20).toFixed(0)} MB`,
  );
  return { cpu, result };
}

/** Issues of at least two messages whose member sets are the same in both results. */
function sameGroups(a: { issues: { messageIds: string[] }[] }, b: { issues: { messageIds: string[] }[] }) {
  const key = (i: { messageIds: string[] }) => [...i.messageIds].sort().join(',');
  const other = new Set(b.issues.map(key));
  return `${a.issues.filter((i) => other.has(key(i))).length} of ${a.issues.length} issues identical`;
}

export async function run(): Promise<void> {
  if (!existsSync(dataPath)) {
    console.log(`skipped: ${dataPath} is absent`);
    return;
  }
  const real = parseMessageTsv(readFileSync(dataPath, 'utf8'));
  const current: Miner = (m) => mineHotIssues(m);
  const earlier: Miner = (m) => reference.mineHotIssues(m);
  // Warm-up: the first run compiles the hot loops.
  current(real.slice(0, 1000));
  earlier(real.slice(0, 1000));
  console.log(
    `load average at the start: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const sizes: Array<[string, readonly HotMessage[]]> = [['message board', real]];
  for (const n of [20_000, 40_000]) sizes.push([`a month of ${n}`, syntheticMonth(real, n)]);
  const referenceMonth = argument('--hot-reference-month');
  if (referenceMonth) sizes.push([`a month of ${referenceMonth}`, syntheticMonth(real, referenceMonth)]);
  for (const [label, messages] of sizes) {
    const old = timed(`${label}, earlier version`, earlier, messages);
    const now = timed(`${label}, current version`, current, messages);
    console.log(
      `  ${label}: earlier ÷ current CPU ${(old.cpu / now.cpu).toFixed(1)}×; ${sameGroups(now.result, old.result)}`,
    );
  }
  const month = syntheticMonth(real, argument('--hot-month') ?? 100_000);
  const big = timed(`a month of ${month.length}, current version`, (m) => mineHotIssues(m), month);
  const top = (big.result as ReturnType<typeof mineHotIssues>).issues.slice(0, 3);
  console.log(`top 3 of the month: ${top.map((i) => `${i.place} (${i.people})`).join('; ')}`);
  console.log(
    `load average at the end: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
}
