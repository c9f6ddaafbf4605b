import { describe, expect, it } from 'vitest';
import { defaultFeatureOptions, FeatureHasher, fitVectorizer, vectorize } from './features.ts';
import { ChineseTokenizer, charNgrams, cleanUserWords, normaliseText } from './tokenizer.ts';

describe('normaliseText', () => {
  it('folds full-width forms and case, and collapses white space', () => {
    expect(normaliseText('  ＡＢＣ１２３，\t光明  胡同 ')).toBe('abc123, 光明 胡同');
  });
});

describe('ChineseTokenizer', () => {
  it('segments with the default dictionary and drops punctuation', () => {
    const words = new ChineseTokenizer().segment('光明胡同口堆了一堆装修垃圾，好几天没人管！');
    expect(words).toContain('胡同口');
    expect(words).toContain('垃圾');
    expect(words).not.toContain('，');
    expect(words).not.toContain('！');
  });

  it('keeps user words whole', () => {
    const plain = new ChineseTokenizer().segment('胡同口堆了装修垃圾');
    expect(plain).not.toContain('装修垃圾');
    const custom = new ChineseTokenizer({ userWords: ['装修垃圾'] }).segment('胡同口堆了装修垃圾');
    expect(custom).toContain('装修垃圾');
  });

  it('segments the same off the main thread', async () => {
    const t = new ChineseTokenizer({ userWords: ['雨水箅子'] });
    const text = '小区门口的雨水箅子被人偷走了，下雨积水很严重';
    expect(await t.segmentAsync(text)).toEqual(t.segment(text));
  });

  it('cleans user words: trimmed, unique, at least two characters', () => {
    expect(cleanUserWords([' 井盖 ', '井盖', '灯', '路 灯', ''])).toEqual(['井盖', '路灯']);
  });
});

describe('charNgrams', () => {
  it('yields uni-, bi- and trigrams that do not cross punctuation', () => {
    expect(charNgrams('井盖，丢了', 1, 2)).toEqual(['井', '井盖', '盖', '丢', '丢了', '了']);
    expect(charNgrams('路灯坏', 3, 3)).toEqual(['路灯坏']);
  });
});

describe('FeatureHasher and vectorize', () => {
  const tokenizer = new ChineseTokenizer();
  const options = { ...defaultFeatureOptions, hashBits: 16, minDf: 1 };

  it('gives the same counts for the same text, whatever came before', () => {
    const h = new FeatureHasher(options, tokenizer);
    const a = h.count('路灯坏了好几天');
    h.count('完全不同的一段文字，用来弄乱内部缓冲区');
    const b = h.count('路灯坏了好几天');
    const sorted = (c: typeof a) => [...c.ids].map((id, i) => `${id}:${c.counts[i]}`).sort();
    expect(sorted(b)).toEqual(sorted(a));
  });

  it('handles a very long text (thousands of distinct terms) without losing counts', () => {
    const h = new FeatureHasher(options, tokenizer);
    const chars = Array.from({ length: 6000 }, (_, i) =>
      String.fromCharCode(0x4e00 + ((i * 7919) % 20000)),
    ).join('');
    const c = h.count(chars);
    expect(c.ids.length).toBeGreaterThan(4096);
    expect([...c.counts].every((x) => Number.isFinite(x) && x >= 1)).toBe(true);
    const v = vectorize(fitVectorizer([c], options), c);
    const norm = v.val.reduce((s, x) => s + x * x, 0);
    expect(norm).toBeCloseTo(1, 5);
  });

  it('produces L2-normalised vectors sorted by column, ignoring buckets unseen in training', () => {
    const h = new FeatureHasher(options, tokenizer);
    const docs = ['井盖丢了', '井盖坏了', '路灯不亮'].map((t) => h.count(t));
    const vz = fitVectorizer(docs, { ...options, minDf: 2 });
    const v = vectorize(vz, h.count('井盖丢了，路灯不亮'));
    expect(v.idx.length).toBeGreaterThan(0);
    expect([...v.idx]).toEqual([...v.idx].sort((a, b) => a - b));
    expect(v.val.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 5);
    // Only terms in two or more training texts survive minDf = 2: 井, 盖, 井盖, 了, 井盖 in the prefix…
    expect(v.idx.length).toBeLessThan(h.count('井盖丢了，路灯不亮').ids.length);
  });
});
