import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../api/client';
import type { ResponseOf, Schemas } from '../api/contract';
import type { Page } from '../api/types';
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
  /** A taxonomy key: only cases filed under it. */
  category?: string;
  limit: number;
  offset: number;
}

/** A page of cases; `totalCapped` means more than `total` match (the server stops counting at 10,000). */
export type CasePage = Page<CaseDto> & { totalCapped: boolean };

/** A total for display: "10,000+" when the server stopped counting. */
export function formatTotal(page: { total: number; totalCapped?: boolean }): string {
  return `${page.total.toLocaleString('en-US')}${page.totalCapped ? '+' : ''}`;
}

export function fetchCases(query: CaseQuery, signal?: AbortSignal): Promise<CasePage> {
  return api.get<CasePage>(
    '/api/cases',
    { state: query.states?.join(','), category: query.category, limit: query.limit, offset: query.offset },
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

/** Rules of the case loop that forms check before sending; the server serves them (and enforces them). */
export function useCaseRules() {
  return useQuery({
    queryKey: ['config', 'cases'],
    queryFn: ({ signal }) =>
      api.get<ResponseOf<'/api/config/cases', 'get'>>('/api/config/cases', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
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
export function uploadAfterPhoto(
  caseId: string,
  file: Blob,
  name: string,
  signal?: AbortSignal,
  role: 'after' | 'evidence' = 'after',
) {
  const form = new FormData();
  form.append('photos', file, name);
  return apiRequest<MediaView[]>(`/api/cases/${encodeURIComponent(caseId)}/photos`, {
    method: 'POST',
    body: form,
    query: { role },
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

export type Tier1Handler = Schemas['Tier1Handler'];

/**
 * Grid workers and alley chiefs who can take a tier-1 case at this place (its grid, else its street):
 * those whose jurisdiction covers it or lies inside it, as the dispatcher's picker needs them.
 */
export function useTier1Handlers(territoryCode: string, enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'tier1-handlers', territoryCode],
    queryFn: async ({ signal }) =>
      (
        await api.get<{ items: Tier1Handler[] }>(
          '/api/users/tier1-handlers',
          { territory: territoryCode },
          signal,
        )
      ).items,
    enabled,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
