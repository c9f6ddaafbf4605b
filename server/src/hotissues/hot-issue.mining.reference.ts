/**
 * THE EARLIER VERSION of `hot-issue.mining.ts`, kept as the baseline that the benchmark measures beside
 * the current one and as the oracle of the tests (same pairs, same groups). Both read the text through
 * `hot-issue.text.ts` (names, codes, the description), so only the mining stages differ. It compares
 * every candidate pair in full, recomputes a group's centroid from all its members at each merge and
 * hashes every message twice into a large table; do not use it in the product.
 *
 * Hot-issue mining (SPEC §7.2): groups the messages of a period into issues — the same problem at the
 * same place or with the same group of people, raised by several people in different words — and
 * ranks them by a heat index. Pure: no I/O, no clock (the period's end is passed in).
 *
 * How (docs/hot-issues.md has the reasoning and the measured choices):
 * 1. Each message becomes a TF-IDF vector of character 2–4-grams of its title (counted twice) and the
 *    opening of its body, in two parts: *place grams* — grams that, over the whole period, mostly sit
 *    in a name span (the characters before a place or organisation suffix: 小区, 路, 学院, 公司…) — and
 *    *problem grams*, all the others. So sharing "魅力之城" counts as the same place, and sharing
 *    "噪音扰民" only as the same kind of problem. The anonymised region codes (A市, A5区) and grams
 *    found in more than 5 % of the messages carry nothing.
 * 2. Candidate pairs are messages that share a name gram of three or more characters found in few
 *    messages. Their similarity is place^0.7 × problem^0.3, the cosines of the place grams and of the
 *    problem grams: the place must match, and the problem too, though worded differently.
 * 3. Average-linkage clustering over those pairs: two groups merge while the mean similarity between
 *    their members stays above a threshold, so a group does not chain from one problem to the next;
 *    then groups whose centroids are alike merge (pieces of one issue written in different ways).
 * 4. A group of messages from at least two people is an issue; its heat (`heatOf`) ranks it.
 */

import {
  describe,
  isWordChar,
  maxNameChars,
  nameBreakers,
  RegionCodes,
  suffixPattern,
} from './hot-issue.text.ts';

export interface HotMessage {
  id: string;
  /** Who wrote it (a user id, or a reporter key); heat counts people, not messages. */
  author: string;
  title: string;
  body: string;
  /** Epoch milliseconds. */
  time: number;
  /** Support signals: likes, supporters, merged duplicates, 12345 repeats. */
  support: number;
  /** Optional coordinates, kept for the map (cases have them, the message board does not). */
  lng?: number | null;
  lat?: number | null;
}

export interface HotIssue {
  rank: number;
  heat: number;
  place: string;
  description: string;
  from: number;
  to: number;
  people: number;
  support: number;
  messageIds: string[];
}

export interface MiningOptions {
  /** End of the period (epoch ms): recency is measured from here. Default: the latest message. */
  periodEnd?: number;
  /** Mean pair similarity above which two groups are one issue. */
  linkThreshold: number;
  /** Share of the place in a pair's similarity: place^e × problem^(1−e). */
  placeEmphasis: number;
  /** Below this cosine of their problem grams, two messages are never one issue, whatever the place. */
  minProblem: number;
  /** Pairs less similar than this are not kept (they count as 0 in the mean). */
  pairFloor: number;
  /** Centroid similarity above which two groups are pieces of one issue. */
  centroidThreshold: number;
  /** Place similarity over the shared rare names alone that a pair needs before it is compared in full. */
  minKeyDot: number;
  /** Weight of the title's grams relative to the body's (titles state the place and the problem). */
  titleWeight: number;
  /** Grams in more than this share of messages are ignored. */
  maxDocShare: number;
  /** A name gram opens candidate pairs only when found in at most this many messages (and share). */
  maxPostings: number;
  /** Fewest distinct people for a group to be an issue. */
  minPeople: number;
  /** Recency half-life in days (see `heatOf`). */
  recencyHalfLifeDays: number;
  /** Characters of the body read (place and problem are stated early; long letters wander). */
  bodyChars: number;
}

