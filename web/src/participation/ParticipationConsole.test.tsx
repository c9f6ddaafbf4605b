import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Capability, User } from '../api/types';
import { changeLanguage } from '../i18n';
import { renderConsoleRoute } from '../test-render';
import { json, plain, requestUrl } from '../test-support';
import { ParticipationPage } from './ParticipationPage';
import { PARTICIPATION_CAPABILITIES } from './participationTabs';

const chief: User = {
  id: 'usr_chief',
  username: 'demo-alley_chief',
  displayName: '示例街巷长',
  role: 'alley_chief',
  scopeCode: '110102001',
  scopeName: '西长安街街道',
  organisationId: null,
  organisationName: null,
  phone: null,
  active: true,
};

/** What the server grants an alley chief here: every tab, and registering shops. */
const CHIEF_CAPABILITIES: Capability[] = [...PARTICIPATION_CAPABILITIES, 'frontage.manage'];

const COMMUNITY = '110102001001';

/** A fake server for the participation console: records what is posted and answers the lists. */
function fakeServer() {
  const sent: { method: string; path: string; body: unknown }[] = [];
  const comments: { id: string; authorKind: string; body: string; at: string }[] = [
    { id: 'c1', authorKind: 'resident', body: '支持，楼门口台阶太陡。', at: '2026-12-01T02:00:00.000Z' },
  ];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = new URL(requestUrl(input), 'http://localhost');
      const method = init?.method ?? 'GET';
      const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
      if (method !== 'GET') sent.push({ method, path: url.pathname, body });
      switch (`${method} ${url.pathname}`) {
        case 'GET /api/auth/me':
          return json(200, { user: chief, csrfToken: 'csrf' });
        case 'GET /api/territory/communities':
          return json(200, [
            { code: COMMUNITY, name: '西长安街社区', streetCode: '110102001', approximate: false },
          ]);
        case 'GET /api/visits/kinds':
          return json(200, {
            illustrative: true,
            items: [
              { code: 'elderly_alone', name: '独居老人', intervalDays: 30 },
              { code: 'entitled', name: '优抚对象', intervalDays: 90 },
            ],
          });
        case 'GET /api/visits/households':
          return json(200, { items: [] });
        case 'GET /api/visits/due':
          return json(200, { officials: [], households: [] });
        case 'GET /api/visits/officials':
          return json(200, {
            items: [
              { userId: 'usr_chief', displayName: '示例街巷长', role: 'alley_chief' },
              { userId: 'usr_desk', displayName: '示例指挥中心', role: 'street_dispatcher' },
            ],
          });
        case 'POST /api/visits/households':
          return json(201, { id: 'hh_1', ...body });
        case 'GET /api/proposals':
          return json(200, {
            items: [
              {
                id: 'prop_1',
                communityCode: COMMUNITY,
                alleyId: null,
                title: '楼门口加装扶手',
                body: '老人进出不便。',
                state: 'discussion',
                createdAt: '2026-12-01T01:00:00.000Z',
                comments: comments.length,
                vote: null,
                minutes: null,
                decision: null,
              },
              {
                id: 'prop_2',
                communityCode: COMMUNITY,
                alleyId: null,
                title: '井盖松动更换',
                body: '井盖踩上去会响。',
                state: 'closed',
                createdAt: '2026-11-20T01:00:00.000Z',
                comments: 0,
                vote: {
                  closesAt: '2026-11-27T01:00:00.000Z',
                  eligible: 3,
                  quorum: 2,
                  tally: { yes: 2, no: 0, abstain: 0 },
                  outcome: 'adopted',
                },
                minutes: null,
                decision: null,
              },
            ],
          });
        case 'GET /api/territory/alleys':
          return json(200, {
            items: [
              { id: 'alley_in', name: '光明胡同', streetCode: '110102001', communityCode: COMMUNITY },
              { id: 'alley_out', name: '别的胡同', streetCode: '110102001', communityCode: '110102001002' },
            ],
            total: 2,
          });
        case 'POST /api/proposals/prop_2/decision':
          return json(200, {});
        case 'GET /api/proposals/prop_1/comments':
          return json(200, { items: comments });
        case 'POST /api/proposals/prop_1/comments': {
          const c = {
            id: `c${comments.length + 1}`,
            authorKind: 'chief',
            body: body.body,
            at: '2026-12-01T03:00:00.000Z',
          };
          comments.push(c);
          return json(201, c);
        }
        default:
          if (method === 'GET') return json(200, { items: [] });
          return json(404, { error: { code: 'NOT_FOUND', message: url.pathname } });
      }
    }),
  );
  return sent;
}

function pickOption(text: string) {
  const option = [...document.querySelectorAll('.ant-select-item-option')].find((o) =>
    o.textContent?.includes(text),
  );
  if (!option) throw new Error(`no option ${text}`);
  fireEvent.click(option);
}

