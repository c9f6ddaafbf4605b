import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, buildUrl } from '../api/client';
import type {
  AddItemsBody,
  AddItemsResult,
  BurndownDay,
  Campaign,
  CampaignItem,
  CampaignSummary,
  CreateCampaignBody,
  LedgerList,
  LedgerSelection,
} from './ledgerTypes';

export const ledgerKeys = {
  list: (selection: LedgerSelection, limit: number, offset: number) =>
    ['ledgers', 'cases', selection, limit, offset] as const,
  campaigns: ['campaigns'] as const,
  campaign: (id: string) => ['campaigns', id] as const,
};

function selectionQuery(selection: LedgerSelection) {
  return {
    street: selection.street,
    state: selection.state,
    from: selection.from,
    to: selection.to,
    category: selection.category,
    unit: selection.unit,
  };
}

export function useLedger(selection: LedgerSelection, limit: number, offset: number) {
  return useQuery({
    queryKey: ledgerKeys.list(selection, limit, offset),
    queryFn: ({ signal }) =>
      api.get<LedgerList>('/api/ledgers/cases', { ...selectionQuery(selection), limit, offset }, signal),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** The workbook of the same selection; a plain link, so the browser downloads it with the session cookie. */
export function ledgerExportUrl(selection: LedgerSelection): string {
  return buildUrl('/api/ledgers/cases.xlsx', selectionQuery(selection));
}

export function campaignExportUrl(id: string): string {
  return `/api/campaigns/${encodeURIComponent(id)}/ledger.xlsx`;
}

export function useCampaigns() {
  return useQuery({
    queryKey: ledgerKeys.campaigns,
    queryFn: ({ signal }) => api.get<CampaignSummary[]>('/api/campaigns', undefined, signal),
  });
}

export function useCreateCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateCampaignBody) => api.post<Campaign>('/api/campaigns', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ledgerKeys.campaigns }),
  });
}

function campaignPath(id: string): string {
  return `/api/campaigns/${encodeURIComponent(id)}`;
}

export function useCampaign(id: string) {
  return useQuery({
    queryKey: ledgerKeys.campaign(id),
    queryFn: ({ signal }) => api.get<Campaign>(campaignPath(id), undefined, signal),
    retry: false,
  });
}

export function useCampaignItems(id: string) {
  return useQuery({
    queryKey: [...ledgerKeys.campaign(id), 'items'] as const,
    queryFn: ({ signal }) => api.get<CampaignItem[]>(`${campaignPath(id)}/items`, { status: 'all' }, signal),
  });
}

export function useBurndown(id: string) {
  return useQuery({
    queryKey: [...ledgerKeys.campaign(id), 'burndown'] as const,
    queryFn: ({ signal }) => api.get<BurndownDay[]>(`${campaignPath(id)}/burndown`, undefined, signal),
  });
}

export function useAddCampaignItems(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AddItemsBody) => api.post<AddItemsResult>(`${campaignPath(id)}/items`, body),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ledgerKeys.campaigns }),
  });
}

export function useClearPoint(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (itemId: string) =>
      api.post<{ id: string; clearedAt: string }>(
        `${campaignPath(id)}/items/${encodeURIComponent(itemId)}/clear`,
        {},
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ledgerKeys.campaigns }),
  });
}
