import { softmaxInto } from './calibration.ts';
import { buildVectorizer, columnOrder, FeatureHasher, type TermCounts, type Vectorizer } from './features.ts';
import {
  decodeBucketBitmap,
  decodeFloat32,
  decodeInt16Weights,
  type ModelFile,
  ModelFileError,
} from './model-file.ts';
import { ChineseTokenizer } from './tokenizer.ts';

/** Texts up to this long are segmented on the calling thread (a few microseconds at most). */
const inlineSegmentationChars = 300;

/** Up to this many labels a model scores through a bucket table: a row must stay within a cache line's reach. */
const MAX_TABLE_LABELS = 15;

/** 1 + ln(tf) for the term counts a report actually has. */
const SUBLINEAR = Float64Array.from({ length: 64 }, (_, tf) => (tf === 0 ? 0 : 1 + Math.log(tf)));

/**
 * The model laid out by hash bucket for scoring: each bucket's row is one byte of quantised IDF (0 for a
 * bucket the model dropped) and one int8 weight per label, weight × IDF, scaled per label. A term then
 * costs one read of a few adjacent bytes, where the column layout needs a 4-byte bucket → column read
 * and a 28-byte weight read far apart; and the table is a quarter of the float weights' size.
 */
interface BucketTable {
  /** Bytes per row: 1 + labels, rounded up to whole 32-bit words so a row can be copied by words. */
  stride: number;
  rows: Int8Array;
  /** The same bytes as 32-bit words, for copying rows. */
  words: Int32Array;
  /** The same bytes unsigned: byte 0 of each row is the IDF, in steps of `idfScale`. */
  idfOf: Uint8Array;
  idfScale: number;
  weightScale: Float64Array;
}

function buildBucketTable(v: Vectorizer, weights: Float32Array, k: number): BucketTable {
  const stride = (k + 1 + 3) & ~3;
  const rows = new Int8Array((1 << v.hashBits) * stride);
  const words = new Int32Array(rows.buffer);
  const idfOf = new Uint8Array(rows.buffer);
  let maxIdf = 0;
  for (let col = 0; col < v.idf.length; col++) maxIdf = Math.max(maxIdf, v.idf[col]!);
  const idfScale = maxIdf > 0 ? maxIdf / 255 : 1;
  const weightScale = new Float64Array(k);
  for (let col = 0; col < v.idf.length; col++) {
    for (let j = 0; j < k; j++) {
      weightScale[j] = Math.max(weightScale[j]!, Math.abs(weights[col * k + j]! * v.idf[col]!));
    }
  }
  for (let j = 0; j < k; j++) weightScale[j] = weightScale[j]! > 0 ? weightScale[j]! / 127 : 1;
  for (let col = 0; col < v.buckets.length; col++) {
    const base = v.buckets[col]! * stride;
    // Every kept bucket needs a non-zero IDF byte: zero marks a dropped one.
    idfOf[base] = Math.max(1, Math.round(v.idf[col]! / idfScale));
    for (let j = 0; j < k; j++) {
      rows[base + 1 + j] = Math.round((weights[col * k + j]! * v.idf[col]!) / weightScale[j]!);
    }
  }
  return { stride, rows, words, idfOf, idfScale, weightScale };
}

/** One proposed taxonomy key with its calibrated probability. */
export interface Suggestion {
  label: string;
  probability: number;
}

export interface Classification {
  modelVersion: string;
  suggestions: Suggestion[];
}

/**
 * A loaded model, ready to classify. Immutable once built, so a reference taken by a request stays
 * valid and consistent even if the registry activates another model meanwhile.
 */
export class TextClassifier {
  readonly version: string;
  readonly labels: readonly string[];
  readonly temperature: number;
  private readonly tokenizer: ChineseTokenizer;
  private readonly hasher: FeatureHasher;
  private readonly vectorizer: Vectorizer;
  private readonly weights: Float32Array;
  private readonly bias: Float32Array;
  private readonly scores: Float64Array;
  /** The compact form used for scoring when there are few labels (see `BucketTable`); null otherwise. */
  private readonly table: BucketTable | null;

  /** Rows of the table copied for the message being scored (see `scoreWithTable`), grown on demand. */
  private gathered = new Int32Array(4096);
  private gatheredBytes = new Int8Array(this.gathered.buffer);
  private gatheredIdf = new Uint8Array(this.gathered.buffer);
  /** Score through the table in one pass, as before rows were copied first: kept to measure against. */
  private readonly onePass: boolean;

