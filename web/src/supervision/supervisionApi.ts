import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../api/client';

export interface Indicator {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
  deduction: number;
  deductionCap: number;
  categoryKey: string | null;
  standard: string;
  departmentType: string | null;
  checklistKey: string | null;
  frontage: boolean;
}
export interface IndicatorVersion {
  id: string;
  number: number;
  label: string;
  illustrative: boolean;
  active: boolean;
  createdAt: string;
}
export interface IndicatorSystem {
  versionId: string;
  version: IndicatorVersion;
  shape: [number, number, number];
  items: Indicator[];
}
export interface CoverageAlley {
  id: string;
  name: string;
  streetCode: string;
  lengthM: number;
  covered: boolean;
  walkedBy: string[];
  geometry?: { type: 'LineString'; coordinates: [number, number][] };
}
export interface Coverage {
  scopeCode: string;
  from: string;
  to: string;
  alleyCount: number;
  coveredCount: number;
  alleys: CoverageAlley[];
  streets: { code: string; alleyCount: number; coveredCount: number }[];
  people: {
    userId: string;
    displayName: string;
    role: string;
    patrols: number;
    lengthM: number;
    coveredAlleys: number;
  }[];
}
export interface LivePosition {
  patrolId: string;
  displayName: string;
  role: string;
  lng: number;
  lat: number;
  at: string;
  stale: boolean;
}
export interface InspectionSummary {
  id: string;
  alleyId: string;
  alleyName: string;
  score: number;
  findingCount: number;
  previousId: string | null;
  createdAt: string;
  inspector: { name: string };
}
export interface InspectionFormItem {
  code: string;
  level: number;
  parentCode: string | null;
  name: string;
  standard: string;
  deductionPoints: number;
  deductionCap: number;
  categoryKey: string | null;
  departmentType: string | null;
  checklistKey: string | null;
  frontage: boolean;
}
export interface InspectionSheet {
  alley: { id: string; name: string; streetCode: string; alleyType: string };
  versionId: string;
  items: InspectionFormItem[];
  previous: { id: string; score: number; at: string } | null;
}
export interface InspectionDetail extends InspectionSummary {
  findings: {
    indicatorCode: string;
    indicatorName: string;
    deduction: number;
    lng: number;
    lat: number;
    note: string;
    caseId: string;
    caseNumber: string;
    caseState: string;
  }[];
}
export interface ContractorMonth {
  organisationId: string;
  name: string;
  month: string;
  checks: number;
  averageScore: number;
  deductions: number;
  repeats: number;
}
type Tiers = { exemplary: number; fine: number; compliant: number };
export interface TierProgress {
  plan: {
    id: string;
    name: string;
    startYear: number;
    endYear: number;
    targets: Tiers;
    illustrative: boolean;
  };
  alleys: number;
  met: number;
  streets: { code: string; name: string; alleys: number; met: number; target: Tiers; achieved: Tiers }[];
  overTime: { month: string; met: number; cumulative: number }[];
}

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
    mutationFn: (items: Indicator[]) =>
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
      api.post<{ id: string; score: number; caseNumbers: string[]; previousId: string | null }>(
        '/api/inspections',
        body,
      ),
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
export interface ContractorItem {
  code: string;
  area: string;
  name: string;
  points: number;
}
interface ContractorFinding {
  itemCode: string;
  occurrence: number;
  deduction: number;
}
export interface ContractorCheck {
  id: string;
  organisationId: string;
  organisationName: string;
  streetCode: string;
  alleyId: string | null;
  month: string;
  score: number;
  createdAt: string;
  findings: (ContractorFinding & { note: string })[];
}
export interface Organisation {
  id: string;
  name: string;
  kind: 'street_office' | 'department' | 'contractor';
  scopeCode: string;
}

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
    mutationFn: (body: {
      organisationId: string;
      alleyId?: string;
      streetCode?: string;
      findings: { itemCode: string; note?: string }[];
    }) =>
      api.post<{
        id: string;
        organisationId: string;
        month: string;
        score: number;
        findings: ContractorFinding[];
      }>('/api/contractor-checks', body),
    onSettled: () => qc.invalidateQueries({ queryKey: ['contractor-checks'] }),
  });
}

export const useTierProgress = () =>
  useQuery({
    queryKey: ['tier-plans', 'progress'],
    queryFn: ({ signal }) => api.get<TierProgress>('/api/tier-plans/progress', {}, signal),
    retry: false,
  });
