import { fitTemperature } from './calibration.ts';
import { type CatalogueEntry, taxonomyKey } from './catalogue.ts';
import type { LabelledText } from './dataset.ts';
import { FeatureHasher } from './features.ts';
import { defaultLinearOptions } from './linear-model.ts';
import { createRng, deriveSeed, type Rng } from './prng.ts';
import { ChineseTokenizer, cleanUserWords } from './tokenizer.ts';
import {
  buildCorpus,
  defaultTrainingOptions,
  fitAndScore,
  type ProgressListener,
  stratifiedFolds,
  type TrainedClassifier,
  type TrainingOptions,
  trainClassifier,
} from './training.ts';

/**
 * A first model for a district that has no confirmed labels yet: every taxonomy entry becomes a label
 * (`kind:code`), and short report-like sentences are written around its name and keywords
 * ("胡同口的暴露垃圾好几天没人管"). Confirmed labels from dispatchers are added as they come, and once
 * there are enough of them they also set the temperature, so the confidence shown is measured rather
 * than assumed.
 */

export type TaxonomyEntry = Pick<CatalogueEntry, 'kind' | 'code' | 'name' | 'majorClass' | 'keywords'>;

export interface TaxonomyModelOptions {
  seed?: number;
  /** Everyday words for catalogue terms, see `defaultSynonyms`; replaces them when given. */
  synonyms?: Readonly<Record<string, readonly string[]>>;
  /** Sentences written per name or keyword (default 5: more did not change the top 3 of the test sentences). */
  sentencesPerTerm?: number;
  /** Overrides of the training options (features, linear model). */
  training?: Partial<TrainingOptions>;
  /** Confirmed labels needed before the temperature is fitted on them rather than taken as `fallbackTemperature`. */
  minLabelledForCalibration?: number;
  now?: Date;
  onProgress?: ProgressListener;
}

export interface TaxonomyModel extends TrainedClassifier {
  /** Confirmed labels whose key is not in the taxonomy (a code since removed), left out. */
  skippedLabelled: number;
  /** Whether the temperature was fitted on held-out confirmed labels. */
  calibrated: boolean;
}

/**
 * Short texts are what templates produce, so whole words (with the taxonomy's own terms added to the
 * dictionary) and character unigrams/bigrams carry the signal (trigrams nearly tripled the model for the
 * same top 3); the opening of a templated sentence is a place name, so no prefix features.
 */
export const taxonomyTrainingOptions: TrainingOptions = {
  ...defaultTrainingOptions,
  features: {
    words: true,
    wordBigrams: false,
    charMin: 1,
    charMax: 2,
    prefixChars: 0,
    hashBits: 18,
    minDf: 1,
    sublinearTf: true,
  },
  linear: { ...defaultLinearOptions, algorithm: 'svm', c: 1 },
  cGrid: [],
  folds: 0,
  innerFolds: 0,
  // Margins of a one-vs-rest SVM over hundreds of classes lie within about ±1; dividing by 0.1 gives a
  // clear winner a high probability. An assumption until confirmed labels can measure it.
  fallbackTemperature: 0.1,
};

const places = [
  '胡同口',
  '小区门口',
  '路边',
  '街道两侧',
  '公园里',
  '居民楼下',
  '十字路口',
  '学校附近',
  '菜市场旁边',
  '公交站旁',
];

const componentTemplates = [
  '{place}的{term}坏了',
  '{term}破损严重',
  '{place}{term}丢失了',
  '{term}缺失，存在安全隐患',
  '发现{place}{term}损坏，请尽快维修',
  '{place}有个{term}出问题了',
  '{term}',
  '反映{term}问题',
];

const eventTemplates = [
  '{place}{term}',
  '{place}有{term}的情况',
  '{term}问题严重，好几天没人管',
  '反映{place}{term}，请处理',
  '{place}存在{term}现象，影响居民生活',
  '{term}',
  '{place}长期{term}',
  '举报{term}',
];

/**
 * Residents do not write the catalogue's words: they write 噪音 for 噪声, 装修垃圾 for 渣土. An entry
 * whose name or keywords contain a key here also gets the listed words as terms. A language resource,
 * not part of the taxonomy: a district can pass its own.
 */
export const defaultSynonyms: Readonly<Record<string, readonly string[]>> = {
  垃圾渣土: ['建筑垃圾', '装修垃圾', '碎砖头'],
  暴露垃圾: ['垃圾没人清理', '乱扔垃圾'],
  乱堆: ['堆放', '堆了一堆'],
  噪声: ['噪音', '太吵'],
  扰民: ['噪音', '吵得睡不着'],
  小广告: ['牛皮癣', '乱贴广告'],
  井盖: ['下水道盖子'],
  占道经营: ['摆摊', '小摊贩'],
  无照经营游商: ['流动摊贩', '小贩'],
  机动车乱停放: ['乱停车', '汽车乱停'],
  非机动车乱停放: ['电动车乱停', '自行车乱停'],
  私搭乱建: ['违建', '违章建筑'],
  道路破损: ['路面坑洼', '路面塌陷'],
  油烟: ['油烟味'],
  焚烧: ['烧'],
  满溢: ['满了', '溢出来'],
};

function synonymTerms(
  terms: readonly string[],
  synonyms: Readonly<Record<string, readonly string[]>>,
): string[] {
  const out: string[] = [];
  for (const [key, words] of Object.entries(synonyms)) {
    if (terms.some((t) => t.includes(key))) out.push(...words);
  }
  return out;
}

