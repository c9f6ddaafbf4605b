import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';

/** Shared parking (错时停车) for the console: spaces of the staff's scope, their bookings, no-shows. */
const KEY = ['participation', 'parking'] as const;

export type ParkingSpace = ResponseOf<'/api/parking/spaces', 'get'>['items'][number];
export type ParkingWindow = ParkingSpace['windows'][number];
export type StaffBooking = ResponseOf<'/api/parking/bookings', 'get'>['items'][number];
export type BookingState = StaffBooking['state'];
export type NoShows = ResponseOf<'/api/parking/no-shows', 'get'>;
export type Community = ResponseOf<'/api/territory/communities', 'get'>[number];
export type NewSpace = BodyOf<'/api/parking/spaces', 'post'>;
export type SpacePatch = BodyOf<'/api/parking/spaces/{id}', 'patch'>;

/** The spaces under a street (or all the staff may see), withdrawn ones included. */
export function useParkingSpaces(street: string | null) {
  return useQuery({
    queryKey: [...KEY, 'spaces', street],
    queryFn: ({ signal }) =>
      api.get<ResponseOf<'/api/parking/spaces', 'get'>>(
        '/api/parking/spaces',
        { all: 'true', street: street ?? undefined },
        signal,
      ),
    select: (r) => r.items,
  });
}

export function useParkingBookings() {
  return useQuery({
    queryKey: [...KEY, 'bookings'],
    queryFn: ({ signal }) =>
      api.get<ResponseOf<'/api/parking/bookings', 'get'>>('/api/parking/bookings', undefined, signal),
    select: (r) => r.items,
  });
}

export function useNoShows() {
  return useQuery({
    queryKey: [...KEY, 'no-shows'],
    queryFn: ({ signal }) => api.get<NoShows>('/api/parking/no-shows', undefined, signal),
  });
}

export function useCommunities(street: string | null) {
  return useQuery({
    queryKey: ['territory', 'communities', street],
    queryFn: ({ signal }) =>
      api.get<Community[]>('/api/territory/communities', { street: street ?? undefined }, signal),
  });
}

export const createSpace = (input: NewSpace) => api.post<ParkingSpace>('/api/parking/spaces', input);

export const updateSpace = ({ id, ...patch }: { id: string } & SpacePatch) =>
  api.patch<ParkingSpace>(`/api/parking/spaces/${encodeURIComponent(id)}`, patch);

export const withdrawSpace = (id: string) =>
  api.post(`/api/parking/spaces/${encodeURIComponent(id)}/withdraw`);

export const bookingAction = (input: { id: string; action: 'check-in' | 'check-out' | 'cancel' }) =>
  api.post(`/api/parking/bookings/${encodeURIComponent(input.id)}/${input.action}`);
