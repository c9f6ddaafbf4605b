import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppProviders } from '../App';
import { createQueryClient } from '../api/queryClient';
import i18n, { changeLanguage } from '../i18n';
import zhCN from '../i18n/zh-CN.json';
import { LoginPage } from './LoginPage';

type Handler = (init: RequestInit | undefined) => Response;

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function mockApi(handlers: Record<string, Handler>) {
  const fetchMock = vi.fn<typeof fetch>(async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const handler = handlers[`${init?.method ?? 'GET'} ${url}`];
    return handler ? handler(init) : jsonResponse(404, { error: { code: 'NOT_FOUND', message: url } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function renderLogin() {
  const queryClient = createQueryClient();
  return render(
    <AppProviders queryClient={queryClient}>
      <MemoryRouter initialEntries={['/login']}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<p>home</p>} />
        </Routes>
      </MemoryRouter>
    </AppProviders>,
  );
}

const signedOut = {
  'GET /api/auth/me': () => jsonResponse(401, { error: { code: 'UNAUTHENTICATED', message: 'No session' } }),
  'GET /api/health': () => jsonResponse(200, { status: 'ok', demo: true }),
};

function fillAndSubmit(username: string, password: string) {
  fireEvent.change(screen.getByLabelText(zhCN.auth.username), { target: { value: username } });
  fireEvent.change(screen.getByLabelText(zhCN.auth.password), { target: { value: password } });
  // antd spaces out two-character CJK button labels ("登 录"), so compare without whitespace.
  fireEvent.click(
    screen.getByRole('button', { name: (name) => name.replace(/\s/g, '') === zhCN.auth.submit }),
  );
}

describe('LoginPage', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  });

  beforeEach(() => {
    expect(i18n.language).toBe('zh-CN');
  });

  it('renders labelled inputs and the demo accounts hint', async () => {
    mockApi(signedOut);
    renderLogin();
    expect(await screen.findByLabelText(zhCN.auth.username)).toBeTruthy();
    expect(screen.getByLabelText(zhCN.auth.password)).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'demo-street_dispatcher' })).toBeTruthy();
  });

  it('shows the INVALID_CREDENTIALS message when the server refuses the password', async () => {
    const fetchMock = mockApi({
      ...signedOut,
      'POST /api/auth/login': () =>
        jsonResponse(401, {
          error: { code: 'INVALID_CREDENTIALS', message: 'Invalid username or password' },
        }),
    });
    renderLogin();
    await screen.findByLabelText(zhCN.auth.username);
    fillAndSubmit('demo-street_dispatcher', 'wrong');

    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((alert) => alert.textContent).join()).toContain(zhCN.auth.invalidCredentials);
    const loginCall = fetchMock.mock.calls.find(([, init]) => init?.method === 'POST');
    expect(JSON.parse(String(loginCall?.[1]?.body))).toEqual({
      username: 'demo-street_dispatcher',
      password: 'wrong',
    });
  });

  it('shows how long to wait after TOO_MANY_ATTEMPTS', async () => {
    mockApi({
      ...signedOut,
      'POST /api/auth/login': () =>
        jsonResponse(429, {
          error: { code: 'TOO_MANY_ATTEMPTS', message: 'Slow down', details: { retryAfterSeconds: 90 } },
        }),
    });
    renderLogin();
    await screen.findByLabelText(zhCN.auth.username);
    fillAndSubmit('demo-leader', 'x');
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((alert) => alert.textContent).join()).toMatch(/请在 (90|89) 秒后再试/);
  });

  it('goes home after a successful login', async () => {
    mockApi({
      ...signedOut,
      'POST /api/auth/login': () =>
        jsonResponse(200, {
          csrfToken: 'token',
          capabilities: ['case.read', 'measure.read'],
          user: {
            id: 'u1',
            username: 'demo-leader',
            displayName: '领导',
            role: 'leader',
            scopeCode: '110102',
            scopeName: '西城区',
            organisationId: null,
            organisationName: null,
          },
        }),
    });
    renderLogin();
    await screen.findByLabelText(zhCN.auth.username);
    fillAndSubmit('demo-leader', 'demo');
    await waitFor(() => expect(screen.getByText('home')).toBeTruthy());
  });
});
