import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';

/** Frontage responsibility (门前三包) for the console: the shops of the staff's scope, agreements, checks. */
const KEY = ['participation', 'frontage'] as const;

export type ShopList = ResponseOf<'/api/frontage/shops', 'get'>;
export type Shop = ShopList['items'][number];
export type ShopDetail = ResponseOf<'/api/frontage/shops/{id}', 'get'>;
export type ShopBody = BodyOf<'/api/frontage/shops', 'post'>;
export type CheckBody = BodyOf<'/api/frontage/shops/{id}/checks', 'post'>;
export type CheckResult = ResponseOf<'/api/frontage/shops/{id}/checks', 'post'>;

export const DUTIES = ['appearance', 'sanitation', 'order'] as const;
export const SHOP_KINDS = ['shop', 'restaurant', 'unit', 'hotel', 'market', 'other'] as const;

export function useShops(month: string | undefined) {
  return useQuery({
    queryKey: [...KEY, 'shops', month ?? null],
    queryFn: ({ signal }) => api.get<ShopList>('/api/frontage/shops', month ? { month } : undefined, signal),
  });
}

export type Ratings = ResponseOf<'/api/frontage/ratings', 'get'>;

/** The month's ratings per alley of the staff's scope, as the server counts and averages them. */
export function useRatings(month: string | undefined) {
  return useQuery({
    queryKey: [...KEY, 'ratings', month ?? null],
    queryFn: ({ signal }) => api.get<Ratings>('/api/frontage/ratings', month ? { month } : undefined, signal),
  });
}

/** The registered shops of one alley (for the inspection form's 门前三包 findings); off until an alley is chosen. */
export function useAlleyShops(alleyId: string | undefined) {
  return useQuery({
    queryKey: [...KEY, 'alley-shops', alleyId ?? null],
    queryFn: ({ signal }) => api.get<ShopList>('/api/frontage/shops', { alley: alleyId }, signal),
    enabled: !!alleyId,
    select: (r) => r.items.filter((s) => s.active),
  });
}

export function useShop(id: string | null) {
  return useQuery({
    queryKey: [...KEY, 'shop', id],
    queryFn: ({ signal }) =>
      api.get<ShopDetail>(`/api/frontage/shops/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: id !== null,
  });
}

export const registerShop = (input: ShopBody) => api.post<ShopDetail>('/api/frontage/shops', input);

export const recordCheck = (input: CheckBody & { shopId: string }) => {
  const { shopId, ...body } = input;
  return api.post<CheckResult>(`/api/frontage/shops/${encodeURIComponent(shopId)}/checks`, body);
};

/** Groups shops by alley, in the order the server listed them (by alley name). */
export function byAlley(shops: readonly Shop[]): { alleyId: string; alleyName: string; shops: Shop[] }[] {
  const groups = new Map<string, { alleyId: string; alleyName: string; shops: Shop[] }>();
  for (const s of shops) {
    const g = groups.get(s.alleyId) ?? { alleyId: s.alleyId, alleyName: s.alleyName, shops: [] };
    g.shops.push(s);
    groups.set(s.alleyId, g);
  }
  return [...groups.values()];
}

/** The months a console may look back on: this one (the server's) and the eleven before it. */
export function monthsBefore(month: string, count = 12): string[] {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const k = y * 12 + (m - 1) - i;
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}
