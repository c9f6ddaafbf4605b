import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRng } from '../src/classification/prng.ts';
import { type HotMessage, mineHotIssues, nameSpans } from '../src/hotissues/hot-issue.mining.ts';
import { parseMessageTsv } from '../src/hotissues/hot-issue.tsv.ts';

/**
 * Hot-issue mining (SPEC §7.2) on the 2020 Teddy Cup message board (4,326 messages) and on a month of
 * 100,000 messages made from it: each made message is a real one whose place names are replaced by
 * made-up names most of the time, by a made-up author, at a time in one month. So the month has the
 * real wording and lengths, and hundreds of thousands of distinct places. One thread; CPU seconds.
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
      let s = '';
      let inSpan = false;
      for (let k = 0; k < text.length; k++) {
        if (marks[k] && k + 2 < text.length && marks[k + 2]) {
          if (!inSpan) s += rename;
          inSpan = true;
        } else {
          inSpan = false;
          s += text[k];
        }
      }
      return s;
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

export async function run(): Promise<void> {
  if (!existsSync(dataPath)) {
    console.log(`skipped: ${dataPath} is absent`);
    return;
  }
  const real = parseMessageTsv(readFileSync(dataPath, 'utf8'));
  // Warm-up: the first run compiles the hot loops.
  mineHotIssues(real.slice(0, 1000));
  let t = process.cpuUsage();
  let w = performance.now();
  const small = mineHotIssues(real);
  console.log(
    `message board: ${real.length} messages → ${small.issues.length} issues, ${small.pairs} pairs compared; ` +
      `${cpuSeconds(t).toFixed(2)} s CPU, ${((performance.now() - w) / 1000).toFixed(2)} s wall`,
  );
  const month = syntheticMonth(real, 100_000);
  if (global.gc) global.gc();
  t = process.cpuUsage();
  w = performance.now();
  const big = mineHotIssues(month);
  const mem = process.memoryUsage();
  console.log(
    `a month of ${month.length} messages → ${big.issues.length} issues, ${big.pairs} pairs compared; ` +
      `${cpuSeconds(t).toFixed(2)} s CPU, ${((performance.now() - w) / 1000).toFixed(2)} s wall; ` +
      `heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB, rss ${(mem.rss / 2 ** 20).toFixed(0)} MB`,
  );
  console.log(
    `top 3 of the month: ${big.issues
      .slice(0, 3)
      .map((i) => `${i.place} (${i.people})`)
      .join('; ')}`,
  );
}
