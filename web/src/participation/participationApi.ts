import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';

/** Shapes of the participation API, from the generated contract (server: participation/*.schema.ts). */
type Items<T extends { items: unknown[] }> = T['items'];
export type Team = Items<ResponseOf<'/api/volunteers/teams', 'get'>>[number];
export type Member = Items<ResponseOf<'/api/volunteers/teams/{id}/members', 'get'>>[number];
export type Activity = Items<ResponseOf<'/api/volunteers/activities', 'get'>>[number];
export type Signup = Items<ResponseOf<'/api/volunteers/activities/{id}/signups', 'get'>>[number];
export type Redemption = Items<ResponseOf<'/api/points/redemptions', 'get'>>[number];

const KEY = ['participation'] as const;

export function useTeams(street: string | null) {
  return useQuery({
    queryKey: [...KEY, 'teams', street],
    queryFn: async () =>
      (
        await api.get<ResponseOf<'/api/volunteers/teams', 'get'>>(
          '/api/volunteers/teams',
          street ? { street } : undefined,
        )
      ).items,
  });
}

export function useMembers(teamId: string | null) {
  return useQuery({
    queryKey: [...KEY, 'members', teamId],
    enabled: teamId !== null,
    queryFn: async () =>
      (
        await api.get<ResponseOf<'/api/volunteers/teams/{id}/members', 'get'>>(
          `/api/volunteers/teams/${teamId}/members`,
        )
      ).items,
  });
}

export function useActivities(teamId: string | null) {
  return useQuery({
    queryKey: [...KEY, 'activities', teamId],
    enabled: teamId !== null,
    queryFn: async () =>
      (
        await api.get<ResponseOf<'/api/volunteers/activities', 'get'>>('/api/volunteers/activities', {
          team: teamId ?? '',
          all: 'true',
        })
      ).items,
  });
}

export function useSignups(activityId: string | null) {
  return useQuery({
    queryKey: [...KEY, 'signups', activityId],
    enabled: activityId !== null,
    queryFn: async () =>
      (
        await api.get<ResponseOf<'/api/volunteers/activities/{id}/signups', 'get'>>(
          `/api/volunteers/activities/${activityId}/signups`,
        )
      ).items,
  });
}

export function useReservedRedemptions() {
  return useQuery({
    queryKey: [...KEY, 'redemptions'],
    queryFn: async () =>
      (
        await api.get<ResponseOf<'/api/points/redemptions', 'get'>>('/api/points/redemptions', {
          state: 'reserved',
        })
      ).items,
  });
}

/** Any change of participation data: the answers the server gives afterwards are re-read. */
export function useParticipationAction<T>(run: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export const decideMember = (input: { teamId: string; userId: string; approve: boolean }) =>
  api.post(`/api/volunteers/teams/${input.teamId}/members/${input.userId}/decision`, {
    approve: input.approve,
  } satisfies BodyOf<'/api/volunteers/teams/{id}/members/{userId}/decision', 'post'>);

export const confirmAttendance = (input: { activityId: string; userId: string; attended: boolean }) =>
  api.post(`/api/volunteers/activities/${input.activityId}/attendance`, {
    attendances: [{ userId: input.userId, attended: input.attended }],
  } satisfies BodyOf<'/api/volunteers/activities/{id}/attendance', 'post'>);

export const confirmRedemption = (id: string) => api.post(`/api/points/redemptions/${id}/confirm`);

export type Proposal = Items<ResponseOf<'/api/proposals', 'get'>>[number];
export type DecisionKind = BodyOf<'/api/proposals/{id}/decision', 'post'>['kind'];

export function useProposals(street: string | null) {
  return useQuery({
    queryKey: [...KEY, 'proposals', street],
    queryFn: async () =>
      (await api.get<ResponseOf<'/api/proposals', 'get'>>('/api/proposals', street ? { street } : undefined))
        .items,
  });
}

export const openVote = (input: { id: string; closesAt: string }) =>
  api.post(`/api/proposals/${input.id}/voting`, {
    closesAt: input.closesAt,
  } satisfies BodyOf<'/api/proposals/{id}/voting', 'post'>);

export const closeVote = (id: string) => api.post(`/api/proposals/${id}/close`);

export const saveMinutes = (input: { id: string; text: string }) =>
  api.put(`/api/proposals/${input.id}/minutes`, {
    text: input.text,
  } satisfies BodyOf<'/api/proposals/{id}/minutes', 'put'>);

export const recordDecision = (input: { id: string; kind: DecisionKind }) =>
  api.post(`/api/proposals/${input.id}/decision`, {
    kind: input.kind,
  } satisfies BodyOf<'/api/proposals/{id}/decision', 'post'>);
