import { fireEvent, screen, waitFor, within } from '@testing-library/react';
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
  phone: null,
  active: true,
};
const department: User = { ...dispatcher, id: 'usr_c', role: 'department_handler', organisationId: CG };

const POWER = 'org-power';

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
      reportInRecorded: null,
    },
    {
      organisationId: POWER,
      name: '西城区供电服务单位（示例）',
      summonedAt: '2026-12-01T02:00:00.000Z',
      reportInDeadline: '2026-12-01T04:00:00.000Z',
      reportedIn: true,
      reportedInAt: '2026-12-01T03:00:00.000Z',
      onTime: true,
      standing: 'on_time',
      reportInRecorded: {
        recordedBy: 'usr_d',
        recordedByName: '指挥中心',
        onWordOf: '供电所王工（电话）',
        attachmentIds: [],
      },
    },
  ],
  refusals: [],
  allowedActions: ['record_minutes', 'assign_task', 'record_for_unit'],
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

const asUnit: JointAction = { ...joint, allowedActions: ['report_in'] };

function renderPage(user: User, jointResponse: () => Response = () => json(200, joint)) {
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = requestUrl(input);
    if (init?.method === 'POST' && url.includes('/record')) return json(200, joint);
    if (url.startsWith('/api/cases/case_1/joint-action')) return jointResponse();
    if (url.startsWith('/api/cases/case_1')) return json(200, caseDetail);
    return json(404, { error: { code: 'NOT_FOUND', message: url } });
  });
  vi.stubGlobal('fetch', fetchMock);
  renderConsoleRoute({
    user,
    path: '/whistle/case_1',
    pattern: '/whistle/:id',
    element: <JointActionPage />,
  });
  return fetchMock;
}

describe('JointActionPage', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('shows the summoned unit overdue and offers it the report-in, not the meeting', async () => {
    renderPage(department, () => json(200, asUnit));
    expect(await screen.findByText(zhCN.whistle.standing.overdue)).toBeTruthy();
    expect(await screen.findByRole('button', { name: plain(zhCN.whistle.reportIn) })).toBeTruthy();
    expect(screen.queryByRole('button', { name: plain(zhCN.whistle.editMinutes) })).toBeNull();
    expect(screen.queryByRole('button', { name: plain(zhCN.whistle.addTask) })).toBeNull();
  }, 60_000);

  it('offers the street the minutes and the tasks, with a label on every field, and no report-in', async () => {
    renderPage(dispatcher);
    expect(await screen.findByRole('button', { name: plain(zhCN.whistle.editMinutes) })).toBeTruthy();
    expect(screen.getByRole('button', { name: plain(zhCN.whistle.addTask) })).toBeTruthy();
    expect(screen.queryByRole('button', { name: plain(zhCN.whistle.reportIn) })).toBeNull();
    expect(screen.getByLabelText(zhCN.whistle.taskDescription)).toBeTruthy();
    expect(screen.getByLabelText(zhCN.whistle.taskWorkingDays)).toBeTruthy();
    expect(screen.getByLabelText(zhCN.whistle.taskDeadline)).toBeTruthy();
    expect(screen.getByRole('combobox', { name: zhCN.whistle.taskUnit })).toBeTruthy();
  }, 60_000);

  it('shows who recorded a report-in for a unit, and lets the street record one', async () => {
    const fetchMock = renderPage(dispatcher);
    expect(await screen.findByText('由指挥中心代为记录，依据：供电所王工（电话）')).toBeTruthy();
    const units = screen.getByTestId('summoned-units');
    // Only the unit that has not reported in can have its report-in recorded.
    const record = within(units).getAllByRole('button', { name: plain(zhCN.whistle.record.reportIn) });
    expect(record).toHaveLength(1);
    fireEvent.click(record[0] as HTMLElement);
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(zhCN.whistle.record.onWordOf), {
      target: { value: '执法队张队长（电话）' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: plain(zhCN.whistle.record.submit) }));
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([input]) => requestUrl(input).includes(`/units/${CG}/record`))).toBe(
        true,
      ),
    );
    const call = fetchMock.mock.calls.find(([input]) => requestUrl(input).includes('/record'));
    expect(JSON.parse(String(call?.[1]?.body))).toEqual({
      kind: 'report_in',
      onWordOf: '执法队张队长（电话）',
      attachmentIds: [],
    });
  }, 60_000);

  it('says so when the case has no joint action', async () => {
    renderPage(dispatcher, () => json(404, { error: { code: 'NOT_FOUND', message: 'no joint action' } }));
    expect(await screen.findByText(zhCN.whistle.notFound)).toBeTruthy();
  }, 60_000);
});
