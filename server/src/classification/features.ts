import { type ChineseTokenizer, normaliseText } from './tokenizer.ts';

/**
 * Text → sparse TF-IDF vector, in two stages:
 *  1. `FeatureHasher.count` turns a text into hashed term counts (jieba words, word bigrams, character
 *     n-grams). It has no fitted state, so a corpus is hashed once and reused by every fold.
 *  2. `fitVectorizer` learns, from the training documents only, which hashed buckets to keep (minimum
 *     document frequency) and their IDF; `vectorize` applies TF weighting, IDF and L2 normalisation.
 * Hashing instead of a vocabulary means no string table to store or look up; collisions are rare at
 * 2^20 buckets for the few hundred thousand distinct terms of a typical training set.
 */

export interface FeatureOptions {
  /** jieba words. */
  words: boolean;
  /** Pairs of adjacent jieba words. */
  wordBigrams: boolean;
  /** Character n-grams from `charMin` to `charMax` (0 for none): robust to segmentation mistakes. */
  charMin: number;
  charMax: number;
  /**
   * Words and character n-grams of the first `prefixChars` characters again, as separate features: a
   * report usually opens with its subject (the title of a 12345 message, "井盖丢了，…"). 0 for none.
   */
  prefixChars: number;
  /** Number of hash buckets is 2^hashBits. */
  hashBits: number;
  /** Terms seen in fewer training documents than this are dropped. */
  minDf: number;
  /** 1 + ln(tf) instead of raw counts, so one repeated word cannot dominate a report. */
  sublinearTf: boolean;
}

/**
 * Measured on the 12345 set (docs/classifier-benchmarks.md): character 1–3-grams plus the opening's
 * words and n-grams score within 0.1 point of macro-F1 of adding full-text jieba words, at twice the
 * speed, because segmenting the whole text is the most expensive step of classification.
 */
export const defaultFeatureOptions: FeatureOptions = {
  words: false,
  wordBigrams: false,
  charMin: 1,
  charMax: 3,
  prefixChars: 25,
  hashBits: 20,
  minDf: 2,
  sublinearTf: true,
};

/** Hashed term counts of one document, in no particular order. */
export interface TermCounts {
  ids: Int32Array;
  counts: Float32Array;
}

/** A sparse, L2-normalised vector over a fitted vectorizer's columns. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;
const namespaceWord = 0x1b873593;
const namespaceBigram = 0x2f6b3c1d;
const namespaceChar = 0x5bd1e995;
const namespacePrefixWord = 0x68e31da4;
const namespacePrefixChar = 0x3c6ef372;

function fnv(text: string, seed: number): number {
  let h = (fnvOffset ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), fnvPrime);
  return h >>> 0;
}

/**
 * Whether a UTF-16 code unit belongs to a run of letters and digits. The common ranges are tested
 * directly and anything else once through the Unicode regex, then remembered: this runs for every
 * character of every report.
 */
const codeUnitClass = new Uint8Array(65536);
const letterOrDigit = /^[\p{L}\p{N}]$/u;
function isRunChar(code: number): boolean {
  if (code < 0x80)
    return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
  if (code >= 0x4e00 && code <= 0x9fff) return true;
  // Halves of a surrogate pair: characters outside the BMP (rare ideographs in names) are kept.
  if (code >= 0xd800 && code <= 0xdfff) return true;
  let c = codeUnitClass[code]!;
  if (c === 0) {
    c = letterOrDigit.test(String.fromCharCode(code)) ? 1 : 2;
    codeUnitClass[code] = c;
  }
  return c === 1;
}

export class FeatureHasher {
  /** Buckets are the top bits of a multiplicative hash: well mixed, and cheaper than a full finaliser. */
  private readonly shift: number;
  /**
   * Counts accumulate in a small open-addressing table (bucket → count) rather than an array of 2^hashBits:
   * a report has a few hundred distinct terms, and a table that stays in the CPU cache is several times
   * faster than scattered writes over megabytes.
   */
  private keys = new Int32Array(4096).fill(-1);
  private values = new Float32Array(4096);
  private used = new Int32Array(4096);
  private usedCount = 0;

  constructor(
    readonly options: FeatureOptions,
    private readonly tokenizer: ChineseTokenizer,
  ) {
    if (!Number.isInteger(options.hashBits) || options.hashBits < 10 || options.hashBits > 24) {
      throw new RangeError('hashBits must be an integer from 10 to 24');
    }
    this.shift = 32 - options.hashBits;
  }

