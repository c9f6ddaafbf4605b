import { AppError } from '../shared/errors.ts';
import type { Role } from './roles.ts';

/**
 * The one place that decides whether an actor may do an action on a resource, including whether the
 * resource lies inside the actor's jurisdiction. Routes and services ask; they never decide.
 *
 * Territory codes nest by prefix (district 6 → street 9 → community 12 → grid 15 digits), so a
 * resource lies inside a scope when one of its territory codes starts with the scope code.
 */

export interface Actor {
  userId: string;
  username: string;
  role: Role;
  /** District, street, community or grid code; null for residents and volunteers, and for system_admin (global). */
  scopeCode: string | null;
  organisationId: string | null;
}

export const ACTIONS = [
  'territory.read',
  'territory.import',
  'territory.export',
  'alley.update',
  'organisation.read',
  'organisation.write',
  'user.read',
  'user.create',
  'user.update',
  'token.create',
  'taxonomy.read',
  'taxonomy.write',
  'routing.read',
  'routing.write',
  'case.read',
  'case.create',
  'media.read_original',
] as const;

export type Action = (typeof ACTIONS)[number];

/** What the decision needs to know about the thing acted on. */
export interface Resource {
  /** The territory codes the resource lies in (an alley: its street, community and grids). */
  territoryCodes?: readonly string[];
  /** For users: the role being granted or held, so that nobody hands out more than they hold. */
  role?: Role;
  /** For cases: the organisations they are assigned to (one unit, or the units of a joint action). */
  organisationIds?: readonly string[];
}

type Rule = { roles: ReadonlySet<Role | 'anonymous'>; scoped: boolean };

const everyone = new Set<Role | 'anonymous'>([
  'anonymous',
  'resident',
  'volunteer',
  'alley_chief',
  'grid_worker',
  'street_dispatcher',
  'department_handler',
  'contractor',
  'inspector',
  'district_admin',
  'leader',
  'system_admin',
]);
const staff = new Set<Role>([
  'alley_chief',
  'grid_worker',
  'street_dispatcher',
  'department_handler',
  'contractor',
  'inspector',
  'district_admin',
  'leader',
  'system_admin',
]);

const rules: Record<Action, Rule> = {
  // Territory, alley boards and chiefs' public duties are public information (公示).
  'territory.read': { roles: everyone, scoped: false },
  'territory.export': { roles: everyone, scoped: false },
  'territory.import': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  'alley.update': {
    roles: new Set(['district_admin', 'street_dispatcher', 'alley_chief', 'system_admin']),
    scoped: true,
  },
  'organisation.read': { roles: staff, scoped: false },
  'organisation.write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  'user.read': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  'user.create': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  'user.update': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  'token.create': { roles: staff, scoped: false },
  // Residents pick a category when they report, so the taxonomy is public; private categories are
  // flagged in it, not hidden.
  'taxonomy.read': { roles: everyone, scoped: false },
  'taxonomy.write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  'routing.read': { roles: staff, scoped: false },
  'routing.write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  // Staff file reports from patrol, inspection and the desk; residents report through the public intake.
  'case.read': { roles: staff, scoped: true },
  'case.create': { roles: new Set([...staff].filter((r) => r !== 'leader')), scoped: true },
  // Originals are stripped of EXIF like the public copies, but are larger and cover private cases too;
  // they follow the access of the record they belong to (a case: its territory and assigned unit).
  'media.read_original': { roles: staff, scoped: true },
};

const ORGANISATION_BOUND: ReadonlySet<Role> = new Set(['department_handler', 'contractor']);

/** Roles a district administrator may not grant: they would hold more than the granter. */
const RESERVED_ROLES: ReadonlySet<Role> = new Set(['system_admin', 'district_admin']);

export type Decision =
  | { allowed: true }
  | { allowed: false; code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'OUT_OF_SCOPE' };

export function withinScope(scopeCode: string | null, codes: readonly string[]): boolean {
  if (scopeCode === null) return false;
  return codes.some((c) => c.startsWith(scopeCode));
}

export function decide(actor: Actor | null, action: Action, resource: Resource = {}): Decision {
  const rule = rules[action];
  if (!rule.roles.has(actor?.role ?? 'anonymous')) {
    return actor ? { allowed: false, code: 'FORBIDDEN' } : { allowed: false, code: 'UNAUTHENTICATED' };
  }
  if (!actor) return { allowed: true };
  if (actor.role === 'system_admin') return { allowed: true };
  if (action.startsWith('user.') && resource.role && RESERVED_ROLES.has(resource.role)) {
    return { allowed: false, code: 'FORBIDDEN' };
  }
  // A department or contractor works on what is assigned to its organisation, wherever it lies.
  if (
    (action.startsWith('case.') || action === 'media.read_original') &&
    ORGANISATION_BOUND.has(actor.role) &&
    resource.organisationIds !== undefined
  ) {
    return actor.organisationId && resource.organisationIds.includes(actor.organisationId)
      ? { allowed: true }
      : { allowed: false, code: 'OUT_OF_SCOPE' };
  }
  if (rule.scoped && resource.territoryCodes && !withinScope(actor.scopeCode, resource.territoryCodes)) {
    return { allowed: false, code: 'OUT_OF_SCOPE' };
  }
  return { allowed: true };
}

export function authorise(actor: Actor | null, action: Action, resource: Resource = {}): void {
  const d = decide(actor, action, resource);
  if (d.allowed) return;
  const messages = {
    UNAUTHENTICATED: 'Sign in first',
    FORBIDDEN: `Your role may not do ${action}`,
    OUT_OF_SCOPE: 'This lies outside your jurisdiction',
  } as const;
  throw new AppError(d.code, messages[d.code], { action });
}

/**
 * The jurisdiction prefix that list queries must filter by for a scoped action, or null for "no
 * filter" (system_admin, or unscoped actions). Throws if the actor may not list at all.
 */
export function listScope(actor: Actor | null, action: Action): string | null {
  authorise(actor, action);
  if (!actor || actor.role === 'system_admin' || !rules[action].scoped) return null;
  // A scoped role with no jurisdiction sees nothing rather than everything.
  return actor.scopeCode ?? '\u0000';
}

/** How a case stands towards the people who may act on it. */
export interface CaseParties {
  territoryCodes: readonly string[];
  organisationIds: readonly string[];
  handlerUserId: string | null;
  reporterUserId: string | null;
}

/**
 * May this actor fire this case action? The role must be one the state machine lists for the action
 * (`ACTION_ROLES`), and the actor must be tied to the case as its role requires (`ROLE_LINK`): the
 * dispatcher and inspector by jurisdiction, a unit by assignment, a reporter by authorship.
 */
export function decideCaseAction(
  actor: Actor | null,
  actionRoles: readonly string[],
  link: 'in_scope' | 'assigned' | 'reporter' | undefined,
  parties: CaseParties,
): Decision {
  if (!actor) return { allowed: false, code: 'UNAUTHENTICATED' };
  if (!actionRoles.includes(actor.role) || !link) return { allowed: false, code: 'FORBIDDEN' };
  const tied =
    link === 'in_scope'
      ? withinScope(actor.scopeCode, parties.territoryCodes)
      : link === 'reporter'
        ? parties.reporterUserId !== null && parties.reporterUserId === actor.userId
        : ORGANISATION_BOUND.has(actor.role)
          ? !!actor.organisationId && parties.organisationIds.includes(actor.organisationId)
          : parties.handlerUserId === actor.userId;
  return tied ? { allowed: true } : { allowed: false, code: 'OUT_OF_SCOPE' };
}
