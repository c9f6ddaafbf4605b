import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';

/** Household visits (十必访) for the console: households of the staff's scope, what is due, the log. */
const KEY = ['participation', 'visits'] as const;

export type DueState = 'ok' | 'due' | 'overdue';
export interface VisitKind {
  code: string;
  name: string;
  intervalDays: number;
}
export interface Household {
  id: string;
  communityCode: string;
  label: string;
  address: string;
  kinds: string[];
  contactName: string;
  contactPhone: string;
  officialUserId: string | null;
  officialName: string | null;
  intervalDays: number;
  lastVisitAt: string | null;
  dueAt: string;
  state: DueState;
  daysOverdue: number;
}
export interface Due {
  officials: {
    officialUserId: string | null;
    officialName: string | null;
    total: number;
    ok: number;
    due: number;
    overdue: number;
  }[];
  households: Household[];
}

export function useVisitKinds() {
  return useQuery({
    queryKey: [...KEY, 'kinds'],
    queryFn: ({ signal }) =>
      api.get<{ illustrative: boolean; items: VisitKind[] }>('/api/visits/kinds', undefined, signal),
  });
}

export function useHouseholds() {
  return useQuery({
    queryKey: [...KEY, 'households'],
    queryFn: ({ signal }) => api.get<{ items: Household[] }>('/api/visits/households', undefined, signal),
    select: (r) => r.items,
  });
}

export function useDue() {
  return useQuery({
    queryKey: [...KEY, 'due'],
    queryFn: ({ signal }) => api.get<Due>('/api/visits/due', undefined, signal),
  });
}

export const recordVisit = (input: {
  householdId: string;
  notes?: string;
  issue?: { description: string; lng: number; lat: number };
}) => api.post<{ id: string; caseNumber: string | null }>('/api/visits', input);

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