describe('the participation console', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('registers a household with its kinds and its official from the visits tab', async () => {
    const sent = fakeServer();
    renderConsoleRoute({
      user: chief,
      capabilities: CHIEF_CAPABILITIES,
      path: '/participation',
      element: <ParticipationPage />,
    });
    fireEvent.click(await screen.findByRole('tab', { name: '走访（十必访）' }));
    fireEvent.click(await screen.findByRole('button', { name: plain('登记必访户') }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('住户'), { target: { value: '孙家' } });
    fireEvent.change(within(dialog).getByLabelText('地址'), { target: { value: '示例胡同 12 号' } });
    fireEvent.mouseDown(within(dialog).getByLabelText('类别'));
    await waitFor(() => pickOption('独居老人'));
    pickOption('优抚对象');
    fireEvent.mouseDown(within(dialog).getByLabelText('责任人'));
    await waitFor(() => pickOption('示例指挥中心'));
    fireEvent.click(within(dialog).getByRole('button', { name: plain('登记必访户') }));
    await screen.findByText('已登记必访户 孙家');
    expect(sent.find((s) => s.path === '/api/visits/households')?.body).toEqual({
      communityCode: COMMUNITY,
      label: '孙家',
      address: '示例胡同 12 号',
      kinds: ['elderly_alone', 'entitled'],
      officialUserId: 'usr_desk',
    });
  }, 60_000);

  it('shows a proposal’s discussion by kind of author and posts a staff comment', async () => {
    const sent = fakeServer();
    renderConsoleRoute({
      user: chief,
      capabilities: CHIEF_CAPABILITIES,
      path: '/participation',
      element: <ParticipationPage />,
    });
    fireEvent.click(await screen.findByRole('tab', { name: '议事协商' }));
    // Text queries, not role queries: jsdom computes every accessible name of the page for a role query.
    fireEvent.click(await screen.findByText('讨论（1）'));
    await screen.findByText('支持，楼门口台阶太陡。');
    fireEvent.change(screen.getByLabelText('发言（以工作人员身份，不显示姓名）'), {
      target: { value: '已联系物业核实。' },
    });
    fireEvent.click(screen.getByText(plain('发表')));
    await screen.findByText('已联系物业核实。');
    expect(screen.getAllByText('街巷长', { selector: '.ant-tag' })).toHaveLength(1);
    expect(screen.getAllByText('居民', { selector: '.ant-tag' })).toHaveLength(1);
    expect(sent).toContainEqual({
      method: 'POST',
      path: '/api/proposals/prop_1/comments',
      body: { body: '已联系物业核实。' },
    });
  }, 60_000);

  it('lets a decision that opens a case name an alley of the proposal’s community', async () => {
    const sent = fakeServer();
    renderConsoleRoute({
      user: chief,
      capabilities: CHIEF_CAPABILITIES,
      path: '/participation',
      element: <ParticipationPage />,
    });
    fireEvent.click(await screen.findByRole('tab', { name: '议事协商' }));
    await screen.findByText('井盖松动更换');
    fireEvent.mouseDown(screen.getByLabelText('记录决定'));
    await waitFor(() => pickOption('立案办理'));
    fireEvent.mouseDown(await screen.findByLabelText('立案街巷'));
    await waitFor(() => pickOption('光明胡同'));
    expect([...document.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent)).not.toContain(
      '别的胡同',
    );
    expect(screen.getByLabelText('问题类别')).toBeTruthy();
    fireEvent.click(screen.getByText(plain('记录决定'), { selector: 'button span' }));
    await waitFor(() =>
      expect(sent).toContainEqual({
        method: 'POST',
        path: '/api/proposals/prop_2/decision',
        body: { kind: 'case', case: { alleyId: 'alley_in' } },
      }),
    );
  }, 60_000);

  /** The tabs shown to a role the server grants these capabilities. */
  async function tabsFor(role: User['role'], capabilities: Capability[]): Promise<(string | null)[]> {
    fakeServer();
    renderConsoleRoute({
      user: { ...chief, role },
      capabilities,
      path: '/participation',
      element: <ParticipationPage />,
    });
    return (await screen.findAllByRole('tab')).map((tab) => tab.textContent);
  }

  it('shows only the tabs the server’s capabilities open: a grid worker’s household visits', async () => {
    expect(await tabsFor('grid_worker', ['case.read', 'visit.manage', 'patrol.walk'])).toEqual([
      '走访（十必访）',
    ]);
    expect(await screen.findByRole('button', { name: plain('登记必访户') })).toBeTruthy();
  }, 60_000);

  it('shows an inspector the frontage register without registering shops', async () => {
    expect(await tabsFor('inspector', ['case.read', 'measure.read', 'frontage.read'])).toEqual(['门前三包']);
    await screen.findByTestId('frontage-tab');
    expect(screen.queryByText(plain('登记商户'))).toBeNull();
  }, 60_000);
});
