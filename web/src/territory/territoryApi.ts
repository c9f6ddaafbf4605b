import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api/client';
import type {
  AlleyDetail,
  AlleyRegistryPatch,
  AlleySummary,
  LocateResult,
  MapConfig,
  Organisation,
  Page,
  Street,
} from '../api/types';
import { fetchBaseLayer } from '../map/baseLayer';
import type { FeatureCollection } from '../map/geojson';

export const ALLEY_PAGE_SIZE = 50;

export const territoryKeys = {
  streets: ['territory', 'streets'] as const,
  alleys: (query: AlleyQuery) => ['territory', 'alleys', query] as const,
  alleysInScope: ['territory', 'alleys', 'in-scope'] as const,
  alley: (id: string) => ['territory', 'alley', id] as const,
  geojson: (layer: 'street' | 'alley', street?: string) =>
    ['territory', 'geojson', layer, street ?? null] as const,
  locate: (lng: number, lat: number) => ['territory', 'locate', lng, lat] as const,
  mapConfig: ['config', 'map'] as const,
  baseLayer: (street?: string) => ['territory', 'basemap', street ?? null] as const,
  openCasePoints: ['cases', 'map'] as const,
  organisations: ['organisations'] as const,
};

export function useStreets() {
  return useQuery({
    queryKey: territoryKeys.streets,
    queryFn: ({ signal }) => api.get<Street[]>('/api/territory/streets', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export interface AlleyQuery {
  street?: string;
  q?: string;
  limit: number;
  offset: number;
}

export function fetchAlleys(query: AlleyQuery, signal?: AbortSignal): Promise<Page<AlleySummary>> {
  return api.get<Page<AlleySummary>>('/api/territory/alleys', { ...query }, signal);
}

export function useAlleys(query: AlleyQuery, enabled = true) {
  return useQuery({
    queryKey: territoryKeys.alleys(query),
    queryFn: ({ signal }) => fetchAlleys(query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Pages are read until `total` is reached; beyond this many alleys the home summary says it is partial. */
export const IN_SCOPE_ALLEY_CAP = 5000;
const IN_SCOPE_PAGE_SIZE = 500;

export async function fetchAlleysInScope(signal?: AbortSignal): Promise<Page<AlleySummary>> {
  const items: AlleySummary[] = [];
  let total = Number.POSITIVE_INFINITY;
  while (items.length < Math.min(total, IN_SCOPE_ALLEY_CAP)) {
    const page = await fetchAlleys({ limit: IN_SCOPE_PAGE_SIZE, offset: items.length }, signal);
    total = page.total;
    items.push(...page.items);
    // The server may cap `limit` lower than asked; an empty page is the only sure sign of the end.
    if (page.items.length === 0) break;
  }
  return { items, total: Number.isFinite(total) ? total : items.length };
}

export function useAlleysInScope() {
  return useQuery({
    queryKey: territoryKeys.alleysInScope,
    queryFn: ({ signal }) => fetchAlleysInScope(signal),
    staleTime: 5 * 60_000,
  });
}

export function useAlley(id: string) {
  return useQuery({
    queryKey: territoryKeys.alley(id),
    queryFn: ({ signal }) =>
      api.get<AlleyDetail>(`/api/territory/alleys/${encodeURIComponent(id)}`, undefined, signal),
  });
}

export function usePatchAlley(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: AlleyRegistryPatch) =>
      api.patch<AlleyDetail>(`/api/territory/alleys/${encodeURIComponent(id)}`, patch),
    onSuccess: () =>
      // Lists show tier and chief too, so every alley query is refreshed, not only this alley.
      queryClient.invalidateQueries({ queryKey: ['territory'] }),
  });
}

export function useTerritoryGeojson(layer: 'street' | 'alley', street?: string) {
  return useQuery({
    queryKey: territoryKeys.geojson(layer, street),
    queryFn: ({ signal }) =>
      api.get<FeatureCollection>('/api/territory/geojson', { layers: layer, street }, signal),
    enabled: layer === 'street' || Boolean(street),
    staleTime: 10 * 60_000,
  });
}

/** A missing endpoint (older server) means the same as an unconfigured one: no base tiles. */
export async function fetchMapConfig(signal?: AbortSignal): Promise<MapConfig> {
  try {
    return await api.get<MapConfig>('/api/config/map', undefined, signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { tiles: null, styleUrl: null };
    throw error;
  }
}

export function useMapConfig() {
  return useQuery({
    queryKey: territoryKeys.mapConfig,
    queryFn: ({ signal }) => fetchMapConfig(signal),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function useLocate(point: { lng: number; lat: number } | null) {
  return useQuery({
    queryKey: territoryKeys.locate(point?.lng ?? 0, point?.lat ?? 0),
    queryFn: ({ signal }) =>
      api.get<LocateResult>(
        '/api/territory/locate',
        { lng: point?.lng, lat: point?.lat, crs: 'wgs84' },
        signal,
      ),
    enabled: point !== null,
    retry: false,
    staleTime: 10 * 60_000,
  });
}

export function useOrganisations() {
  return useQuery({
    queryKey: territoryKeys.organisations,
    queryFn: ({ signal }) => api.get<Organisation[]>('/api/organisations', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

/** The base map layer (outlines, names, alleys); it changes only with a territory import. */
export function useBaseLayer(street?: string) {
  return useQuery({
    queryKey: territoryKeys.baseLayer(street),
    queryFn: ({ signal }) => fetchBaseLayer(street, signal),
    staleTime: 10 * 60_000,
  });
}

export interface OpenCasePoints extends FeatureCollection {
  total: number;
  truncated: boolean;
}

/** The open cases of the signed-in user's queue as points; a role without cases gets nothing drawn. */
export function useOpenCasePoints() {
  return useQuery({
    queryKey: territoryKeys.openCasePoints,
    queryFn: ({ signal }) => api.get<OpenCasePoints>('/api/cases/map', undefined, signal),
    staleTime: 60_000,
    retry: false,
  });
}
