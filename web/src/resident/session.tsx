import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { fetchSession, logout } from './api';
import type { Capability, SessionUser, SignedIn } from './types';

interface Session {
  /** null: nobody is signed in (or the check failed: the page works anonymously then). */
  user: SessionUser | null;
  /**
   * Whether the server lets the signed-in account do this (its `capabilities`, computed by the server's
   * authorisation module): the page asks rather than knowing which role may what. The server still
   * decides every request.
   */
  can: (capability: Capability) => boolean;
  ready: boolean;
  setSession: (session: SignedIn | null) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session>({
  user: null,
  can: () => false,
  ready: true,
  setSession: () => {},
  signOut: async () => {},
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SignedIn | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    fetchSession()
      .then(setSession, () => setSession(null))
      .finally(() => setReady(true));
  }, []);
  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      setSession(null);
    }
  }, []);
  const value = useMemo(
    () => ({
      user: session?.user ?? null,
      can: (capability: Capability) => session?.capabilities.includes(capability) ?? false,
      ready,
      setSession,
      signOut,
    }),
    [session, ready, signOut],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}
