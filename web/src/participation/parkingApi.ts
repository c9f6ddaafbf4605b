import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';

/** Shared parking (错时停车) for the console: spaces of the staff's scope, their bookings, no-shows. */
const KEY = ['participation', 'parking'] as const;

export interface ParkingWindow {
  days: number[];
  start: string;
  end: string;
}
export interface ParkingSpace {
  id: string;
  name: string;
  unitName: string;
  note: string;
  communityCode: string;
  alleyId: string | null;
  state: 'open' | 'withdrawn';
  windows: ParkingWindow[];
  next: { from: string; to: string }[];
}
export type BookingState = 'booked' | 'checked_in' | 'checked_out' | 'cancelled' | 'no_show';
export interface StaffBooking {
  id: string;
  spaceId: string;
  spaceName: string;
  unitName: string;
  from: string;
  to: string;
  state: BookingState;
  userId: string;
  displayName: string;
  noShowAfter: string;
}
export interface NoShows {
  policy: { graceMinutes: number; limit: number; days: number };
  items: { userId: string; displayName: string; count: number; lastAt: string; suspended: boolean }[];
}
export interface Community {
  code: string;
  name: string;
}

/** The spaces under a street (or all the staff may see), withdrawn ones included. */
export function useParkingSpaces(street: string | null) {
  return useQuery({
    queryKey: [...KEY, 'spaces', street],
    queryFn: ({ signal }) =>
      api.get<{ items: ParkingSpace[] }>(
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
    queryFn: ({ signal }) => api.get<{ items: StaffBooking[] }>('/api/parking/bookings', undefined, signal),
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

export const createSpace = (input: {
  communityCode: string;
  name: string;
  unitName: string;
  note?: string;
  windows: ParkingWindow[];
}) => api.post<ParkingSpace>('/api/parking/spaces', input);

export const updateSpace = (input: {
  id: string;
  name: string;
  unitName: string;
  note: string;
  windows: ParkingWindow[];
}) =>
  api.patch<ParkingSpace>(`/api/parking/spaces/${encodeURIComponent(input.id)}`, {
    name: input.name,
    unitName: input.unitName,
    note: input.note,
    windows: input.windows,
  });

export const withdrawSpace = (id: string) =>
  api.post(`/api/parking/spaces/${encodeURIComponent(id)}/withdraw`);

export const bookingAction = (input: { id: string; action: 'check-in' | 'check-out' | 'cancel' }) =>
  api.post(`/api/parking/bookings/${encodeURIComponent(input.id)}/${input.action}`);
