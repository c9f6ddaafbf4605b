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

/** Roles that act for an organisation must name it; staff roles must name a jurisdiction. */
export const ROLES_WITH_ORGANISATION: ReadonlySet<Role> = new Set(['department_handler', 'contractor']);
export const STAFF_ROLES: ReadonlySet<Role> = new Set(
  ROLES.filter((r) => r !== 'resident' && r !== 'volunteer'),
);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
