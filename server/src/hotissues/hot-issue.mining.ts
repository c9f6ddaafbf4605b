/**
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
  return markNames(text).slice(0, text.length);
}

/** `nameSpans` into a buffer reused from call to call (valid until the next call). */
let markBuffer = new Uint8Array(1024);
function markNames(text: string): Uint8Array {
  if (markBuffer.length < text.length) markBuffer = new Uint8Array(text.length * 2);
  const marks = markBuffer;
  marks.fill(0, 0, text.length);
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
 * Open-addressing table from a 32-bit gram hash to what the whole period says about the gram. One cell
 * of four int32 per gram (hash, documents holding it, documents where it sits in a name, compact id + 1
 * once the first pass is over, 0 for a gram not kept), 16 bytes aligned, so a look-up touches one cache
 * line: at 100,000 messages the table holds millions of grams and the look-ups are bound by memory.
 */
class GramTable {
  cells: Int32Array;
  size = 0;
  private shift: number;

  constructor(capacityLog2 = 16) {
    this.cells = new Int32Array(4 << capacityLog2);
    this.shift = 32 - capacityLog2;
  }

  get capacity(): number {
    return this.cells.length >> 2;
  }

  /** Counts `docs` more documents holding gram `h`, `named` of them inside a name span. */
  count(h: number, docs: number, named: number): void {
    if (this.size * 2 >= this.capacity) this.grow();
    const cells = this.cells;
    const mask = this.capacity - 1;
    let i = Math.imul(h, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const at = i << 2;
      if (cells[at + 1] === 0) {
        cells[at] = h;
        cells[at + 1] = docs;
        cells[at + 2] = named;
        this.size++;
        return;
      }
      if (cells[at] === h) {
        cells[at + 1]! += docs;
        cells[at + 2]! += named;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** The cell of gram `h`, which must have been counted. */
  find(h: number): number {
    const cells = this.cells;
    const mask = this.capacity - 1;
    let i = Math.imul(h, 0x9e3779b1) >>> this.shift;
    // An empty cell reads as hash 0: a gram whose hash is 0 must not stop there.
    while (cells[i << 2] !== h || cells[(i << 2) + 1] === 0) i = (i + 1) & mask;
    return i << 2;
  }

  private grow(): void {
    const old = this.cells;
    const log2 = 32 - this.shift + 1;
    this.cells = new Int32Array(4 << log2);
    this.shift = 32 - log2;
    this.size = 0;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 1] !== 0) this.count(old[at]!, old[at + 1]!, old[at + 2]!);
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
  const marks = markNames(text);
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
  /** Compact gram ids (0 … grams − 1), place grams first (`placeCount` of them), then problem grams. */
  grams: Int32Array;
  /** Weights, each part L2-normalised on its own. */
  weights: Float32Array;
  placeCount: number;
  /** Place grams rare enough to open candidate pairs, and their normalised weights. */
  keys: Int32Array;
  keyWeights: Float32Array;
}

/**
 * The period's messages as vectors. Messages whose title and read opening are the same text (copied
 * petitions, repeated 12345 calls) share one vector: `texts` holds one per distinct text, `textOf`
 * maps a message to it and `copies` lists each text's messages in order.
 */
interface Vectorised {
  vectors: Vector[];
  texts: Vector[];
  textOf: Int32Array;
  copies: Int32Array[];
  /** Number of compact gram ids: the grams in at least two messages and at most the share. */
  grams: number;
  /** How the period's anonymised codes were read (regions or the tails of names). */
  codes: RegionCodes;
}

/**
 * Views into a few large buffers: a month of 100,000 messages holds 200,000 vectors, and as many
 * separate typed arrays keep the garbage collector busy.
 */
class Arena {
  private i32 = new Int32Array(0);
  private f32 = new Float32Array(0);
  private i = 0;
  private f = 0;

  ints(n: number): Int32Array {
    if (this.i + n > this.i32.length) {
      this.i32 = new Int32Array(Math.max(1 << 20, n));
      this.i = 0;
    }
    this.i += n;
    return this.i32.subarray(this.i - n, this.i);
  }

  floats(n: number): Float32Array {
    if (this.f + n > this.f32.length) {
      this.f32 = new Float32Array(Math.max(1 << 20, n));
      this.f = 0;
    }
    this.f += n;
    return this.f32.subarray(this.f - n, this.f);
  }
}

/** 1 + ln(tf) for the whole counts a message's grams usually have. */
const sublinear = Float64Array.from({ length: 64 }, (_, tf) => 1 + Math.log(tf));

/** A gram is a place gram when most of its occurrences in the whole period sit inside name spans. */
const placeShare = 0.5;

/**
 * The first pass: how many messages hold each gram and how many hold it inside a name, over the
 * distinct texts (a text counts once per copy). The kept grams (in 2 to `maxDf` messages) get compact
 * ids in their cells.
 */
function countGrams(
  messages: readonly HotMessage[],
  firsts: readonly number[],
  copyLists: readonly number[][],
  maxDf: number,
  options: MiningOptions,
  codes: RegionCodes,
): { table: GramTable; grams: number } {
  // A table sized for the period from the start: growing it rehashes millions of grams.
  const table = new GramTable(Math.max(16, Math.ceil(Math.log2(Math.max(1, firsts.length) * 64))));
  const doc = new DocGrams();
  for (let t = 0; t < firsts.length; t++) {
    gramsOf(messages[firsts[t]!]!, options, codes, doc);
    const docs = copyLists[t]!.length;
    for (let k = 0; k < doc.count; k++) table.count(doc.hashes[k]!, docs, doc.names[k]! > 0 ? docs : 0);
  }
  // Compact ids for the grams that carry weight, so per-gram arrays of the pair stage stay small; the
  // most widespread grams get the lowest ids, so the entries read most often share cache lines.
  const cells = table.cells;
  const byDf = new Int32Array(maxDf + 2);
  for (let at = 0; at < cells.length; at += 4) {
    const f = cells[at + 1]!;
    if (f >= 2 && f <= maxDf) byDf[maxDf - f + 1]!++;
  }
  for (let f = 0; f <= maxDf; f++) byDf[f + 1]! += byDf[f]!;
  const grams = byDf[maxDf + 1]!;
  // The second pass looks its grams up in this same table: one cell holds the id, the documents and
  // whether the gram is a place gram, so a gram costs one cache miss (a table of the kept grams beside
  // per-id arrays of documents, place and IDF cost four).
  for (let at = 0; at < cells.length; at += 4) {
    const f = cells[at + 1]!;
    if (f < 2 || f > maxDf) continue;
    cells[at + 3] = byDf[maxDf - f]!++ + 1;
    cells[at + 2] = cells[at + 2]! >= placeShare * f ? 1 : 0;
  }
  return { table, grams };
}

/**
 * Sorts `keys[0 … n)` (distinct, below 2^bits) ascending, carrying `values` along: least significant
 * digit first, 11 bits a pass: a text's few hundred gram ids sort about twice as fast so as by
 * comparisons (a sort of 64-bit codes of id and position).
 */
const radixCounts = new Int32Array(2048);
function radixSort(
  keys: Int32Array,
  values: Int32Array,
  spareKeys: Int32Array,
  spareValues: Int32Array,
  n: number,
  bits: number,
): { keys: Int32Array; values: Int32Array } {
  const counts = radixCounts;
  let k = keys;
  let v = values;
  let k2 = spareKeys;
  let v2 = spareValues;
  for (let shift = 0; shift < bits; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(k[i]! >>> shift) & 2047]!++;
    let sum = 0;
    for (let d = 0; d < 2048; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(k[i]! >>> shift) & 2047]!++;
      k2[at] = k[i]!;
      v2[at] = v[i]!;
    }
    [k, k2] = [k2, k];
    [v, v2] = [v2, v];
  }
  return { keys: k, values: v };
}

function vectoriseAll(messages: readonly HotMessage[], options: MiningOptions): Vectorised {
  const n = messages.length;
  const codes = new RegionCodes(messages, options.bodyChars);
  const textIndex = new Map<string, number>();
  const textOf = new Int32Array(n);
  const firsts: number[] = [];
  const copyLists: number[][] = [];
  for (let i = 0; i < n; i++) {
    const m = messages[i]!;
    const key = `${m.title}\u0000${m.body.length > options.bodyChars ? m.body.slice(0, options.bodyChars) : m.body}`;
    let t = textIndex.get(key);
    if (t === undefined) {
      t = firsts.length;
      textIndex.set(key, t);
      firsts.push(i);
      copyLists.push([]);
    }
    textOf[i] = t;
    copyLists[t]!.push(i);
  }
  textIndex.clear();
  // In a small period a real issue can hold more than the share: the cap never falls below 30.
  const maxDf = Math.max(30, Math.floor(n * options.maxDocShare));
  const maxPostings = Math.min(options.maxPostings, maxDf);
  const { table, grams } = countGrams(messages, firsts, copyLists, maxDf, options, codes);
  const cells = table.cells;
  // (n + 1) / f: a gram every message shares still weighs something, so a young installation's first
  // reports, all about one problem, can be one issue (n / f made them weightless). Computed once per
  // number of documents, not once per occurrence.
  const idfByDf = new Float64Array(maxDf + 1);
  for (let f = 2; f <= maxDf; f++) idfByDf[f] = Math.log((n + 1) / f);
  // Sort keys: a place gram sorts by its id, a problem gram after every place gram.
  const sortBits = 32 - Math.clz32(Math.max(1, 2 * grams - 1));
  const doc = new DocGrams();
  const arena = new Arena();
  const texts: Vector[] = [];
  let cellsOf = new Int32Array(4096);
  const slotsOf = new Int32Array(4096);
  const weightsOf = new Float32Array(4096);
  const placeOf = new Uint8Array(4096);
  const sortKeys = new Int32Array(4096);
  const sortAt = new Int32Array(4096);
  const spareKeys = new Int32Array(4096);
  const spareAt = new Int32Array(4096);
  const keys: number[] = [];
  const keyAt: number[] = [];
  for (let t = 0; t < firsts.length; t++) {
    gramsOf(messages[firsts[t]!]!, options, codes, doc);
    keys.length = 0;
    keyAt.length = 0;
    let kept = 0;
    let placeCount = 0;
    let placeNorm = 0;
    let problemNorm = 0;
    // The look-ups first, in a loop of their own: each misses the cache, and the processor overlaps
    // the misses of a tight loop but not of one that also weighs the grams.
    if (cellsOf.length < doc.count) cellsOf = new Int32Array(doc.hashes.length);
    for (let k = 0; k < doc.count; k++) cellsOf[k] = table.find(doc.hashes[k]!);
    for (let k = 0; k < doc.count && kept < slotsOf.length; k++) {
      const at = cellsOf[k]!;
      const id = cells[at + 3]! - 1;
      if (id < 0) continue;
      const f = cells[at + 1]!;
      const isPlace = cells[at + 2] === 1;
      const tf = doc.tf[k]!;
      const w = (tf < 64 && tf === Math.floor(tf) ? sublinear[tf]! : 1 + Math.log(tf)) * idfByDf[f]!;
      if (isPlace) {
        placeNorm += w * w;
        placeCount++;
        if (f <= maxPostings && doc.names[k]! > 0) {
          keys.push(id);
          keyAt.push(kept);
        }
      } else problemNorm += w * w;
      slotsOf[kept] = id;
      weightsOf[kept] = w;
      placeOf[kept] = isPlace ? 1 : 0;
      kept++;
    }
    const ids = arena.ints(kept);
    const weights = arena.floats(kept);
    const placeInv = placeNorm > 0 ? 1 / Math.sqrt(placeNorm) : 0;
    const problemInv = problemNorm > 0 ? 1 / Math.sqrt(problemNorm) : 0;
    // Each part in the order of its ids: the pair stage then reads its dense row forwards.
    for (let k = 0; k < kept; k++) {
      sortKeys[k] = placeOf[k] ? slotsOf[k]! : grams + slotsOf[k]!;
      sortAt[k] = k;
    }
    const sorted = radixSort(sortKeys, sortAt, spareKeys, spareAt, kept, sortBits);
    for (let x = 0; x < kept; x++) {
      const k = sorted.values[x]!;
      ids[x] = slotsOf[k]!;
      weights[x] = weightsOf[k]! * (x < placeCount ? placeInv : problemInv);
    }
    texts.push({
      grams: ids,
      weights,
      placeCount,
      keys: arena.ints(keys.length),
      keyWeights: arena.floats(keys.length),
    });
    const last = texts[texts.length - 1]!;
    for (let k = 0; k < keys.length; k++) {
      last.keys[k] = keys[k]!;
      last.keyWeights[k] = weightsOf[keyAt[k]!]! * placeInv;
    }
  }
  const vectors = Array.from(textOf, (t) => texts[t]!);
  return { vectors, texts, textOf, copies: copyLists.map((c) => Int32Array.from(c)), grams, codes };
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
 * The similarity (`blend`) of each text with each of its candidates. Each comparison reads the
 * candidate's few hundred grams from memory, and at 100,000 messages there are millions of them, so
 * the order matters more than the arithmetic: the texts are compared grouped by their most widely
 * shared key (texts of one group have the same candidates, which then stay in the cache), with their
 * grams moved into one buffer in that order (a group's texts lie side by side). The vectors keep
 * their values, now views into that buffer; each similarity is the same sum in the same order.
 */
function compareCandidates(
  data: Vectorised,
  postingStart: Int32Array,
  candidateStart: Int32Array,
  candidates: Int32Array,
  similarities: Float64Array,
  emphasis: number,
  minProblem: number,
): void {
  const { texts } = data;
  const count = texts.length;
  // Each text's group: its key found in the most texts (the smaller id on a tie); texts without keys
  // last. Sorted as one number per text: group × count + text.
  const order = new Float64Array(count);
  let total = 0;
  let totalKeys = 0;
  for (let t = 0; t < count; t++) {
    const v = texts[t]!;
    total += v.grams.length;
    totalKeys += v.keys.length;
    let group = data.grams;
    let most = -1;
    for (let k = 0; k < v.keys.length; k++) {
      const key = v.keys[k]!;
      const held = postingStart[key + 1]! - postingStart[key]!;
      if (held > most || (held === most && key < group)) {
        most = held;
        group = key;
      }
    }
    order[t] = group * count + t;
  }
  order.sort();
  const ids = new Int32Array(total);
  const weights = new Float32Array(total);
  const keys = new Int32Array(totalKeys);
  const keyWeights = new Float32Array(totalKeys);
  const from = new Int32Array(count);
  const placeEnd = new Int32Array(count);
  const to = new Int32Array(count);
  let at = 0;
  let keyAt = 0;
  for (let x = 0; x < count; x++) {
    const t = order[x]! % count;
    const v = texts[t]!;
    const n = v.grams.length;
    ids.set(v.grams, at);
    weights.set(v.weights, at);
    keys.set(v.keys, keyAt);
    keyWeights.set(v.keyWeights, keyAt);
    v.grams = ids.subarray(at, at + n);
    v.weights = weights.subarray(at, at + n);
    v.keys = keys.subarray(keyAt, keyAt + v.keys.length);
    v.keyWeights = keyWeights.subarray(keyAt, keyAt + v.keys.length);
    keyAt += v.keys.length;
    from[t] = at;
    placeEnd[t] = at + v.placeCount;
    at += n;
    to[t] = at;
  }
  const dense = new Float32Array(data.grams);
  const present = new Int32Array((data.grams >>> 5) + 1);
  for (let x = 0; x < count; x++) {
    const a = order[x]! % count;
    const c0 = candidateStart[a]!;
    const c1 = candidateStart[a + 1]!;
    if (c0 === c1) continue;
    for (let k = from[a]!; k < to[a]!; k++) {
      const g = ids[k]!;
      dense[g] = weights[k]!;
      present[g >>> 5]! |= 1 << (g & 31);
    }
    for (let c = c0; c < c1; c++) {
      const b = candidates[c]!;
      const mid = placeEnd[b]!;
      const end = to[b]!;
      let placeDot = 0;
      let problemDot = 0;
      for (let k = from[b]!; k < mid; k++) placeDot += dense[ids[k]!]! * weights[k]!;
      // Most of the other's grams are not in this text: a bit per gram answers that from a table
      // small enough to stay in the cache, and only the shared grams read their weight.
      for (let k = mid; k < end; k++) {
        const g = ids[k]!;
        if (present[g >>> 5]! & (1 << (g & 31))) problemDot += dense[g]! * weights[k]!;
      }
      similarities[c] = blend(placeDot, problemDot, emphasis, minProblem);
    }
    for (let k = from[a]!; k < to[a]!; k++) {
      const g = ids[k]!;
      dense[g] = 0;
      present[g >>> 5] = 0;
    }
  }
}

/**
 * Pairs of messages that share a rare place gram, with their similarity: the geometric mean of the
 * place and problem cosines (`blend`), so that both the place and the problem must match. Pairs below
 * `floor` are dropped (they count as 0 in the linkage).
 *
 * Blocking: an inverted index from each rare place gram (a key, found in at most `maxPostings`
 * messages) to the distinct texts holding it. A text is compared in full only with the texts that
 * share keys with it whose weights already give a place similarity of `minKeyDot`; the rest of the
 * period is never looked at. Copies of one text are compared once, and their pairs are then handed to
 * every copy.
 */
export function candidatePairs(
  data: Vectorised,
  options: { floor: number; minKeyDot: number; emphasis: number; minProblem: number },
): Pair[] {
  const { floor, minKeyDot, emphasis, minProblem } = options;
  const { texts, copies } = data;
  const count = texts.length;
  // Postings (compressed rows): the texts holding each key, in order, with the key's weight in each.
  const start = new Int32Array(data.grams + 1);
  for (const v of texts) for (let k = 0; k < v.keys.length; k++) start[v.keys[k]! + 1]!++;
  for (let g = 0; g < data.grams; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, data.grams);
  const postDocs = new Int32Array(start[data.grams]!);
  const postWeights = new Float32Array(start[data.grams]!);
  for (let t = 0; t < count; t++) {
    const v = texts[t]!;
    for (let k = 0; k < v.keys.length; k++) {
      const at = fill[v.keys[k]!]!++;
      postDocs[at] = t;
      postWeights[at] = v.keyWeights[k]!;
    }
  }
  // The candidates of each text (`candidates[candidateStart[a] …]`), in the order their pairs are
  // handed on: the texts in order, each with the others in the order the postings reached them.
  const keyDot = new Float32Array(count);
  const touched: number[] = [];
  const candidateStart = new Int32Array(count + 1);
  let candidates = new Int32Array(1 << 16);
  let candidateCount = 0;
  for (let a = 0; a < count; a++) {
    const v = texts[a]!;
    // The place similarity over shared keys alone is a lower bound of the place cosine: only pairs
    // whose shared rare names already weigh `minKeyDot` get the full comparison.
    touched.length = 0;
    const selfToo = copies[a]!.length > 1;
    for (let k = 0; k < v.keys.length; k++) {
      const key = v.keys[k]!;
      const w = v.keyWeights[k]!;
      const end = start[key + 1]!;
      for (let p = start[key]!; p < end; p++) {
        const b = postDocs[p]!;
        if (b < a || (b === a && !selfToo)) continue;
        if (keyDot[b] === 0) touched.push(b);
        keyDot[b]! += w * postWeights[p]!;
      }
    }
    if (candidates.length < candidateCount + touched.length) {
      const grown = new Int32Array(Math.max(candidates.length * 2, candidateCount + touched.length));
      grown.set(candidates.subarray(0, candidateCount));
      candidates = grown;
    }
    for (const b of touched) {
      if (keyDot[b]! >= minKeyDot) candidates[candidateCount++] = b;
      keyDot[b] = 0;
    }
    candidateStart[a + 1] = candidateCount;
  }
  const similarities = new Float64Array(candidateCount);
  compareCandidates(data, start, candidateStart, candidates, similarities, emphasis, minProblem);
  // Pairs of distinct texts (first < second) and of a text with itself, with their similarity.
  const pa: number[] = [];
  const pb: number[] = [];
  const ps: number[] = [];
  for (let a = 0; a < count; a++) {
    for (let c = candidateStart[a]!; c < candidateStart[a + 1]!; c++) {
      const s = similarities[c]!;
      if (s >= floor) {
        pa.push(a);
        pb.push(candidates[c]!);
        ps.push(s);
      }
    }
  }
  // Every copy of one text with every copy of the other (and the copies of one text with each other).
  const pairs: Pair[] = [];
  for (let p = 0; p < pa.length; p++) {
    const ca = copies[pa[p]!]!;
    const cb = copies[pb[p]!]!;
    const similarity = ps[p]!;
    if (ca === cb) {
      for (let x = 0; x < ca.length; x++)
        for (let y = x + 1; y < ca.length; y++) pairs.push({ a: ca[x]!, b: ca[y]!, similarity });
      continue;
    }
    for (let x = 0; x < ca.length; x++) {
      for (let y = 0; y < cb.length; y++) {
        const i = ca[x]!;
        const j = cb[y]!;
        pairs.push(i < j ? { a: i, b: j, similarity } : { a: j, b: i, similarity });
      }
    }
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
  // Strongest first; ties (copies of one text are alike to the last bit) in the order of the messages.
  const order = [...pairs].sort((p, q) => q.similarity - p.similarity || p.a - q.a || p.b - q.b);
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

/**
 * A group's centroid: the sum of its members' vectors per part, and each part's length, so that the
 * cosine of two centroids is their dot product over the product of the lengths. Merging adds the
 * smaller group's sums into the larger's instead of summing all members again.
 */
interface Centroid {
  place: Map<number, number>;
  problem: Map<number, number>;
  placeLength: number;
  problemLength: number;
}

function lengthOf(part: Map<number, number>): number {
  let norm = 0;
  for (const w of part.values()) norm += w * w;
  return Math.sqrt(norm);
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
  return { place, problem, placeLength: lengthOf(place), problemLength: lengthOf(problem) };
}

function absorb(into: Centroid, from: Centroid): void {
  for (const [g, w] of from.place) into.place.set(g, (into.place.get(g) ?? 0) + w);
  for (const [g, w] of from.problem) into.problem.set(g, (into.problem.get(g) ?? 0) + w);
  into.placeLength = lengthOf(into.place);
  into.problemLength = lengthOf(into.problem);
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

function cosine(a: Map<number, number>, al: number, b: Map<number, number>, bl: number): number {
  return al > 0 && bl > 0 ? mapDot(a, b) / (al * bl) : 0;
}

function centroidSimilarity(a: Centroid, b: Centroid, emphasis: number, minProblem: number): number {
  return blend(
    cosine(a.place, a.placeLength, b.place, b.placeLength),
    cosine(a.problem, a.problemLength, b.problem, b.problemLength),
    emphasis,
    minProblem,
  );
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
  // Only groups joined to another by a pair can merge: the others need no centroid.
  const centroids: Array<Centroid | null> = groups.map(() => null);
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
  for (let x = 0; x < groups.length; x++)
    if (neighbours[x]!.size > 0) centroids[x] = centroidOf(groups[x]!, vectors);
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
    for (const i of members[by]!) members[bx]!.push(i);
    members[by] = [];
    absorb(centroids[bx]!, centroids[by]!);
    centroids[by] = null;
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
  return candidatePairs(vectoriseAll(messages, o), {
    floor: o.pairFloor,
    minKeyDot: o.minKeyDot,
    emphasis: o.placeEmphasis,
    minProblem: o.minProblem,
  });
}

/**
 * Every pair of messages compared directly, without the inverted index or the sharing of copies: the
 * same rule (shared rare names weighing `minKeyDot`, then `blend` ≥ `pairFloor`) over all n² pairs.
 * Quadratic: for tests on small periods, to check that the blocking misses nothing.
 */
export function allPairs(messages: readonly HotMessage[], options: Partial<MiningOptions> = {}): Pair[] {
  const o = { ...defaultMiningOptions, ...options };
  const { vectors } = vectoriseAll(messages, o);
  const weightOf = (keys: Int32Array, weights: Float32Array, key: number) => {
    for (let k = 0; k < keys.length; k++) if (keys[k] === key) return weights[k]!;
    return 0;
  };
  const dot = (u: Vector, v: Vector, from: 'place' | 'problem') => {
    let sum = 0;
    const [a0, a1] = from === 'place' ? [0, u.placeCount] : [u.placeCount, u.grams.length];
    const [b0, b1] = from === 'place' ? [0, v.placeCount] : [v.placeCount, v.grams.length];
    for (let x = a0; x < a1; x++)
      for (let y = b0; y < b1; y++) if (u.grams[x] === v.grams[y]) sum += u.weights[x]! * v.weights[y]!;
    return sum;
  };
  const out: Pair[] = [];
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      const u = vectors[i]!;
      const v = vectors[j]!;
      let keyDot = 0;
      for (let k = 0; k < u.keys.length; k++)
        keyDot += u.keyWeights[k]! * weightOf(v.keys, v.keyWeights, u.keys[k]!);
      if (keyDot < o.minKeyDot) continue;
      const s = blend(dot(u, v, 'place'), dot(u, v, 'problem'), o.placeEmphasis, o.minProblem);
      if (s >= o.pairFloor) out.push({ a: i, b: j, similarity: s });
    }
  }
  return out;
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
  const data = vectoriseAll(messages, o);
  const { vectors, codes } = data;
  const pairs = candidatePairs(data, {
    floor: o.pairFloor,
    minKeyDot: o.minKeyDot,
    emphasis: o.placeEmphasis,
    minProblem: o.minProblem,
  });
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
