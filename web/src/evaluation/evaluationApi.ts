import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { ResponseOf } from '../api/contract';

/** Shapes of the evaluation API, from the generated contract; the server computes every figure. */
export type Dashboard = ResponseOf<'/api/dashboard', 'get'>;
export type Figures = Dashboard['figures'];
export type Ranking = ResponseOf<'/api/rankings', 'get'>;
export type RankingRow = Ranking['rows'][number];
export type Unit = RankingRow['unit'];
export type Bulletin = ResponseOf<'/api/bulletins/{quarter}', 'get'>;
export type CaseList = ResponseOf<'/api/measures/{measure}/cases', 'get'>;

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
