import type { Organisation, Role, User } from '../api/types';
import { isOrganisationBound, STREET_DESK_ROLES } from '../auth/roles';
import type { ActionBody } from '../cases/casesApi';
import type { ActionType, CaseState } from '../cases/caseTypes';
import { unitsFor } from '../cases/units';
import type { JointAction, JointTask } from './whistleTypes';

/**
 * What the whistle page offers whom. A courtesy mirror of the server's rules (the case state machine
 * for summoning, reporting in, feedback and acceptance; `whistle.service.ts` and `authorisation.ts` for
 * the meeting and its tasks): the server decides, and its refusal is shown as it comes.
 */

/** The joint action is at work, or its result awaits the street's acceptance. */
const OPEN_JOINT: readonly CaseState[] = ['joint_action', 'awaiting_acceptance'];

export type WhistleAction =
  | 'report_in'
  | 'record_minutes'
  | 'assign_task'
  | 'complete_task'
  | 'feedback'
  | 'accept'
  | 'refuse';

export function canRaiseWhistle(role: Role): boolean {
  return STREET_DESK_ROLES.includes(role);
}

/** The case action that summons units from this state: a first dispatch, or a change of dispatch. */
export function raiseActionFor(state: CaseState): Extract<ActionType, 'dispatch' | 'redispatch'> | null {
  if (state === 'accepted') return 'dispatch';
  if (state === 'returned' || state === 'dispatched') return 'redispatch';
  return null;
}

/** States from which a joint action can be raised on a case (a joint action already running is changed on its own page). */
export const RAISABLE_STATES: readonly CaseState[] = ['accepted', 'returned', 'dispatched'];

export interface RaiseRequest {
  caseId: string;
  action: 'dispatch' | 'redispatch';
  body: ActionBody;
}

/**
 * One tier-3 dispatch per case: the server keeps one joint action per case, so a whistle over several
 * cases summons the same units to each of them.
 */
export function raiseRequests(
  cases: readonly { id: string; state: CaseState }[],
  unitIds: readonly string[],
  note?: string,
): RaiseRequest[] {
  const trimmed = note?.trim();
  return cases.flatMap((c) => {
    const action = raiseActionFor(c.state);
    if (!action) return [];
    const body: ActionBody = { tier: 3, unitIds: [...unitIds] };
    if (action === 'redispatch' && trimmed) body.note = trimmed;
    return [{ caseId: c.id, action, body }];
  });
}

/** Units that serve every one of these streets, so one whistle can summon them to all the cases. */
export function unitsServingAll(
  organisations: Organisation[],
  streetCodes: readonly string[],
): Organisation[] {
  const streets = [...new Set(streetCodes)];
  if (streets.length === 0) return [];
  const [first, ...rest] = streets.map((street) => unitsFor(organisations, street));
  return (first ?? []).filter((org) => rest.every((units) => units.some((other) => other.id === org.id)));
}

function summonedUnit(user: Pick<User, 'role' | 'organisationId'>, joint: JointAction) {
  if (!isOrganisationBound(user.role) || !user.organisationId) return undefined;
  return joint.units.find((unit) => unit.organisationId === user.organisationId);
}

/** Whether this user's unit may report the given task done now. */
export function canCompleteTask(
  user: Pick<User, 'role' | 'organisationId'>,
  joint: JointAction,
  task: JointTask,
): boolean {
  return (
    isOrganisationBound(user.role) &&
    task.status === 'open' &&
    task.organisationId === user.organisationId &&
    OPEN_JOINT.includes(joint.state)
  );
}

/** The whistle actions this user may take on this joint action now, in the order the work runs. */
export function whistleActionsFor(
  user: Pick<User, 'role' | 'organisationId'>,
  joint: JointAction,
): WhistleAction[] {
  const actions: WhistleAction[] = [];
  const atWork = joint.state === 'joint_action';
  if (STREET_DESK_ROLES.includes(user.role)) {
    if (OPEN_JOINT.includes(joint.state)) actions.push('record_minutes');
    if (atWork && joint.units.length > 0) actions.push('assign_task');
    if (joint.acceptance.awaiting) {
      if (joint.acceptance.blockedBy === null) actions.push('accept');
      actions.push('refuse');
    }
    return actions;
  }
  const unit = summonedUnit(user, joint);
  if (!unit) return actions;
  if (atWork && !unit.reportedIn) actions.push('report_in');
  if (joint.tasks.some((task) => canCompleteTask(user, joint, task))) actions.push('complete_task');
  if (atWork && joint.units.every((u) => u.reportedIn)) actions.push('feedback');
  return actions;
}

/** The case action behind a whistle action that the case loop itself carries. */
export const CASE_ACTION_OF: Partial<Record<WhistleAction, ActionType>> = {
  report_in: 'report_in',
  feedback: 'feedback',
  accept: 'accept_joint_action',
  refuse: 'refuse_joint_action',
};
