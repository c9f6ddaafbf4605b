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

  constructor(readonly model: ModelFile) {
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
  }

  /**
   * TF weighting, IDF, L2 norm and the dot product in one pass over the hashed counts: the norm is a
   * common factor, so it is applied to the accumulated scores instead of to every feature.
   */
  private scoreCounts(counts: TermCounts): Float64Array {
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
