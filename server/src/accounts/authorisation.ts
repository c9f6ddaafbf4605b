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

/**
 * The operator at the command line and the server's own jobs. It is spelled out wherever it is meant:
 * a missing actor (`null`) is an anonymous caller and is never trusted. It acts with the system
 * administrator's rights and is nobody's account, so nothing records it as a user (`recordedUserId`).
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({
  userId: 'system',
  username: 'system',
  role: 'system_admin',
  scopeCode: null,
  organisationId: null,
});

export function isSystemActor(actor: Actor | null | undefined): boolean {
  return actor === SYSTEM_ACTOR;
}

/** The user id to store as the author of a change: none for anonymous callers and the system actor. */
export function recordedUserId(actor: Actor | null | undefined): string | null {
  return !actor || isSystemActor(actor) ? null : actor.userId;
}

/** The roles an action admits (`anonymous` included when anyone may do it); the route table reads them. */
export function rolesOf(action: Action): readonly (Role | 'anonymous')[] {
  return [...rules[action].roles];
}

export function isScoped(action: Action): boolean {
  return rules[action].scoped;
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
  'user.read_handlers',
  'token.create',
  'taxonomy.read',
  'taxonomy.write',
  'routing.read',
  'routing.write',
  'case.read',
  'case.create',
  'report.own',
  'media.read_original',
  'webhook.read',
  'webhook.write',
  'ledger.read',
  'campaign.read',
  'campaign.write',
  'joint_action.write',
  'joint_task.complete',
  'hotline.import',
  'hotline.push',
  'hotline.export',
  'hotline.sanlv',
  'open311_client.read',
  'open311_client.write',
  'open311_attribute.write',
  'classifier.use',
  'classifier.manage',
  'hot_issue.read',
  'forecast.read',
  'proactive_task.decide',
  'theme.read',
  'theme.propose',
  'theme.adopt',
  'measure.read',
  'evaluation.write',
  'indicator.read',
  'indicator.write',
  'patrol.walk',
  'patrol.read',
  'patrol.live',
  'coverage.read',
  'inspection.read',
  'inspection.write',
  'contractor_check.read',
  'contractor_check.write',
  'tier_plan.read',
  'tier_plan.write',
  'points.own',
  'points.read_catalogue',
  'points.award',
  'points.rules_write',
  'reward.write',
  'volunteer.read',
  'volunteer.apply',
  'volunteer.manage',
  'visit.manage',
  'frontage.read',
  'frontage.manage',
  'frontage.check',
  'proposal.read',
  'proposal.take_part',
  'proposal.manage',
  'parking.read',
  'parking.book',
  'parking.manage',
  'operator.run',
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

/** Staff who read cases by territory rather than by their organisation's assignment. */
const territoryStaff = new Set<Role>([
  'alley_chief',
  'grid_worker',
  'street_dispatcher',
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
  // Dispatching at tier 1 names a grid worker or alley chief; the desk that dispatches sees who works
  // inside its jurisdiction (names and roles only), without the administration of accounts.
  'user.read_handlers': {
    roles: new Set(['street_dispatcher', 'district_admin', 'system_admin']),
    scoped: true,
  },
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
  // Anyone may report through the public intake; a signed-in resident's or volunteer's report is also
  // linked to their account (they follow and rate it, and it earns civic points once verified). Staff
  // file through the console instead, so their sessions are not linked to what they report there.
  'report.own': { roles: new Set(['resident', 'volunteer']), scoped: false },
  // Originals are stripped of EXIF like the public copies, but are larger and cover private cases too;
  // they follow the access of the record they belong to (a case: its territory and assigned unit).
  'media.read_original': { roles: staff, scoped: true },
  // Webhooks are an integration of the whole district: they carry every matching case event of it out
  // of the system, so they are the district's (or the system administrator's) to set up and to see.
  'webhook.read': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  'webhook.write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  // The ledger (台账) is the case list in the form street offices keep and exchange: whoever may read
  // the cases may read their ledger, departments and contractors for their own organisation's cases.
  'ledger.read': { roles: staff, scoped: true },
  'campaign.read': { roles: staff, scoped: true },
  // A campaign (动态清零) is launched and kept by the street or the district, as is a whistle's meeting.
  'campaign.write': { roles: new Set(['street_dispatcher', 'district_admin']), scoped: true },
  'joint_action.write': { roles: new Set(['street_dispatcher', 'district_admin']), scoped: true },
  // A joint task is done by the unit it was given to, wherever the case lies.
  'joint_task.complete': { roles: new Set(['department_handler', 'contractor']), scoped: true },
  // 12345 work orders are filed by the desk that dispatches them (the street or the district), and by
  // the hotline system's own account (a token of such a role, or of the system administrator).
  'hotline.import': { roles: new Set(['street_dispatcher', 'district_admin', 'system_admin']), scoped: true },
  'hotline.push': { roles: new Set(['street_dispatcher', 'district_admin', 'system_admin']), scoped: true },
  // Results go back to the hotline from the same desks; leaders read them as they read cases.
  'hotline.export': {
    roles: new Set(['street_dispatcher', 'district_admin', 'leader', 'system_admin']),
    scoped: true,
  },
  // The 三率 rank units: the street and district see every unit of their cases, a department or
  // contractor its own row (hotlineMeasureFilter).
  'hotline.sanlv': {
    roles: new Set([
      'street_dispatcher',
      'district_admin',
      'leader',
      'system_admin',
      'department_handler',
      'contractor',
    ]),
    scoped: true,
  },
  // Open311 clients post cases into a district on its behalf, and a service's extra questions shape
  // what every client must ask: both are the district's integration settings, like webhooks.
  'open311_client.read': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  'open311_client.write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  'open311_attribute.write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  // Proposing a category for a text reveals nothing stored, and residents report anonymously.
  'classifier.use': { roles: everyone, scoped: false },
  // The classifier's models serve the whole installation, so they are not scoped to a territory.
  'classifier.manage': { roles: new Set(['district_admin', 'system_admin']), scoped: false },
  // The CLI's write commands sent to a running server act for the whole installation, as the operator
  // at the command line would: only the installation's administrator (or the server's local secret).
  'operator.run': { roles: new Set(['system_admin']), scoped: false },
  // Hot issues and forecasts are read from the cases of a territory, descriptions included, so they are
  // for the staff who read those cases by territory; departments and contractors, who read cases by
  // assignment, would see other units' cases in them.
  'hot_issue.read': { roles: territoryStaff, scoped: true },
  'forecast.read': { roles: territoryStaff, scoped: true },
  // A proactive task (未诉先办) is taken up or set aside by the desk that dispatches.
  'proactive_task.decide': { roles: new Set(['street_dispatcher', 'district_admin']), scoped: true },
  // The monthly theme (每月一题) is the district's choice: the district proposes and adopts; the streets
  // and leaders follow it.
  'theme.read': {
    roles: new Set(['street_dispatcher', 'district_admin', 'leader', 'system_admin']),
    scoped: true,
  },
  'theme.propose': { roles: new Set(['district_admin']), scoped: true },
  'theme.adopt': { roles: new Set(['district_admin']), scoped: true },
  // Measures, rankings, evaluations and bulletins (SPEC §5–6) are read by the desks that answer for a
  // territory and by leaders, each inside their jurisdiction: a street sees its street's units only.
  'measure.read': {
    roles: new Set(['street_dispatcher', 'district_admin', 'leader', 'inspector', 'system_admin']),
    scoped: true,
  },
  // The evaluation scheme and a month's evaluation are the district's: it weighs, evaluates and freezes.
  'evaluation.write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  // The indicator system is the published yardstick of inspections: every staff member reads it, the
  // district sets it.
  'indicator.read': { roles: staff, scoped: false },
  'indicator.write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  // Daily patrol (日巡) is walked by those who look after alleys, inside their own jurisdiction.
  'patrol.walk': {
    roles: new Set(['alley_chief', 'grid_worker', 'contractor', 'volunteer']),
    scoped: true,
  },
  // A track is read by its walker (the service checks that) and by the staff over its territory.
  'patrol.read': { roles: territoryStaff, scoped: true },
  // Live positions (M28) are for the desks that dispatch and the district, never beyond their scope.
  'patrol.live': {
    roles: new Set(['street_dispatcher', 'district_admin', 'leader', 'system_admin']),
    scoped: true,
  },
  'coverage.read': { roles: territoryStaff, scoped: true },
  'inspection.read': { roles: territoryStaff, scoped: true },
  // Weekly checks (周查) by the street's checker, third-party inspections by the inspector.
  'inspection.write': { roles: new Set(['inspector', 'street_dispatcher', 'district_admin']), scoped: true },
  // A contractor sees its own checks (the service narrows to its organisation).
  'contractor_check.read': {
    roles: new Set([...territoryStaff, 'contractor']),
    scoped: true,
  },
  'contractor_check.write': {
    roles: new Set(['inspector', 'street_dispatcher', 'district_admin']),
    scoped: true,
  },
  'tier_plan.read': { roles: territoryStaff, scoped: true },
  'tier_plan.write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  // Civic points (文明微积分, SPEC §8). A resident or volunteer reads their own balance and postings and
  // redeems from their own account (the service binds every such call to the actor's own account).
  'points.own': { roles: new Set(['resident', 'volunteer']), scoped: false },
  // What earns points and what they buy is posted publicly, like a community notice.
  'points.read_catalogue': { roles: everyone, scoped: false },
  // Awards (and the sorting checks that earn them) come from the pool of a community inside the staff
  // member's jurisdiction; a district administrator may award anyone in the district.
  'points.award': {
    roles: new Set(['alley_chief', 'street_dispatcher', 'district_admin', 'system_admin']),
    scoped: true,
  },
  // The rules (what a verified report, an hour, a sorting check earns) are the district's.
  'points.rules_write': { roles: new Set(['district_admin', 'system_admin']), scoped: true },
  // A community's catalogue, its stock and the handing over of rewards.
  'reward.write': {
    roles: new Set(['alley_chief', 'street_dispatcher', 'district_admin', 'system_admin']),
    scoped: true,
  },
  // Teams and activities are public notices (the alley board shows its team); members' names are not.
  'volunteer.read': { roles: everyone, scoped: false },
  // A signed-in resident applies to a team and signs up for its activities.
  'volunteer.apply': { roles: new Set(['resident', 'volunteer']), scoped: false },
  // The community's staff keep its teams: approve members, organise activities, confirm attendance.
  'volunteer.manage': {
    roles: new Set(['alley_chief', 'street_dispatcher', 'district_admin', 'system_admin']),
    scoped: true,
  },
  // Household visits (十必访, SPEC §8): the register (with households' contacts), the visit log and what
  // is due are for the community and street staff who visit, inside their jurisdiction; never public.
  'visit.manage': {
    roles: new Set(['alley_chief', 'grid_worker', 'street_dispatcher', 'district_admin']),
    scoped: true,
  },
  // Frontage responsibility (门前三包, SPEC §8). The register of shops carries their responsible person
  // and phone, so it is for the staff who keep or check it, inside their jurisdiction; the public board
  // reads names and stars through its own public route.
  'frontage.read': {
    roles: new Set(['alley_chief', 'street_dispatcher', 'inspector', 'district_admin']),
    scoped: true,
  },
  // The community and street staff register shops and their signed agreements.
  'frontage.manage': {
    roles: new Set(['alley_chief', 'street_dispatcher', 'district_admin']),
    scoped: true,
  },
  // Checks are recorded by the inspector, the alley chief and the street desk (and the district).
  'frontage.check': {
    roles: new Set(['inspector', 'alley_chief', 'street_dispatcher', 'district_admin']),
    scoped: true,
  },
  // Deliberation (议事协商, SPEC §8). Proposals, comments, minutes, decisions and (once closed) tallies are
  // community notices, without names; ballots are secret (nobody reads who voted what).
  'proposal.read': { roles: everyone, scoped: false },
  // A resident or volunteer proposes, comments and votes in their own community. Their accounts carry
  // no jurisdiction in the staff sense, so the service decides eligibility from the account's scope
  // (deliberation.rules.ts isEligibleMember: a community code, or a grid inside it).
  'proposal.take_part': { roles: new Set(['resident', 'volunteer']), scoped: false },
  // The community's staff run the deliberation: propose, open and close a vote, record minutes and the
  // decision (opening a campaign also needs campaign.write).
  'proposal.manage': {
    roles: new Set(['alley_chief', 'street_dispatcher', 'district_admin', 'system_admin']),
    scoped: true,
  },
  // Shared parking (错时停车, SPEC §8). The offered spaces and their windows are a public notice.
  'parking.read': { roles: everyone, scoped: false },
  // A resident or volunteer books, cancels and checks in and out of their own bookings (the service
  // binds each such call to the actor's own bookings).
  'parking.book': { roles: new Set(['resident', 'volunteer']), scoped: false },
  // The community's or street's staff keep the spaces of their scope (offer, edit windows, withdraw),
  // see their bookings and no-shows, and may check a booking in or out or cancel it.
  'parking.manage': {
    roles: new Set(['alley_chief', 'street_dispatcher', 'district_admin', 'system_admin']),
    scoped: true,
  },
};

/** Actions on which departments and contractors are bound by organisation rather than by territory. */
const ORGANISATION_BOUND_ACTIONS: ReadonlySet<Action> = new Set([
  'case.read',
  'case.create',
  'media.read_original',
  'ledger.read',
  'joint_task.complete',
]);

const ORGANISATION_BOUND: ReadonlySet<Role> = new Set(['department_handler', 'contractor']);

/**
 * Whether the actor reaches this action's records by its organisation's assignment, wherever they lie
 * (departments and contractors on cases and ledgers), rather than by territory.
 */
export function boundByOrganisation(actor: Actor, action: Action): boolean {
  return ORGANISATION_BOUND_ACTIONS.has(action) && ORGANISATION_BOUND.has(actor.role);
}

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
  if (boundByOrganisation(actor, action) && resource.organisationIds !== undefined) {
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

/** What a ledger list must be filtered by so that it shows only what the actor may read. */
export interface LedgerFilter {
  /** Territory prefix (district, street, community or grid code); null means no territorial filter. */
  territoryPrefix: string | null;
  /** Departments and contractors see the cases assigned to their organisation, wherever they lie. */
  organisationId: string | null;
}

/**
 * The filter for a ledger list, optionally narrowed to one street. Asking for a street outside the
 * actor's jurisdiction is refused (OUT_OF_SCOPE) rather than answered with an empty ledger, so that a
 * street office never mistakes "not yours" for "nothing open". For departments and contractors the
 * street only narrows their own organisation's cases.
 */
export function ledgerFilter(actor: Actor | null, streetCode?: string | null): LedgerFilter {
  authorise(actor, 'ledger.read');
  const a = actor!;
  if (boundByOrganisation(a, 'ledger.read')) {
    return { territoryPrefix: streetCode ?? null, organisationId: a.organisationId ?? '\u0000' };
  }
  if (!streetCode) return { territoryPrefix: listScope(a, 'ledger.read'), organisationId: null };
  authorise(a, 'ledger.read', { territoryCodes: [streetCode] });
  return { territoryPrefix: streetCode, organisationId: null };
}

/**
 * The filter for a list of cases (queues, joint actions): the actor's jurisdiction; departments and
 * contractors instead see the cases their organisation holds or
 * was summoned to, wherever they lie, as they may read them one by one.
 */
export function caseListFilter(actor: Actor | null): LedgerFilter {
  const prefix = listScope(actor, 'case.read');
  const a = actor!;
  if (boundByOrganisation(a, 'case.read'))
    return { territoryPrefix: null, organisationId: a.organisationId ?? '\u0000' };
  return { territoryPrefix: prefix, organisationId: null };
}

/**
 * What a 三率 summary covers for this actor: its jurisdiction; for a department or contractor, which
 * work on cases wherever they lie, its own organisation's row over its district.
 */
export function hotlineMeasureFilter(actor: Actor | null): {
  territoryPrefix: string | null;
  organisationId: string | null;
} {
  authorise(actor, 'hotline.sanlv');
  const a = actor!;
  if (ORGANISATION_BOUND.has(a.role)) {
    return {
      territoryPrefix: a.scopeCode?.slice(0, 6) ?? '\u0000',
      organisationId: a.organisationId ?? '\u0000',
    };
  }
  return { territoryPrefix: listScope(a, 'hotline.sanlv'), organisationId: null };
}

/** How a case stands towards the people who may act on it. */
export interface CaseParties {
  territoryCodes: readonly string[];
  organisationIds: readonly string[];
  handlerUserId: string | null;
  reporterUserId: string | null;
}

/**
 * Whether the actor's role may fire a case action on some case: the state machine lists the role for
 * it and the role is tied to cases in some way. Which case is then `decideCaseAction`'s question.
 */
export function mayFireCaseActionAtAll(
  actor: Actor,
  actionRoles: readonly string[],
  link: 'in_scope' | 'assigned' | 'reporter' | undefined,
): boolean {
  return actionRoles.includes(actor.role) && !!link;
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
  if (!mayFireCaseActionAtAll(actor, actionRoles, link)) return { allowed: false, code: 'FORBIDDEN' };
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