export const defaultMiningOptions: MiningOptions = {
  linkThreshold: 0.15,
  placeEmphasis: 0.7,
  minProblem: 0.05,
  pairFloor: 0.05,
  centroidThreshold: 0.35,
  minKeyDot: 0.05,
  titleWeight: 2,
  maxDocShare: 0.05,
  maxPostings: 400,
  minPeople: 2,
  recencyHalfLifeDays: 90,
  bodyChars: 400,
};

const minGram = 2;
const maxGram = 4;

/**
 * Marks the code units of `text` that lie in a name span: 1 for the name before a place or organisation
 * suffix, 2 for the suffix.
 */
export function nameSpans(text: string): Uint8Array {
  const marks = new Uint8Array(text.length);
  suffixPattern.lastIndex = 0;
  for (let m = suffixPattern.exec(text); m; m = suffixPattern.exec(text)) {
    const end = m.index + m[0].length;
    let start = m.index;
    while (start > 0 && m.index - start < maxNameChars) {
      const c = text.charCodeAt(start - 1);
      if (!isWordChar(c) || nameBreakers.has(c)) break;
      start--;
    }
    // A bare suffix ("小区", "路") names nothing on its own.
    if (m.index - start < 2) continue;
    // 1 for the name, 2 for its suffix: a gram of suffix characters alone ("胡同") is no place.
    marks.fill(1, start, m.index);
    marks.fill(2, m.index, end);
  }
  return marks;
}

/**
 * Open-addressing table from a 32-bit gram hash to a slot; the slot is the gram's id for the whole run,
 * so per-gram figures live in plain typed arrays indexed by it.
 */
class GramTable {
  private keys: Int32Array;
  private used: Uint8Array;
  df: Int32Array;
  /** Occurrences inside a name span, to tell place grams from problem grams. */
  inName: Int32Array;
  occurrences: Int32Array;
  size = 0;

  constructor(capacity = 1 << 16) {
    this.keys = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.df = new Int32Array(capacity);
    this.inName = new Int32Array(capacity);
    this.occurrences = new Int32Array(capacity);
  }

  get capacity(): number {
    return this.keys.length;
  }

  /** The slot of `h`, inserting it when `insert`; −1 when absent. */
  slot(h: number, insert: boolean): number {
    if (insert && this.size * 2 >= this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let i = Math.imul(h, 0x9e3779b1) >>> 0;
    i &= mask;
    while (this.used[i]) {
      if (this.keys[i] === h) return i;
      i = (i + 1) & mask;
    }
    if (!insert) return -1;
    this.used[i] = 1;
    this.keys[i] = h;
    this.size++;
    return i;
  }

  private grow(): void {
    const { keys, used, df, inName, occurrences } = this;
    const capacity = keys.length * 2;
    this.keys = new Int32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.df = new Int32Array(capacity);
    this.inName = new Int32Array(capacity);
    this.occurrences = new Int32Array(capacity);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) {
      if (!used[i]) continue;
      const j = this.slot(keys[i]!, true);
      this.df[j] = df[i]!;
      this.inName[j] = inName[i]!;
      this.occurrences[j] = occurrences[i]!;
    }
  }
}

/** The distinct grams of one message with their weighted counts; reused from message to message. */
class DocGrams {
  hashes = new Int32Array(4096);
  tf = new Float32Array(4096);
  names = new Int32Array(4096);
  count = 0;
  /** Open addressing from hash to position; a slot is live when its stamp is the current one. */
  private slots = new Int32Array(8192);
  private stamps = new Int32Array(8192);
  private stamp = 0;

  reset(): void {
    this.count = 0;
    this.stamp++;
  }

