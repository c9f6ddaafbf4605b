import type { Role, User } from '../api/types';
import { ACTION_TYPES, type ActionType, type CaseDto, type CaseEventDto, type CaseState } from './caseTypes';

/**
 * A mirror of the server's state machine (`server/src/cases/case.state.ts`), so the case page offers
 * only the actions that can work now. It is a courtesy, not a rule: the server decides, and its answer
 * (409, 403, 400) is shown as it comes. `actions.test.ts` compares this table with the server's.
 */

const DISPATCHERS: readonly Role[] = ['street_dispatcher', 'district_admin'];
const UNITS: readonly Role[] = ['department_handler', 'contractor'];
const HANDLERS: readonly Role[] = ['department_handler', 'contractor', 'grid_worker', 'alley_chief'];
const REPORTERS: readonly Role[] = ['resident', 'volunteer'];

export const ACTION_ROLES: Readonly<Record<ActionType, readonly Role[]>> = {
  accept: DISPATCHERS,
  reject: DISPATCHERS,
  merge: DISPATCHERS,
  dispatch: DISPATCHERS,
  redispatch: DISPATCHERS,
  sign: UNITS,
  send_back: HANDLERS,
  report_in: UNITS,
  feedback: HANDLERS,
  verify_pass: ['inspector', ...REPORTERS],
  verify_fail: ['inspector', ...REPORTERS],
  accept_joint_action: DISPATCHERS,
  refuse_joint_action: DISPATCHERS,
  reopen: REPORTERS,
  rate: [...REPORTERS, 'street_dispatcher'],
  extension_request: HANDLERS,
  extension_approve: DISPATCHERS,
  extension_refuse: DISPATCHERS,
  suspend: DISPATCHERS,
  resume: [...DISPATCHERS, ...HANDLERS],
  supervise: DISPATCHERS,
  // Fired from the patrol page by the finder; the case page never offers it (nobody is tied yet).
  handle_on_spot: ['alley_chief', 'grid_worker', 'contractor'],
};

const SUSPENDABLE: readonly CaseState[] = [
  'accepted',
  'dispatched',
  'handling',
  'returned',
  'joint_action',
  'awaiting_verification',
  'awaiting_acceptance',
];
const OPEN: readonly CaseState[] = ['reported', 'suspended', ...SUSPENDABLE];
// A pending extension exists only while a unit works, and survives a suspension.
const EXTENSION_DECIDABLE: readonly CaseState[] = ['handling', 'joint_action', 'suspended'];

/** The states each action can be fired from, before the facts below narrow it further. */
export const ACTION_STATES: Readonly<Record<ActionType, readonly CaseState[]>> = {
  accept: ['reported'],
  reject: ['reported'],
  merge: ['reported'],
  dispatch: ['accepted'],
  redispatch: ['returned', 'dispatched', 'joint_action'],
  sign: ['dispatched'],
  send_back: ['dispatched', 'handling'],
  report_in: ['joint_action'],
  feedback: ['handling', 'joint_action'],
  verify_pass: ['awaiting_verification'],
  verify_fail: ['awaiting_verification'],
  accept_joint_action: ['awaiting_acceptance'],
  refuse_joint_action: ['awaiting_acceptance'],
  reopen: ['closed'],
  rate: ['closed'],
  extension_request: ['handling', 'joint_action'],
  extension_approve: EXTENSION_DECIDABLE,
  extension_refuse: EXTENSION_DECIDABLE,
  suspend: SUSPENDABLE,
  resume: ['suspended'],
  supervise: OPEN,
  handle_on_spot: ['reported'],
};

export type Assignment =
  | { kind: 'handler'; userId: string }
  | { kind: 'unit'; unitId: string }
  | { kind: 'joint'; unitIds: string[]; reportedIn: string[] };

