import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { type Action, rolesOf } from './authorisation.ts';
import type { Role } from './roles.ts';

/**
 * Who may call each HTTP route, declared once for the whole API and enforced before any handler runs.
 *
 * Each route (method + URL pattern as OpenAPI spells it, `{id}` for a parameter) names one policy:
 *  - `publicRoute(scope)`: anyone, signed in or not;
 *  - `signedIn(scope)`: any signed-in account; the service narrows it further;
 *  - `roles([...], scope)` or `action('case.read')`: only these roles (an action's roles are read from
 *    authorisation.ts, so the table and the services never disagree).
 * The scope rule says which rows or targets the route may touch for a caller, and is what the role
 * matrix (server/test/role-matrix.test.ts) checks on the responses; the services enforce it through
 * authorisation.ts.
 *
 * A route without a declaration is refused to anonymous callers (fail closed), and a test fails for
 * every route of the OpenAPI document that has none. Adding a route: add a line to `ROUTE_ACCESS`
 * below, or call `declareRouteAccess({...})` from the route's module before the app is built.
 */

/** What a caller may reach through a route, beyond being allowed to call it. */
export type ScopeRule =
  /** Data that is public or installation-wide (territory, taxonomy, health). */
  | 'none'
  /** Only the caller's own records (its session, notifications, tokens). */
  | 'self'
  /** Rows and targets inside the caller's jurisdiction (territory code prefix). */
  | 'jurisdiction'
  /** Cases: by territory for territory staff, by assignment for departments and contractors, by
   * authorship for residents; every target named in a write (unit, user, case) as well. */
  | 'case'
  /** Public views of cases: only public cases, without personal data. */
  | 'public-case'
  /** A tracking code or an Open311 api_key identifies what may be reached. */
  | 'token';

export type RoutePolicy =
  | { access: 'public'; scope: ScopeRule }
  | { access: 'signed-in'; scope: ScopeRule }
  | { access: 'roles'; roles: readonly Role[]; scope: ScopeRule };

export function publicRoute(scope: ScopeRule = 'none'): RoutePolicy {
  return { access: 'public', scope };
}

export function signedIn(scope: ScopeRule): RoutePolicy {
  return { access: 'signed-in', scope };
}

export function roles(list: readonly Role[], scope: ScopeRule): RoutePolicy {
  return { access: 'roles', roles: list, scope };
}

/** The roles of an authorisation action; public when the action admits anonymous callers. */
export function action(name: Action, scope?: ScopeRule): RoutePolicy {
  const admitted = rolesOf(name);
  const rule = scope ?? 'jurisdiction';
  if (admitted.includes('anonymous')) return publicRoute(scope ?? 'none');
  return roles(admitted as Role[], rule);
}

const caseScope = signedIn('case');

/** The roles that hold a points account of their own. */
const EARNERS = rolesOf('points.own') as Role[];
/** The staff roles of an action (its roles without anonymous). */
function rolesOfStaff(name: Action): Role[] {
  return rolesOf(name).filter((r): r is Role => r !== 'anonymous');
}

