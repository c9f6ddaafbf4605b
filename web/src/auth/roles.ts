import type { Role } from '../api/types';

/*
 * What the console does with a role's name beyond asking the server. Who may open which area or button
 * is not here: the server sends it as the session's `capabilities` (see currentUser.ts `useCan`).
 */

/**
 * Departments and contractors: their cases are those assigned to their organisation, wherever they lie,
 * so pages word their lists and summaries that way rather than by territory.
 */
export const ORGANISATION_BOUND_ROLES: readonly Role[] = ['department_handler', 'contractor'];

export function isOrganisationBound(role: Role): boolean {
  return ORGANISATION_BOUND_ROLES.includes(role);
}

/** Every demo account is `demo-<role>` with this password, as the seed creates them. */
export const DEMO_PASSWORD = 'demo';

export function demoUsername(role: Role): string {
  return `demo-${role}`;
}

/** Whose console home opens on the dashboard (a layout choice): leaders, the district and a street's desk. */
export const DASHBOARD_HOME_ROLES: readonly Role[] = ['leader', 'district_admin', 'street_dispatcher'];