/** What the state alone does not say but the trail does; the case DTO carries no snapshot. */
export interface CaseFacts {
  assignment: Assignment | null;
  pendingExtension: boolean;
  rated: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function parseAssignment(value: unknown): Assignment | null {
  if (!isRecord(value)) return null;
  if (value.kind === 'handler' && typeof value.userId === 'string') {
    return { kind: 'handler', userId: value.userId };
  }
  if (value.kind === 'unit' && typeof value.unitId === 'string')
    return { kind: 'unit', unitId: value.unitId };
  if (value.kind === 'joint') {
    return { kind: 'joint', unitIds: strings(value.unitIds), reportedIn: strings(value.reportedIn) };
  }
  return null;
}

/** Replays the trail the way the state machine applied it. */
export function caseFacts(events: readonly CaseEventDto[]): CaseFacts {
  const facts: CaseFacts = { assignment: null, pendingExtension: false, rated: false };
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  for (const event of ordered) {
    switch (event.action) {
      case 'dispatch':
      case 'redispatch':
        facts.assignment = parseAssignment(event.payload.assignment);
        facts.pendingExtension = false;
        break;
      case 'send_back':
        facts.assignment = null;
        facts.pendingExtension = false;
        break;
      case 'report_in': {
        const unitId = event.payload.unitId;
        if (facts.assignment?.kind === 'joint' && typeof unitId === 'string') {
          facts.assignment = { ...facts.assignment, reportedIn: [...facts.assignment.reportedIn, unitId] };
        }
        break;
      }
      case 'feedback':
      case 'extension_approve':
      case 'extension_refuse':
        facts.pendingExtension = false;
        break;
      case 'extension_request':
        facts.pendingExtension = true;
        break;
      case 'rate':
        facts.rated = true;
        break;
      case 'reopen':
        facts.rated = false;
        break;
    }
  }
  return facts;
}

function missingReportIns(facts: CaseFacts): string[] {
  const joint = facts.assignment?.kind === 'joint' ? facts.assignment : null;
  return joint ? joint.unitIds.filter((unit) => !joint.reportedIn.includes(unit)) : [];
}

/**
 * Whether the case, as it stands, lets the action be fired by someone: exactly the server's
 * `allowedActions`. Which unit may still report in is a question of who acts (`userTiedTo`).
 */
export function stateAllows(action: ActionType, state: CaseState, facts: CaseFacts): boolean {
  if (!ACTION_STATES[action].includes(state)) return false;
  switch (action) {
    case 'rate':
      return !facts.rated;
    case 'extension_request':
      return !facts.pendingExtension;
    case 'extension_approve':
    case 'extension_refuse':
      return facts.pendingExtension;
    case 'feedback':
      return missingReportIns(facts).length === 0;
    default:
      return true;
  }
}

/**
 * Whether this user is tied to the case as the server's `ROLE_LINK` requires. Scope is not checked:
 * a user who could open the case page is inside it, and the server re-checks anyway.
 */
export function userTiedTo(user: User, action: ActionType, facts: CaseFacts, dto: CaseDto): boolean {
  switch (user.role) {
    case 'department_handler':
    case 'contractor': {
      const org = user.organisationId;
      if (!org) return false;
      const assignment = facts.assignment;
      if (assignment?.kind === 'joint') {
        if (!assignment.unitIds.includes(org)) return false;
        return action !== 'report_in' || !assignment.reportedIn.includes(org);
      }
      return (
        action !== 'report_in' &&
        (assignment?.kind === 'unit' ? assignment.unitId : dto.assignedOrgId) === org
      );
    }
    case 'grid_worker':
    case 'alley_chief':
      return facts.assignment?.kind === 'handler' && facts.assignment.userId === user.id;
    // Reporters act on their own reports from the resident page, which knows who reported.
    case 'resident':
    case 'volunteer':
      return false;
    default:
      return true;
  }
}

/** The actions to offer this user on this case now, in the order the loop runs. */
export function availableActions(user: User, dto: CaseDto, events: readonly CaseEventDto[]): ActionType[] {
  const facts = caseFacts(events);
  return ACTION_TYPES.filter(
    (action) =>
      ACTION_ROLES[action].includes(user.role) &&
      stateAllows(action, dto.state, facts) &&
      userTiedTo(user, action, facts, dto),
  );
}
