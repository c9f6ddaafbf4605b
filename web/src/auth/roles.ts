import type { Role } from '../api/types';

/** Roles that may open user administration (the server still decides what each may change). */
export const USER_ADMIN_ROLES: readonly Role[] = ['system_admin', 'district_admin'];

export function canAdministerUsers(role: Role): boolean {
  return USER_ADMIN_ROLES.includes(role);
}

/** Every demo account is `demo-<role>` with this password, as the seed creates them. */
export const DEMO_PASSWORD = 'demo';

export function demoUsername(role: Role): string {
  return `demo-${role}`;
}
