/**
 * The console's providers around a page, for the web tests. Only tests import this module, so it never
 * reaches a page's bundle.
 */
import { type RenderResult, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { AppProviders } from './App';
import { createQueryClient } from './api/queryClient';
import type { Capability, User, UsualFilingChannel } from './api/types';
import { CapabilitiesContext, CurrentUserContext, FilingChannelContext } from './auth/currentUser';

export interface ConsoleRoute {
  user: User;
  /** What the server lets the user open (`capabilities` of the session); none when omitted. */
  capabilities?: readonly Capability[];
  /** The session's usual filing channel; none when omitted. */
  filingChannel?: UsualFilingChannel | null;
  /** The location the router starts at; the router's own default when omitted. */
  path?: string;
  /** The route pattern the element is mounted under (e.g. `/cases/:id`); without it, no `<Routes>`. */
  pattern?: string;
  element: ReactNode;
}

/** Renders a console page signed in as `user`, with a fresh query cache, under a memory router. */
export function renderConsoleRoute({
  user,
  capabilities = [],
  filingChannel = null,
  path,
  pattern,
  element,
}: ConsoleRoute): RenderResult {
  return render(
    <AppProviders queryClient={createQueryClient()}>
      <CurrentUserContext value={user}>
        <CapabilitiesContext value={capabilities}>
          <FilingChannelContext value={filingChannel}>
            <MemoryRouter initialEntries={path === undefined ? undefined : [path]}>
              {pattern === undefined ? (
                element
              ) : (
                <Routes>
                  <Route path={pattern} element={element} />
                </Routes>
              )}
            </MemoryRouter>
          </FilingChannelContext>
        </CapabilitiesContext>
      </CurrentUserContext>
    </AppProviders>,
  );
}