  add(h: number, weight: number, inName: boolean): void {
    let mask = this.slots.length - 1;
    let i = (Math.imul(h, 0x9e3779b1) >>> 0) & mask;
    while (this.stamps[i] === this.stamp) {
      const at = this.slots[i]!;
      if (this.hashes[at] === h) {
        this.tf[at]! += weight;
        if (inName) this.names[at]!++;
        return;
      }
      i = (i + 1) & mask;
    }
    if (this.count * 2 >= this.slots.length) {
      this.grow();
      mask = this.slots.length - 1;
      i = (Math.imul(h, 0x9e3779b1) >>> 0) & mask;
      while (this.stamps[i] === this.stamp) i = (i + 1) & mask;
    }
    this.stamps[i] = this.stamp;
    this.slots[i] = this.count;
    this.hashes[this.count] = h;
    this.tf[this.count] = weight;
    this.names[this.count] = inName ? 1 : 0;
    this.count++;
  }

  private grow(): void {
    const n = this.slots.length * 2;
    const hashes = new Int32Array(n / 2);
    hashes.set(this.hashes);
    const tf = new Float32Array(n / 2);
    tf.set(this.tf);
    const names = new Int32Array(n / 2);
    names.set(this.names);
    this.hashes = hashes;
    this.tf = tf;
    this.names = names;
    this.slots = new Int32Array(n);
    this.stamps = new Int32Array(n);
    this.stamp = 1;
    const mask = n - 1;
    for (let at = 0; at < this.count; at++) {
      let i = (Math.imul(this.hashes[at]!, 0x9e3779b1) >>> 0) & mask;
      while (this.stamps[i] === 1) i = (i + 1) & mask;
      this.stamps[i] = 1;
      this.slots[i] = at;
    }
  }
}

function collectGrams(text: string, weight: number, out: DocGrams): void {
  const marks = nameSpans(text);
  let runStart = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && isWordChar(text.charCodeAt(i))) continue;
    for (let s = runStart; s < i; s++) {
      // FNV-1a, extended one character at a time: the hash of each longer gram builds on the shorter.
      let h = 0x811c9dc5;
      let marked = true;
      let named = false;
      for (let n = 1; n <= maxGram && s + n <= i; n++) {
        h ^= text.charCodeAt(s + n - 1);
        h = Math.imul(h, 0x01000193);
        const mark = marks[s + n - 1]!;
        marked &&= mark !== 0;
        named ||= mark === 1;
        if (n >= minGram) out.add(h ^ n, weight, marked && named);
      }
    }
    runStart = i + 1;
  }
}

function gramsOf(m: HotMessage, options: MiningOptions, codes: RegionCodes, out: DocGrams): void {
  out.reset();
  collectGrams(codes.clean(m.title), options.titleWeight, out);
  collectGrams(codes.clean(m.body.slice(0, options.bodyChars)), 1, out);
}

interface Vector {
  /** Gram slots, place grams first (`placeCount` of them), then problem grams. */
  grams: Int32Array;
  /** Weights, each part L2-normalised on its own. */
  weights: Float32Array;
  placeCount: number;
  /** Place grams rare enough to open candidate pairs, and their normalised weights. */
  keys: Int32Array;
  keyWeights: Float32Array;
}

/** A gram is a place gram when most of its occurrences in the whole period sit inside name spans. */
const placeShare = 0.5;

