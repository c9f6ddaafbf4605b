import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { changeLanguage } from '../i18n';
import zhCN from '../i18n/zh-CN.json';
import { renderConsoleRoute } from '../test-render';
import { DISTRICT_ADMIN, json, requestUrl } from '../test-support';
import { Open311ClientsPage } from './Open311ClientsPage';
import type { Open311Client } from './open311Api';

const admin = DISTRICT_ADMIN;

const demoClient: Open311Client = {
  id: 'o311c_demo',
  name: '示例 Open311 客户端 (demo)',
  districtCode: '110102',
  active: true,
  createdAt: '2026-11-02T01:00:00.000Z',
  createdBy: null,
};

/** A tiny fake of /api/open311/clients that remembers what the page did to it. */
function fakeServer() {
  const clients: Open311Client[] = [demoClient];
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = requestUrl(input);
      const method = init?.method ?? 'GET';
      calls.push(`${method} ${url}`);
      if (method === 'GET' && url === '/api/open311/clients') return json(200, { items: clients });
      if (method === 'POST' && url === '/api/open311/clients') {
        const { name } = JSON.parse(String(init?.body)) as { name: string };
        const client = { ...demoClient, id: 'o311c_new', name };
        clients.push(client);
        return json(201, { client, apiKey: 'k3y-shown-once' });
      }
      const revoke = /^\/api\/open311\/clients\/([^/]+)\/revoke$/.exec(url);
      if (method === 'POST' && revoke) {
        const client = clients.find((c) => c.id === revoke[1])!;
        client.active = false;
        return json(200, client);
      }
      return json(404, { error: { code: 'NOT_FOUND', message: url } });
    }),
  );
  renderConsoleRoute({ user: admin, element: <Open311ClientsPage /> });
  return calls;
}

describe('Open311ClientsPage', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  });

  it('lists the clients, registers a new one and shows its key once', async () => {
    const calls = fakeServer();
    expect(await screen.findByText(demoClient.name)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: (n) => n.replace(/\s/g, '') === zhCN.open311.add }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(zhCN.open311.name), {
      target: { value: '  随手拍 App ' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: (n) => n.replace(/\s/g, '') === zhCN.open311.add }),
    );
    expect(await screen.findByText('k3y-shown-once')).toBeTruthy();
    expect(screen.getByText(zhCN.open311.keyOnce)).toBeTruthy();
    expect(calls).toContain('POST /api/open311/clients');
    fireEvent.click(screen.getByRole('button', { name: zhCN.open311.keySaved }));
    await waitFor(() => expect(screen.queryByText('k3y-shown-once')).toBeNull());
    expect(await screen.findByText('随手拍 App')).toBeTruthy();
    // jsdom lays out antd's two dialogs slowly on a shared CI machine.
  }, 30_000);

  it('revokes a client after confirmation', async () => {
    const calls = fakeServer();
    const row = (await screen.findByText(demoClient.name)).closest('tr') as HTMLElement;
    fireEvent.click(
      within(row).getByRole('button', { name: (n) => n.replace(/\s/g, '') === zhCN.open311.revoke }),
    );
    const confirm = await screen.findByRole('tooltip');
    fireEvent.click(
      within(confirm).getByRole('button', { name: (n) => n.replace(/\s/g, '') === zhCN.open311.revoke }),
    );
    await waitFor(() => expect(calls).toContain('POST /api/open311/clients/o311c_demo/revoke'));
    expect(await within(row).findByText(zhCN.open311.inactive)).toBeTruthy();
  }, 30_000);
});
