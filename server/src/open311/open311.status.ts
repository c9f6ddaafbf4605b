import type { CaseState, RejectReason } from '../cases/case.state.ts';

/**
 * Hutong's case states (cases/case.state.ts) seen through GeoReport: the base `open`/`closed`, and the
 * extended statuses that the widely used servicerequestupdates extension carries. The table in
 * docs/open311.md is this module in prose; the tests check that they agree in both directions.
 */

export const EXTENDED_STATUSES = [
  'OPEN',
  'INVESTIGATING',
  'ACTION_SCHEDULED',
  'IN_PROGRESS',
  'INTERNAL_REFERRAL',
  'FIXED',
  'CLOSED',
  'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION',
] as const;
export type ExtendedStatus = (typeof EXTENDED_STATUSES)[number];

export type BaseStatus = 'open' | 'closed';

/** States that end the case's work: the ledger entry is struck or never opened. */
export const CLOSED_STATES: readonly CaseState[] = ['closed', 'rejected', 'merged'];

const BY_STATE: Readonly<Record<Exclude<CaseState, 'rejected'>, ExtendedStatus>> = {
  reported: 'OPEN',
  // Filed and being triaged: the dispatcher is deciding who handles it.
  accepted: 'INVESTIGATING',
  // Sent to a unit with a deadline, awaiting its signature.
  dispatched: 'ACTION_SCHEDULED',
  // The unit sent it back to the dispatcher, who must send it elsewhere.
  returned: 'INTERNAL_REFERRAL',
  handling: 'IN_PROGRESS',
  joint_action: 'IN_PROGRESS',
  // The handler reports it done but an inspector (or the street) has not confirmed it yet, so it is
  // not FIXED, which GeoReport clients read as closed.
  awaiting_verification: 'IN_PROGRESS',
  awaiting_acceptance: 'IN_PROGRESS',
  // The clock is stopped with a reason; the work is deferred, not dropped.
  suspended: 'ACTION_SCHEDULED',
  // Closed only after a passed re-check or an accepted joint action.
  closed: 'FIXED',
  merged: 'DUPLICATE',
};

const BY_REJECT_REASON: Readonly<Record<RejectReason, ExtendedStatus>> = {
  not_in_remit: 'NOT_COUNCILS_RESPONSIBILITY',
  duplicate: 'DUPLICATE',
  insufficient_information: 'NO_FURTHER_ACTION',
};

/** The extended status of a case in `state` (and, when rejected, why). */
export function extendedStatusOf(state: string, rejectReason?: string | null): ExtendedStatus {
  if (state === 'rejected') {
    return BY_REJECT_REASON[rejectReason as RejectReason] ?? 'NO_FURTHER_ACTION';
  }
  return BY_STATE[state as keyof typeof BY_STATE] ?? 'OPEN';
}

export function baseStatusOf(state: string): BaseStatus {
  return (CLOSED_STATES as readonly string[]).includes(state) ? 'closed' : 'open';
}

const CLOSED_EXTENDED: ReadonlySet<ExtendedStatus> = new Set([
  'FIXED',
  'CLOSED',
  'DUPLICATE',
  'NOT_COUNCILS_RESPONSIBILITY',
  'NO_FURTHER_ACTION',
]);

export function baseStatusOfExtended(status: ExtendedStatus): BaseStatus {
  return CLOSED_EXTENDED.has(status) ? 'closed' : 'open';
}

/** Where a status a client reports would put a case in Hutong: the state and, for a refusal, why. */
export interface HutongEquivalent {
  state: CaseState;
  rejectReason?: RejectReason;
}

const TO_HUTONG: Readonly<Record<ExtendedStatus, HutongEquivalent>> = {
  OPEN: { state: 'reported' },
  INVESTIGATING: { state: 'accepted' },
  ACTION_SCHEDULED: { state: 'dispatched' },
  IN_PROGRESS: { state: 'handling' },
  INTERNAL_REFERRAL: { state: 'returned' },
  FIXED: { state: 'closed' },
  CLOSED: { state: 'closed' },
  DUPLICATE: { state: 'merged' },
  NOT_COUNCILS_RESPONSIBILITY: { state: 'rejected', rejectReason: 'not_in_remit' },
  NO_FURTHER_ACTION: { state: 'rejected', rejectReason: 'insufficient_information' },
};

/**
 * Reads a status sent by a client: an extended status in any case, or the base `open`/`closed`
 * (as OPEN/CLOSED). Null when it is neither.
 */
export function parseClientStatus(raw: string): ExtendedStatus | null {
  const upper = raw.trim().toUpperCase();
  return (EXTENDED_STATUSES as readonly string[]).includes(upper) ? (upper as ExtendedStatus) : null;
}

/** The Hutong state a client's status stands for — a suggestion to the dispatcher, never applied. */
export function hutongEquivalentOf(status: ExtendedStatus): HutongEquivalent {
  return TO_HUTONG[status];
}
