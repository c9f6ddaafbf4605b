import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiRequest } from '../api/client';
import type { Page } from '../api/types';
import { caseKeys } from '../cases/casesApi';
import type { ActionResult, CaseDto, CaseState } from '../cases/caseTypes';
import type { RaiseRequest } from './raise';
import type {
  JointAction,
  JointActionListItem,
  JointActionStatus,
  MinutesBody,
  RecordForUnitBody,
  TaskBody,
} from './whistleTypes';

// Under the case keys, so that every case action (report-in, feedback, acceptance) refreshes them too.
export const whistleKeys = {
  list: (status: JointActionStatus) => [...caseKeys.all, 'joint-list', status] as const,
  detail: (caseId: string) => [...caseKeys.all, 'joint', caseId] as const,
};

const LIST_LIMIT = 200;

/**
 * Joint actions in the user's scope (one per tier-3 case, from the whistle on): the street's by
 * territory, a department's those it was summoned to, whichever unit was named first.
 */
export function useJointActions(status: JointActionStatus = 'open') {
  return useQuery({
    queryKey: whistleKeys.list(status),
    queryFn: ({ signal }) =>
      api.get<Page<JointActionListItem>>('/api/joint-actions', { status, limit: LIST_LIMIT }, signal),
    staleTime: 15_000,
  });
}

/** Cases the street could raise a joint action on. */
export function useRaisableCases(states: readonly CaseState[], enabled: boolean) {
  return useQuery({
    queryKey: [...caseKeys.all, 'raisable', states] as const,
    queryFn: ({ signal }) =>
      api.get<Page<CaseDto>>('/api/cases', { state: states.join(','), limit: LIST_LIMIT }, signal),
    enabled,
  });
}

function jointPath(caseId: string): string {
  return `/api/cases/${encodeURIComponent(caseId)}/joint-action`;
}

export function useJointAction(caseId: string) {
  return useQuery({
    queryKey: whistleKeys.detail(caseId),
    queryFn: ({ signal }) => api.get<JointAction>(jointPath(caseId), undefined, signal),
    // The report-in standing turns overdue with the clock, not only with events.
    refetchInterval: 60_000,
    retry: false,
  });
}

function useJointMutation<V>(caseId: string, send: (values: V) => Promise<JointAction>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (joint) => queryClient.setQueryData(whistleKeys.detail(caseId), joint),
    onSettled: () => queryClient.invalidateQueries({ queryKey: caseKeys.all }),
  });
}

export function usePutMinutes(caseId: string) {
  return useJointMutation(caseId, (body: MinutesBody) =>
    apiRequest<JointAction>(`${jointPath(caseId)}/minutes`, { method: 'PUT', body }),
  );
}

export function useAddTask(caseId: string) {
  return useJointMutation(caseId, (body: TaskBody) =>
    api.post<JointAction>(`${jointPath(caseId)}/tasks`, body),
  );
}

export function useCompleteTask(caseId: string) {
  return useJointMutation(caseId, ({ taskId, note }: { taskId: string; note?: string }) =>
    api.post<JointAction>(
      `${jointPath(caseId)}/tasks/${encodeURIComponent(taskId)}/done`,
      note ? { note } : {},
    ),
  );
}

/** The street desk records a report-in, a task done or a refusal on behalf of a summoned unit. */
export function useRecordForUnit(caseId: string) {
  return useJointMutation(
    caseId,
    ({ organisationId, body }: { organisationId: string; body: RecordForUnitBody }) =>
      api.post<JointAction>(`${jointPath(caseId)}/units/${encodeURIComponent(organisationId)}/record`, body),
  );
}

export interface RaiseOutcome {
  caseId: string;
  ok: boolean;
  error?: unknown;
}

/**
 * Summons the units to each case in turn. One case refused (its state moved, or it lies outside the
 * scope) does not stop the others; each outcome is reported to the user.
 */
export function useRaiseWhistle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (requests: RaiseRequest[]): Promise<RaiseOutcome[]> => {
      const outcomes: RaiseOutcome[] = [];
      for (const request of requests) {
        try {
          await api.post<ActionResult>(
            `/api/cases/${encodeURIComponent(request.caseId)}/actions/${request.action}`,
            request.body,
          );
          outcomes.push({ caseId: request.caseId, ok: true });
        } catch (error) {
          outcomes.push({ caseId: request.caseId, ok: false, error });
        }
      }
      return outcomes;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: caseKeys.all }),
  });
}
