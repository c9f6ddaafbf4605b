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

/** A decision; a case may name its alley and category, a campaign its categories (the server checks). */
export const recordDecision = (input: {
  id: string;
  kind: DecisionKind;
  case?: { alleyId?: string; categoryKey?: string };
  campaign?: { categoryKeys?: string[] };
}) => {
  const { id, ...body } = input;
  return api.post(
    `/api/proposals/${id}/decision`,
    body satisfies BodyOf<'/api/proposals/{id}/decision', 'post'>,
  );
};

export type ProposalComment = ResponseOf<'/api/proposals/{id}/comments', 'get'>['items'][number];

export function useComments(proposalId: string | null) {
  return useQuery({
    queryKey: [...KEY, 'comments', proposalId],
    enabled: proposalId !== null,
    queryFn: async ({ signal }) =>
      (
        await api.get<ResponseOf<'/api/proposals/{id}/comments', 'get'>>(
          `/api/proposals/${proposalId}/comments`,
          undefined,
          signal,
        )
      ).items,
  });
}

export const postComment = (input: { id: string; body: string }) =>
  api.post<ProposalComment>(`/api/proposals/${input.id}/comments`, { body: input.body });

// Setting up: teams, activities, the rewards catalogue and the points rules.

export const ACTIVITY_KINDS = ['patrol', 'sorting_guidance', 'cleaning', 'care_visit', 'other'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const createTeam = (input: BodyOf<'/api/volunteers/teams', 'post'>) =>
  api.post<Team>('/api/volunteers/teams', input);

export const updateTeam = (input: { id: string; name: string; alleyId: string | null }) =>
  api.patch<Team>(`/api/volunteers/teams/${input.id}`, { name: input.name, alleyId: input.alleyId });

export const createActivity = (
  input: { teamId: string } & BodyOf<'/api/volunteers/teams/{id}/activities', 'post'>,
) => {
  const { teamId, ...body } = input;
  return api.post<Activity>(`/api/volunteers/teams/${teamId}/activities`, body);
};

export type Reward = ResponseOf<'/api/points/rewards', 'get'>['items'][number];

/** The catalogues of a district (inactive rewards included for staff), narrowed to a street. */
export function useRewards(street: string | null) {
  return useQuery({
    queryKey: [...KEY, 'rewards', street],
    enabled: street !== null,
    queryFn: async ({ signal }) =>
      (
        await api.get<ResponseOf<'/api/points/rewards', 'get'>>(
          '/api/points/rewards',
          { district: street?.slice(0, 6) },
          signal,
        )
      ).items.filter((r) => street !== null && r.communityCode.startsWith(street)),
  });
}

export const createReward = (input: BodyOf<'/api/points/rewards', 'post'>) =>
  api.post<Reward>('/api/points/rewards', input);

export const updateReward = (input: { id: string } & BodyOf<'/api/points/rewards/{id}', 'patch'>) => {
  const { id, ...body } = input;
  return api.patch<Reward>(`/api/points/rewards/${id}`, body);
};

export type PointsRules = ResponseOf<'/api/points/rules', 'get'>;

export function useRules(district: string | null) {
  return useQuery({
    queryKey: [...KEY, 'rules', district],
    enabled: district !== null,
    queryFn: ({ signal }) =>
      api.get<PointsRules>('/api/points/rules', { district: district ?? undefined }, signal),
  });
}

export const writeRules = (input: BodyOf<'/api/points/rules', 'post'>) =>
  api.post('/api/points/rules', input);
