import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';

export interface Team {
  id: string;
  communityCode: string;
  alleyId: string | null;
  name: string;
  members: number;
  hours: number;
}
export interface Member {
  userId: string;
  username: string;
  displayName: string;
  state: 'applied' | 'approved' | 'rejected';
  note: string;
  appliedAt: string;
  hours: number;
}
export interface Activity {
  id: string;
  teamId: string;
  kind: string;
  title: string;
  place: string;
  startsAt: string;
  endsAt: string;
  capacity: number | null;
  signedUp: number;
}
export interface Signup {
  userId: string;
  displayName: string;
  signedUpAt: string;
  attended: boolean | null;
  minutes: number | null;
  confirmedAt: string | null;
}
export interface Redemption {
  id: string;
  rewardName: string;
  communityCode: string;
  userId: string;
  cost: number;
  state: 'reserved' | 'confirmed' | 'released';
  createdAt: string;
}

const KEY = ['participation'] as const;

export function useTeams(street: string | null) {
  return useQuery({
    queryKey: [...KEY, 'teams', street],
    queryFn: async () =>
      (await api.get<{ items: Team[] }>('/api/volunteers/teams', street ? { street } : undefined)).items,
  });
}

export function useMembers(teamId: string | null) {
  return useQuery({
    queryKey: [...KEY, 'members', teamId],
    enabled: teamId !== null,
    queryFn: async () =>
      (await api.get<{ items: Member[] }>(`/api/volunteers/teams/${teamId}/members`)).items,
  });
}

export function useActivities(teamId: string | null) {
  return useQuery({
    queryKey: [...KEY, 'activities', teamId],
    enabled: teamId !== null,
    queryFn: async () =>
      (
        await api.get<{ items: Activity[] }>('/api/volunteers/activities', {
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
      (await api.get<{ items: Signup[] }>(`/api/volunteers/activities/${activityId}/signups`)).items,
  });
}

export function useReservedRedemptions() {
  return useQuery({
    queryKey: [...KEY, 'redemptions'],
    queryFn: async () =>
      (await api.get<{ items: Redemption[] }>('/api/points/redemptions', { state: 'reserved' })).items,
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
  });

export const confirmAttendance = (input: { activityId: string; userId: string; attended: boolean }) =>
  api.post(`/api/volunteers/activities/${input.activityId}/attendance`, {
    attendances: [{ userId: input.userId, attended: input.attended }],
  });

export const confirmRedemption = (id: string) => api.post(`/api/points/redemptions/${id}/confirm`);

export interface Proposal {
  id: string;
  communityCode: string;
  alleyId: string | null;
  title: string;
  body: string;
  state: 'discussion' | 'voting' | 'closed' | 'withdrawn';
  createdAt: string;
  comments: number;
  vote: {
    closesAt: string;
    eligible: number;
    quorum: number;
    tally: { yes: number; no: number; abstain: number } | null;
    outcome: 'adopted' | 'rejected' | 'no_quorum' | null;
  } | null;
  minutes: { text: string } | null;
  decision: { kind: DecisionKind; ref: string | null; note: string } | null;
}
export type DecisionKind = 'case' | 'campaign' | 'plan_item' | 'none';

export function useProposals(street: string | null) {
  return useQuery({
    queryKey: [...KEY, 'proposals', street],
    queryFn: async () =>
      (await api.get<{ items: Proposal[] }>('/api/proposals', street ? { street } : undefined)).items,
  });
}

export const openVote = (input: { id: string; closesAt: string }) =>
  api.post(`/api/proposals/${input.id}/voting`, { closesAt: input.closesAt });

export const closeVote = (id: string) => api.post(`/api/proposals/${id}/close`);

export const saveMinutes = (input: { id: string; text: string }) =>
  api.put(`/api/proposals/${input.id}/minutes`, { text: input.text });

/** A decision; a case may name its alley and category, a campaign its categories (the server checks). */
export const recordDecision = (input: {
  id: string;
  kind: DecisionKind;
  case?: { alleyId?: string; categoryKey?: string };
  campaign?: { categoryKeys?: string[] };
}) => {
  const { id, ...body } = input;
  return api.post(`/api/proposals/${id}/decision`, body);
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
