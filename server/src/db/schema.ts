import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Polygonal } from '../territory/geometry.ts';

/** Kysely's view of the tables. Each domain folder owns the SQL against its own tables. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills in by default. */
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface DistrictTable {
  code: string;
  name: string;
  boundary: Json<Polygonal> | null;
  approximate: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export interface StreetTable {
  code: string;
  district_code: string;
  name: string;
  boundary: Json<Polygonal>;
  center_lng: number;
  center_lat: number;
  approximate: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export interface CommunityTable {
  code: string;
  street_code: string;
  district_code: string;
  name: string;
  boundary: Json<Polygonal>;
  approximate: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export interface GridTable {
  code: string;
  community_code: string;
  street_code: string;
  district_code: string;
  boundary: Json<Polygonal>;
  approximate: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export type OrganisationKind = 'street_office' | 'department' | 'contractor';

export interface OrganisationTable {
  id: string;
  district_code: string;
  scope_code: string;
  name: string;
  kind: OrganisationKind;
  department_type: string | null;
  pattern_tier: '1' | '5' | 'N' | null;
  phone: string | null;
  active: Generated<boolean>;
  updated_at: DefaultTimestamp;
}

export type AlleyType = 'major_street' | 'main_street' | 'lane';
export type AlleyTier = 'exemplary' | 'fine' | 'compliant';

export interface LineStringGeometry {
  type: 'LineString';
  coordinates: [number, number][];
}

export interface AlleyChecklist {
  haves: Record<string, boolean>;
  nots: Record<string, boolean>;
}

export interface AlleyTable {
  id: string;
  district_code: string;
  street_code: string;
  community_code: string | null;
  grid_codes: ColumnType<string[], string[] | undefined, string[]>;
  name: string;
  alley_type: AlleyType;
  geometry: Json<LineStringGeometry>;
  length_m: number;
  current_tier: AlleyTier | null;
  target_tier: AlleyTier | null;
  chief_name: string | null;
  chief_title: string | null;
  chief_duties: string | null;
  chief_phone: string | null;
  chief_user_id: string | null;
  council: string | null;
  contractor_id: string | null;
  volunteer_team: string | null;
  plan: string | null;
  residents_pact: string | null;
  culture_note: string | null;
  notice_board: string | null;
  checklist: ColumnType<AlleyChecklist, string | undefined, string>;
  approximate: Generated<boolean>;
  version: Generated<number>;
  updated_at: DefaultTimestamp;
}

export interface AppUserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  scope_code: string | null;
  district_code: string | null;
  organisation_id: string | null;
  phone: string | null;
  active: Generated<boolean>;
  demo: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface UserSessionTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface LoginThrottleTable {
  username: string;
  failures: number;
  last_failure_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface AppMetaTable {
  key: string;
  value: Json<unknown>;
  updated_at: DefaultTimestamp;
}

export type CaseChannel = 'resident' | 'staff' | 'patrol' | 'inspection' | 'camera' | 'hotline' | 'open311';

export interface CaseRecordTable {
  id: string;
  district_code: string;
  case_number: string;
  tracking_code: string;
  channel: CaseChannel;
  state: string;
  snapshot: ColumnType<Record<string, unknown>, string, string>;
  category_key: string | null;
  suggested_key: string | null;
  suggested_confidence: number | null;
  suggested_model: string | null;
  description: string;
  address: string | null;
  lng: number;
  lat: number;
  crs_in: string;
  h3_r9: string;
  street_code: string;
  community_code: string | null;
  grid_code: string | null;
  alley_id: string | null;
  public: boolean;
  severity: string;
  tier: number | null;
  assigned_org_id: string | null;
  reporter_user_id: string | null;
  reporter_name: string | null;
  reporter_contact: string | null;
  external_ref: string | null;
  supporters: ColumnType<number, number | undefined, number>;
  merged_into: string | null;
  response_deadline: Timestamp | null;
  handling_deadline: Timestamp | null;
  original_handling_deadline: Timestamp | null;
  sla_state: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
  version: ColumnType<number, number | undefined, number>;
}

export interface CaseEventTable {
  case_id: string;
  seq: number;
  district_code: string;
  at: Timestamp;
  actor_user_id: string | null;
  actor_role: string;
  action: string;
  from_state: string | null;
  to_state: string;
  reason: string | null;
  payload: ColumnType<unknown, string, string>;
  prev_hash: string;
  hash: string;
}

export interface CaseFollowerTable {
  case_id: string;
  follower_case_id: string;
  district_code: string;
  created_at: Timestamp;
}

export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}

export interface CaseNumberCounterTable {
  district_code: string;
  day: string;
  last: number;
}

export interface MediaTable {
  id: string;
  district_code: string | null;
  owner_kind: string | null;
  owner_id: string | null;
  role: 'report' | 'after' | 'snapshot' | 'evidence';
  original_key: string;
  public_key: string;
  thumb_key: string;
  content_type: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  gps_lng: number | null;
  gps_lat: number | null;
  gps_taken_at: Timestamp | null;
  uploaded_by: string | null;
  created_at: Timestamp;
}

export type TaxonomyKind = 'component' | 'event';
export type TaxonomyLimitUnit = 'working_hours' | 'working_days' | 'calendar_hours';
export type TaxonomySeverity = 'low' | 'normal' | 'high' | 'urgent';

export interface TaxonomyVersionTable {
  id: string;
  district_code: string;
  number: number;
  label: string;
  based_on: string | null;
  created_at: Timestamp;
  created_by: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface TaxonomyEntryTable {
  version_id: string;
  district_code: string;
  key: string;
  kind: TaxonomyKind;
  code: string;
  major_class: string;
  name: string;
  keywords: ColumnType<string[], string[] | undefined, string[]>;
  default_department_type: string;
  response_limit_amount: number;
  response_limit_unit: TaxonomyLimitUnit;
  handling_limit_amount: number;
  handling_limit_unit: TaxonomyLimitUnit;
  severity: TaxonomySeverity;
  public: ColumnType<boolean, boolean | undefined, boolean>;
  related_keys: ColumnType<string[], string[] | undefined, string[]>;
}

export interface RoutingRuleTable {
  id: string;
  district_code: string;
  key_pattern: string;
  territory_prefix: string;
  organisation_id: string;
  priority: ColumnType<number, number | undefined, number>;
  origin: ColumnType<'default' | 'manual', 'default' | 'manual' | undefined, 'default' | 'manual'>;
  note: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: ColumnType<number, number | undefined, number>;
}

export interface Database {
  district: DistrictTable;
  street: StreetTable;
  community: CommunityTable;
  grid: GridTable;
  organisation: OrganisationTable;
  alley: AlleyTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  api_token: ApiTokenTable;
  login_throttle: LoginThrottleTable;
  app_meta: AppMetaTable;
  taxonomy_version: TaxonomyVersionTable;
  taxonomy_entry: TaxonomyEntryTable;
  routing_rule: RoutingRuleTable;
  case_record: CaseRecordTable;
  case_event: CaseEventTable;
  case_follower: CaseFollowerTable;
  idempotency_key: IdempotencyKeyTable;
  case_number_counter: CaseNumberCounterTable;
  media: MediaTable;
}

export type AlleyRow = Selectable<AlleyTable>;
export type NewAlley = Insertable<AlleyTable>;
export type AlleyUpdate = Updateable<AlleyTable>;
export type UserRow = Selectable<AppUserTable>;
export type OrganisationRow = Selectable<OrganisationTable>;
export type CaseRow = Selectable<CaseRecordTable>;
export type CaseEventRow = Selectable<CaseEventTable>;
export type MediaRow = Selectable<MediaTable>;
export type TaxonomyVersionRow = Selectable<TaxonomyVersionTable>;
export type TaxonomyEntryRow = Selectable<TaxonomyEntryTable>;
export type NewTaxonomyEntry = Insertable<TaxonomyEntryTable>;
export type RoutingRuleRow = Selectable<RoutingRuleTable>;
export type NewRoutingRule = Insertable<RoutingRuleTable>;
export type RoutingRuleUpdate = Updateable<RoutingRuleTable>;
