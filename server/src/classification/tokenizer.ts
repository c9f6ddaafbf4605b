import { createHash } from 'node:crypto';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Word segmentation for report text. jieba's default dictionary does not know the taxonomy's own terms
 * (装修垃圾, 雨水箅子, 非机动车乱停放…), so a model can carry "user words" that are added to the dictionary
 * and kept whole by the segmenter.
 */

/**
 * Full-width letters, digits and punctuation (common in text typed on phones) become their ASCII
 * forms, Latin letters are lower-cased and runs of white space collapse, so that "ＡＢＣ１２" and
 * "abc12" give the same features.
 */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

const meaningful = /[\p{L}\p{N}]/u;
const separators = /[^\p{L}\p{N}]+/u;

/** Runs of letters and digits: character n-grams must not straddle punctuation or spaces. */
export function textRuns(normalised: string): string[] {
  return normalised.split(separators).filter((r) => r.length > 0);
}

/** jieba's frequency for user words: high enough to win over splitting them, not so high that it eats neighbours. */
const userWordFrequency = 2000;

/** Cleans a list of user words: trimmed, without spaces (the dictionary format is space separated), 2+ characters, unique, sorted. */
export function cleanUserWords(words: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const w of words) {
    const t = normaliseText(w).replace(/\s+/gu, '');
    if ([...t].length >= 2 && meaningful.test(t)) out.add(t);
  }
  return [...out].sort();
}

/**
 * Loading the default dictionary costs about 0.2 s, and user words can only be added to an instance,
 * never removed; so instances are shared between tokenizers with the same user words.
 */
const jiebaCache = new Map<string, Jieba>();
const jiebaCacheLimit = 4;

function jiebaFor(userWords: string[]): Jieba {
  const key = createHash('sha256').update(userWords.join('\n')).digest('hex');
  const cached = jiebaCache.get(key);
  if (cached) {
    jiebaCache.delete(key);
    jiebaCache.set(key, cached);
    return cached;
  }
  const jieba = Jieba.withDict(dict);
  if (userWords.length > 0) {
    jieba.loadDict(Buffer.from(userWords.map((w) => `${w} ${userWordFrequency}`).join('\n'), 'utf8'));
  }
  jiebaCache.set(key, jieba);
  if (jiebaCache.size > jiebaCacheLimit) {
    const oldest = jiebaCache.keys().next().value;
    if (oldest !== undefined) jiebaCache.delete(oldest);
  }
  return jieba;
}

export interface TokenizerOptions {
  /** Extra dictionary words (taxonomy names and keywords). */
  userWords?: Iterable<string>;
  /** jieba's HMM guesses words missing from the dictionary; off by default, measured slightly better off. */
  hmm?: boolean;
}

export class ChineseTokenizer {
  readonly userWords: readonly string[];
  readonly hmm: boolean;
  private readonly jieba: Jieba;

  constructor(options: TokenizerOptions = {}) {
    this.userWords = cleanUserWords(options.userWords ?? []);
    this.hmm = options.hmm ?? false;
    this.jieba = jiebaFor([...this.userWords]);
  }

  /** Words of already normalised text, without punctuation or white space. */
  segmentNormalised(normalised: string): string[] {
    return this.jieba.cut(normalised, this.hmm).filter((w) => meaningful.test(w));
  }

  /** Words of raw text. */
  segment(text: string): string[] {
    return this.segmentNormalised(normaliseText(text));
  }

  /** The same as `segment` off the main thread, for long texts in a server. */
  async segmentAsync(text: string): Promise<string[]> {
    const words = (await this.jieba.cutAsync(normaliseText(text), this.hmm)) as string[];
    return words.filter((w) => meaningful.test(w));
  }
}

/** Character n-grams (by UTF-16 code unit: report text is almost all in the BMP) of each run, for display and tests. */
export function charNgrams(text: string, min: number, max: number): string[] {
  const out: string[] = [];
  for (const run of textRuns(normaliseText(text))) {
    for (let i = 0; i < run.length; i++) {
      for (let n = min; n <= max && i + n <= run.length; n++) out.push(run.slice(i, i + n));
    }
  }
  return out;
}
