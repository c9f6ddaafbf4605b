import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { changeLanguage } from '../i18n';
import zhCN from '../i18n/zh-CN.json';
import { renderConsoleRoute } from '../test-render';
import { json, plain, requestUrl } from '../test-support';
import { CasePage } from './CasePage';

// The map is WebGL and lazy; its chunk has nothing to say in a DOM test.
vi.mock('./CaseMap', () => ({ default: () => <p>map</p> }));

const dispatcher: User = {
  id: 'usr_d',
  username: 'demo-street_dispatcher',
  displayName: '指挥中心',
  role: 'street_dispatcher',
  scopeCode: '110102001',
  scopeName: '西长安街街道',
  organisationId: 'org-street-110102001',
  organisationName: null,
  phone: null,
  active: true,
};

const detail = {
  id: 'case_1',
  caseNumber: '110102-20261120-00001',
  trackingCode: 'A2YVW1WTFV',
  channel: 'resident',
  state: 'reported',
  tier: null,
  categoryKey: 'event:06010',
  categoryName: '暴露垃圾',
  description: '门口垃圾堆了三天',
  address: null,
  location: { lng: 116.38, lat: 39.91, crsIn: 'wgs84' },
  streetCode: '110102001',
  communityCode: null,
  gridCode: null,
  alleyId: null,
  severity: 'normal',
  assignedOrgId: null,
  supporters: 0,
  mergedInto: null,
  reporter: { name: null, contact: null },
  responseDeadline: null,
  handlingDeadline: null,
  originalHandlingDeadline: null,
  slaState: 'green',
  createdAt: '2026-11-20T01:00:00.000Z',
  updatedAt: '2026-11-20T01:00:00.000Z',
  closedAt: null,
  version: 1,
  duplicates: [],
  routing: null,
  assignedUnits: [] as { organisationId: string; reportedIn: boolean | null }[],
  // What the server says the signed-in dispatcher may do on a new report.
  allowedActions: ['accept', 'reject', 'merge', 'supervise'],
  events: [
    {
      seq: 1,
      at: '2026-11-20T01:00:00.000Z',
      actorRole: 'resident',
      action: 'report',
      fromState: null,
      toState: 'reported',
      reason: null,
      payload: {},
    },
  ],
};

const taxonomy = [
  {
    key: 'event:06010',
    kind: 'event',
    code: '06010',
    majorClass: '市容环境类',
    name: '暴露垃圾',
    public: true,
  },
  {
    key: 'event:06001',
    kind: 'event',
    code: '06001',
    majorClass: '市容环境类',
    name: '私搭乱建',
    public: true,
  },
];

const organisations = [
  { id: 'org-cg-110102001', name: '西长安街街道城管执法队', kind: 'department', scopeCode: '110102001' },
  { id: 'org-public_security', name: '西城区公安分局', kind: 'department', scopeCode: '110102' },
  { id: 'org-power', name: '西城区供电服务单位（示例）', kind: 'department', scopeCode: '110102' },
];

function renderCase(user: User, caseResponse: () => Response) {
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input) => {
      const url = requestUrl(input);
      if (url.startsWith('/api/cases/')) return caseResponse();
      if (url.startsWith('/api/organisations')) return json(200, organisations);
      if (url.startsWith('/api/taxonomy')) return json(200, { items: taxonomy });
      if (url.startsWith('/api/territory/streets')) return json(200, []);
      return json(404, { error: { code: 'NOT_FOUND', message: url } });
    }),
  );
  return renderConsoleRoute({ user, path: '/cases/case_1', pattern: '/cases/:id', element: <CasePage /> });
}

