import { type Actor, decideCaseAction } from '../accounts/authorisation.ts';
import type { CaseRow } from '../db/schema.ts';
import {
  ACTION_ROLES,
  type ActionType,
  allowedActions,
  ROLE_LINK,
  type TransitionContext,
} from './case.state.ts';

/** How a case stands towards the people who may act on it (for `decideCaseAction`). */
export function caseParties(
  c: Pick<CaseRow, 'snapshot' | 'street_code' | 'community_code' | 'grid_code' | 'reporter_user_id'>,
) {
  const assignment = c.snapshot.assignment;
  return {
    territoryCodes: [c.street_code, c.community_code, c.grid_code].filter((x): x is string => !!x),
    organisationIds:
      assignment?.kind === 'unit'
        ? [assignment.unitId]
        : assignment?.kind === 'joint'
          ? [...assignment.unitIds]
          : [],
    handlerUserId: assignment?.kind === 'handler' ? assignment.userId : null,
    reporterUserId: c.reporter_user_id,
  };
}

/**
 * The case actions this actor may fire on this case now: those the state machine allows from the
 * snapshot (`allowedActions`) that the authorisation module lets this actor fire (`decideCaseAction`).
 * A unit reports in once: a summoned unit that already has is not offered `report_in` again. What a
 * console offers, so that no client keeps a copy of the rules; the server still decides each request.
 */
export function actionsFor(actor: Actor, c: CaseRow, ctx: TransitionContext): ActionType[] {
  const parties = caseParties(c);
  return allowedActions(c.snapshot, ctx).filter((type) => {
    if (!decideCaseAction(actor, ACTION_ROLES[type], ROLE_LINK[actor.role], parties).allowed) return false;
    if (type === 'report_in') {
      const joint = c.snapshot.assignment;
      const org = actor.organisationId;
      return (
        joint?.kind === 'joint' && !!org && joint.unitIds.includes(org) && !joint.reportedIn.includes(org)
      );
    }
    return true;
  });
}
