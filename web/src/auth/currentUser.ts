import { createContext, useContext } from 'react';
import type { Capability, User, UsualFilingChannel } from '../api/types';

export const CurrentUserContext = createContext<User | null>(null);

/**
 * What the console may offer the signed-in user, as the server computed it from its authorisation
 * module (`capabilities` of `/api/auth/me`); the console keeps no copy of who may do what.
 */
export const CapabilitiesContext = createContext<readonly Capability[]>([]);

/** The channel the server says the signed-in user's filings usually come through (`filingChannel`). */
export const FilingChannelContext = createContext<UsualFilingChannel | null>(null);

/** The signed-in user; only valid below RequireAuth, which provides it. */
export function useCurrentUser(): User {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser must be used below RequireAuth');
  return user;
}

/** Whether the server lets the signed-in user open this area or button (it still decides each request). */
export function useCan(): (capability: Capability) => boolean {
  const capabilities = useContext(CapabilitiesContext);
  return (capability) => capabilities.includes(capability);
}

/** Where the filing form starts for the signed-in user: the server's word, the desk when it has none. */
export function useUsualFilingChannel(): UsualFilingChannel {
  return useContext(FilingChannelContext) ?? 'staff';
}
