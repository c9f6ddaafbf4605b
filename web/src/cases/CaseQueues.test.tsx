import { screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Capability, User } from '../api/types';
import { changeLanguage } from '../i18n';
import { renderConsoleRoute } from '../test-render';
import { json, requestUrl } from '../test-support';
import { CaseQueues, firstNonEmptyQueue } from './CaseQueues';
import { queuesFor } from './queues';

/** What the server grants a department's handler (server/src/accounts/capabilities.ts). */
const UNIT: Capability[] = ['case.read', 'case.sign', 'case.feedback', 'case.read_assigned'];
const can = (capabilities: Capability[]) => (capability: Capability) => capabilities.includes(capability);

const handler: User = {
  id: 'usr_h',
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

const handling = {
  id: 'case_1',
  caseNumber: '110102-20261201-00001',
  trackingCode: 'A2YVW1WTFV',
  channel: 'resident',
  state: 'handling',
  tier: 2,
  categoryKey: 'event:06010',
  description: '门口垃圾堆了三天',
  address: null,
  location: { lng: 116.38, lat: 39.91, crsIn: 'wgs84' },
  streetCode: '110102001',
  communityCode: null,
  gridCode: null,
  alleyId: null,
  severity: 'normal',
  assignedOrgId: 'org-cg-110102001',
  supporters: 0,
  mergedInto: null,
  reporter: { name: null, contact: null },
  responseDeadline: null,
  handlingDeadline: '2099-12-03T09:30:00.000Z',
  originalHandlingDeadline: null,
  slaState: 'green',
  createdAt: '2026-12-01T01:00:00.000Z',
  updatedAt: '2026-12-01T01:00:00.000Z',
  closedAt: null,
  version: 3,
  allowedActions: ['feedback'],
};

describe('the work queues', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('gathers the work the case actions the server grants are for', () => {
    const keys = (capabilities: Capability[]) => queuesFor(can(capabilities)).map((queue) => queue.key);
    expect(keys(['case.read', 'case.dispatch'])).toEqual([
      'toAccept',
      'toDispatch',
      'returned',
      'toAcceptJoint',
      'overdue',
    ]);
    expect(keys(['case.read', 'case.sign', 'case.feedback'])).toEqual(['toSign', 'toHandle', 'overdue']);
    expect(keys(['case.read', 'case.feedback'])).toEqual(['toHandle', 'overdue']);
    expect(keys(['case.read', 'case.verify'])).toEqual(['toVerify', 'overdue']);
    expect(keys(['case.read'])).toEqual(['open', 'overdue']);
    // A resident may verify their own report, but has no queues in the console.
    expect(keys(['report.own', 'case.verify'])).toEqual([]);
  });

  it('picks the first queue that holds work once every count is known', () => {
    const queues = queuesFor(can(UNIT));
    expect(firstNonEmptyQueue(queues, [0, undefined, 0])).toBeUndefined();
    expect(firstNonEmptyQueue(queues, [0, 3, 1])).toBe('toHandle');
    expect(firstNonEmptyQueue(queues, [2, 3, 0])).toBe('toSign');
    expect(firstNonEmptyQueue(queues, [0, 0, 0])).toBe('toSign');
  });

  it('opens on 处置中 when 待签收 is empty, with the count on each tab', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input) => {
        const url = new URL(requestUrl(input), 'http://localhost');
        if (url.pathname === '/api/cases') {
          const states = url.searchParams.get('state') ?? '';
          const items = states === 'dispatched' ? [] : [handling];
          return json(200, { items, total: items.length, totalCapped: false });
        }
        if (url.pathname.startsWith('/api/taxonomy')) return json(200, { items: [] });
        return json(200, []);
      }),
    );
    renderConsoleRoute({ user: handler, capabilities: UNIT, path: '/', element: <CaseQueues /> });
    await waitFor(() => {
      const selected = screen.getByRole('tab', { selected: true });
      expect(selected.textContent).toContain('处置中');
      expect(selected.textContent).toContain('1');
    });
    expect(screen.getByRole('tab', { name: /待签收/ }).textContent).toContain('0');
    expect(await screen.findByText('110102-20261201-00001')).toBeTruthy();
  });
});
