import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';
import type { NextWeek, ProactiveTask, TaskState, TaskStats, Theme } from './intelligenceTypes';

export const intelligenceKeys = {
  hotIssues: (from: string, to: string) => ['hot-issues', from, to] as const,
  nextWeek: ['forecasts', 'next-week'] as const,
  tasks: (state: TaskState | 'all') => ['proactive-tasks', state] as const,
  stats: (from: string, to: string) => ['proactive-tasks', 'stats', from, to] as const,
  themes: (month: string) => ['themes', month] as const,
};

export function useHotIssues(from: string, to: string) {
  return useQuery({
    queryKey: intelligenceKeys.hotIssues(from, to),
    queryFn: ({ signal }) =>
      api.get<ResponseOf<'/api/hot-issues', 'get'>>('/api/hot-issues', { from, to, top: 20 }, signal),
    retry: false,
  });
}

export function useNextWeek() {
  return useQuery({
    queryKey: intelligenceKeys.nextWeek,
    queryFn: ({ signal }) =>
      api.get<NextWeek>('/api/forecasts/next-week', { onlyAboveNormal: 'true', limit: 50 }, signal),
    retry: false,
  });
}

export function useTasks(state: TaskState | 'all') {
  return useQuery({
    queryKey: intelligenceKeys.tasks(state),
    queryFn: ({ signal }) =>
      api.get<ProactiveTask[]>('/api/proactive-tasks', state === 'all' ? {} : { state }, signal),
    retry: false,
  });
}

export function useTaskStats(from: string, to: string) {
  return useQuery({
    queryKey: intelligenceKeys.stats(from, to),
    queryFn: ({ signal }) => api.get<TaskStats>('/api/proactive-tasks/stats', { from, to }, signal),
    retry: false,
  });
}

export function useProposeTasks() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api.post<ResponseOf<'/api/proactive-tasks/propose', 'post'>>('/api/proactive-tasks/propose', {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['proactive-tasks'] }),
  });
}

export function useDecideTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string } & BodyOf<'/api/proactive-tasks/{id}/decision', 'post'>) =>
      api.post<ProactiveTask>(`/api/proactive-tasks/${encodeURIComponent(id)}/decision`, { decision }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['proactive-tasks'] }),
  });
}

export function useThemes(month: string) {
  return useQuery({
    queryKey: intelligenceKeys.themes(month),
    queryFn: ({ signal }) => api.get<Theme[]>('/api/themes', { month }, signal),
    retry: false,
  });
}

export function useProposeThemes() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (month: string) => api.post<Theme[]>('/api/themes/proposals', { month }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['themes'] }),
  });
}

export function useThemeDecision() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'adopt' | 'dismiss' }) =>
      api.post<Theme>(`/api/themes/${encodeURIComponent(id)}/${decision}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['themes'] });
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });
}
