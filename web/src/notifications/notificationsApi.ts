import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ResponseOf } from '../api/contract';

/** The caller's own inbox, as `/api/notifications` sends it. */
export type Inbox = ResponseOf<'/api/notifications', 'get'>;
/** One notice of it. */
export type NotificationView = Inbox['items'][number];

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread'] as const,
  inbox: (unreadOnly: boolean, limit: number) => ['notifications', 'inbox', unreadOnly, limit] as const,
};

/** How many notices are still unread: the inbox's own count, with one row to keep the answer small. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: async ({ signal }) =>
      (await api.get<Inbox>('/api/notifications', { unread: 'true', limit: 1 }, signal)).unread,
    // The bell is in every page's header: a minute is fresh enough for work that is counted in hours.
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

export function useInbox(unreadOnly: boolean, limit: number) {
  return useQuery({
    queryKey: notificationKeys.inbox(unreadOnly, limit),
    queryFn: ({ signal }) =>
      api.get<Inbox>('/api/notifications', { unread: unreadOnly ? 'true' : undefined, limit }, signal),
    staleTime: 15_000,
  });
}

/** Marks one notice read (or all with `id` null); the bell and every inbox view refresh. */
export function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string | null) =>
      api.post<{ unread: number }>(
        id === null ? '/api/notifications/read-all' : `/api/notifications/${encodeURIComponent(id)}/read`,
      ),
    onSuccess: async ({ unread }) => {
      client.setQueryData(notificationKeys.unread, unread);
      await client.invalidateQueries({ queryKey: notificationKeys.all });
    },
  });
}
