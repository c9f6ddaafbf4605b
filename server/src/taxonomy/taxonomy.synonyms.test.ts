import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { parseSynonyms, withSynonyms } from './taxonomy.synonyms.ts';

const CATALOGUE = [
  'code\tkind\tmajor_class\tname\tkeywords',
  '06001\t管理事项\t市容环境类\t私搭乱建\t私搭乱建',
  '03005\t管理部件\t市容环卫设施\t垃圾箱\t垃圾箱',
  '03005\t管理事项\t市容环卫设施类\t垃圾箱异常\t垃圾箱异常|垃圾箱',
  '',
].join('\n');

describe('synonyms in the default catalogue', () => {
  it('appends each entry its synonyms once, matched by kind and code', () => {
    const synonyms = parseSynonyms(
      'key\tsynonyms\nevent:06001\t违法建设|违建|私搭乱建\nevent:03005\t垃圾桶坏了\n\n',
    );
    expect(synonyms.get('event:06001')).toEqual(['违法建设', '违建', '私搭乱建']);
    const lines = withSynonyms(CATALOGUE, synonyms).split('\n');
    expect(lines[1]).toBe('06001\t管理事项\t市容环境类\t私搭乱建\t私搭乱建|违法建设|违建');
    // The component of the same code is another entry and keeps its own keywords.
    expect(lines[2]).toBe(CATALOGUE.split('\n')[2]);
    expect(lines[3]).toBe('03005\t管理事项\t市容环卫设施类\t垃圾箱异常\t垃圾箱异常|垃圾箱|垃圾桶坏了');
    expect(lines[4]).toBe('');
  });
});

describe('searching the seeded taxonomy', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  const search = async (q: string) =>
    (
      (await env.app.inject({ method: 'GET', url: `/api/taxonomy?q=${encodeURIComponent(q)}` })).json() as {
        items: { key: string; keywords: string[] }[];
      }
    ).items.map((e) => e.key);

  it('finds 私搭乱建 by 违法建设, and 非法小广告 by 小广告', async () => {
    expect(await search('违法建设')).toContain('event:06001');
    expect(await search('私搭乱建')).toContain('event:06001');
    expect(await search('牛皮癣')).toContain('event:07001');
  });

  it('keeps the synonyms editable per entry', async () => {
    const entry = (
      (await env.app.inject({ method: 'GET', url: '/api/taxonomy/event:06001' })).json() as {
        entry: { keywords: string[] };
      }
    ).entry;
    expect(entry.keywords).toEqual(expect.arrayContaining(['私搭乱建', '违法建设', '违建']));
  });
});