function vectoriseAll(
  messages: readonly HotMessage[],
  options: MiningOptions,
): { vectors: Vector[]; slots: number; codes: RegionCodes } {
  const codes = new RegionCodes(messages, options.bodyChars);
  const table = new GramTable();
  const doc = new DocGrams();
  for (const m of messages) {
    gramsOf(m, options, codes, doc);
    for (let k = 0; k < doc.count; k++) {
      const s = table.slot(doc.hashes[k]!, true);
      table.df[s]!++;
      table.occurrences[s]! += 1;
      if (doc.names[k]! > 0) table.inName[s]! += 1;
    }
  }
  const n = messages.length;
  // In a small period a real issue can hold more than the share: the cap never falls below 30.
  const maxDf = Math.max(30, Math.floor(n * options.maxDocShare));
  const maxPostings = Math.min(options.maxPostings, maxDf);
  const vectors: Vector[] = [];
  const slotsOf = new Int32Array(4096);
  const weightsOf = new Float32Array(4096);
  const placeOf = new Uint8Array(4096);
  for (const m of messages) {
    gramsOf(m, options, codes, doc);
    const keys: number[] = [];
    const keyAt: number[] = [];
    let kept = 0;
    let placeCount = 0;
    let placeNorm = 0;
    let problemNorm = 0;
    for (let k = 0; k < doc.count && kept < slotsOf.length; k++) {
      const s = table.slot(doc.hashes[k]!, false);
      const f = table.df[s]!;
      if (f < 2 || f > maxDf) continue;
      const isPlace = table.inName[s]! >= placeShare * table.occurrences[s]!;
      // (n + 1) / f: a gram every message shares still weighs something, so a young installation's
      // first reports, all about one problem, can be one issue (n / f made them weightless).
      const w = (1 + Math.log(doc.tf[k]!)) * Math.log((n + 1) / f);
      if (isPlace) {
        placeNorm += w * w;
        placeCount++;
        if (f <= maxPostings && doc.names[k]! > 0) {
          keys.push(s);
          keyAt.push(kept);
        }
      } else problemNorm += w * w;
      slotsOf[kept] = s;
      weightsOf[kept] = w;
      placeOf[kept] = isPlace ? 1 : 0;
      kept++;
    }
    const grams = new Int32Array(kept);
    const weights = new Float32Array(kept);
    const placeInv = placeNorm > 0 ? 1 / Math.sqrt(placeNorm) : 0;
    const problemInv = problemNorm > 0 ? 1 / Math.sqrt(problemNorm) : 0;
    let p = 0;
    let q = placeCount;
    for (let k = 0; k < kept; k++) {
      if (placeOf[k]) {
        grams[p] = slotsOf[k]!;
        weights[p++] = weightsOf[k]! * placeInv;
      } else {
        grams[q] = slotsOf[k]!;
        weights[q++] = weightsOf[k]! * problemInv;
      }
    }
    vectors.push({
      grams,
      weights,
      placeCount,
      keys: Int32Array.from(keys),
      keyWeights: Float32Array.from(keyAt, (at) => weightsOf[at]! * placeInv),
    });
  }
  return { vectors, slots: table.capacity, codes };
}

function blend(place: number, problem: number, emphasis: number, minProblem: number): number {
  // However alike the places, two different problems there are two issues.
  if (place <= 0 || problem < minProblem || problem <= 0) return 0;
  return place ** emphasis * problem ** (1 - emphasis);
}

export interface Pair {
  a: number;
  b: number;
  similarity: number;
}

/**
 * Pairs of messages that share a rare place gram, with their similarity: the geometric mean of the
 * cosine of their place grams and the cosine of their problem grams, so that both the place and the
 * problem must match. Pairs below `floor` are dropped (they count as 0 in the linkage).
 */