/** `METHOD /path/{param}` → policy. Grouped by capability; keep each group beside its neighbours. */
const ROUTE_ACCESS: Record<string, RoutePolicy> = {
  // system
  'GET /api/health': publicRoute(),
  'GET /api/config/map': publicRoute(),
  'GET /api/config/site': publicRoute(),
  'GET /api/config/cases': publicRoute(),
  'GET /api/openapi.json': publicRoute(),

  // accounts
  'POST /api/auth/login': publicRoute(),
  'POST /api/auth/logout': publicRoute('self'),
  'GET /api/auth/me': signedIn('self'),
  'POST /api/auth/tokens': action('token.create', 'self'),
  'GET /api/users': action('user.read'),
  'POST /api/users': action('user.create'),
  'GET /api/users/tier1-handlers': action('user.read_handlers'),
  'GET /api/users/roles': action('user.create'),
  'GET /api/users/{id}': action('user.read'),
  'PATCH /api/users/{id}': action('user.update'),

  // territory and organisations
  'GET /api/territory/streets': publicRoute(),
  'GET /api/territory/communities': publicRoute(),
  'GET /api/territory/grids': publicRoute(),
  'GET /api/territory/alleys': publicRoute(),
  'GET /api/territory/alleys/{id}': publicRoute(),
  'PATCH /api/territory/alleys/{id}': action('alley.update'),
  'GET /api/territory/locate': publicRoute(),
  'GET /api/territory/geojson': publicRoute(),
  'GET /api/territory/basemap': publicRoute(),
  'POST /api/territory/import': action('territory.import'),
  'PUT /api/organisations/{id}': action('organisation.write'),
  'GET /api/organisations': action('organisation.read', 'none'),

  // taxonomy and routing
  'GET /api/taxonomy': publicRoute(),
  'GET /api/taxonomy/versions': publicRoute(),
  'POST /api/taxonomy/versions/{id}/activate': action('taxonomy.write'),
  'GET /api/taxonomy/{key}': publicRoute(),
  'PATCH /api/taxonomy/{key}': action('taxonomy.write'),
  'GET /api/routing-rules': action('routing.read', 'none'),
  'POST /api/routing-rules': action('routing.write'),
  'POST /api/routing-rules/regenerate': action('routing.write'),
  'GET /api/routing-rules/{id}': action('routing.read', 'none'),
  'PATCH /api/routing-rules/{id}': action('routing.write'),
  'DELETE /api/routing-rules/{id}': action('routing.write'),
  'GET /api/routing/resolve': action('routing.read', 'none'),

  // cases: residents report without an account; the public sees public cases without personal data
  'POST /api/public/reports': publicRoute('public-case'),
  'GET /api/public/alleys/{id}/cases': publicRoute('public-case'),
  'GET /api/public/reports/{trackingCode}': publicRoute('token'),
  'POST /api/cases/{id}/photos': caseScope,
  'POST /api/cases': action('case.create', 'case'),
  'GET /api/cases': action('case.read', 'case'),
  'GET /api/cases/map': action('case.read', 'case'),
  'POST /api/cases/camera-events': action('case.create', 'case'),
  // Residents read and act on their own reports (rate, reopen): the case rules decide per action.
  'GET /api/cases/{id}': caseScope,
  'POST /api/cases/{id}/actions/{action}': caseScope,
  'POST /api/cases/{id}/actions': caseScope,

  // media: public copies of public cases' photos; originals follow their record's access
  'GET /api/media/{id}/public': publicRoute('public-case'),
  'GET /api/media/{id}/thumb': publicRoute('public-case'),
  'GET /api/media/{id}/original': action('media.read_original', 'case'),

  // notifications
  'GET /api/notifications': signedIn('self'),
  'POST /api/notifications/{id}/read': signedIn('self'),
  'POST /api/notifications/read-all': signedIn('self'),

  // webhooks
  'GET /api/webhooks': action('webhook.read'),
  'POST /api/webhooks': action('webhook.write'),
  'DELETE /api/webhooks/{id}': action('webhook.write'),
  'GET /api/webhooks/{id}/deliveries': action('webhook.read'),

  // ledgers and campaigns
  'GET /api/ledgers/cases': action('ledger.read', 'case'),
  'GET /api/ledgers/cases.xlsx': action('ledger.read', 'case'),
  'POST /api/campaigns': action('campaign.write'),
  'GET /api/campaigns': action('campaign.read'),
  'GET /api/campaigns/{id}': action('campaign.read'),
  'POST /api/campaigns/{id}/items': action('campaign.write', 'case'),
  'GET /api/campaigns/{id}/items': action('campaign.read', 'case'),
  'POST /api/campaigns/{id}/items/{itemId}/clear': action('campaign.write', 'case'),
  'GET /api/campaigns/{id}/burndown': action('campaign.read'),
  'GET /api/campaigns/{id}/ledger.xlsx': action('campaign.read', 'case'),

  // joint actions (吹哨报到)
  'GET /api/joint-actions': action('case.read', 'case'),
  'GET /api/cases/{id}/joint-action': action('case.read', 'case'),
  'PUT /api/cases/{id}/joint-action/minutes': action('joint_action.write', 'case'),
  'POST /api/cases/{id}/joint-action/tasks': action('joint_action.write', 'case'),
  'POST /api/cases/{id}/joint-action/tasks/{taskId}/done': action('joint_task.complete', 'case'),
  'POST /api/cases/{id}/joint-action/units/{organisationId}/record': action('joint_action.write', 'case'),

  // The command line beside a running server (db/data-lock.ts): the operator secret of the lock file
  // or a system administrator's token, checked by the route itself (operator.routes.ts), since the
  // command line holds no session.
  'POST /api/operator/hotline/import': publicRoute('token'),
  'POST /api/operator/users': publicRoute('token'),
  'POST /api/operator/tokens': publicRoute('token'),
  'POST /api/operator/classifier/retrain': publicRoute('token'),

  // 12345 hotline
  'POST /api/hotline/import': action('hotline.import'),
  'POST /api/hotline/orders': action('hotline.push'),
  'GET /api/hotline/results': action('hotline.export'),
  'GET /api/hotline/sanlv': action('hotline.sanlv'),
  'GET /api/hotline/unlocated': action('hotline.import'),
  'POST /api/hotline/unlocated/{workOrderNo}/place': action('hotline.import'),

  // classifier
  'POST /api/classify': publicRoute(),
  'GET /api/classifier/models': action('classifier.manage', 'none'),
  'POST /api/classifier/retrain': action('classifier.manage', 'none'),
  'POST /api/classifier/models/{version}/activate': action('classifier.manage', 'none'),
  'POST /api/classifier/rollback': action('classifier.manage', 'none'),

  // Open311: the console's settings, and GeoReport v2 (api_key for writes, public reads of public cases)
  'GET /api/open311/clients': action('open311_client.read'),
  'POST /api/open311/clients': action('open311_client.write'),
  'POST /api/open311/clients/{id}/revoke': action('open311_client.write'),
  'GET /api/open311/attributes': signedIn('jurisdiction'),
  'POST /api/open311/attributes': action('open311_attribute.write'),
  'PATCH /api/open311/attributes/{id}': action('open311_attribute.write'),
  'DELETE /api/open311/attributes/{id}': action('open311_attribute.write'),
  'GET /api/open311/cases/{id}': caseScope,
  'GET /open311/v2/{file}': publicRoute('public-case'),
  'POST /open311/v2/{file}': publicRoute('token'),
  'GET /open311/v2/services/{file}': publicRoute(),
  'GET /open311/v2/requests/{file}': publicRoute('public-case'),
  'GET /open311/v2/tokens/{file}': publicRoute('token'),

  // intelligence
  'GET /api/hot-issues': action('hot_issue.read'),
  // Evaluation (measures, dashboards, monthly evaluation, rankings, the bulletin): read inside the
  // caller's jurisdiction; the scheme and a month's evaluation are the district's to write.
  'GET /api/measures': action('measure.read'),
  'GET /api/measures/{measure}/cases': action('measure.read'),
  'GET /api/dashboard': action('measure.read'),
  'GET /api/dashboard/hotspots/{cell}/cases': action('measure.read'),
  'GET /api/rankings': action('measure.read'),
  'GET /api/bulletins/{quarter}': action('measure.read'),
  'GET /api/evaluation/scheme': action('measure.read'),
  'PUT /api/evaluation/scheme': action('evaluation.write'),
  'GET /api/evaluations/{month}/{level}': action('measure.read'),
  'POST /api/evaluations/{month}/{level}': action('evaluation.write'),
  'POST /api/evaluations/{month}/{level}/{runNo}/review': action('evaluation.write'),
  'POST /api/evaluations/{month}/{level}/{runNo}/freeze': action('evaluation.write'),
  'GET /api/forecasts/next-week': action('forecast.read'),
  'POST /api/proactive-tasks/propose': action('proactive_task.decide'),
  'GET /api/proactive-tasks': action('forecast.read'),
  'POST /api/proactive-tasks/{id}/decision': action('proactive_task.decide'),
  'GET /api/proactive-tasks/stats': action('forecast.read'),
  'POST /api/themes/proposals': action('theme.propose'),
  'GET /api/themes': action('theme.read'),
  'GET /api/themes/{id}': action('theme.read'),
  'POST /api/themes/{id}/adopt': action('theme.adopt'),
  'POST /api/themes/{id}/dismiss': action('theme.adopt'),

  // supervision in the field: indicators, daily patrol, live positions, inspections, contractors, tiers
  'GET /api/indicators': action('indicator.read', 'none'),
  'GET /api/indicators/versions': action('indicator.read', 'none'),
  'PUT /api/indicators': action('indicator.write'),
  'POST /api/indicators/versions/{id}/activate': action('indicator.write'),
  'POST /api/patrols': action('patrol.walk'),
  // Only the walker adds to a patrol (the service checks the patrol is the caller's own).
  'POST /api/patrols/{id}/points': action('patrol.walk', 'self'),
  'POST /api/patrols/{id}/finish': action('patrol.walk', 'self'),
  'POST /api/patrols/{id}/findings': action('patrol.walk', 'case'),
  // A track is read by its walker and by the staff over its territory.
  'GET /api/patrols/{id}': roles(
    [...new Set([...rolesOf('patrol.walk'), ...rolesOf('patrol.read')])].filter(
      (r): r is Role => r !== 'anonymous',
    ),
    'jurisdiction',
  ),
  'GET /api/patrols/live': action('patrol.live'),
  'GET /api/patrols/coverage': action('coverage.read'),
  'POST /api/inspections': action('inspection.write', 'case'),
  'GET /api/inspections': action('inspection.read'),
  'GET /api/inspections/form': action('inspection.write'),
  'GET /api/inspections/{id}': action('inspection.read'),
  'GET /api/contractor-checks/items': action('contractor_check.read', 'none'),
  'POST /api/contractor-checks': action('contractor_check.write'),
  'GET /api/contractor-checks': action('contractor_check.read'),
  'GET /api/contractor-checks/monthly': action('contractor_check.read'),
  'GET /api/tier-plans': action('tier_plan.read'),
  'GET /api/tier-plans/progress': action('tier_plan.read'),

  // participation: civic points (文明微积分). Residents and volunteers reach only their own account;
  // community staff their jurisdiction's pools, catalogues and redemptions.
  'GET /api/points/rules': action('points.read_catalogue'),
  'POST /api/points/rules': action('points.rules_write'),
  'GET /api/points/balance': action('points.own', 'self'),
  'GET /api/points/postings': action('points.own', 'self'),
  'POST /api/points/awards': action('points.award'),
  'POST /api/points/sorting-checks': action('points.award'),
  'GET /api/points/rewards': action('points.read_catalogue'),
  'POST /api/points/rewards': action('reward.write'),
  'PATCH /api/points/rewards/{id}': action('reward.write'),
  'POST /api/points/redemptions': action('points.own', 'self'),
  'GET /api/points/redemptions': roles([...EARNERS, ...rolesOfStaff('reward.write')], 'jurisdiction'),
  'POST /api/points/redemptions/{id}/confirm': action('reward.write'),
  'POST /api/points/redemptions/{id}/cancel': roles(
    [...EARNERS, ...rolesOfStaff('reward.write')],
    'jurisdiction',
  ),
  // participation: volunteers. Teams and activities are public notices without names.
  'GET /api/volunteers/teams': action('volunteer.read'),
  'POST /api/volunteers/teams': action('volunteer.manage'),
  'PATCH /api/volunteers/teams/{id}': action('volunteer.manage'),
  'POST /api/volunteers/teams/{id}/applications': action('volunteer.apply', 'self'),
  'GET /api/volunteers/teams/{id}/members': action('volunteer.manage'),
  'POST /api/volunteers/teams/{id}/members/{userId}/decision': action('volunteer.manage'),
  'POST /api/volunteers/teams/{id}/activities': action('volunteer.manage'),
  'GET /api/volunteers/activities': action('volunteer.read'),
  'POST /api/volunteers/activities/{id}/signups': action('volunteer.apply', 'self'),
  'DELETE /api/volunteers/activities/{id}/signups': action('volunteer.apply', 'self'),
  'GET /api/volunteers/activities/{id}/signups': action('volunteer.manage'),
  'POST /api/volunteers/activities/{id}/attendance': action('volunteer.manage'),
  'GET /api/volunteers/me': action('volunteer.apply', 'self'),
  // participation: household visits (十必访). Staff of the scope only; households' contacts are personal data.
  'GET /api/visits/kinds': action('visit.manage'),
  'GET /api/visits/officials': action('visit.manage'),
  'GET /api/visits/households': action('visit.manage'),
  'POST /api/visits/households': action('visit.manage'),
  'POST /api/visits': action('visit.manage'),
  'GET /api/visits': action('visit.manage'),
  'GET /api/visits/due': action('visit.manage'),
  // participation: frontage responsibility (门前三包). The register carries responsible persons' phones:
  // staff of the scope only; the alley board's list is public, without personal data.
  'GET /api/frontage/shops': action('frontage.read'),
  'POST /api/frontage/shops': action('frontage.manage'),
  'GET /api/frontage/shops/{id}': action('frontage.read'),
  'POST /api/frontage/shops/{id}/agreements': action('frontage.manage'),
  'POST /api/frontage/shops/{id}/checks': action('frontage.check'),
  'GET /api/frontage/ratings': action('frontage.read'),
  'GET /api/public/alleys/{id}/shops': publicRoute('none'),
  // participation: deliberation (议事协商). Proposals, discussion, closed tallies and decisions are
  // community notices without names; members take part in their own community (the service checks the
  // account's scope), staff inside their jurisdiction.
  'GET /api/proposals': action('proposal.read'),
  'POST /api/proposals': roles(
    [...(rolesOf('proposal.take_part') as Role[]), ...rolesOfStaff('proposal.manage')],
    'jurisdiction',
  ),
  'GET /api/proposals/{id}': action('proposal.read'),
  'GET /api/proposals/{id}/comments': action('proposal.read'),
  'POST /api/proposals/{id}/comments': roles(
    [...(rolesOf('proposal.take_part') as Role[]), ...rolesOfStaff('proposal.manage')],
    'jurisdiction',
  ),
  'POST /api/proposals/{id}/withdraw': roles(
    [...(rolesOf('proposal.take_part') as Role[]), ...rolesOfStaff('proposal.manage')],
    'jurisdiction',
  ),
  'POST /api/proposals/{id}/voting': action('proposal.manage'),
  'POST /api/proposals/{id}/votes': action('proposal.take_part', 'self'),
  'POST /api/proposals/{id}/close': action('proposal.manage'),
  'PUT /api/proposals/{id}/minutes': action('proposal.manage'),
  'POST /api/proposals/{id}/decision': action('proposal.manage'),
  'GET /api/plan-items': action('proposal.read'),
  // participation: shared parking (错时停车). Spaces and windows are public; residents reach only their
  // own bookings, staff the spaces and bookings of their jurisdiction.
  'GET /api/parking/spaces': action('parking.read'),
  'POST /api/parking/spaces': action('parking.manage'),
  'PATCH /api/parking/spaces/{id}': action('parking.manage'),
  'POST /api/parking/spaces/{id}/withdraw': action('parking.manage'),
  'POST /api/parking/bookings': action('parking.book', 'self'),
  'GET /api/parking/bookings/mine': action('parking.book', 'self'),
  'GET /api/parking/bookings': action('parking.manage'),
  'GET /api/parking/no-shows': action('parking.manage'),
  'POST /api/parking/bookings/{id}/cancel': roles(
    [...(rolesOf('parking.book') as Role[]), ...rolesOfStaff('parking.manage')],
    'jurisdiction',
  ),
  'POST /api/parking/bookings/{id}/check-in': roles(
    [...(rolesOf('parking.book') as Role[]), ...rolesOfStaff('parking.manage')],
    'jurisdiction',
  ),
  'POST /api/parking/bookings/{id}/check-out': roles(
    [...(rolesOf('parking.book') as Role[]), ...rolesOfStaff('parking.manage')],
    'jurisdiction',
  ),
};

