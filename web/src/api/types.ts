/**
 * Shapes of the API's JSON, as the console consumes them: derived from the generated contract
 * (openapi.gen.ts), never written again by hand. Names follow SPEC §11.
 */
import type { BodyOf, ResponseOf, Schemas } from './contract';

export type Role = Schemas['User']['role'];

/** Every role, in the order the console lists them (the server's enum; checked against it). */
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
] as const satisfies readonly Role[];

export type User = Schemas['User'];

/** A channel the filing form may start on, as the session names it. */
export type UsualFilingChannel = NonNullable<Session['filingChannel']>;

/** What the account form must know of a role (from `GET /api/users/roles`). */
export type RoleRules = Schemas['RoleRules'];

export type Session = ResponseOf<'/api/auth/login', 'post'>;

/** A console area or button the server lets the signed-in user open (an authorisation action). */
export type Capability = Schemas['Capability'];

export type Health = ResponseOf<'/api/health', 'get'>;

export type LngLat = [number, number];

export type Street = Schemas['Street'];

export type AlleyType = Schemas['Alley']['alleyType'];
export const ALLEY_TYPES = ['major_street', 'main_street', 'lane'] as const satisfies readonly AlleyType[];

export type AlleyTier = NonNullable<Schemas['Alley']['currentTier']>;
export const ALLEY_TIERS = ['exemplary', 'fine', 'compliant'] as const satisfies readonly AlleyTier[];

export type AlleySummary = ResponseOf<'/api/territory/alleys', 'get'>['items'][number];

export interface Page<T> {
  items: T[];
  total: number;
}

export type AlleyChief = AlleyDetail['chief'];

export type AlleyChecklist = AlleyDetail['checklist'];

export interface LineString {
  type: 'LineString';
  coordinates: LngLat[];
}

export type AlleyDetail = Schemas['Alley'];

/** Fields of the registry a PATCH may change; always sent with the `version` it was based on. */
export type AlleyRegistryPatch = BodyOf<'/api/territory/alleys/{id}', 'patch'>;

export type LocateResult = Schemas['Location'];

export type MapConfig = ResponseOf<'/api/config/map', 'get'>;

export type TileCrs = NonNullable<MapConfig['tiles']>['crs'];

export type Organisation = ResponseOf<'/api/organisations', 'get'>[number];

export type OrganisationKind = Organisation['kind'];

/** An account as the user administration sees it. */
export type ManagedUser = User;

export type NewUser = BodyOf<'/api/users', 'post'>;
