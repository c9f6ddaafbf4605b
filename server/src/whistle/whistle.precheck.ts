import type { Kysely } from 'kysely';
import { type Actor, type CaseParties, decideCaseAction } from '../accounts/authorisation.ts';
import { ACTION_ROLES, ROLE_LINK } from '../cases/case.state.ts';
import type { CaseRow, Database } from '../db/schema.ts';
import { AppError, type ErrorCode } from '../shared/errors.ts';
import { whistleRepository } from './whistle.repository.ts';

/** The code of the 409 that refuses an acceptance while joint tasks are open. */
export const JOINT_TASKS_OPEN = 'JOINT_TASKS_OPEN' as const satisfies ErrorCode;

/**
 * "事不完，人不走": the street accepts a joint action (验收) only once every task its meeting gave out is
 * done. Called by `CaseService.act` before `accept_joint_action`, outside the case's transaction (on the
 * embedded engine a query beside an open transaction would wait for it forever).
 *
 * It refuses only what would otherwise go through, so that a caller who may not accept, or a case that
 * is not awaiting acceptance, still gets the usual FORBIDDEN / OUT_OF_SCOPE / TRANSITION_NOT_ALLOWED.
 * Tasks are added only while the joint action is at work, not while it awaits acceptance, so a task could
 * slip in between this check and the acceptance only if, in that instant, the street refused the result,
 * gave a task and a unit fed back again.
 */
export async function assertJointTasksDone(
  db: Kysely<Database>,
  actor: Actor,
  c: Pick<CaseRow, 'id' | 'state'>,
  parties: CaseParties,
): Promise<void> {
  if (c.state !== 'awaiting_acceptance') return;
  const may = decideCaseAction(actor, ACTION_ROLES.accept_joint_action, ROLE_LINK[actor.role], parties);
  if (!may.allowed) return;
  const open = await whistleRepository(db).openTasks(c.id);
  if (open.length === 0) return;
  throw new AppError(
    JOINT_TASKS_OPEN,
    `${open.length} joint task(s) are still open; the joint action cannot be accepted yet`,
    {
      openTasks: open.map((t) => ({
        id: t.id,
        organisationId: t.organisation_id,
        description: t.description,
        deadline: t.deadline.toISOString(),
      })),
    },
  );
}
