import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { changeLanguage } from '../i18n';
import { renderConsoleRoute } from '../test-render';
import { json, requestUrl, TAXONOMY_DEFAULTS } from '../test-support';
import type { TaxonomyEntry } from './caseTypes';
import { CategoryPicker, categoryTree, matchesCategory } from './categories';

const entries: TaxonomyEntry[] = [
  {
    ...TAXONOMY_DEFAULTS,
    key: 'event:06010',
    kind: 'event',
    code: '06010',
    majorClass: '市容环境类',
    name: '暴露垃圾',
    public: true,
  },
  {
    ...TAXONOMY_DEFAULTS,
    key: 'event:06001',
    kind: 'event',
    code: '06001',
    majorClass: '市容环境类',
    name: '私搭乱建',
    keywords: ['私搭乱建', '违法建设', '违建'],
    public: true,
  },
  {
    ...TAXONOMY_DEFAULTS,
    key: 'event:01001',
    kind: 'event',
    code: '01001',
    majorClass: '市政公用设施类',
    name: '供水井盖异常',
    public: true,
  },
  {
    ...TAXONOMY_DEFAULTS,
    key: 'component:01001',
    kind: 'component',
    code: '01001',
    majorClass: '市政公用设施',
    name: '供水井盖',
    public: true,
  },
];

const words = {
  kind: (kind: TaxonomyEntry['kind']) => (kind === 'event' ? '管理事项' : '管理部件'),
  label: (e: TaxonomyEntry) => `${e.name}（${e.majorClass}）`,
  suggested: (label: string) => `${label} · 系统建议`,
};

const dispatcher: User = {
  id: 'usr_d',
  username: 'demo-street_dispatcher',
  displayName: '指挥中心',
  role: 'street_dispatcher',
  scopeCode: '110102001',
  scopeName: '西长安街街道',
  organisationId: null,
  organisationName: null,
  phone: null,
  active: true,
};

describe('the category tree', () => {
  it('groups by kind then major class, events first, categories by code; classes are not pickable', () => {
    const tree = categoryTree(entries, words);
    expect(tree.map((n) => n.title)).toEqual(['管理事项', '管理部件']);
    expect(tree[0]?.selectable).toBe(false);
    expect(tree[0]?.children?.map((n) => n.title)).toEqual(['市政公用设施类', '市容环境类']);
    expect(tree[0]?.children?.[1]?.children?.map((n) => n.value)).toEqual(['event:06001', 'event:06010']);
    expect(tree[0]?.children?.[1]?.children?.[0]?.label).toBe('私搭乱建（市容环境类）');
  });

  it('puts the suggestion first, marked, and nowhere else', () => {
    const tree = categoryTree(entries, words, 'event:06010');
    expect(tree[0]).toMatchObject({ value: 'event:06010', title: '暴露垃圾（市容环境类） · 系统建议' });
    const all = JSON.stringify(tree.slice(1));
    expect(all).not.toContain('event:06010');
  });

  it('finds a category by a keyword, its name, class or code', () => {
    const leaf = categoryTree(entries, words)[0]?.children?.[1]?.children?.[0] ?? {};
    expect(matchesCategory('违法建设', leaf)).toBe(true);
    expect(matchesCategory('06001', leaf)).toBe(true);
    expect(matchesCategory('市容', leaf)).toBe(true);
    expect(matchesCategory('井盖', leaf)).toBe(false);
  });
});

describe('CategoryPicker', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('offers the category a synonym names when searched, and gives back its key', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input) => {
        const url = requestUrl(input);
        if (url.startsWith('/api/taxonomy')) return json(200, { items: entries });
        return json(404, { error: { code: 'NOT_FOUND', message: url } });
      }),
    );
    const chosen = vi.fn();
    renderConsoleRoute({
      user: dispatcher,
      element: <CategoryPicker aria-label="问题类型" onChange={chosen} />,
    });
    const input = await screen.findByRole('combobox');
    fireEvent.mouseDown(input);
    fireEvent.change(input, { target: { value: '违法建设' } });
    const option = await screen.findByTitle('私搭乱建');
    expect(screen.queryByTitle('暴露垃圾')).toBeNull();
    fireEvent.click(option);
    await waitFor(() => expect(chosen).toHaveBeenCalledWith('event:06001'));
  });
});
