import type { CaseChannel, OrganisationKind } from '../db/schema.ts';

/** The roles of SPEC §1. Codes are stable identifiers; labels live in the web's translations. */
export const ROLES = [
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
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS_ZH: Record<Role, string> = {
  resident: '居民',
  volunteer: '志愿者',
  alley_chief: '街巷长',
  grid_worker: '网格员',
  street_dispatcher: '街道指挥中心',
  department_handler: '职能部门',
  contractor: '街巷服务企业',
  inspector: '第三方检查',
  district_admin: '区城市管理委',
  leader: '领导',
  system_admin: '系统管理员',
};

/** The roles that handle tier-1 cases on the spot (SPEC §4.3). */
export const TIER1_HANDLER_ROLES = ['grid_worker', 'alley_chief'] as const satisfies readonly Role[];

/**
 * Departments' and contractors' staff act for an organisation of their own kind (SPEC §1): a handler
 * of a department cannot belong to a contractor.
 */
export const ORGANISATION_KIND_OF_ROLE: Partial<Record<Role, OrganisationKind>> = {
  department_handler: 'department',
  contractor: 'contractor',
};

/** Roles that act for an organisation must name it; staff roles must name a jurisdiction. */
export const ROLES_WITH_ORGANISATION: ReadonlySet<Role> = new Set(
  ROLES.filter((r) => ORGANISATION_KIND_OF_ROLE[r] !== undefined),
);
export const STAFF_ROLES: ReadonlySet<Role> = new Set(
  ROLES.filter((r) => r !== 'resident' && r !== 'volunteer'),
);

/** Staff work within a district, street, community or grid; a system administrator may be global. */
export function needsJurisdiction(role: Role): boolean {
  return STAFF_ROLES.has(role) && role !== 'system_admin';
}

/** The channels a filing form may start on (SPEC §4.1). */
export const USUAL_FILING_CHANNELS = [
  'staff',
  'patrol',
  'inspection',
] as const satisfies readonly CaseChannel[];
export type UsualFilingChannel = (typeof USUAL_FILING_CHANNELS)[number];

/**
 * Where a role's staff usually come upon what they file — grid workers and alley chiefs on their
 * patrols, inspectors inspecting, everyone else at a desk — so the filing form starts there; null for
 * roles that report as residents.
 */
export function usualFilingChannel(role: Role): UsualFilingChannel | null {
  if (!STAFF_ROLES.has(role)) return null;
  if ((TIER1_HANDLER_ROLES as readonly Role[]).includes(role)) return 'patrol';
  if (role === 'inspector') return 'inspection';
  return 'staff';
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
