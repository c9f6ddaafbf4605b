import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from '../api/client';
import { isSessionKey, sessionKey } from '../api/queryClient';
import type { Health, Session } from '../api/types';

export interface Credentials {
  username: string;
  password: string;
}

/** The current session, or null when nobody is signed in (401 is an answer here, not an error). */
export async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api.get<Session>('/api/auth/me');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSession() {
  return useQuery({ queryKey: sessionKey, queryFn: fetchSession, staleTime: 5 * 60_000, retry: false });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: Credentials) => {
      const session = await api.post<Session>('/api/auth/login', credentials);
      setCsrfToken(session.csrfToken);
      return session;
    },
    onSuccess: (session) => {
      // Whatever was cached belonged to the previous user, if any.
      queryClient.removeQueries({ predicate: (query) => !isSessionKey(query.queryKey) });
      queryClient.setQueryData(sessionKey, session);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>('/api/auth/logout'),
    // Even if the server could not be told, the user asked to leave: forget the session locally.
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(sessionKey, null);
    },
  });
}

export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: () => api.get<Health>('/api/health'),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}
