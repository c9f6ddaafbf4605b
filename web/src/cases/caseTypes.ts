/** Shapes of the case API as the console consumes them (server: `cases/case.service.ts`, `toCaseDto`). */
import type { Role } from '../api/types';

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
] as const;
export type CaseState = (typeof CASE_STATES)[number];

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
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const REJECT_REASONS = ['not_in_remit', 'insufficient_information', 'duplicate'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const SLA_STATES = ['green', 'yellow', 'red'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const CASE_CHANNELS = ['resident', 'staff', 'patrol', 'inspection', 'camera', 'hotline'] as const;

export type Tier = 1 | 2 | 3;

export interface CaseDto {
  id: string;
  caseNumber: string;
  trackingCode: string;
  channel: string;
  state: CaseState;
  tier: Tier | null;
  categoryKey: string | null;
  /** The classifier's proposal at intake; null when no model was serving then. */
  suggestion?: { key: string; confidence: number | null; model: string | null } | null;
  description: string;
  address: string | null;
  location: { lng: number; lat: number; crsIn: string };
  streetCode: string;
  communityCode: string | null;
  gridCode: string | null;
  alleyId: string | null;
  severity: string;
  assignedOrgId: string | null;
  supporters: number;
  mergedInto: string | null;
  reporter: { name: string | null; contact: string | null };
  responseDeadline: string | null;
  handlingDeadline: string | null;
  originalHandlingDeadline: string | null;
  slaState: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  version: number;
  /** The actions the signed-in user may fire now, decided by the server (lists and the case view). */
  allowedActions?: ActionType[];
}

export interface CaseEventDto {
  seq: number;
  at: string;
  actorRole: Role | string;
  action: ActionType | 'report' | string;
  fromState: CaseState | null;
  toState: CaseState;
  reason: string | null;
  payload: Record<string, unknown>;
}

export interface DuplicateCandidate {
  id: string;
  caseNumber: string;
  distanceMeters: number;
  sameCategory: boolean;
  categoryKey?: string | null;
  state: CaseState;
  description: string;
  createdAt?: string;
}

export interface RoutingSuggestion {
  organisationId: string;
  organisationName?: string | null;
  reason?: string;
}

/** A photo as the API shows it: public copies only, never the original's metadata. */
export interface MediaView {
  id: string;
  url: string;
  thumbUrl: string;
  width?: number;
  height?: number;
}

export interface CaseDetail extends CaseDto {
  categoryName?: string | null;
  routing?: RoutingSuggestion | null;
  duplicates?: DuplicateCandidate[];
  /** The report's photos and the handler's after-photos (absent when the server stores no photos). */
  photos?: { report: MediaView[]; after: MediaView[] };
  events: CaseEventDto[];
  /** Every unit holding the case: the tier-2 unit, or each unit summoned to a joint action. */
  assignedUnits: { organisationId: string; reportedIn: boolean | null }[];
  allowedActions: ActionType[];
}

export interface ActionResult {
  case: CaseDto;
  event: { seq: number; action: ActionType; from: CaseState; to: CaseState };
}

export interface TaxonomyEntry {
  key: string;
  kind: 'component' | 'event';
  code: string;
  majorClass: string;
  name: string;
  /** Synonyms and words residents use for it; search matches them as well as the name. */
  keywords?: string[];
  public: boolean;
}
