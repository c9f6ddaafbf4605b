import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ManagedUser, NewUser, Page, RoleRules } from '../api/types';

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

/** Each role's rules for an account (jurisdiction, kind of organisation), as the server keeps them. */
export function useRoleRules() {
  return useQuery({
    queryKey: ['users', 'roles'],
    queryFn: ({ signal }) => api.get<{ items: RoleRules[] }>('/api/users/roles', undefined, signal),
    select: (data) => new Map(data.items.map((r) => [r.role, r] as const)),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
