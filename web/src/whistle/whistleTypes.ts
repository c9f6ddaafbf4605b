import type { CaseState } from '../cases/caseTypes';

/** Shapes of `GET /api/cases/{id}/joint-action` (server: `whistle/whistle.schema.ts`, `JointAction`). */

export type ReportInStanding = 'on_time' | 'late' | 'awaiting' | 'overdue';

export interface SummonedUnit {
  organisationId: string;
  name: string | null;
  summonedAt: string;
  reportInDeadline: string;
  reportedIn: boolean;
  reportedInAt: string | null;
  onTime: boolean | null;
  standing: ReportInStanding;
  /** Set when the street desk recorded the report-in on the unit's behalf. */
  reportInRecorded: RecordedForUnit | null;
}

/** What the street desk wrote down for a unit: who wrote it, on whose word, with what evidence. */
export interface RecordedForUnit {
  recordedBy: string | null;
  recordedByName: string | null;
  onWordOf: string;
  attachmentIds: string[];
}

export interface UnitRefusal extends RecordedForUnit {
  organisationId: string;
  name: string | null;
  at: string;
  reason: string;
}

/** What the server says the signed-in user may do on a joint action now. */
export type WhistleAction =
  | 'report_in'
  | 'record_minutes'
  | 'assign_task'
  | 'complete_task'
  | 'record_for_unit'
  | 'feedback'
  | 'accept'
  | 'refuse'
  | 'resummon';

export type RecordForUnitBody =
  | { kind: 'report_in'; onWordOf: string; note?: string; attachmentIds: string[] }
  | { kind: 'task_done'; taskId: string; onWordOf: string; note?: string; attachmentIds: string[] }
  | { kind: 'refusal'; reason: string; onWordOf: string; attachmentIds: string[] };

export interface JointMeeting {
  meetingAt: string | null;
  minutes: string;
  decisions: string[];
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface JointTask {
  id: string;
  seq: number;
  organisationId: string;
  organisationName: string | null;
  description: string;
  deadline: string;
  status: 'open' | 'done';
  overdue: boolean;
  createdAt: string;
  createdBy: string | null;
  doneAt: string | null;
  doneBy: string | null;
  note: string | null;
  doneOnWordOf: string | null;
  /** The signed-in user may report this task done now. */
  canComplete: boolean;
}

export type AcceptanceBlock = 'NOT_AWAITING_ACCEPTANCE' | 'JOINT_TASKS_OPEN';

export interface JointAction {
  caseId: string;
  caseNumber: string;
  state: CaseState;
  active: boolean;
  recorded: boolean;
  whistleAt: string | null;
  reportInWorkingHours: number;
  reportInDeadline: string | null;
  units: SummonedUnit[];
  refusals: UnitRefusal[];
  allowedActions: WhistleAction[];
  meeting: JointMeeting;
  tasks: JointTask[];
  openTasks: number;
  acceptance: { awaiting: boolean; blockedBy: AcceptanceBlock | null };
}

export interface MinutesBody {
  minutes: string;
  decisions: string[];
  meetingAt?: string;
}

export interface TaskBody {
  organisationId: string;
  description: string;
  deadline?: string;
  workingDays?: number;
}

/** The list filter of `GET /api/joint-actions`: under way (not yet accepted), ended, or both. */
export type JointActionStatus = 'open' | 'closed' | 'all';

/** One row of `GET /api/joint-actions` (server: `JointActionListItem`). */
export interface JointActionListItem {
  caseId: string;
  caseNumber: string;
  categoryKey: string | null;
  streetCode: string;
  streetName: string | null;
  state: CaseState;
  status: 'open' | 'closed';
  units: { organisationId: string; name: string | null; reportedIn: boolean }[];
  whistleAt: string | null;
  reportInDeadline: string | null;
  handlingDeadline: string | null;
  openTasks: number;
  recorded: boolean;
  closedAt: string | null;
}