/** URL prefixes whose every route shares one policy: the API's documentation, the web console. */
const PREFIX_ACCESS: { prefix: string; policy: RoutePolicy }[] = [
  { prefix: '/api/docs', policy: publicRoute() },
];

/**
 * Adds declarations for routes of a module (call before `buildApp`). A route declared twice is a
 * mistake that would hide one of the two policies, so it throws.
 */
export function declareRouteAccess(entries: Record<string, RoutePolicy>): void {
  for (const [key, policy] of Object.entries(entries)) {
    const normal = normaliseKey(key);
    if (ROUTE_ACCESS[normal]) throw new Error(`route ${normal} is already declared in route-access.ts`);
    ROUTE_ACCESS[normal] = policy;
  }
}

/** `:id` (Fastify) and `{id}` (OpenAPI) name the same parameter. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function normaliseKey(key: string): string {
  const [method, url] = key.split(' ') as [string, string];
  return `${method.toUpperCase()} ${openApiPath(url)}`;
}

/** The policy of a route, or undefined when it has none. HEAD follows GET. */
export function policyFor(method: string, url: string): RoutePolicy | undefined {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const path = openApiPath(url);
  const exact = ROUTE_ACCESS[`${m} ${path}`];
  if (exact) return exact;
  const byPrefix = PREFIX_ACCESS.find((p) => path === p.prefix || path.startsWith(`${p.prefix}/`));
  if (byPrefix) return byPrefix.policy;
  // The web console's files (the app shell, scripts, styles) are public; only the API is guarded.
  if (m === 'GET' && !path.startsWith('/api/') && !path.startsWith('/open311/')) return publicRoute();
  return undefined;
}