describe('CasePage', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('says so when the case lies outside the user’s scope', async () => {
    renderCase({ ...dispatcher, role: 'department_handler', organisationId: 'org-x' }, () =>
      json(403, { error: { code: 'OUT_OF_SCOPE', message: 'This lies outside your jurisdiction' } }),
    );
    expect(await screen.findByText(zhCN.cases.page.outOfScope)).toBeTruthy();
  }, 60_000);

  it('offers the dispatcher the filing actions of a new report, and only those', async () => {
    renderCase(dispatcher, () => json(200, detail));
    const panel = (await screen.findByText(zhCN.cases.page.actions)).closest('.ant-card') as HTMLElement;
    const names = within(panel)
      .getAllByRole('button')
      .map((button) => button.textContent?.replace(/\s/g, ''));
    expect(names).toEqual([
      zhCN.cases.action.accept,
      zhCN.cases.action.reject,
      zhCN.cases.action.merge,
      zhCN.cases.action.supervise,
    ]);
    expect(screen.getByText('门口垃圾堆了三天')).toBeTruthy();
    // Names, never raw codes: the category with its major class, the code only in a tooltip.
    expect(await screen.findByText('暴露垃圾')).toBeTruthy();
    expect(screen.getByText('（市容环境类）')).toBeTruthy();
    expect(document.body.textContent).not.toContain('event:06010');
  }, 60_000);

  it('shows the suggestion by name with its confidence as a tag, and files under it by default', async () => {
    const suggested = {
      ...detail,
      categoryKey: null,
      categoryName: null,
      suggestion: { key: 'event:06001', confidence: 0.73, model: '20261207T002140Z-abc' },
    };
    renderCase(dispatcher, () => json(200, suggested));
    const line = await screen.findByTestId('suggestion');
    await waitFor(() => expect(line.textContent).toContain('私搭乱建'));
    expect(line.textContent).toContain('（市容环境类）');
    expect(within(line).getByTestId('suggestion-confidence').textContent).toBe('把握 73%');
    // The model's id and the codes stay out of the text.
    expect(document.body.textContent).not.toContain('20261207T002140Z');
    expect(document.body.textContent).not.toContain('event:06001');
    fireEvent.click(screen.getByRole('button', { name: plain(zhCN.cases.action.accept) }));
    const dialog = await screen.findByRole('dialog');
    // The filing dialog starts on the suggested category.
    await waitFor(() => expect(within(dialog).getByText('私搭乱建（市容环境类）')).toBeTruthy());
  }, 60_000);

  it('offers the dispatcher the whistle on an accepted case, opening the dispatch at tier 3', async () => {
    const accepted = {
      ...detail,
      state: 'accepted',
      allowedActions: ['dispatch', 'suspend', 'supervise'],
      events: [
        ...detail.events,
        {
          seq: 2,
          at: '2026-11-20T02:00:00.000Z',
          actorRole: 'street_dispatcher',
          action: 'accept',
          fromState: 'reported',
          toState: 'accepted',
          reason: null,
          payload: {},
        },
      ],
    };
    renderCase(dispatcher, () => json(200, accepted));
    const whistle = await screen.findByRole('button', { name: plain(zhCN.whistle.raise) });
    whistle.click();
    const dialog = await screen.findByRole('dialog');
    // Titled as the whistle, not as an ordinary dispatch.
    expect(within(dialog).getByText(zhCN.whistle.raiseTitle)).toBeTruthy();
    expect(within(dialog).queryByText(zhCN.cases.action.dispatch)).toBeNull();
    const tier3 = within(dialog).getByRole('radio', { name: zhCN.cases.tier['3'] }) as HTMLInputElement;
    expect(tier3.checked).toBe(true);
    expect(within(dialog).getByText(zhCN.cases.form.unitIds)).toBeTruthy();
  }, 60_000);

  it('offers a department no whistle', async () => {
    renderCase({ ...dispatcher, role: 'department_handler', organisationId: 'org-x' }, () =>
      json(200, { ...detail, state: 'accepted', allowedActions: [] }),
    );
    await screen.findByText(zhCN.cases.page.actions);
    expect(screen.queryByRole('button', { name: plain(zhCN.whistle.raise) })).toBeNull();
  }, 60_000);

  it('offers an inspector nothing on a new report', async () => {
    renderCase({ ...dispatcher, role: 'inspector' }, () => json(200, { ...detail, allowedActions: [] }));
    expect(await screen.findByText(zhCN.cases.page.noActions)).toBeTruthy();
    expect(screen.queryByRole('button', { name: plain(zhCN.cases.action.accept) })).toBeNull();
  }, 60_000);

  it('lists every unit summoned to a joint action as its handling units', async () => {
    const joint = {
      ...detail,
      state: 'joint_action',
      tier: 3,
      assignedOrgId: 'org-cg-110102001',
      assignedUnits: organisations.map((o) => ({ organisationId: o.id, reportedIn: false })),
      allowedActions: ['redispatch', 'suspend', 'supervise'],
    };
    renderCase(dispatcher, () => json(200, joint));
    const units = await screen.findByTestId('assigned-units');
    await within(units.parentElement as HTMLElement).findByText(/西城区供电服务单位/);
    expect(units.textContent).toContain('西长安街街道城管执法队');
    expect(units.textContent).toContain('西城区公安分局');
    expect(units.textContent).toContain('西城区供电服务单位（示例）');
    expect(screen.getByRole('link', { name: zhCN.whistle.open })).toBeTruthy();
  }, 60_000);

  it('puts the actions first on a 390 px phone and beside the facts on a desktop', async () => {
    const screenOf = (width: number) => (query: string) =>
      ({
        matches: [...query.matchAll(/\((min|max)-width:\s*(\d+)px\)/g)].every(([, bound, px]) =>
          bound === 'min' ? width >= Number(px) : width <= Number(px),
        ),
        media: query,
        onchange: null,
        addListener: () => {},
        removeListener: () => {},
        addEventListener: () => {},
        removeEventListener: () => {},
        dispatchEvent: () => false,
      }) as MediaQueryList;
    const order = async () => {
      const actions = await screen.findByTestId('case-actions');
      const facts = screen.getByText('门口垃圾堆了三天');
      // DOCUMENT_POSITION_FOLLOWING: the facts come after the actions.
      return actions.compareDocumentPosition(facts) & Node.DOCUMENT_POSITION_FOLLOWING
        ? 'actions first'
        : 'facts first';
    };

    vi.spyOn(window, 'matchMedia').mockImplementation(screenOf(390));
    const phone = renderCase(dispatcher, () => json(200, detail));
    expect(await order()).toBe('actions first');
    expect(
      within(screen.getByTestId('case-actions')).getByRole('button', {
        name: plain(zhCN.cases.action.accept),
      }),
    ).toBeTruthy();
    phone.unmount();

    vi.spyOn(window, 'matchMedia').mockImplementation(screenOf(1280));
    renderCase(dispatcher, () => json(200, detail));
    expect(await order()).toBe('facts first');
  }, 60_000);
});
