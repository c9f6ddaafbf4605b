import { screen, waitFor } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { changeLanguage } from '../i18n';
import { renderConsoleRoute } from '../test-render';
import { json, requestUrl } from '../test-support';
import { TerritorySummary } from './TerritorySummary';

const street = (code: string, communities: number, alleys: number) => ({
  code,
  name: code,
  districtCode: '110102',
  center: [116.37, 39.91],
  approximate: true,
  communityCount: communities,
  alleyCount: alleys,
});

const streetDesk: User = {
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

function stub() {
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input) => {
      const url = requestUrl(input);
      if (url.startsWith('/api/territory/streets'))
        return json(200, [
          street('110102001', 8, 120),
          street('110102003', 10, 200),
          street('110102004', 6, 90),
        ]);
      if (url.startsWith('/api/territory/alleys')) return json(200, { items: [], total: 0 });
      return json(404, { error: { code: 'NOT_FOUND', message: url } });
    }),
  );
}

const statistic = (title: string) =>
  screen.getByText(title).closest('.ant-statistic')?.querySelector('.ant-statistic-content')?.textContent;

describe('TerritorySummary', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it("counts a street desk's own street, not the whole district", async () => {
    stub();
    renderConsoleRoute({ user: streetDesk, element: <TerritorySummary /> });
    await waitFor(() => expect(statistic('街道数')).toBe('1'));
    expect(statistic('社区数')).toBe('8');
  });

  it('counts every street for the district', async () => {
    stub();
    renderConsoleRoute({
      user: { ...streetDesk, role: 'district_admin', scopeCode: '110102', scopeName: '西城区' },
      element: <TerritorySummary />,
    });
    await waitFor(() => expect(statistic('街道数')).toBe('3'));
  });

  it('counts every street for an account whose cases are those assigned to its unit, wherever they lie', async () => {
    stub();
    renderConsoleRoute({
      user: { ...streetDesk, role: 'contractor' },
      capabilities: ['case.read', 'ledger.read', 'case.read_assigned'],
      element: <TerritorySummary />,
    });
    await waitFor(() => expect(statistic('街道数')).toBe('3'));
  });
});
