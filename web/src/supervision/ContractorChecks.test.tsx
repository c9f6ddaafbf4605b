import { fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { changeLanguage } from '../i18n';
import zhCN from '../i18n/zh-CN.json';
import { renderConsoleRoute } from '../test-render';
import { json, plain, requestUrl } from '../test-support';
import { ContractorCheckForm, itemOptions } from './ContractorChecks';
import type { ContractorItem, CoverageAlley } from './supervisionApi';

const dispatcher: User = {
  id: 'usr_d',
  username: 'demo-street_dispatcher',
  displayName: '街道调度员',
  role: 'street_dispatcher',
  scopeCode: '110102001',
  scopeName: '西长安街街道',
  organisationId: null,
  organisationName: null,
  phone: null,
  active: true,
};

const items: ContractorItem[] = [
  { code: 'R01', area: '道路清扫', name: '路面无杂物', points: 2 },
  { code: 'R02', area: '道路清扫', name: '边角无积尘', points: 1 },
  { code: 'T01', area: '公共厕所', name: '地面无积水', points: 3 },
];

const alley: CoverageAlley = {
  id: 'aly_1',
  name: '光明胡同',
  streetCode: '110102001',
  communityCode: null,
  gridCodes: [],
  lengthM: 200,
  covered: false,
  walkedBy: [],
};

describe('itemOptions', () => {
  it('groups the district’s items by area with their points', () => {
    const groups = itemOptions(items);
    expect(groups.map((g) => g.label)).toEqual(['道路清扫', '公共厕所']);
    expect(groups[0]?.options.map((o) => o.label)).toEqual(['R01 路面无杂物（2）', 'R02 边角无积尘（1）']);
  });
});

describe('ContractorCheckForm', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('sends the check and shows each finding’s occurrence in the month as the server counts it', async () => {
    const posted: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async (input, init) => {
        const url = requestUrl(input);
        if (url.startsWith('/api/organisations'))
          return json(200, [
            { id: 'org_clean', name: '示例保洁公司', kind: 'contractor', scopeCode: '110102' },
          ]);
        if (url.startsWith('/api/contractor-checks/items')) return json(200, items);
        if (url === '/api/contractor-checks' && init?.method === 'POST') {
          posted.push(JSON.parse(String(init.body)));
          return json(201, {
            id: 'chk_2',
            organisationId: 'org_clean',
            month: '2026-12',
            score: 96,
            findings: [{ itemCode: 'R01', occurrence: 2, deduction: 4 }],
          });
        }
        if (url.startsWith('/api/contractor-checks')) return json(200, []);
        return json(404, { error: { code: 'NOT_FOUND', message: url } });
      }),
    );
    renderConsoleRoute({
      user: dispatcher,
      element: <ContractorCheckForm alleys={[alley]} month="2026-12" />,
    });
    const labels = zhCN.supervision.contractors;

    fireEvent.mouseDown(await screen.findByLabelText(labels.name));
    fireEvent.click(await screen.findByTitle('示例保洁公司'));
    fireEvent.mouseDown(screen.getByLabelText(zhCN.supervision.inspections.alley));
    fireEvent.click(await screen.findByTitle('光明胡同'));
    fireEvent.click(screen.getByRole('button', { name: plain(zhCN.supervision.inspections.addFinding) }));
    fireEvent.mouseDown(await screen.findByLabelText(labels.item));
    fireEvent.click(await screen.findByTitle('R01 路面无杂物（2）'));
    fireEvent.click(screen.getByRole('button', { name: plain(labels.submit) }));

    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toEqual({
      organisationId: 'org_clean',
      alleyId: 'aly_1',
      streetCode: '110102001',
      findings: [{ itemCode: 'R01' }],
    });
    const created = await screen.findByTestId('contractor-check-created');
    expect(created.textContent).toContain('96');
    expect(created.textContent).toContain('路面无杂物：本月第 2 次，扣 4 分');
  }, 60_000);
});
