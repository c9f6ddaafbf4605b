import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Capability } from '../api/types';
import { json, requestUrl } from '../test-support';
import { I18nProvider } from './i18n';
import { LoginPage } from './LoginPage';
import { zhCN } from './messages';
import { paths } from './router';
import { SessionProvider } from './session';

const user = (role: string) => ({
  id: `usr_${role}`,
  username: `demo-${role}`,
  displayName: role,
  role,
  scopeCode: '110102001',
  scopeName: null,
  organisationId: null,
  organisationName: null,
  phone: null,
  active: true,
});

/** Signs in as an account of this role whom the server grants these capabilities; returns the calls made. */
async function signIn(role: string, capabilities: Capability[], next: string | null) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn<typeof fetch>(async (input, init) => {
      const call = `${init?.method ?? 'GET'} ${requestUrl(input)}`;
      calls.push(call);
      if (call === 'POST /api/auth/login')
        return json(200, { user: user(role), capabilities, csrfToken: 'c' });
      if (call === 'POST /api/auth/logout') return new Response(null, { status: 204 });
      return json(401, { error: { code: 'UNAUTHENTICATED', message: 'no' } });
    }),
  );
  vi.spyOn(window, 'scrollTo').mockImplementation(() => {});
  window.history.replaceState(null, '', paths.login(next ?? undefined));
  render(
    <I18nProvider initial="zh-CN">
      <SessionProvider>
        <LoginPage next={next} />
      </SessionProvider>
    </I18nProvider>,
  );
  fireEvent.change(screen.getByLabelText(zhCN['login.username']), { target: { value: `demo-${role}` } });
  fireEvent.change(screen.getByLabelText(zhCN['login.password']), { target: { value: 'demo' } });
  fireEvent.click(screen.getByRole('button', { name: zhCN['login.submit'] }));
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the resident sign-in', () => {
  it('keeps the session of an account the server lets own its reports', async () => {
    const calls = await signIn('resident', ['report.own', 'points.own'], paths.points);
    await waitFor(() => expect(window.location.pathname).toBe(paths.points));
    expect(calls).not.toContain('POST /api/auth/logout');
  });

  it('opens the patrol page for an account the server lets walk a patrol, whatever its role', async () => {
    const calls = await signIn('grid_worker', ['case.read', 'patrol.walk'], paths.patrol);
    await waitFor(() => expect(window.location.pathname).toBe(paths.patrol));
    expect(calls).not.toContain('POST /api/auth/logout');
  });

  it('signs a staff account out again and sends it to the console, patrol or not, elsewhere', async () => {
    const calls = await signIn('grid_worker', ['case.read', 'patrol.walk'], paths.points);
    expect(await screen.findByText(zhCN['login.notResident'], { exact: false })).toBeTruthy();
    expect(calls).toContain('POST /api/auth/logout');
  });

  it('goes by the capabilities, not the role’s name: without report.own even a resident is not kept', async () => {
    const calls = await signIn('resident', [], paths.points);
    expect(await screen.findByText(zhCN['login.notResident'], { exact: false })).toBeTruthy();
    expect(calls).toContain('POST /api/auth/logout');
  });
});
