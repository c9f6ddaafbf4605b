import type { Role } from '../api/types';
import type { CaseState } from './caseTypes';

export type QueueKey =
  | 'toAccept'
  | 'toDispatch'
  | 'returned'
  | 'toAcceptJoint'
  | 'toSign'
  | 'toHandle'
  | 'toVerify'
  | 'open'
  | 'overdue';

export interface QueueDefinition {
  key: QueueKey;
  states: readonly CaseState[];
  /** Overdue is not a state: its cases are the open ones whose clock has run out. */
  overdueOnly?: boolean;
}

export const OPEN_STATES: readonly CaseState[] = [
  'reported',
  'accepted',
  'dispatched',
  'handling',
  'returned',
  'joint_action',
  'awaiting_verification',
  'awaiting_acceptance',
  'suspended',
];

const FILED_OPEN_STATES = OPEN_STATES.filter((state) => state !== 'reported');
const OVERDUE: QueueDefinition = { key: 'overdue', states: FILED_OPEN_STATES, overdueOnly: true };

const DISPATCHER_QUEUES: QueueDefinition[] = [
  { key: 'toAccept', states: ['reported'] },
  { key: 'toDispatch', states: ['accepted'] },
  { key: 'returned', states: ['returned'] },
  { key: 'toAcceptJoint', states: ['awaiting_acceptance'] },
  OVERDUE,
];
const UNIT_QUEUES: QueueDefinition[] = [
  { key: 'toSign', states: ['dispatched'] },
  { key: 'toHandle', states: ['handling', 'joint_action'] },
  OVERDUE,
];
const OVERVIEW_QUEUES: QueueDefinition[] = [{ key: 'open', states: OPEN_STATES }, OVERDUE];

/** The work each role is there to do, first queue first (SPEC §1, §4). */
export function queuesFor(role: Role): QueueDefinition[] {
  switch (role) {
    case 'street_dispatcher':
    case 'district_admin':
      return DISPATCHER_QUEUES;
    case 'department_handler':
    case 'contractor':
      return UNIT_QUEUES;
    case 'grid_worker':
    case 'alley_chief':
      return [{ key: 'toHandle', states: ['handling'] }, OVERDUE];
    case 'inspector':
      return [{ key: 'toVerify', states: ['awaiting_verification'] }, OVERDUE];
    case 'leader':
    case 'system_admin':
      return OVERVIEW_QUEUES;
    case 'resident':
    case 'volunteer':
      return [];
  }
}
