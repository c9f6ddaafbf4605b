import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EvaluationReport } from './metrics.ts';

/**
 * The on-disk form of a trained classifier: one JSON document, with the large numeric arrays stored as
 * base64 of little-endian binary (Float32 weights and IDF, a bitmap of kept hash buckets) so that a
 * model of a few hundred thousand features stays a few megabytes and loads in milliseconds.
 * `formatVersion` changes when the layout does; `version` identifies one trained model.
 */

export const modelFormat = 'hutong-text-classifier';
export const modelFormatVersion = 1;

const featureOptionsSchema = z.object({
  words: z.boolean(),
  wordBigrams: z.boolean(),
  charMin: z.number().int().min(0),
  charMax: z.number().int().min(0),
  prefixChars: z.number().int().min(0),
  hashBits: z.number().int().min(10).max(24),
  minDf: z.number().int().min(1),
  sublinearTf: z.boolean(),
});

const linearOptionsSchema = z.object({
  algorithm: z.enum(['svm', 'nbsvm', 'logistic']),
  c: z.number().positive(),
  epochs: z.number().int().positive(),
  tolerance: z.number().positive(),
  classWeight: z.enum(['balanced', 'none']),
  nbBeta: z.number().min(0),
  nbAlpha: z.number().positive().optional(),
  seed: z.number().int(),
});

const classScoresSchema = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number(),
});

const cvScoresSchema = z.object({
  folds: z.number().int(),
  innerFolds: z.number().int(),
  n: z.number().int(),
  accuracy: z.number(),
  macroF1: z.number(),
  macroF1Std: z.number(),
  weightedF1: z.number(),
  ece: z.number(),
  perClass: z.array(classScoresSchema),
  confusion: z.array(z.array(z.number())),
  chosenC: z.array(z.number()),
});

export const modelFileSchema = z.object({
  format: z.literal(modelFormat),
  formatVersion: z.literal(modelFormatVersion),
  version: z.string().regex(/^[0-9A-Za-z._-]+$/u),
  createdAt: z.string(),
  /** sha256 (hex) of the training examples, see `hashLabelledTexts`. */
  dataHash: z.string().regex(/^[0-9a-f]{64}$/u),
  trainingSize: z.number().int().min(0),
  labels: z.array(z.string()).min(2),
  classCounts: z.array(z.number().int().min(0)),
  params: z.object({
    features: featureOptionsSchema,
    linear: linearOptionsSchema,
    temperature: z.number().positive(),
    cGrid: z.array(z.number().positive()),
    tokenizer: z.object({ hmm: z.boolean(), userWords: z.array(z.string()) }),
    /** An ensemble's members (absent for a single model); the weights are already their combination. */
    members: z
      .array(
        z.object({
          algorithm: z.enum(['svm', 'nbsvm', 'logistic']),
          c: z.number().positive(),
          temperature: z.number().positive(),
        }),
      )
      .optional(),
  }),
  scores: z.object({ cv: cvScoresSchema.nullable() }),
  vectorizer: z.object({
    features: z.number().int().min(0),
    /** Bitmap over 2^hashBits buckets: bit b set when bucket b is a model column. */
    bucketBitmap: z.string(),
    idf: z.string(),
  }),
  weights: z.object({
    /**
     * features × classes, feature-major, in bucket order, as int16: weight = value × scales[class].
     * 16 bits halve the file against float32 and change no prediction measurably (error ≤ 1/65534 of a
     * class's largest weight).
     */
    encoding: z.literal('int16'),
    scales: z.array(z.number().nonnegative()),
    data: z.string(),
    bias: z.array(z.number()),
  }),
});

export type ModelFile = z.infer<typeof modelFileSchema>;
export type CrossValidationScores = z.infer<typeof cvScoresSchema>;

export class ModelFileError extends Error {}

