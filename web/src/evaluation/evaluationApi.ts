import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** Shapes of the evaluation API (server/src/evaluation/*.schema.ts); the server computes every figure. */

export interface Unit {
  level: string;
  code: string;
  name: string;
}

export interface Figures {
  filed: number;
  due: number;
  closed: number;
  closedOnTime: number;
  handledOnTime: number;
  overdue: number;
  reworked: number;
  responseDue: number;
  respondedOnTime: number;
  resolved: number;
  rated: number;
  satisfied: number;
  closureRate: number | null;
  onTimeRate: number | null;
  handledOnTimeRate: number | null;
  reworkRate: number | null;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  avgHandlingHours: number | null;
}

export interface Dashboard {
  scope: Unit;
  from: string;
  to: string;
  figures: Figures;
  trend: (Figures & { month: string })[];
  areaLevel: 'street' | 'community';
  byArea: {
    unit: Unit;
    open: number;
    overdueOpen: number;
    filed: number;
    overdue: number;
    onTimeRate: number | null;
  }[];
  topCategories: { key: string; name: string; filed: number }[];
  hotspots: { cell: string; count: number; boundary: number[][] }[];
  grids: { code: string; filed: number }[];
}

export interface RankingRow {
  rank: number | null;
  unit: Unit;
  score: number | null;
  previousRank: number | null;
  figures: Figures;
}

export interface Ranking {
  period: string;
  from: string;
  to: string;
  level: string;
  frozen: boolean;
  rows: RankingRow[];
}

export interface Bulletin {
  quarter: string;
  from: string;
  to: string;
  district: { code: string; name: string };
  generatedAt: string;
  sections: {
    level: string;
    rows: RankingRow[];
    bottom: {
      rank: number | null;
      unit: Unit;
      score: number | null;
      overdue: string[];
      reworked: string[];
    }[];
  }[];
}

export interface CaseList {
  count: number;
  caseNumbers: string[];
}

export function useDashboard(from: string, to: string) {
  return useQuery({
    queryKey: ['dashboard', from, to],
    queryFn: ({ signal }) => api.get<Dashboard>('/api/dashboard', { from, to }, signal),
    retry: false,
  });
}

export function useRanking(level: string, period: string) {
  return useQuery({
    queryKey: ['rankings', level, period],
    queryFn: ({ signal }) => api.get<Ranking>('/api/rankings', { level, period }, signal),
    retry: false,
  });
}

export function useBulletin(quarter: string) {
  return useQuery({
    queryKey: ['bulletins', quarter],
    queryFn: ({ signal }) => api.get<Bulletin>(`/api/bulletins/${quarter}`, {}, signal),
    retry: false,
  });
}

/** The cases behind a figure (`measure` of a unit) or behind a hotspot cell. */
export function useCaseList(
  q:
    | { measure: string; level: string; unit: string; from: string; to: string }
    | { cell: string; from: string; to: string },
) {
  return useQuery({
    queryKey: ['measure-cases', q],
    queryFn: ({ signal }) =>
      'cell' in q
        ? api.get<CaseList>(`/api/dashboard/hotspots/${q.cell}/cases`, { from: q.from, to: q.to }, signal)
        : api.get<CaseList>(
            `/api/measures/${q.measure}/cases`,
            { level: q.level, unit: q.unit, from: q.from, to: q.to },
            signal,
          ),
    retry: false,
  });
}

/** The link to the cases behind one figure. */
export function casesLink(measure: string, unit: Unit, from: string, to: string): string {
  const q = new URLSearchParams({ level: unit.level, unit: unit.code, from, to, name: unit.name });
  return `/measures/${measure}/cases?${q}`;
}

export function hotspotLink(cell: string, from: string, to: string): string {
  return `/measures/hotspot/cases?${new URLSearchParams({ cell, from, to })}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Beijing today's month, quarter and the month's first and last day. */
export function currentPeriods(now = new Date()) {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return {
    month: `${y}-${pad(m)}`,
    quarter: `${y}-Q${Math.ceil(m / 3)}`,
    year: String(y),
    monthFrom: `${y}-${pad(m)}-01`,
    monthTo: `${y}-${pad(m)}-${pad(last)}`,
    yearFrom: `${y}-01-01`,
  };
}

export const percent = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`;
