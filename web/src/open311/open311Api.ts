import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';

/** A registered Open311 client application, as `/api/open311/clients` shows it (never its key). */
export type Open311Client = ResponseOf<'/api/open311/clients', 'get'>['items'][number];

/** The answer to adding a client: the only time its api_key is ever shown. */
export type IssuedClient = ResponseOf<'/api/open311/clients', 'post'>;

export function useOpen311Clients() {
  return useQuery({
    queryKey: ['open311', 'clients'],
    queryFn: ({ signal }) =>
      api.get<ResponseOf<'/api/open311/clients', 'get'>>('/api/open311/clients', undefined, signal),
  });
}

export function useAddOpen311Client() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: BodyOf<'/api/open311/clients', 'post'>) =>
      api.post<IssuedClient>('/api/open311/clients', input),
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

export const OPEN311_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type Open311Datatype = (typeof OPEN311_DATATYPES)[number];

/** The datatypes whose answers are keys from the question's own list of values. */
export function isListDatatype(datatype: Open311Datatype): boolean {
  return datatype === 'singlevaluelist' || datatype === 'multivaluelist';
}

/** An extra question of a service, as `/api/open311/attributes` shows it. */
export type Open311Attribute = ResponseOf<'/api/open311/attributes', 'get'>['items'][number];
export type Open311AttributeValue = Open311Attribute['values'][number];

/** What the console sends to define a question; the server fills `variable` and the district. */
export type Open311AttributeInput = Omit<BodyOf<'/api/open311/attributes', 'post'>, 'serviceCode'>;

const attributesKey = (serviceCode: string) => ['open311', 'attributes', serviceCode] as const;

export function useOpen311Attributes(serviceCode: string | undefined) {
  return useQuery({
    queryKey: attributesKey(serviceCode ?? ''),
    queryFn: ({ signal }) =>
      api.get<ResponseOf<'/api/open311/attributes', 'get'>>(
        '/api/open311/attributes',
        { serviceCode: serviceCode! },
        signal,
      ),
    enabled: Boolean(serviceCode),
  });
}

export function useSaveOpen311Attribute(serviceCode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: Open311AttributeInput }) =>
      id
        ? api.patch<Open311Attribute>(`/api/open311/attributes/${encodeURIComponent(id)}`, input)
        : api.post<Open311Attribute>('/api/open311/attributes', { ...input, serviceCode }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: attributesKey(serviceCode) }),
  });
}

export function useDeleteOpen311Attribute(serviceCode: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/open311/attributes/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: attributesKey(serviceCode) }),
  });
}
