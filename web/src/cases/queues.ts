import type { Capability } from '../api/types';
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

/**
 * The work the account is there to do, first queue first (SPEC §1, §4), from the case actions the
 * server says it may fire (its capabilities): the desk that dispatches, the unit that signs, the tier-1
 * handler, the inspector who verifies; whoever reads cases without acting on them gets the overview.
 */
export function queuesFor(can: (capability: Capability) => boolean): QueueDefinition[] {
  if (!can('case.read')) return [];
  if (can('case.dispatch')) return DISPATCHER_QUEUES;
  if (can('case.sign')) return UNIT_QUEUES;
  if (can('case.feedback')) return [{ key: 'toHandle', states: ['handling'] }, OVERDUE];
  if (can('case.verify')) return [{ key: 'toVerify', states: ['awaiting_verification'] }, OVERDUE];
  return OVERVIEW_QUEUES;
}
