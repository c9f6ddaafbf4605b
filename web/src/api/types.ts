/** Shapes of the API's JSON, as the console consumes them. Names follow SPEC §11. */

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

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string | null;
  scopeName: string | null;
  organisationId: string | null;
  organisationName: string | null;
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface Health {
  demo?: boolean;
}

export type LngLat = [number, number];

export interface Street {
  code: string;
  name: string;
  districtCode: string;
  center: LngLat;
  approximate: boolean;
  communityCount: number;
  alleyCount: number;
}

export const ALLEY_TYPES = ['major_street', 'main_street', 'lane'] as const;
export type AlleyType = (typeof ALLEY_TYPES)[number];

export const ALLEY_TIERS = ['exemplary', 'fine', 'compliant'] as const;
export type AlleyTier = (typeof ALLEY_TIERS)[number];

export interface AlleySummary {
  id: string;
  name: string;
  streetCode: string;
  communityCode: string | null;
  alleyType: AlleyType;
  lengthM: number;
  currentTier: AlleyTier | null;
  targetTier: AlleyTier | null;
  chiefName: string | null;
  approximate?: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface AlleyChief {
  name: string | null;
  title: string | null;
  duties: string | null;
  phone: string | null;
}

export interface AlleyChecklist {
  haves: Record<string, boolean>;
  nots: Record<string, boolean>;
}

export interface LineString {
  type: 'LineString';
  coordinates: LngLat[];
}

export interface AlleyDetail {
  id: string;
  name: string;
  streetCode: string;
  streetName: string;
  communityCode: string | null;
  communityName: string | null;
  alleyType: AlleyType;
  lengthM: number;
  currentTier: AlleyTier | null;
  targetTier: AlleyTier | null;
  chief: AlleyChief;
  council: string | null;
  contractorId: string | null;
  contractorName: string | null;
  volunteerTeam: string | null;
  plan: string | null;
  residentsPact: string | null;
  cultureNote: string | null;
  noticeBoard: string | null;
  checklist: AlleyChecklist;
  approximate: boolean;
  version: number;
  geometry: LineString | null;
  permissions?: { edit: boolean };
}

/** Fields of the registry a PATCH may change; always sent with the `version` it was based on. */
export type AlleyRegistryPatch = Partial<
  Pick<
    AlleyDetail,
    | 'currentTier'
    | 'targetTier'
    | 'chief'
    | 'council'
    | 'contractorId'
    | 'volunteerTeam'
    | 'plan'
    | 'residentsPact'
    | 'cultureNote'
    | 'noticeBoard'
    | 'checklist'
  >
> & { version: number };

export interface LocateResult {
  street: { code: string; name: string };
  community: { code: string; name: string } | null;
  grid: { code: string } | null;
  alley: { id: string; name: string; distanceMeters: number } | null;
}

export type TileCrs = 'wgs84' | 'gcj02';

export interface MapConfig {
  tiles: { url: string; crs: TileCrs } | null;
  styleUrl: string | null;
}

export type OrganisationKind = 'street_office' | 'department' | 'contractor';

export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  scopeCode: string;
  /** Sent by the server; optional so older fixtures without it still type-check. */
  active?: boolean;
}

export interface ManagedUser extends User {
  active: boolean;
  phone: string | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  scopeCode?: string;
  organisationId?: string;
  phone?: string;
}
