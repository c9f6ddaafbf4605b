import { screen } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { changeLanguage } from '../i18n';
import zhCN from '../i18n/zh-CN.json';
import { renderConsoleRoute } from '../test-render';
import { json, plain, requestUrl } from '../test-support';
import { JointActionPage } from './JointActionPage';
import type { JointAction } from './whistleTypes';

const CG = 'org-cg-110102001';

const dispatcher: User = {
  id: 'usr_d',
  username: 'demo-street_dispatcher',
  displayName: '指挥中心',
  role: 'street_dispatcher',
  scopeCode: '110102001',
  scopeName: '西长安街街道',
  organisationId: 'org-street-110102001',
  organisationName: null,
};
const department: User = { ...dispatcher, id: 'usr_c', role: 'department_handler', organisationId: CG };

const joint: JointAction = {
  caseId: 'case_1',
  caseNumber: '110102-20261201-00001',
  state: 'joint_action',
  active: true,
  recorded: false,
  whistleAt: '2026-12-01T02:00:00.000Z',
  reportInWorkingHours: 2,
  reportInDeadline: '2026-12-01T04:00:00.000Z',
  units: [
    {
      organisationId: CG,
      name: '西长安街街道城管执法队',
      summonedAt: '2026-12-01T02:00:00.000Z',
      reportInDeadline: '2026-12-01T04:00:00.000Z',
      reportedIn: false,
      reportedInAt: null,
      onTime: null,
      standing: 'overdue',
    },
  ],
  meeting: { meetingAt: null, minutes: '', decisions: [], updatedAt: null, updatedBy: null },
  tasks: [],
  openTasks: 0,
  acceptance: { awaiting: false, blockedBy: 'NOT_AWAITING_ACCEPTANCE' },
};

const caseDetail = {
  id: 'case_1',
  caseNumber: joint.caseNumber,
  state: 'joint_action',
  tier: 3,
  description: '私搭乱建',
  address: null,
  streetCode: '110102001',
  handlingDeadline: '2026-12-03T09:30:00.000Z',
  events: [],
};

function renderPage(user: User, jointResponse: () => Response = () => json(200, joint)) {
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input) => {
      const url = requestUrl(input);
      if (url.startsWith('/api/cases/case_1/joint-action')) return jointResponse();
      if (url.startsWith('/api/cases/case_1')) return json(200, caseDetail);
      return json(404, { error: { code: 'NOT_FOUND', message: url } });
    }),
  );
  return renderConsoleRoute({
    user,
    path: '/whistle/case_1',
    pattern: '/whistle/:id',
    element: <JointActionPage />,
  });
}

describe('JointActionPage', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  });

  it('shows the summoned unit overdue and offers it the report-in, not the meeting', async () => {
    renderPage(department);
    expect(await screen.findByText(zhCN.whistle.standing.overdue)).toBeTruthy();
    expect(await screen.findByRole('button', { name: plain(zhCN.whistle.reportIn) })).toBeTruthy();
    expect(screen.queryByRole('button', { name: plain(zhCN.whistle.editMinutes) })).toBeNull();
    expect(screen.queryByRole('button', { name: plain(zhCN.whistle.addTask) })).toBeNull();
  });

  it('offers the street the minutes and the tasks, with a label on every field, and no report-in', async () => {
    renderPage(dispatcher);
    expect(await screen.findByRole('button', { name: plain(zhCN.whistle.editMinutes) })).toBeTruthy();
    expect(screen.getByRole('button', { name: plain(zhCN.whistle.addTask) })).toBeTruthy();
    expect(screen.queryByRole('button', { name: plain(zhCN.whistle.reportIn) })).toBeNull();
    expect(screen.getByLabelText(zhCN.whistle.taskDescription)).toBeTruthy();
    expect(screen.getByLabelText(zhCN.whistle.taskWorkingDays)).toBeTruthy();
    expect(screen.getByLabelText(zhCN.whistle.taskDeadline)).toBeTruthy();
    expect(screen.getByRole('combobox', { name: zhCN.whistle.taskUnit })).toBeTruthy();
  });

  it('says so when the case has no joint action', async () => {
    renderPage(dispatcher, () => json(404, { error: { code: 'NOT_FOUND', message: 'no joint action' } }));
    expect(await screen.findByText(zhCN.whistle.notFound)).toBeTruthy();
  });
});
