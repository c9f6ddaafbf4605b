import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ManagedUser, NewUser, Page } from '../api/types';

export const USER_PAGE_SIZE = 20;

export interface UserQuery {
  q?: string;
  limit: number;
  offset: number;
}

export function useUsers(query: UserQuery) {
  return useQuery({
    queryKey: ['users', query],
    queryFn: ({ signal }) => api.get<Page<ManagedUser>>('/api/users', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (user: NewUser) => api.post<ManagedUser>('/api/users', user),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useSetUserActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      api.patch<ManagedUser>(`/api/users/${encodeURIComponent(id)}`, { active }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}
