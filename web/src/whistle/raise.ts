import type { Organisation } from '../api/types';
import type { ActionBody } from '../cases/casesApi';
import type { ActionType } from '../cases/caseTypes';
import { unitsFor } from '../cases/units';

/**
 * Raising a whistle over cases the server says may be dispatched now: a first dispatch or a change of
 * dispatch, whichever the case's `allowedActions` holds. No copy of the state machine: a case the
 * caller may not dispatch offers neither.
 */
export function raiseActionFor(
  allowed: readonly ActionType[] | undefined,
): Extract<ActionType, 'dispatch' | 'redispatch'> | null {
  if (allowed?.includes('dispatch')) return 'dispatch';
  if (allowed?.includes('redispatch')) return 'redispatch';
  return null;
}

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
  cases: readonly { id: string; allowedActions?: readonly ActionType[] }[],
  unitIds: readonly string[],
  note?: string,
): RaiseRequest[] {
  const trimmed = note?.trim();
  return cases.flatMap((c) => {
    const action = raiseActionFor(c.allowedActions);
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