/** Every declared `METHOD /path` (for the tests that compare the table with the OpenAPI document). */
export function declaredRoutes(): string[] {
  return Object.keys(ROUTE_ACCESS);
}

/** Refuses a request its route's policy does not admit; the services then check scope and targets. */
export function checkRouteAccess(request: FastifyRequest): void {
  const url = request.routeOptions.url;
  // No route matched: the not-found handler answers.
  if (!url) return;
  const policy = policyFor(request.method, url);
  if (policy?.access === 'public') return;
  const actor = request.actor;
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  if (policy?.access === 'roles' && !policy.roles.includes(actor.role)) {
    throw new AppError('FORBIDDEN', `Your role may not call ${request.method} ${openApiPath(url)}`);
  }
}

const registered = new WeakMap<FastifyInstance, Set<string>>();

/** Every route the app registered after `installRouteAccess`, hidden ones included, as `METHOD /path`. */
export function registeredRoutes(app: FastifyInstance): string[] {
  return [...(registered.get(app) ?? [])];
}

/** Installs the check; register it after authentication so that `request.actor` is known. */
export function installRouteAccess(app: FastifyInstance): void {
  const seen = new Set<string>();
  registered.set(app, seen);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== 'HEAD') seen.add(`${m} ${openApiPath(route.url)}`);
  });
  app.addHook('onRequest', async (request) => checkRouteAccess(request));
}
