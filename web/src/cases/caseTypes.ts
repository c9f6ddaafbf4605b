/** Shapes of the case API as the console consumes them, from the generated contract (server: `case.schema.ts`). */
import type { Schemas } from '../api/contract';

export type CaseState = Schemas['CaseState'];
export type ActionType = Schemas['CaseActionType'];

export const CASE_STATES = [
  'reported',
  'rejected',
  'merged',
  'accepted',
  'dispatched',
  'handling',
  'returned',
  'joint_action',
  'awaiting_verification',
  'awaiting_acceptance',
  'suspended',
  'closed',
] as const satisfies readonly CaseState[];

export const ACTION_TYPES = [
  'accept',
  'reject',
  'merge',
  'dispatch',
  'redispatch',
  'sign',
  'send_back',
  'report_in',
  'feedback',
  'verify_pass',
  'verify_fail',
  'accept_joint_action',
  'refuse_joint_action',
  'reopen',
  'rate',
  'extension_request',
  'extension_approve',
  'extension_refuse',
  'suspend',
  'resume',
  'supervise',
  'handle_on_spot',
] as const satisfies readonly ActionType[];

export const REJECT_REASONS = ['not_in_remit', 'insufficient_information', 'duplicate'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const SLA_STATES = ['green', 'yellow', 'red'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const CASE_CHANNELS = ['resident', 'staff', 'patrol', 'inspection', 'camera', 'hotline'] as const;

export type Tier = 1 | 2 | 3;

/** A case; list rows also carry what the signed-in user may fire on it now (`allowedActions`). */
export type CaseDto = Schemas['CaseView'] & Partial<Pick<Schemas['CaseListItem'], 'allowedActions'>>;

export type CaseListItem = Schemas['CaseListItem'];

export type CaseEventDto = Schemas['CaseEvent'];

export type CaseDetail = Schemas['CaseDetail'];

export type DuplicateCandidate = CaseDetail['duplicates'][number];

export type RoutingSuggestion = NonNullable<CaseDetail['routing']>;

/** A photo as the API shows it: public copies only, never the original's metadata. */
export type MediaView = Schemas['PublicMedia'];

export type ActionResult = Schemas['CaseActionResult'];

export type TaxonomyEntry = Schemas['TaxonomyEntry'];
