import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { User } from '../api/types';
import { changeLanguage } from '../i18n';
import { renderConsoleRoute } from '../test-render';
import { json, plain, requestUrl } from '../test-support';
import { InboxPage } from './InboxPage';
import { NotificationBell } from './NotificationBell';
import type { NotificationView } from './notificationsApi';

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

function notice(id: string, title: string, readAt: string | null): NotificationView {
  return {
    id,
    kind: 'assigned',
    caseId: `case_${id}`,
    caseNumber: `110102-20261201-0000${id}`,
    title,
    body: `110102-20261201-0000${id}：门口垃圾\n办理时限：2026-12-03 17:30`,
    createdAt: '2026-12-01T02:00:00.000Z',
    readAt,
  };
}

/** A fake inbox that answers like the server: marking read changes what the next list returns. */
function fakeServer() {
  const inbox = [
    notice('1', '新案件待办理', null),
    notice('2', '案件被督办', null),
    notice('3', '案件即将到期', '2026-12-01T03:00:00.000Z'),
  ];
  const posts: string[] = [];
  const unread = () => inbox.filter((n) => n.readAt === null).length;
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const url = new URL(requestUrl(input), 'http://localhost');
      if (init?.method === 'POST') {
        posts.push(url.pathname);
        const match = /^\/api\/notifications\/([^/]+)\/read$/.exec(url.pathname);
        for (const n of inbox) {
          if (url.pathname === '/api/notifications/read-all' || n.id === match?.[1])
            n.readAt ??= '2026-12-01T04:00:00.000Z';
        }
        return json(200, { unread: unread() });
      }
      if (url.pathname === '/api/notifications') {
        const only = url.searchParams.get('unread') === 'true';
        const limit = Number(url.searchParams.get('limit') ?? 50);
        const items = inbox.filter((n) => !only || n.readAt === null).slice(0, limit);
        return json(200, { items, unread: unread() });
      }
      return json(404, { error: { code: 'NOT_FOUND', message: url.pathname } });
    }),
  );
  return posts;
}

describe('the notification bell and inbox', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('shows the unread count on the bell, which links to the inbox', async () => {
    fakeServer();
    renderConsoleRoute({ user: handler, path: '/', element: <NotificationBell /> });
    const bell = await screen.findByRole('link', { name: '通知（2 条未读）' });
    expect(bell.getAttribute('href')).toBe('/notifications');
    expect(within(bell).getByText('2')).toBeTruthy();
  });

  it('lists the notices, marks one read and then all, and the counts follow', async () => {
    const posts = fakeServer();
    renderConsoleRoute({
      user: handler,
      path: '/notifications',
      element: (
        <>
          <NotificationBell />
          <InboxPage />
        </>
      ),
    });
    expect(await screen.findByText('2 条未读')).toBeTruthy();
    const items = await screen.findAllByTestId('notice');
    expect(items.map((item) => item.getAttribute('data-unread'))).toEqual(['true', 'true', 'false']);
    // The notice opens its case, by number.
    expect(screen.getByRole('link', { name: '新案件待办理' }).getAttribute('href')).toBe(
      '/cases/110102-20261201-00001',
    );
    expect(screen.getAllByText(/办理时限：2026-12-03 17:30/)).toHaveLength(3);

    fireEvent.click(screen.getByRole('button', { name: '将“新案件待办理”标为已读' }));
    await waitFor(() => expect(screen.getByText('1 条未读')).toBeTruthy());
    expect(posts).toEqual(['/api/notifications/1/read']);
    expect(await screen.findByRole('link', { name: '通知（1 条未读）' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: plain('全部标为已读') }));
    await waitFor(() => expect(screen.getByText('0 条未读')).toBeTruthy());
    expect(posts).toEqual(['/api/notifications/1/read', '/api/notifications/read-all']);
    expect(await screen.findByRole('link', { name: '通知' })).toBeTruthy();
    await waitFor(() =>
      expect(
        screen.getAllByTestId('notice').every((item) => item.getAttribute('data-unread') === 'false'),
      ).toBe(true),
    );
  });

  it('shows only the unread ones when asked', async () => {
    fakeServer();
    renderConsoleRoute({ user: handler, path: '/notifications', element: <InboxPage /> });
    await screen.findAllByTestId('notice');
    fireEvent.click(screen.getByText('只看未读'));
    await waitFor(() => expect(screen.getAllByTestId('notice')).toHaveLength(2));
  });
});
