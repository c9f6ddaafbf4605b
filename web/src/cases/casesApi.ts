import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, apiRequest } from '../api/client';
import type { ManagedUser, Page } from '../api/types';
import type {
  ActionResult,
  ActionType,
  CaseDetail,
  CaseDto,
  CaseState,
  MediaView,
  TaxonomyEntry,
} from './caseTypes';

export const caseKeys = {
  all: ['cases'] as const,
  list: (query: CaseQuery) => ['cases', 'list', query] as const,
  detail: (id: string) => ['cases', 'detail', id] as const,
};

export interface CaseQuery {
  states?: readonly CaseState[];
  limit: number;
  offset: number;
}

export function fetchCases(query: CaseQuery, signal?: AbortSignal): Promise<Page<CaseDto>> {
  return api.get<Page<CaseDto>>(
    '/api/cases',
    { state: query.states?.join(','), limit: query.limit, offset: query.offset },
    signal,
  );
}

export function useCases(query: CaseQuery) {
  return useQuery({
    queryKey: caseKeys.list(query),
    queryFn: ({ signal }) => fetchCases(query, signal),
    placeholderData: keepPreviousData,
    // Queues move while people work; a minute-old queue is still useful, an hour-old one is not.
    staleTime: 15_000,
    refetchInterval: 60_000,
  });
}

export function useCase(id: string) {
  return useQuery({
    queryKey: caseKeys.detail(id),
    queryFn: ({ signal }) => api.get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export type ActionBody = Record<string, unknown>;

export function useCaseAction(caseId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, body }: { action: ActionType; body: ActionBody }) =>
      api.post<ActionResult>(
        `/api/cases/${encodeURIComponent(caseId)}/actions/${encodeURIComponent(action)}`,
        body,
      ),
    // Every queue may have gained or lost the case, so all case queries are refreshed.
    onSettled: () => queryClient.invalidateQueries({ queryKey: caseKeys.all }),
  });
}

/**
 * Uploads one after-photo for a case; the ids it returns go with the feedback action, which is what
 * attaches them to the case (an upload alone attaches nothing and is swept up if never used).
 */
export function uploadAfterPhoto(caseId: string, file: Blob, name: string, signal?: AbortSignal) {
  const form = new FormData();
  form.append('photos', file, name);
  return apiRequest<MediaView[]>(`/api/cases/${encodeURIComponent(caseId)}/photos`, {
    method: 'POST',
    body: form,
    query: { role: 'after' },
    signal,
  });
}

/** The whole active taxonomy (a few hundred rows): pickers filter it locally, as the user types. */
export function useTaxonomy(enabled = true) {
  return useQuery({
    queryKey: ['taxonomy', 'all'],
    queryFn: async ({ signal }) =>
      (await api.get<{ items: TaxonomyEntry[] }>('/api/taxonomy', undefined, signal)).items,
    staleTime: 10 * 60_000,
    enabled,
  });
}

/**
 * Grid workers and alley chiefs who can take a tier-1 case. Listing users is for administrators, so for
 * everybody else this answers null and the form asks for the user id instead.
 */
export function useTier1Handlers(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'tier1-handlers'],
    queryFn: async ({ signal }): Promise<ManagedUser[] | null> => {
      try {
        const page = await api.get<Page<ManagedUser>>('/api/users', { limit: 500 }, signal);
        return page.items.filter(
          (user) => user.active && (user.role === 'grid_worker' || user.role === 'alley_chief'),
        );
      } catch (error) {
        if (error instanceof ApiError && (error.status === 403 || error.status === 401)) return null;
        throw error;
      }
    },
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
