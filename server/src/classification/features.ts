import { type ChineseTokenizer, normaliseText, textRuns } from './tokenizer.ts';

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

export const defaultFeatureOptions: FeatureOptions = {
  words: true,
  wordBigrams: true,
  charMin: 1,
  charMax: 3,
  prefixChars: 25,
  hashBits: 20,
  minDf: 2,
  sublinearTf: true,
};

/** Hashed term counts of one document, sorted by bucket. */
export interface TermCounts {
  ids: Int32Array;
  counts: Float32Array;
}

/** A sparse, L2-normalised vector over a fitted vectorizer's columns, sorted by column. */
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

/** murmur3's finaliser: FNV's low bits are poor, and the bucket is taken from the low bits. */
function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnv(text: string, seed: number): number {
  let h = (fnvOffset ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), fnvPrime);
  return h >>> 0;
}

export class FeatureHasher {
  private readonly mask: number;
  private readonly scratch: Float32Array;
  private touched: Int32Array;
  private touchedCount = 0;

  constructor(
    readonly options: FeatureOptions,
    private readonly tokenizer: ChineseTokenizer,
  ) {
    if (!Number.isInteger(options.hashBits) || options.hashBits < 10 || options.hashBits > 24) {
      throw new RangeError('hashBits must be an integer from 10 to 24');
    }
    this.mask = (1 << options.hashBits) - 1;
    this.scratch = new Float32Array(1 << options.hashBits);
    this.touched = new Int32Array(1024);
  }

  private add(bucket: number): void {
    if (this.scratch[bucket] === 0) {
      if (this.touchedCount === this.touched.length) {
        const grown = new Int32Array(this.touched.length * 2);
        grown.set(this.touched);
        this.touched = grown;
      }
      this.touched[this.touchedCount++] = bucket;
    }
    this.scratch[bucket]! += 1;
  }

  /** Hashed term counts of a raw text. Reuses internal buffers: not re-entrant, but nothing here awaits. */
  count(text: string): TermCounts {
    const normalised = normaliseText(text);
    const o = this.options;
    const words = o.words || o.wordBigrams || o.prefixChars > 0 ? this.tokenizer.segmentNormalised(normalised) : [];
    return this.countNormalised(normalised, words);
  }

  /** The same, with words segmented elsewhere (e.g. off the main thread). */
  countWithWords(text: string, words: readonly string[]): TermCounts {
    return this.countNormalised(normaliseText(text), words);
  }

  private countNormalised(normalised: string, words: readonly string[]): TermCounts {
    const o = this.options;
    if (o.words || o.wordBigrams) this.addWords(words);
    if (o.charMax > 0) this.addCharNgrams(normalised, namespaceChar);
    if (o.prefixChars > 0) {
      let length = 0;
      for (const w of words) {
        length += w.length;
        if (length > o.prefixChars) break;
        this.add(fmix32(fnv(w, namespacePrefixWord)) & this.mask);
      }
      if (o.charMax > 0) this.addCharNgrams(normalised.slice(0, o.prefixChars), namespacePrefixChar);
    }
    return this.collect();
  }

  private addWords(words: readonly string[]): void {
    const { mask } = this;
    let previous = 0;
    for (let i = 0; i < words.length; i++) {
      const h = fnv(words[i]!, namespaceWord);
      if (this.options.words) this.add(fmix32(h) & mask);
      if (this.options.wordBigrams && i > 0) {
        this.add(fmix32(Math.imul(previous, 31) ^ h ^ namespaceBigram) & mask);
      }
      previous = h;
    }
  }

  /** Rolling FNV over each start position: every n-gram is hashed without building a substring. */
  private addCharNgrams(normalised: string, namespace: number): void {
    const { mask } = this;
    const { charMin, charMax } = this.options;
    for (const run of textRuns(normalised)) {
      for (let i = 0; i < run.length; i++) {
        let h = (fnvOffset ^ namespace) >>> 0;
        for (let n = 1; n <= charMax && i + n <= run.length; n++) {
          h = Math.imul(h ^ run.charCodeAt(i + n - 1), fnvPrime);
          if (n >= charMin) this.add(fmix32(h ^ n) & mask);
        }
      }
    }
  }

  private collect(): TermCounts {
    const ids = this.touched.slice(0, this.touchedCount).sort();
    const counts = new Float32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const b = ids[i]!;
      counts[i] = this.scratch[b]!;
      this.scratch[b] = 0;
    }
    this.touchedCount = 0;
    return { ids, counts };
  }
}

/** Which buckets a model uses and their IDF: the fitted half of feature extraction. */
export interface Vectorizer {
  hashBits: number;
  sublinearTf: boolean;
  /** Kept buckets, ascending; column i of the model is bucket `buckets[i]`. */
  buckets: Int32Array;
  idf: Float32Array;
  /** bucket → column, or -1 for a dropped bucket. */
  columnOf: Int32Array;
}

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
  return buildVectorizer(options.hashBits, options.sublinearTf, buckets, idf);
}

export function vectorize(v: Vectorizer, doc: TermCounts): SparseVector {
  let nnz = 0;
  for (let i = 0; i < doc.ids.length; i++) if (v.columnOf[doc.ids[i]!]! >= 0) nnz++;
  const idx = new Int32Array(nnz);
  const val = new Float32Array(nnz);
  let j = 0;
  let norm = 0;
  for (let i = 0; i < doc.ids.length; i++) {
    const col = v.columnOf[doc.ids[i]!]!;
    if (col < 0) continue;
    const tf = doc.counts[i]!;
    const w = (v.sublinearTf ? 1 + Math.log(tf) : tf) * v.idf[col]!;
    idx[j] = col;
    val[j] = w;
    norm += w * w;
    j++;
  }
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < nnz; i++) val[i]! *= inv;
  }
  // Buckets ascend and columns follow bucket order, so idx is already sorted.
  return { idx, val };
}
