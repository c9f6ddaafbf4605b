import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { changeLanguage } from '../i18n';
import { renderConsoleRoute } from '../test-render';
import { DISTRICT_ADMIN, json, requestUrl } from '../test-support';
import { HotIssuesPage } from './HotIssuesPage';
import type { HotIssue, Theme } from './intelligenceTypes';
import { ThemesPage } from './ThemesPage';

// The map is WebGL and lazy; its chunk has nothing to say in a DOM test.
vi.mock('./HotIssueMap', () => ({ default: () => <p>map</p> }));

const admin = DISTRICT_ADMIN;
const leader: User = { ...admin, id: 'usr_l', role: 'leader' };

const issue: HotIssue = {
  rank: 1,
  heat: 12.5,
  place: '光明胡同',
  description: '光明胡同口装修垃圾堆了好几天',
  from: '2026-11-02T02:00:00.000Z',
  to: '2026-11-06T02:00:00.000Z',
  people: 5,
  support: 2,
  caseIds: ['case_a', 'case_b'],
  caseNumbers: ['110102-20261102-00001', '110102-20261103-00002'],
  categoryKeys: ['event:06010'],
  streetCode: '110102001',
  lng: 116.37,
  lat: 39.9,
};

const theme: Theme = {
  id: 'thm_1',
  month: '2026-12',
  scopeCode: '110102001',
  title: '光明胡同：装修垃圾堆放',
  problem: '光明胡同口装修垃圾堆了好几天',
  place: '光明胡同',
  people: 5,
  caseCount: 6,
  heat: 12.5,
  categoryKeys: ['event:06010'],
  departments: [{ id: 'org-cg', name: '城管执法队' }],
  rootFix: '查明成因，联合整治',
  caseIds: ['case_a'],
  state: 'proposed',
  campaignId: null,
  campaign: null,
  decidedAt: null,
};

beforeAll(async () => {
  await changeLanguage('zh-CN');
});

describe('hot issues page', () => {
  it('lists the issues hottest first, each opening its cases', async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input) => {
        const url = requestUrl(input);
        calls.push(url);
        if (url.startsWith('/api/hot-issues')) return json(200, { issues: [issue] });
        return json(404, { error: { code: 'NOT_FOUND', message: url } });
      }),
    );
    renderConsoleRoute({ user: leader, element: <HotIssuesPage /> });
    expect(await screen.findByText('光明胡同口装修垃圾堆了好几天')).toBeTruthy();
    expect(screen.getByText('5人，2件')).toBeTruthy();
    expect(calls[0]).toMatch(/from=.*to=/);
    const row = screen.getByText('光明胡同口装修垃圾堆了好几天').closest('tr')!;
    fireEvent.click(within(row).getByRole('button'));
    const link = await screen.findByRole('link', { name: '110102-20261102-00001' });
    expect(link.getAttribute('href')).toBe('/cases/case_a');
  }, 30_000);
});

describe('monthly theme page', () => {
  it('lets the district adopt a proposal, which then shows its campaign', async () => {
    let current = theme;
    const posted: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = requestUrl(input);
        if (init?.method === 'POST' && url.endsWith('/adopt')) {
          posted.push(url);
          current = {
            ...theme,
            state: 'adopted',
            campaignId: 'cmp_1',
            campaign: { id: 'cmp_1', items: 1, open: 1, cleared: 0, atZero: false },
          };
          return json(200, current);
        }
        if (url.startsWith('/api/themes')) return json(200, [current]);
        return json(404, { error: { code: 'NOT_FOUND', message: url } });
      }),
    );
    renderConsoleRoute({
      user: admin,
      capabilities: ['theme.read', 'theme.propose', 'theme.adopt'],
      element: <ThemesPage />,
    });
    expect(await screen.findByText('光明胡同：装修垃圾堆放')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: (n) => n.replace(/\s/g, '') === '采纳' }));
    await waitFor(() => expect(posted).toEqual(['/api/themes/thm_1/adopt']));
    expect(await screen.findByRole('link', { name: '专项台账' })).toBeTruthy();
  }, 30_000);

  it('shows no decision buttons to a leader', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async () => json(200, [theme])),
    );
    renderConsoleRoute({ user: leader, capabilities: ['theme.read'], element: <ThemesPage /> });
    expect(await screen.findByText('光明胡同：装修垃圾堆放')).toBeTruthy();
    expect(screen.queryByRole('button', { name: (n) => n.replace(/\s/g, '') === '采纳' })).toBeNull();
  });
});