export function candidatePairs(
  vectors: Vector[],
  options: { floor: number; minKeyDot: number; emphasis: number; minProblem: number },
  slots: number,
): Pair[] {
  const { floor, minKeyDot, emphasis, minProblem } = options;
  // Postings of the keys with the key's (normalised place) weight in each message.
  const postings = new Map<number, { docs: number[]; weights: number[] }>();
  vectors.forEach((v, i) => {
    for (let k = 0; k < v.keys.length; k++) {
      const key = v.keys[k]!;
      let list = postings.get(key);
      if (!list) {
        list = { docs: [], weights: [] };
        postings.set(key, list);
      }
      list.docs.push(i);
      list.weights.push(v.keyWeights[k]!);
    }
  });
  const pairs: Pair[] = [];
  const dense = new Float32Array(slots);
  const keyDot = new Float32Array(vectors.length);
  const touched: number[] = [];
  for (let i = 0; i < vectors.length; i++) {
    const v = vectors[i]!;
    // The place similarity over shared keys alone is a lower bound of the place cosine: only pairs
    // whose shared rare names already weigh `minKeyDot` get the full comparison.
    touched.length = 0;
    for (let k = 0; k < v.keys.length; k++) {
      const list = postings.get(v.keys[k]!)!;
      const w = v.keyWeights[k]!;
      for (let p = 0; p < list.docs.length; p++) {
        const j = list.docs[p]!;
        if (j <= i) continue;
        if (keyDot[j] === 0) touched.push(j);
        keyDot[j]! += w * list.weights[p]!;
      }
    }
    if (touched.length === 0) continue;
    for (let k = 0; k < v.grams.length; k++) dense[v.grams[k]!] = v.weights[k]!;
    for (const j of touched) {
      const enough = keyDot[j]! >= minKeyDot;
      keyDot[j] = 0;
      if (!enough) continue;
      const u = vectors[j]!;
      let placeDot = 0;
      let problemDot = 0;
      for (let k = 0; k < u.placeCount; k++) placeDot += dense[u.grams[k]!]! * u.weights[k]!;
      for (let k = u.placeCount; k < u.grams.length; k++) problemDot += dense[u.grams[k]!]! * u.weights[k]!;
      const s = blend(placeDot, problemDot, emphasis, minProblem);
      if (s >= floor) pairs.push({ a: i, b: j, similarity: s });
    }
    for (let k = 0; k < v.grams.length; k++) dense[v.grams[k]!] = 0;
  }
  return pairs;
}

/**
 * Average linkage over a sparse similarity graph: edges from the strongest down; two groups merge when
 * the summed similarity between them, divided by the product of their sizes (missing pairs count 0),
 * reaches the threshold.
 */
export function averageLinkage(count: number, pairs: Pair[], threshold: number): number[][] {
  const parent = Int32Array.from({ length: count }, (_, i) => i);
  const size = new Int32Array(count).fill(1);
  const links = new Map<number, Map<number, number>>();
  const link = (x: number, y: number, s: number) => {
    let m = links.get(x);
    if (!m) {
      m = new Map();
      links.set(x, m);
    }
    m.set(y, (m.get(y) ?? 0) + s);
  };
  for (const p of pairs) {
    link(p.a, p.b, p.similarity);
    link(p.b, p.a, p.similarity);
  }
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r]!;
    while (parent[x] !== r) {
      const next = parent[x]!;
      parent[x] = r;
      x = next;
    }
    return r;
  };
  const order = [...pairs].sort((p, q) => q.similarity - p.similarity);
  for (const p of order) {
    let x = find(p.a);
    let y = find(p.b);
    if (x === y) continue;
    const sum = links.get(x)?.get(y) ?? 0;
    if (sum / (size[x]! * size[y]!) < threshold) continue;
    if (size[x]! < size[y]!) [x, y] = [y, x];
    // y joins x: y's links move to x, and every neighbour's link to y now points at x.
    parent[y] = x;
    size[x]! += size[y]!;
    const ly = links.get(y) ?? new Map<number, number>();
    let lx = links.get(x);
    if (!lx) {
      lx = new Map();
      links.set(x, lx);
    }
    lx.delete(y);
    for (const [z, s] of ly) {
      if (z === x) continue;
      lx.set(z, (lx.get(z) ?? 0) + s);
      const lz = links.get(z)!;
      lz.delete(y);
      lz.set(x, (lz.get(x) ?? 0) + s);
    }
    links.delete(y);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < count; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  return [...groups.values()];
}

/** A group's centroid: the sum of its members' vectors, each part normalised again. */
interface Centroid {
  place: Map<number, number>;
  problem: Map<number, number>;
}