  /**
   * `layout: 'columns'` keeps the float column layout for any number of labels: the reference the
   * bucket table is measured against. `layout: 'table-one-pass'` scores through the table in a single
   * pass over the terms, the earlier form of the table scorer (same results, kept for the benchmark).
   */
  constructor(
    readonly model: ModelFile,
    options: { layout?: 'auto' | 'columns' | 'table-one-pass' } = {},
  ) {
    const { params } = model;
    const k = model.labels.length;
    const buckets = decodeBucketBitmap(model.vectorizer.bucketBitmap, params.features.hashBits);
    if (buckets.length !== model.vectorizer.features)
      throw new ModelFileError('bucket bitmap and feature count differ');
    const idf = decodeFloat32(model.vectorizer.idf, buckets.length);
    const stored = decodeInt16Weights(model.weights.data, model.weights.scales, buckets.length * k);
    // The file is in bucket order; scoring is faster with frequent terms first (see columnOrder).
    const order = columnOrder(buckets, idf);
    this.vectorizer = buildVectorizer(
      params.features.hashBits,
      params.features.sublinearTf,
      Int32Array.from(order, (i) => buckets[i]!),
      Float32Array.from(order, (i) => idf[i]!),
    );
    this.weights = new Float32Array(stored.length);
    order.forEach((from, col) => {
      this.weights.set(stored.subarray(from * k, (from + 1) * k), col * k);
    });
    this.bias = Float32Array.from(model.weights.bias);
    this.version = model.version;
    this.labels = model.labels;
    this.temperature = params.temperature;
    this.tokenizer = new ChineseTokenizer({
      userWords: params.tokenizer.userWords,
      hmm: params.tokenizer.hmm,
    });
    this.hasher = new FeatureHasher(params.features, this.tokenizer);
    this.scores = new Float64Array(k);
    this.table =
      options.layout !== 'columns' && k <= MAX_TABLE_LABELS
        ? buildBucketTable(this.vectorizer, this.weights, k)
        : null;
    this.onePass = options.layout === 'table-one-pass';
  }

  /**
   * TF weighting, IDF, L2 norm and the dot product in one pass over the hashed counts: the norm is a
   * common factor, so it is applied to the accumulated scores instead of to every feature.
   */
  private scoreCounts(counts: TermCounts): Float64Array {
    if (this.table) {
      return this.onePass
        ? this.scoreWithTableOnePass(counts, this.table)
        : this.scoreWithTable(counts, this.table);
    }
    const k = this.labels.length;
    const s = this.scores;
    s.fill(0);
    const { columnOf, idf, sublinearTf } = this.vectorizer;
    const w = this.weights;
    let norm = 0;
    for (let i = 0; i < counts.ids.length; i++) {
      const col = columnOf[counts.ids[i]!]!;
      if (col < 0) continue;
      const tf = counts.counts[i]!;
      const v = (sublinearTf ? 1 + Math.log(tf) : tf) * idf[col]!;
      norm += v * v;
      const base = col * k;
      for (let c = 0; c < k; c++) s[c]! += w[base + c]! * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < k; c++) s[c] = s[c]! * inv + this.bias[c]!;
    return s;
  }

