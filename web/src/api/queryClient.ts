import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './client';

export const sessionKey = ['auth', 'session'] as const;

export function isSessionKey(queryKey: readonly unknown[]): boolean {
  return queryKey[0] === sessionKey[0] && queryKey[1] === sessionKey[1];
}

function isSessionLost(error: unknown): boolean {
  // A wrong password is also a 401, but it does not mean an existing session ended.
  return error instanceof ApiError && error.status === 401 && error.code !== 'INVALID_CREDENTIALS';
}

/**
 * When any request finds the session gone (expired, logged out elsewhere), clearing the cached
 * session sends the user to the login page through RequireAuth instead of leaving broken screens.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isSessionLost(error) && !isSessionKey(query.queryKey)) client.setQueryData(sessionKey, null);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error) => {
        if (isSessionLost(error)) client.setQueryData(sessionKey, null);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors (4xx) will not heal by retrying; only network and server errors are retried.
        retry: (failureCount, error) =>
          failureCount < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
    },
  });
  return client;
}