function centroidOf(members: number[], vectors: Vector[]): Centroid {
  const place = new Map<number, number>();
  const problem = new Map<number, number>();
  for (const i of members) {
    const v = vectors[i]!;
    for (let k = 0; k < v.grams.length; k++) {
      const part = k < v.placeCount ? place : problem;
      part.set(v.grams[k]!, (part.get(v.grams[k]!) ?? 0) + v.weights[k]!);
    }
  }
  for (const part of [place, problem]) {
    let norm = 0;
    for (const w of part.values()) norm += w * w;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (const [g, w] of part) part.set(g, w * inv);
  }
  return { place, problem };
}

function mapDot(a: Map<number, number>, b: Map<number, number>): number {
  if (a.size > b.size) [a, b] = [b, a];
  let dot = 0;
  for (const [g, w] of a) {
    const x = b.get(g);
    if (x !== undefined) dot += w * x;
  }
  return dot;
}

function centroidSimilarity(a: Centroid, b: Centroid, emphasis: number, minProblem: number): number {
  return blend(mapDot(a.place, b.place), mapDot(a.problem, b.problem), emphasis, minProblem);
}

/**
 * Second stage: groups joined by at least one candidate pair merge while their centroids are at least
 * `threshold` alike, closest first. Average linkage keeps the first groups tight; this stage joins the
 * pieces of one large issue written in several ways (a group of 18 messages about a mixing plant and
 * one of 10 about the same plant), which average linkage over sparse pairs leaves apart.
 */
