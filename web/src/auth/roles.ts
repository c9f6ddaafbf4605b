import type { Role } from '../api/types';

/*
 * Which pages and buttons a role is offered. A courtesy mirror of the server's authorisation module,
 * which still decides every request; kept here once so that pages do not each carry their own list.
 */

/** The district's and the system's administrators: users, Open311 clients and service questions. */
export const ADMIN_ROLES: readonly Role[] = ['system_admin', 'district_admin'];
/** Roles that may open user administration (the server still decides what each may change). */
export const USER_ADMIN_ROLES = ADMIN_ROLES;

export function canAdministerUsers(role: Role): boolean {
  return USER_ADMIN_ROLES.includes(role);
}

/** Who may file a case from the console (the server's `case.create`): every staff role but leaders. */
export const CASE_FILERS: readonly Role[] = [
  'alley_chief',
  'grid_worker',
  'street_dispatcher',
  'department_handler',
  'contractor',
  'inspector',
  'district_admin',
  'system_admin',
];

/** The street's desk and the district: they blow the whistle, keep its meeting and launch campaigns. */
/** Who imports 12345 orders and places those whose address named nowhere (the server's hotline.import). */
export const HOTLINE_DESK_ROLES: readonly Role[] = ['street_dispatcher', 'district_admin', 'system_admin'];

export const STREET_DESK_ROLES: readonly Role[] = ['street_dispatcher', 'district_admin'];

/** Who follows the monthly theme (每月一题): the district decides, the streets and leaders follow. */
export const THEME_READERS: readonly Role[] = [
  'street_dispatcher',
  'district_admin',
  'leader',
  'system_admin',
];

/** Departments and contractors: bound to their own organisation's cases, wherever those lie. */
export const ORGANISATION_BOUND_ROLES: readonly Role[] = ['department_handler', 'contractor'];

export function isOrganisationBound(role: Role): boolean {
  return ORGANISATION_BOUND_ROLES.includes(role);
}

/** Every demo account is `demo-<role>` with this password, as the seed creates them. */
export const DEMO_PASSWORD = 'demo';

export function demoUsername(role: Role): string {
  return `demo-${role}`;
}

/** Who reads measures, rankings and dashboards (each inside their jurisdiction): the desks and leaders. */
export const MEASURE_READERS: readonly Role[] = [
  'street_dispatcher',
  'district_admin',
  'leader',
  'inspector',
  'system_admin',
];

/** Whose console home is the dashboard: leaders and the district (a street's desk sees its street's). */
export const DASHBOARD_HOME_ROLES: readonly Role[] = ['leader', 'district_admin', 'street_dispatcher'];

/** Who keeps a community's volunteer teams and rewards catalogue (the server's `volunteer.manage`, `reward.write`). */
export const PARTICIPATION_MANAGERS: readonly Role[] = [
  'alley_chief',
  'street_dispatcher',
  'district_admin',
  'system_admin',
];