  private add(hash: number): void {
    const bucket = Math.imul(hash, 0x9e3779b1) >>> this.shift;
    const keys = this.keys;
    const mask = keys.length - 1;
    let slot = bucket & mask;
    for (;;) {
      const k = keys[slot]!;
      if (k === bucket) {
        this.values[slot]! += 1;
        return;
      }
      if (k === -1) break;
      slot = (slot + 1) & mask;
    }
    keys[slot] = bucket;
    this.values[slot] = 1;
    this.used[this.usedCount++] = slot;
    if (this.usedCount * 2 > keys.length) this.grow();
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const oldUsed = this.used;
    const capacity = oldKeys.length * 2;
    this.keys = new Int32Array(capacity).fill(-1);
    this.values = new Float32Array(capacity);
    this.used = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let i = 0; i < this.usedCount; i++) {
      const from = oldUsed[i]!;
      const bucket = oldKeys[from]!;
      let slot = bucket & mask;
      while (this.keys[slot] !== -1) slot = (slot + 1) & mask;
      this.keys[slot] = bucket;
      this.values[slot] = oldValues[from]!;
      this.used[i] = slot;
    }
  }

  /** Whether `count` needs jieba at all, and on how much of the text. */
  private segmentationSpan(normalised: string): string | null {
    const o = this.options;
    if (o.words || o.wordBigrams) return normalised;
    if (o.prefixChars > 0) return normalised.slice(0, o.prefixChars);
    return null;
  }

  /** Hashed term counts of a raw text. Reuses internal buffers: not re-entrant, but nothing here awaits. */
  count(text: string): TermCounts {
    const normalised = normaliseText(text);
    const span = this.segmentationSpan(normalised);
    return this.countNormalised(normalised, span === null ? [] : this.tokenizer.segmentNormalised(span));
  }

  /** Words `count` would segment, for segmenting off the main thread and then calling `countWithWords`. */
  async segmentAsync(text: string): Promise<string[]> {
    const span = this.segmentationSpan(normaliseText(text));
    return span === null ? [] : this.tokenizer.segmentAsync(span);
  }

  countWithWords(text: string, words: readonly string[]): TermCounts {
    return this.countNormalised(normaliseText(text), words);
  }

  private countNormalised(normalised: string, words: readonly string[]): TermCounts {
    const o = this.options;
    if (o.words || o.wordBigrams) this.addWords(words);
    if (o.charMax > 0) this.addCharNgrams(normalised, normalised.length, namespaceChar);
    if (o.prefixChars > 0) {
      let length = 0;
      for (const w of words) {
        length += w.length;
        if (length > o.prefixChars) break;
        this.add(fnv(w, namespacePrefixWord));
      }
      if (o.charMax > 0)
        this.addCharNgrams(normalised, Math.min(normalised.length, o.prefixChars), namespacePrefixChar);
    }
    return this.collect();
  }

  private addWords(words: readonly string[]): void {
    let previous = 0;
    for (let i = 0; i < words.length; i++) {
      const h = fnv(words[i]!, namespaceWord);
      if (this.options.words) this.add(h);
      if (this.options.wordBigrams && i > 0) this.add(Math.imul(previous, 31) ^ h ^ namespaceBigram);
      previous = h;
    }
  }

  /**
   * Character n-grams of text[0, end) that do not straddle punctuation or spaces, hashed by a rolling FNV
   * from each start position, so no substring is ever built.
   */
  private addCharNgrams(text: string, end: number, namespace: number): void {
    const { charMin, charMax } = this.options;
    let runStart = 0;
    for (let i = 0; i <= end; i++) {
      if (i < end && isRunChar(text.charCodeAt(i))) continue;
      for (let start = runStart; start < i; start++) {
        let h = (fnvOffset ^ namespace) >>> 0;
        for (let n = 1; n <= charMax && start + n <= i; n++) {
          h = Math.imul(h ^ text.charCodeAt(start + n - 1), fnvPrime);
          if (n >= charMin) this.add(h ^ Math.imul(n, 0x27d4eb2f));
        }
      }
      runStart = i + 1;
    }
  }

  private collect(): TermCounts {
    const n = this.usedCount;
    const ids = new Int32Array(n);
    const counts = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const slot = this.used[i]!;
      ids[i] = this.keys[slot]!;
      counts[i] = this.values[slot]!;
      this.keys[slot] = -1;
    }
    this.usedCount = 0;
    return { ids, counts };
  }
}