export function mergeByCentroid(
  groups: number[][],
  pairs: Pair[],
  vectors: Vector[],
  threshold: number,
  emphasis: number,
  minProblem: number,
): number[][] {
  const groupOf = new Int32Array(vectors.length);
  groups.forEach((g, gi) => {
    for (const i of g) groupOf[i] = gi;
  });
  const members = groups.map((g) => [...g]);
  const centroids: Array<Centroid | null> = groups.map((g) => centroidOf(g, vectors));
  const neighbours = groups.map(() => new Set<number>());
  for (const p of pairs) {
    const x = groupOf[p.a]!;
    const y = groupOf[p.b]!;
    if (x === y) continue;
    neighbours[x]!.add(y);
    neighbours[y]!.add(x);
  }
  // Candidate merges in a max-heap of (similarity, x, y, their versions when computed): a merge bumps
  // the merged group's version, so older entries about it are skipped when they surface.
  const version = new Int32Array(groups.length);
  const heap: Array<{ s: number; x: number; y: number; vx: number; vy: number }> = [];
  const before = (i: number, j: number) => heap[i]!.s > heap[j]!.s;
  const push = (e: (typeof heap)[number]) => {
    heap.push(e);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(i, parent)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const pop = () => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(l, m)) m = l;
        if (r < heap.length && before(r, m)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  const consider = (x: number, y: number) => {
    const s = centroidSimilarity(centroids[x]!, centroids[y]!, emphasis, minProblem);
    if (s >= threshold) push({ s, x, y, vx: version[x]!, vy: version[y]! });
  };
  for (let x = 0; x < neighbours.length; x++) for (const y of neighbours[x]!) if (x < y) consider(x, y);
  while (heap.length > 0) {
    const e = pop();
    if (!centroids[e.x] || !centroids[e.y] || version[e.x] !== e.vx || version[e.y] !== e.vy) continue;
    // The smaller group joins the larger.
    const [bx, by] = members[e.x]!.length >= members[e.y]!.length ? [e.x, e.y] : [e.y, e.x];
    members[bx]!.push(...members[by]!);
    members[by] = [];
    centroids[by] = null;
    centroids[bx] = centroidOf(members[bx]!, vectors);
    version[bx]!++;
    for (const z of neighbours[by]!) {
      neighbours[z]!.delete(by);
      if (z !== bx) {
        neighbours[z]!.add(bx);
        neighbours[bx]!.add(z);
      }
    }
    neighbours[by]!.clear();
    neighbours[bx]!.delete(by);
    for (const z of neighbours[bx]!) consider(bx, z);
  }
  return members.filter((m) => m.length > 0);
}

const dayMs = 86_400_000;

/**
 * The heat index of a group:
 *
 *   heat = people × (1 + ln(1 + support)) × concentration × recency
 *
 * - people: distinct authors (one angry writer posting ten times is one person);
 * - support: likes, supporters, merged duplicates, 12345 repeats, summed over the members;
 * - concentration = 1 / (1 + ln(1 + span/30)), span in days from the first to the last message:
 *   a month-long burst keeps ~0.6 of its weight, a year-long trickle ~0.4;
 * - recency = 0.5 + 0.5 × 2^(−age/halfLife), age in days from the last message to the period's end:
 *   an issue still being raised counts fully, an old one never below half.
 */
export function heatOf(
  group: { people: number; support: number; from: number; to: number },
  periodEnd: number,
  halfLifeDays: number,
): number {
  const spanDays = Math.max(0, (group.to - group.from) / dayMs);
  const ageDays = Math.max(0, (periodEnd - group.to) / dayMs);
  const concentration = 1 / (1 + Math.log(1 + spanDays / 30));
  const recency = 0.5 + 0.5 * 2 ** (-ageDays / halfLifeDays);
  return group.people * (1 + Math.log(1 + group.support)) * concentration * recency;
}

/** The candidate pairs of `messages` with their similarity (for inspection and for checking by hand). */
export function similarPairs(messages: readonly HotMessage[], options: Partial<MiningOptions> = {}): Pair[] {
  const o = { ...defaultMiningOptions, ...options };
  const { vectors, slots } = vectoriseAll(messages, o);
  return candidatePairs(
    vectors,
    { floor: o.pairFloor, minKeyDot: o.minKeyDot, emphasis: o.placeEmphasis, minProblem: o.minProblem },
    slots,
  );
}

export interface MiningResult {
  issues: HotIssue[];
  pairs: number;
}

/** Groups `messages` into issues, hottest first; `top` limits the list. */
export function mineHotIssues(
  messages: readonly HotMessage[],
  options: Partial<MiningOptions> = {},
  top = Number.POSITIVE_INFINITY,
): MiningResult {
  const o = { ...defaultMiningOptions, ...options };
  const { vectors, slots, codes } = vectoriseAll(messages, o);
  const pairs = candidatePairs(
    vectors,
    { floor: o.pairFloor, minKeyDot: o.minKeyDot, emphasis: o.placeEmphasis, minProblem: o.minProblem },
    slots,
  );
  const groups = mergeByCentroid(
    averageLinkage(messages.length, pairs, o.linkThreshold),
    pairs,
    vectors,
    o.centroidThreshold,
    o.placeEmphasis,
    o.minProblem,
  );
  const periodEnd = o.periodEnd ?? messages.reduce((t, m) => Math.max(t, m.time), 0);
  const issues: HotIssue[] = [];
  for (const g of groups) {
    const members = g.map((i) => messages[i]!);
    const people = new Set(members.map((m) => m.author)).size;
    if (people < o.minPeople) continue;
    const from = Math.min(...members.map((m) => m.time));
    const to = Math.max(...members.map((m) => m.time));
    const support = members.reduce((s, m) => s + Math.max(0, m.support), 0);
    const { place, description } = describe(members, codes);
    issues.push({
      rank: 0,
      heat: heatOf({ people, support, from, to }, periodEnd, o.recencyHalfLifeDays),
      place,
      description,
      from,
      to,
      people,
      support,
      messageIds: members.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id)).map((m) => m.id),
    });
  }
  issues.sort((a, b) => b.heat - a.heat || b.people - a.people || a.from - b.from);
  const out = issues.slice(0, top);
  out.forEach((issue, i) => {
    issue.rank = i + 1;
    issue.heat = Math.round(issue.heat * 100) / 100;
  });
  return { issues: out, pairs: pairs.length };
}
