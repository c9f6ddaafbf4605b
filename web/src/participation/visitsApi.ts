import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';

/** Household visits (十必访) for the console: households of the staff's scope, what is due, the log. */
const KEY = ['participation', 'visits'] as const;

export type VisitKind = ResponseOf<'/api/visits/kinds', 'get'>['items'][number];
export type Household = ResponseOf<'/api/visits/households', 'get'>['items'][number];
export type DueState = Household['state'];
export type Due = ResponseOf<'/api/visits/due', 'get'>;
export type NewVisit = BodyOf<'/api/visits', 'post'>;

export function useVisitKinds() {
  return useQuery({
    queryKey: [...KEY, 'kinds'],
    queryFn: ({ signal }) =>
      api.get<ResponseOf<'/api/visits/kinds', 'get'>>('/api/visits/kinds', undefined, signal),
  });
}

export function useHouseholds() {
  return useQuery({
    queryKey: [...KEY, 'households'],
    queryFn: ({ signal }) =>
      api.get<ResponseOf<'/api/visits/households', 'get'>>('/api/visits/households', undefined, signal),
    select: (r) => r.items,
  });
}

export function useDue() {
  return useQuery({
    queryKey: [...KEY, 'due'],
    queryFn: ({ signal }) => api.get<Due>('/api/visits/due', undefined, signal),
  });
}

export const recordVisit = (input: NewVisit) =>
  api.post<ResponseOf<'/api/visits', 'post'>>('/api/visits', input);

export type Official = ResponseOf<'/api/visits/officials', 'get'>['items'][number];

/** Who may answer for the visits of a community's households (staff, by name and role). */
export function useOfficials(communityCode: string | null) {
  return useQuery({
    queryKey: [...KEY, 'officials', communityCode],
    enabled: communityCode !== null,
    queryFn: ({ signal }) =>
      api.get<ResponseOf<'/api/visits/officials', 'get'>>(
        '/api/visits/officials',
        { community: communityCode ?? undefined },
        signal,
      ),
    select: (r) => r.items,
  });
}

export const registerHousehold = (input: BodyOf<'/api/visits/households', 'post'>) =>
  api.post<ResponseOf<'/api/visits/households', 'post'>>('/api/visits/households', input);
