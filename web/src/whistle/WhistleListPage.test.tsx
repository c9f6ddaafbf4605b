import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { changeLanguage } from '../i18n';
import zhCN from '../i18n/zh-CN.json';
import { renderConsoleRoute } from '../test-render';
import { json, requestUrl } from '../test-support';
import { WhistleListPage } from './WhistleListPage';
import type { JointActionListItem } from './whistleTypes';

const department: User = {
  id: 'usr_c',
  username: 'demo-department_handler',
  displayName: '城管执法队',
  role: 'department_handler',
  scopeCode: '110102',
  scopeName: '西城区',
  organisationId: 'org-cg-110102001',
  organisationName: '西长安街街道城管执法队',
  phone: null,
  active: true,
};

const atWork: JointActionListItem = {
  caseId: 'case_1',
  caseNumber: '110102-20261201-00001',
  categoryKey: 'event:06001',
  streetCode: '110102001',
  streetName: '西长安街街道',
  state: 'joint_action',
  status: 'open',
  units: [
    { organisationId: 'org-cg-110102001', name: '西长安街街道城管执法队', reportedIn: true },
    { organisationId: 'org-planning', name: '规划分局', reportedIn: false },
  ],
  whistleAt: '2026-12-01T02:00:00.000Z',
  reportInDeadline: '2026-12-01T04:00:00.000Z',
  handlingDeadline: '2026-12-03T09:30:00.000Z',
  openTasks: 2,
  recorded: true,
  closedAt: null,
};

const ended: JointActionListItem = {
  ...atWork,
  caseId: 'case_2',
  caseNumber: '110102-20261120-00007',
  state: 'closed',
  status: 'closed',
  openTasks: 0,
  closedAt: '2026-11-25T08:00:00.000Z',
};

function renderPage() {
  const requested: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input) => {
      const url = requestUrl(input);
      if (url.startsWith('/api/joint-actions')) {
        const status = new URL(url, 'http://localhost').searchParams.get('status');
        requested.push(status ?? '');
        const items = status === 'closed' ? [ended] : status === 'all' ? [atWork, ended] : [atWork];
        return json(200, { items, total: items.length });
      }
      return json(404, { error: { code: 'NOT_FOUND', message: url } });
    }),
  );
  renderConsoleRoute({ user: department, path: '/whistle', element: <WhistleListPage /> });
  return requested;
}

const caseLink = (caseNumber: string) => `${zhCN.whistle.open} ${caseNumber}`;

describe('WhistleListPage', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('lists the joint actions under way from the joint-action list, with every summoned unit', async () => {
    const requested = renderPage();
    expect(await screen.findByRole('link', { name: caseLink(atWork.caseNumber) })).toBeTruthy();
    expect(requested).toEqual(['open']);
    expect(screen.getByText('规划分局')).toBeTruthy();
    expect(screen.getByText(zhCN.whistle.reportedInMark)).toBeTruthy();
    expect(screen.queryByRole('link', { name: caseLink(ended.caseNumber) })).toBeNull();
    // Only the street raises a whistle.
    expect(screen.queryByRole('button', { name: /吹\s*哨/ })).toBeNull();
  }, 60_000);

  it('shows the ended ones, then all, when the filter asks for them', async () => {
    const requested = renderPage();
    await screen.findByRole('link', { name: caseLink(atWork.caseNumber) });
    fireEvent.click(screen.getByText(zhCN.whistle.status.closed));
    expect(await screen.findByRole('link', { name: caseLink(ended.caseNumber) })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('link', { name: caseLink(atWork.caseNumber) })).toBeNull());
    fireEvent.click(screen.getByText(zhCN.whistle.status.all));
    expect(await screen.findByRole('link', { name: caseLink(atWork.caseNumber) })).toBeTruthy();
    expect(screen.getByRole('link', { name: caseLink(ended.caseNumber) })).toBeTruthy();
    expect(requested).toEqual(['open', 'closed', 'all']);
  }, 60_000);
});
