import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';

/** A registered Open311 client application, as `/api/open311/clients` shows it (never its key). */
export interface Open311Client {
  id: string;
  name: string;
  districtCode: string;
  active: boolean;
  createdAt: string;
  createdBy: string | null;
}

/** The answer to adding a client: the only time its api_key is ever shown. */
export interface IssuedClient {
  client: Open311Client;
  apiKey: string;
}

/** Who may open the page (the server still decides, district by district). */
export const OPEN311_ADMIN_ROLES = ['district_admin', 'system_admin'] as const;

export function useOpen311Clients() {
  return useQuery({
    queryKey: ['open311', 'clients'],
    queryFn: ({ signal }) => api.get<{ items: Open311Client[] }>('/api/open311/clients', undefined, signal),
  });
}

export function useAddOpen311Client() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string }) => api.post<IssuedClient>('/api/open311/clients', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['open311', 'clients'] }),
  });
}

export function useRevokeOpen311Client() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<Open311Client>(`/api/open311/clients/${encodeURIComponent(id)}/revoke`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['open311', 'clients'] }),
  });
}
