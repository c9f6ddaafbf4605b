import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';
import type { Organisation } from '../api/types';

/** Shapes of the supervision API, from the generated contract (server: supervision/*.schema.ts). */
export type IndicatorSystem = ResponseOf<'/api/indicators', 'get'>;
export type Indicator = IndicatorSystem['items'][number];
export type IndicatorVersion = ResponseOf<'/api/indicators/versions', 'get'>[number];
export type Coverage = ResponseOf<'/api/patrols/coverage', 'get'>;
export type CoverageAlley = Coverage['alleys'][number];
export type LivePosition = ResponseOf<'/api/patrols/live', 'get'>[number];
export type InspectionSummary = ResponseOf<'/api/inspections', 'get'>[number];
export type InspectionSheet = ResponseOf<'/api/inspections/form', 'get'>;
export type InspectionFormItem = InspectionSheet['items'][number];
export type InspectionDetail = ResponseOf<'/api/inspections/{id}', 'get'>;
export type ContractorMonth = ResponseOf<'/api/contractor-checks/monthly', 'get'>[number];
export type TierProgress = ResponseOf<'/api/tier-plans/progress', 'get'>;

export const useIndicators = () =>
  useQuery({
    queryKey: ['indicators'],
    queryFn: ({ signal }) => api.get<IndicatorSystem>('/api/indicators', {}, signal),
  });
export const useIndicatorVersions = () =>
  useQuery({
    queryKey: ['indicators', 'versions'],
    queryFn: ({ signal }) => api.get<IndicatorVersion[]>('/api/indicators/versions', {}, signal),
  });

export function useSaveIndicators() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (items: BodyOf<'/api/indicators', 'put'>['items']) =>
      apiRequest<IndicatorSystem>('/api/indicators', { method: 'PUT', body: { items } }),
    onSettled: () => qc.invalidateQueries({ queryKey: ['indicators'] }),
  });
}

export function useActivateVersion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<IndicatorSystem>(`/api/indicators/versions/${id}/activate`, {}),
    onSettled: () => qc.invalidateQueries({ queryKey: ['indicators'] }),
  });
}

export const useCoverage = (period: 'day' | 'week') =>
  useQuery({
    queryKey: ['coverage', period],
    queryFn: ({ signal }) => api.get<Coverage>('/api/patrols/coverage', { period, geometry: 'true' }, signal),
    retry: false,
  });
export const useLive = (enabled: boolean) =>
  useQuery({
    queryKey: ['patrols', 'live'],
    queryFn: ({ signal }) => api.get<LivePosition[]>('/api/patrols/live', {}, signal),
    refetchInterval: 15_000,
    enabled,
    retry: false,
  });
export const useInspections = () =>
  useQuery({
    queryKey: ['inspections'],
    queryFn: ({ signal }) => api.get<InspectionSummary[]>('/api/inspections', {}, signal),
    retry: false,
  });

/** Sent as multipart: `alleyId`, `versionId`, `findings` (JSON text), `photos` and `photoFindings`. */
export function useCreateInspection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: FormData) =>
      api.post<ResponseOf<'/api/inspections', 'post'>>('/api/inspections', body),
    onSettled: () => qc.invalidateQueries({ queryKey: ['inspections'] }),
  });
}

export const useInspectionForm = (alleyId: string | undefined) =>
  useQuery({
    queryKey: ['inspections', 'form', alleyId],
    queryFn: ({ signal }) => api.get<InspectionSheet>('/api/inspections/form', { alleyId }, signal),
    enabled: Boolean(alleyId),
    retry: false,
  });

export const useInspection = (id: string) =>
  useQuery({
    queryKey: ['inspections', id],
    queryFn: ({ signal }) =>
      api.get<InspectionDetail>(`/api/inspections/${encodeURIComponent(id)}`, {}, signal),
    retry: false,
  });

export const useContractorMonth = (month: string) =>
  useQuery({
    queryKey: ['contractor-checks', month],
    queryFn: ({ signal }) => api.get<ContractorMonth[]>('/api/contractor-checks/monthly', { month }, signal),
    retry: false,
  });
export type ContractorItem = ResponseOf<'/api/contractor-checks/items', 'get'>[number];
export type ContractorCheck = ResponseOf<'/api/contractor-checks', 'get'>[number];
export type NewContractorCheck = BodyOf<'/api/contractor-checks', 'post'>;
export type { Organisation };

export const useContractors = () =>
  useQuery({
    queryKey: ['organisations', 'contractor'],
    queryFn: ({ signal }) => api.get<Organisation[]>('/api/organisations', { kind: 'contractor' }, signal),
    retry: false,
  });
export const useContractorItems = () =>
  useQuery({
    queryKey: ['contractor-checks', 'items'],
    queryFn: ({ signal }) => api.get<ContractorItem[]>('/api/contractor-checks/items', {}, signal),
    retry: false,
  });
export const useContractorChecks = (month: string) =>
  useQuery({
    queryKey: ['contractor-checks', 'list', month],
    queryFn: ({ signal }) => api.get<ContractorCheck[]>('/api/contractor-checks', { month }, signal),
    retry: false,
  });
export function useCreateContractorCheck() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewContractorCheck) =>
      api.post<ResponseOf<'/api/contractor-checks', 'post'>>('/api/contractor-checks', body),
    onSettled: () => qc.invalidateQueries({ queryKey: ['contractor-checks'] }),
  });
}

export const useTierProgress = () =>
  useQuery({
    queryKey: ['tier-plans', 'progress'],
    queryFn: ({ signal }) => api.get<TierProgress>('/api/tier-plans/progress', {}, signal),
    retry: false,
  });
