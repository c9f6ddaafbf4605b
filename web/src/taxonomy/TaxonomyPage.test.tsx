import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TaxonomyEntry } from '../cases/caseTypes';
import zhCN from '../i18n/zh-CN.json';
import { renderConsoleRoute } from '../test-render';
import { DISTRICT_ADMIN, json, requestUrl } from '../test-support';
import { normaliseKeywords, TaxonomyPage } from './TaxonomyPage';

const admin = DISTRICT_ADMIN;

/** What the server sends of an entry beyond its names: limits and severity, unused by this page. */
const limits = {
  departmentType: 'urban_management',
  responseLimit: { amount: 2, unit: 'working_hours' },
  handlingLimit: { amount: 3, unit: 'working_days' },
  severity: 'normal',
  relatedKeys: [],
} satisfies Partial<TaxonomyEntry>;

const building: TaxonomyEntry = {
  key: 'event:06001',
  kind: 'event',
  code: '06001',
  majorClass: '市容环境',
  name: '私搭乱建',
  keywords: ['私搭乱建', '违法建设'],
  public: true,
  ...limits,
};
const garbage: TaxonomyEntry = {
  key: 'event:06010',
  kind: 'event',
  code: '06010',
  majorClass: '市容环境',
  name: '暴露垃圾',
  keywords: ['暴露垃圾'],
  public: true,
  ...limits,
};

const t = zhCN.taxonomyAdmin;

/** A fake /api/taxonomy with one version; PATCH writes version 2 with the entry's new keywords. */
function fakeServer(answer?: () => Response) {
  let version = 'txv_1';
  const items = [building, garbage];
  const patches: { url: string; body: { keywords: string[]; basedOnVersionId: string } }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = requestUrl(input);
      const method = init?.method ?? 'GET';
      if (method === 'GET' && url.startsWith('/api/taxonomy'))
        return json(200, { version: { id: version }, items });
      if (method === 'PATCH' && url.startsWith('/api/taxonomy/')) {
        const body = JSON.parse(String(init?.body));
        patches.push({ url, body });
        if (answer) return answer();
        const key = decodeURIComponent(url.slice('/api/taxonomy/'.length));
        const entry = items.find((e) => e.key === key)!;
        entry.keywords = body.keywords;
        version = 'txv_2';
        return json(200, { version: { id: version }, entry });
      }
      return json(404, { error: { code: 'NOT_FOUND', message: url } });
    }),
  );
  return patches;
}

function renderPage() {
  return renderConsoleRoute({ user: admin, element: <TaxonomyPage /> });
}

describe('TaxonomyPage', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('lists categories with their keywords and filters by a keyword', { timeout: 60_000 }, async () => {
    fakeServer();
    renderPage();
    expect(await screen.findByText('违法建设', undefined, { timeout: 10_000 })).toBeTruthy();
    fireEvent.change(screen.getByLabelText(t.filter), { target: { value: '违法' } });
    await waitFor(() => expect(screen.queryAllByText('暴露垃圾')).toHaveLength(0));
    expect(screen.getAllByText('私搭乱建').length).toBeGreaterThan(0);
  });

  it("saves an entry's keywords on the version it was read from and shows them", async () => {
    const patches = fakeServer();
    renderPage();
    fireEvent.click(
      await screen.findByRole(
        'button',
        { name: t.editFor.replace('{{name}}', '暴露垃圾') },
        { timeout: 10_000 },
      ),
    );
    const dialog = await screen.findByRole('dialog');
    const input = within(dialog).getByLabelText(t.keywords);
    fireEvent.change(input, { target: { value: '垃圾乱堆' } });
    fireEvent.keyDown(input, { key: 'Enter', code: 'Enter', keyCode: 13 });
    fireEvent.click(
      within(dialog).getByRole('button', { name: (name) => name.replace(/\s/g, '') === t.save }),
    );
    await waitFor(() => expect(patches).toHaveLength(1));
    expect(patches[0]!.url).toBe('/api/taxonomy/event%3A06010');
    expect(patches[0]!.body).toMatchObject({ keywords: ['暴露垃圾', '垃圾乱堆'], basedOnVersionId: 'txv_1' });
    expect(await screen.findByText('垃圾乱堆')).toBeTruthy();
  }, 60_000);

  it('says a stale edit in its own words', async () => {
    fakeServer(() =>
      json(409, { error: { code: 'CONFLICT', message: 'The taxonomy changed since version 1' } }),
    );
    renderPage();
    fireEvent.click(
      await screen.findByRole(
        'button',
        { name: t.editFor.replace('{{name}}', '暴露垃圾') },
        { timeout: 10_000 },
      ),
    );
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(
      within(dialog).getByRole('button', { name: (name) => name.replace(/\s/g, '') === t.save }),
    );
    expect(await within(dialog).findByText(t.stale)).toBeTruthy();
    expect(screen.queryByText(/changed since/)).toBeNull();
  }, 60_000);

  it('splits typed keywords and drops repeats', () => {
    expect(normaliseKeywords(['违建、违法建设', ' 私搭乱建 ', '违建'])).toEqual([
      '违建',
      '违法建设',
      '私搭乱建',
    ]);
  });
});