export function parseModelFile(json: string): ModelFile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new ModelFileError(`not JSON: ${(e as Error).message}`);
  }
  const parsed = modelFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelFileError(
      `not a classifier model: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  const m = parsed.data;
  const k = m.labels.length;
  if (m.weights.bias.length !== k || m.weights.scales.length !== k || m.classCounts.length !== k) {
    throw new ModelFileError('bias or class counts do not match the label set');
  }
  return m;
}

export function serialiseModelFile(model: ModelFile): string {
  return JSON.stringify(model);
}

export function encodeFloat32(values: Float32Array): string {
  const buf = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeFloatLE(values[i]!, i * 4);
  return buf.toString('base64');
}

export function decodeFloat32(base64: string, expectedLength: number): Float32Array {
  const buf = Buffer.from(base64, 'base64');
  if (buf.length !== expectedLength * 4) {
    throw new ModelFileError(`expected ${expectedLength} numbers, found ${buf.length / 4}`);
  }
  const out = new Float32Array(expectedLength);
  for (let i = 0; i < expectedLength; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

/** Per-class scaled int16 of feature-major weights. */
export function encodeInt16Weights(
  weights: Float32Array,
  classes: number,
): { scales: number[]; data: string } {
  const features = weights.length / classes;
  const scales = new Array<number>(classes).fill(0);
  for (let f = 0; f < features; f++) {
    for (let k = 0; k < classes; k++) scales[k] = Math.max(scales[k]!, Math.abs(weights[f * classes + k]!));
  }
  for (let k = 0; k < classes; k++) scales[k] = scales[k]! > 0 ? scales[k]! / 32767 : 1;
  const buf = Buffer.alloc(weights.length * 2);
  for (let i = 0; i < weights.length; i++)
    buf.writeInt16LE(Math.round(weights[i]! / scales[i % classes]!), i * 2);
  return { scales, data: buf.toString('base64') };
}

export function decodeInt16Weights(
  data: string,
  scales: readonly number[],
  expectedLength: number,
): Float32Array {
  const buf = Buffer.from(data, 'base64');
  if (buf.length !== expectedLength * 2)
    throw new ModelFileError(`expected ${expectedLength} weights, found ${buf.length / 2}`);
  const classes = scales.length;
  const out = new Float32Array(expectedLength);
  for (let i = 0; i < expectedLength; i++) out[i] = buf.readInt16LE(i * 2) * scales[i % classes]!;
  return out;
}

export function encodeBucketBitmap(buckets: Int32Array, hashBits: number): string {
  const bits = Buffer.alloc((1 << hashBits) >>> 3);
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    bits[b >>> 3]! |= 1 << (b & 7);
  }
  return bits.toString('base64');
}

export function decodeBucketBitmap(base64: string, hashBits: number): Int32Array {
  const bits = Buffer.from(base64, 'base64');
  if (bits.length !== (1 << hashBits) >>> 3) throw new ModelFileError('bucket bitmap has the wrong size');
  const out: number[] = [];
  for (let byte = 0; byte < bits.length; byte++) {
    const v = bits[byte]!;
    if (v === 0) continue;
    for (let bit = 0; bit < 8; bit++) if (v & (1 << bit)) out.push(byte * 8 + bit);
  }
  return Int32Array.from(out);
}

/**
 * `20261122T101500Z-1a2b3c4d`: sorts by time, and the suffix (a hash of data, parameters and weights)
 * tells two models trained in the same second apart.
 */
export function makeVersionId(createdAt: Date, fingerprint: string): string {
  const stamp = createdAt
    .toISOString()
    .replace(/[-:]/gu, '')
    .replace(/\.\d+Z$/u, 'Z');
  const suffix = createHash('sha256').update(fingerprint).digest('hex').slice(0, 8);
  return `${stamp}-${suffix}`;
}

/** The cross-validation report as stored in a model file. */
export function cvScoresFrom(
  report: EvaluationReport,
  extra: { folds: number; innerFolds: number; macroF1Std: number; ece: number; chosenC: number[] },
): CrossValidationScores {
  return {
    folds: extra.folds,
    innerFolds: extra.innerFolds,
    n: report.n,
    accuracy: report.accuracy,
    macroF1: report.macroF1,
    macroF1Std: extra.macroF1Std,
    weightedF1: report.weightedF1,
    ece: extra.ece,
    perClass: report.perClass,
    confusion: report.confusion,
    chosenC: extra.chosenC,
  };
}