/** Names and keywords with the catalogue's typography undone: 道路遗撒（洒） → 道路遗撒, 焚烧垃圾、树叶 → 焚烧垃圾 and 树叶. */
export function taxonomyTerms(entry: TaxonomyEntry): string[] {
  const terms = new Set<string>();
  const addVariants = (raw: string) => {
    const t = raw.trim();
    if (t === '') return;
    terms.add(t);
    const withoutBrackets = t.replace(/[（(][^）)]*[）)]/gu, '');
    if (withoutBrackets !== '') terms.add(withoutBrackets);
    // 部件-derived 事项 are named "<component>异常"; residents write the component, not the suffix.
    if (withoutBrackets.endsWith('异常') && withoutBrackets.length > 3)
      terms.add(withoutBrackets.slice(0, -2));
    const parts = withoutBrackets.split(/[、，,/]/u).filter((p) => p.length >= 2);
    if (parts.length > 1) for (const p of parts) terms.add(p);
  };
  addVariants(entry.name);
  for (const k of entry.keywords) addVariants(k);
  return [...terms];
}

function pick<T>(items: readonly T[], rng: Rng): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** Report-like sentences for every entry, labelled with its taxonomy key. Deterministic for a seed. */
export function augmentTaxonomy(
  entries: readonly TaxonomyEntry[],
  seed: number,
  sentencesPerTerm = 5,
  synonyms: Readonly<Record<string, readonly string[]>> = defaultSynonyms,
): LabelledText[] {
  const out: LabelledText[] = [];
  entries.forEach((entry, e) => {
    const rng = createRng(deriveSeed(seed, e));
    const label = taxonomyKey(entry);
    const templates = entry.kind === 'component' ? componentTemplates : eventTemplates;
    const terms = taxonomyTerms(entry);
    let t = 0;
    for (const term of new Set([...terms, ...synonymTerms(terms, synonyms)])) {
      // Rotating the starting template spreads all templates over an entry's terms.
      for (let i = 0; i < sentencesPerTerm; i++) {
        const template = templates[(t + i) % templates.length]!;
        out.push({ label, text: template.replace('{place}', pick(places, rng)).replace('{term}', term) });
      }
      t++;
    }
  });
  return out;
}

export function trainTaxonomyModel(
  entries: readonly TaxonomyEntry[],
  labelled: readonly LabelledText[] = [],
  options: TaxonomyModelOptions = {},
): TaxonomyModel {
  const seed = options.seed ?? 42;
  const training: TrainingOptions = {
    ...taxonomyTrainingOptions,
    ...options.training,
    seed,
    userWords: cleanUserWords([
      ...(options.training?.userWords ?? []),
      ...entries.flatMap((e) => taxonomyTerms(e)),
      ...Object.values(options.synonyms ?? defaultSynonyms).flat(),
    ]),
  };
  const labels = entries.map((e) => taxonomyKey(e));
  const known = new Set(labels);
  const confirmed = labelled.filter((l) => known.has(l.label));
  const generated = augmentTaxonomy(
    entries,
    seed,
    options.sentencesPerTerm ?? 5,
    options.synonyms ?? defaultSynonyms,
  );
  const samples = [...generated, ...confirmed];

  let calibrated = false;
  const minLabelled = options.minLabelledForCalibration ?? 200;
  if (confirmed.length >= minLabelled) {
    training.fallbackTemperature = temperatureOnConfirmed(generated, confirmed, labels, training);
    calibrated = true;
  }
  const trained = trainClassifier(samples, training, {
    labels,
    now: options.now,
    onProgress: options.onProgress,
  });
  return { ...trained, skippedLabelled: labelled.length - confirmed.length, calibrated };
}

/**
 * Templated sentences are too easy to calibrate on (each class's templates are alike), so the temperature
 * is fitted on confirmed labels only: k-fold over them, with all templated sentences always on the
 * training side.
 */
function temperatureOnConfirmed(
  generated: readonly LabelledText[],
  confirmed: readonly LabelledText[],
  labels: readonly string[],
  options: TrainingOptions,
): number {
  const hasher = new FeatureHasher(
    options.features,
    new ChineseTokenizer({ userWords: options.userWords, hmm: options.hmm }),
  );
  const corpus = buildCorpus([...generated, ...confirmed], hasher, labels);
  const offset = generated.length;
  const confirmedIdx = confirmed.map((_, i) => offset + i);
  const folds = 5;
  const fold = stratifiedFolds(corpus.y, confirmedIdx, folds, deriveSeed(options.seed, 4));
  const k = labels.length;
  const scores = new Float64Array(confirmed.length * k);
  const c = options.cGrid[0] ?? options.linear.c;
  for (let f = 0; f < folds; f++) {
    const test = confirmedIdx.filter((_, p) => fold[p] === f);
    if (test.length === 0) continue;
    const train = [
      ...Array.from({ length: offset }, (_, i) => i),
      ...confirmedIdx.filter((_, p) => fold[p] !== f),
    ];
    const s = fitAndScore(corpus, train, test, options, c);
    test.forEach((sample, r) => {
      scores.set(s.subarray(r * k, (r + 1) * k), (sample - offset) * k);
    });
  }
  return fitTemperature(
    scores,
    Int32Array.from(confirmedIdx, (i) => corpus.y[i]!),
    k,
  );
}
