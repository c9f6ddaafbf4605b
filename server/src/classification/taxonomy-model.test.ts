import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogueTsv, taxonomyKey } from './catalogue.ts';
import { augmentTaxonomy, type TaxonomyEntry, taxonomyTerms, trainTaxonomyModel } from './taxonomy-model.ts';
import { sharedDir } from './test-fixtures.ts';
import { TextClassifier } from './text-classifier.ts';

const cataloguePath = path.join(sharedDir, 'reference/gbt47678-5-catalogue.tsv');
const hasCatalogue = existsSync(cataloguePath);
if (!hasCatalogue) console.warn(`skipping the full-catalogue taxonomy test: ${cataloguePath} is absent`);

describe('parseCatalogueTsv', () => {
  it('reads entries, maps kinds to the glossary and splits keywords on |', () => {
    const entries = parseCatalogueTsv(
      'code\tkind\tmajor_class\tname\tkeywords\n' +
        '01021\t管理部件\t市政公用设施\t输油（气）井盖\t输油（气）井盖|输油气井盖\n' +
        '06020\t管理事项\t市容环境类\t焚烧垃圾、树叶\t焚烧垃圾、树叶\r\n\n',
    );
    expect(entries).toEqual([
      {
        kind: 'component',
        code: '01021',
        majorClass: '市政公用设施',
        name: '输油（气）井盖',
        keywords: ['输油（气）井盖', '输油气井盖'],
      },
      {
        kind: 'event',
        code: '06020',
        majorClass: '市容环境类',
        name: '焚烧垃圾、树叶',
        keywords: ['焚烧垃圾、树叶'],
      },
    ]);
    expect(taxonomyKey(entries[0]!)).toBe('component:01021');
  });

  it('rejects bad codes, duplicates within a kind and missing columns', () => {
    const header = 'code\tkind\tmajor_class\tname\tkeywords\n';
    expect(() => parseCatalogueTsv(`${header}6010\t管理事项\tx\t暴露垃圾\t\n`)).toThrow(
      /line 2: code "6010"/,
    );
    expect(() =>
      parseCatalogueTsv(`${header}06010\t管理事项\tx\t暴露垃圾\t\n06010\t管理事项\tx\t又一个\t\n`),
    ).toThrow(/event:06010 appears twice/);
    expect(() => parseCatalogueTsv('code\tname\n')).toThrow(/column kind is missing/);
  });

  it.skipIf(!hasCatalogue)('parses the shared catalogue: 403 rows, codes unique within kind only', () => {
    const entries = parseCatalogueTsv(readFileSync(cataloguePath, 'utf8'));
    expect(entries).toHaveLength(403);
    expect(new Set(entries.map((e) => e.kind))).toEqual(new Set(['component', 'event']));
    expect(entries.filter((e) => e.code === '01001')).toHaveLength(2);
  });
});

describe('taxonomy augmentation', () => {
  it('undoes the catalogue typography in terms', () => {
    const terms = taxonomyTerms({
      kind: 'event',
      code: '01021',
      name: '输油（气）井盖异常',
      majorClass: '',
      keywords: ['焚烧垃圾、树叶'],
    });
    expect(terms).toEqual(
      expect.arrayContaining(['输油（气）井盖异常', '输油井盖异常', '输油井盖', '焚烧垃圾', '树叶']),
    );
  });

  it('writes the same sentences for the same seed', () => {
    const entries: TaxonomyEntry[] = [
      { kind: 'event', code: '06010', name: '暴露垃圾', majorClass: '', keywords: [] },
    ];
    expect(augmentTaxonomy(entries, 5)).toEqual(augmentTaxonomy(entries, 5));
    expect(
      augmentTaxonomy(entries, 5).every((s) => s.text.includes('暴露垃圾') || s.text.includes('垃圾')),
    ).toBe(true);
  });
});

describe('trainTaxonomyModel', () => {
  const small: TaxonomyEntry[] = [
    { kind: 'event', code: '06010', name: '暴露垃圾', majorClass: '市容环境类', keywords: [] },
    { kind: 'event', code: '06028', name: '噪声扰民', majorClass: '市容环境类', keywords: [] },
    { kind: 'event', code: '09009', name: '机动车乱停放', majorClass: '街面秩序类', keywords: [] },
    { kind: 'component', code: '01037', name: '路灯', majorClass: '市政公用设施', keywords: [] },
  ];

  it('learns from confirmed labels, leaves unknown keys out and fits the temperature on them', () => {
    const labelled = [
      ...Array.from({ length: 12 }, (_, i) => ({
        label: 'event:06010',
        text: `第${i}号楼下面一堆臭烘烘的东西没人收`,
      })),
      ...Array.from({ length: 12 }, (_, i) => ({
        label: 'event:06028',
        text: `第${i}家饭馆后厨排风机轰轰响`,
      })),
      ...Array.from({ length: 12 }, (_, i) => ({ label: 'event:09009', text: `第${i}辆轿车横在路口` })),
      { label: 'event:99999', text: '不在分类里' },
    ];
    const result = trainTaxonomyModel(small, labelled, { minLabelledForCalibration: 30 });
    expect(result.skippedLabelled).toBe(1);
    expect(result.calibrated).toBe(true);
    expect(result.model.labels).toEqual(small.map((e) => taxonomyKey(e)));
    const clf = new TextClassifier(result.model);
    expect(clf.classify('后厨排风机轰轰响，吵死了').suggestions[0]!.label).toBe('event:06028');
  });

  it.skipIf(!hasCatalogue)('proposes sensible codes for everyday reports (top 3)', () => {
    const entries = parseCatalogueTsv(readFileSync(cataloguePath, 'utf8'));
    const names = new Map(entries.map((e) => [taxonomyKey(e), e.name]));
    const { model } = trainTaxonomyModel(entries);
    expect(model.labels).toHaveLength(403);
    const clf = new TextClassifier(model);
    const top3 = (text: string) => clf.classify(text, 3).suggestions.map((s) => s.label);
    const cases: [string, string[]][] = [
      ['光明胡同口堆了一堆装修垃圾好几天没人管', ['event:06011']],
      ['路灯坏了一个星期了，晚上黑漆漆的', ['component:01037', 'event:01037']],
      ['电线杆上贴满了小广告', ['event:07001']],
      ['门口有人占道经营卖水果', ['event:09006']],
      ['楼下共享单车乱停乱放堵住了路', ['event:09011', 'event:09010']],
      ['饭店油烟太大熏得人受不了', ['event:06027']],
      ['工地晚上施工噪音太大', ['event:08001', 'event:06028']],
      ['下雪后路面结冰没人清理', ['event:10001']],
      ['垃圾桶满了都溢出来了', ['event:06042']],
    ];
    for (const [text, expected] of cases) {
      const got = top3(text);
      expect(
        got.some((l) => expected.includes(l)),
        `${text} → ${got.map((l) => names.get(l)).join(', ')}`,
      ).toBe(true);
    }
    expect(names.get(top3('小区门口的井盖丢了，晚上很危险')[0]!)).toContain('井盖');
  });
});