  /**
   * The same through the bucket table: one small row per term, with int8 weights that already carry
   * the IDF. Measured to agree with the float path on the predicted label for all but a handful in ten
   * thousand messages (docs/benchmarks.md).
   *
   * The table (8 MB for 2^20 buckets) does not fit in the cache, so each term's row is a wait on
   * memory. A first loop only copies the message's rows into a small buffer: its reads do not depend on
   * each other, so the processor keeps many of them in flight. The second loop then computes from the
   * buffer, in the same order and with the same arithmetic as scoring straight from the table.
   */
  private scoreWithTable(counts: TermCounts, t: BucketTable): Float64Array {
    const k = this.labels.length;
    const s = this.scores;
    s.fill(0);
    const n = counts.ids.length;
    const perRow = t.stride >> 2;
    if (this.gathered.length < n * perRow) {
      this.gathered = new Int32Array(n * perRow * 2);
      this.gatheredBytes = new Int8Array(this.gathered.buffer);
      this.gatheredIdf = new Uint8Array(this.gathered.buffer);
    }
    const g = this.gathered;
    const words = t.words;
    const ids = counts.ids;
    if (perRow === 2) {
      for (let i = 0; i < n; i++) {
        const from = ids[i]! << 1;
        g[i << 1] = words[from]!;
        g[(i << 1) + 1] = words[from + 1]!;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const from = ids[i]! * perRow;
        for (let w = 0; w < perRow; w++) g[i * perRow + w] = words[from + w]!;
      }
    }
    const rows = this.gatheredBytes;
    const idfOf = this.gatheredIdf;
    const stride = t.stride;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      const base = i * stride;
      const q = idfOf[base]!;
      if (q === 0) continue;
      const c = counts.counts[i]!;
      const tf = c < SUBLINEAR.length ? SUBLINEAR[c]! : 1 + Math.log(c);
      const v = tf * q;
      norm += v * v;
      for (let j = 0; j < k; j++) s[j]! += tf * rows[base + 1 + j]!;
    }
    const inv = norm > 0 ? 1 / (Math.sqrt(norm) * t.idfScale) : 0;
    for (let j = 0; j < k; j++) s[j] = s[j]! * t.weightScale[j]! * inv + this.bias[j]!;
    return s;
  }

  /** The table scorer before rows were copied first (`layout: 'table-one-pass'`): reads each row in place. */
  private scoreWithTableOnePass(counts: TermCounts, t: BucketTable): Float64Array {
    const k = this.labels.length;
    const s = this.scores;
    s.fill(0);
    const { rows, idfOf, stride } = t;
    let norm = 0;
    for (let i = 0; i < counts.ids.length; i++) {
      const base = counts.ids[i]! * stride;
      const q = idfOf[base]!;
      if (q === 0) continue;
      const c = counts.counts[i]!;
      const tf = c < SUBLINEAR.length ? SUBLINEAR[c]! : 1 + Math.log(c);
      const v = tf * q;
      norm += v * v;
      for (let j = 0; j < k; j++) s[j]! += tf * rows[base + 1 + j]!;
    }
    const inv = norm > 0 ? 1 / (Math.sqrt(norm) * t.idfScale) : 0;
    for (let j = 0; j < k; j++) s[j] = s[j]! * t.weightScale[j]! * inv + this.bias[j]!;
    return s;
  }

  /** Raw scores (margins) per label, a fresh array. */
  rawScores(text: string): Float64Array {
    return Float64Array.from(this.scoreCounts(this.hasher.count(text)));
  }

  /** Calibrated probability of every label, in `labels` order. */
  probabilities(text: string): Float64Array {
    return this.toProbabilities(this.hasher.count(text));
  }

  private toProbabilities(counts: TermCounts): Float64Array {
    const out = new Float64Array(this.labels.length);
    return softmaxInto(this.scoreCounts(counts), this.temperature, out);
  }

  /** The `k` most likely labels, most likely first; ties keep label order. */
  classify(text: string, k = 3): Classification {
    return this.topK(this.probabilities(text), k);
  }

  /**
   * The same, with word segmentation on libuv's thread pool so a long text does not block the server.
   * A short text (most reports) is segmented in place: handing it to the pool and back costs more
   * than segmenting it.
   */
  async classifyAsync(text: string, k = 3): Promise<Classification> {
    if (text.length <= inlineSegmentationChars) return this.classify(text, k);
    const words = await this.hasher.segmentAsync(text);
    return this.topK(this.toProbabilities(this.hasher.countWithWords(text, words)), k);
  }

  private topK(p: Float64Array, k: number): Classification {
    // Selection, not a sort: k is a handful and there may be hundreds of labels.
    const n = Math.max(1, Math.min(k, p.length));
    const top: number[] = [];
    for (let i = 0; i < p.length; i++) {
      if (top.length === n) {
        if (p[i]! <= p[top[n - 1]!]!) continue;
        top.pop();
      }
      // Ties keep label order: an equal probability stays after the earlier label.
      let at = top.length;
      while (at > 0 && p[i]! > p[top[at - 1]!]!) at--;
      top.splice(at, 0, i);
    }
    const suggestions = top.map((i) => ({ label: this.labels[i]!, probability: p[i]! }));
    return { modelVersion: this.version, suggestions };
  }
}
