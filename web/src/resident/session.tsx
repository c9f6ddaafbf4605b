import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { fetchSession, logout } from './api';
import type { SessionUser } from './types';

interface Session {
  /** null: nobody is signed in (or the check failed: the page works anonymously then). */
  user: SessionUser | null;
  ready: boolean;
  setUser: (user: SessionUser | null) => void;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<Session>({
  user: null,
  ready: true,
  setUser: () => {},
  signOut: async () => {},
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    fetchSession()
      .then(setUser, () => setUser(null))
      .finally(() => setReady(true));
  }, []);
  const signOut = useCallback(async () => {
    try {
      await logout();
    } finally {
      setUser(null);
    }
  }, []);
  const value = useMemo(() => ({ user, ready, setUser, signOut }), [user, ready, signOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): Session {
  return useContext(SessionContext);
}