/** Which buckets a model uses and their IDF: the fitted half of feature extraction. */
export interface Vectorizer {
  hashBits: number;
  sublinearTf: boolean;
  /** Kept buckets in column order: column i of the model is bucket `buckets[i]`. */
  buckets: Int32Array;
  idf: Float32Array;
  /** bucket → column, or -1 for a dropped bucket. */
  columnOf: Int32Array;
}

/**
 * The column order: most frequent terms (lowest IDF) first, then by bucket. Training and scoring read
 * weights by column, and Zipf's law puts most reads on the first few thousand columns, which then share
 * cache lines; in bucket order the same reads scatter over megabytes (measured 2–3× slower).
 * Returns the permutation: column → position in the given arrays.
 */
export function columnOrder(buckets: Int32Array, idf: Float32Array): Int32Array {
  const order = Int32Array.from(buckets.keys());
  return order.sort((a, b) => idf[a]! - idf[b]! || buckets[a]! - buckets[b]!);
}

/** Builds a vectorizer from buckets and IDF already in column order. */
export function buildVectorizer(
  hashBits: number,
  sublinearTf: boolean,
  buckets: Int32Array,
  idf: Float32Array,
): Vectorizer {
  const columnOf = new Int32Array(1 << hashBits).fill(-1);
  for (let i = 0; i < buckets.length; i++) columnOf[buckets[i]!] = i;
  return { hashBits, sublinearTf, buckets, idf, columnOf };
}

/** Learns the kept buckets and smoothed IDF, ln((1 + n) / (1 + df)) + 1, from training documents. */
export function fitVectorizer(
  docs: readonly TermCounts[],
  options: Pick<FeatureOptions, 'hashBits' | 'minDf' | 'sublinearTf'>,
): Vectorizer {
  const df = new Int32Array(1 << options.hashBits);
  for (const d of docs) for (let i = 0; i < d.ids.length; i++) df[d.ids[i]!]! += 1;
  const minDf = Math.max(1, options.minDf);
  let kept = 0;
  for (let b = 0; b < df.length; b++) if (df[b]! >= minDf) kept++;
  const buckets = new Int32Array(kept);
  const idf = new Float32Array(kept);
  const n = docs.length;
  let c = 0;
  for (let b = 0; b < df.length; b++) {
    if (df[b]! >= minDf) {
      buckets[c] = b;
      idf[c] = Math.log((1 + n) / (1 + df[b]!)) + 1;
      c++;
    }
  }
  const order = columnOrder(buckets, idf);
  return buildVectorizer(
    options.hashBits,
    options.sublinearTf,
    Int32Array.from(order, (i) => buckets[i]!),
    Float32Array.from(order, (i) => idf[i]!),
  );
}

/**
 * TF weighting, IDF and L2 normalisation. The entries come out sorted by column: with frequent terms
 * in the first columns, a training pass then walks the weights nearly in order (measured ~35% faster
 * than hash order).
 */
export function vectorize(v: Vectorizer, doc: TermCounts): SparseVector {
  const keys = new Float64Array(doc.ids.length);
  const stride = doc.ids.length <= 65536 ? 65536 : 2 ** Math.ceil(Math.log2(doc.ids.length));
  let nnz = 0;
  for (let i = 0; i < doc.ids.length; i++) {
    const col = v.columnOf[doc.ids[i]!]!;
    // Column and position packed in one double (exact below 2^53) so one native numeric sort orders both.
    if (col >= 0) keys[nnz++] = col * stride + i;
  }
  const sorted = keys.subarray(0, nnz).sort();
  const idx = new Int32Array(nnz);
  const val = new Float32Array(nnz);
  let norm = 0;
  for (let j = 0; j < nnz; j++) {
    const key = sorted[j]!;
    const col = Math.floor(key / stride);
    const tf = doc.counts[key - col * stride]!;
    const w = (v.sublinearTf ? 1 + Math.log(tf) : tf) * v.idf[col]!;
    idx[j] = col;
    val[j] = w;
    norm += w * w;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < nnz; j++) val[j]! *= inv;
  }
  return { idx, val };
}
