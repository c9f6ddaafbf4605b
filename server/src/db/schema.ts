import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CaseSnapshot } from '../cases/case.state.ts';
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

export const ORGANISATION_KINDS = ['street_office', 'department', 'contractor'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

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
  /** The state machine's snapshot (cases/case.state.ts); the other case columns are projected from it. */
  snapshot: Json<CaseSnapshot>;
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
  district_code: string;
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

export interface CampaignTable {
  id: string;
  district_code: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  category_keys: ColumnType<string[], string[] | undefined, string[]>;
  scope_code: string;
  starts_at: Timestamp;
  ends_at: Timestamp | null;
  target: ColumnType<'dynamic_zero', 'dynamic_zero' | undefined, 'dynamic_zero'>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface CampaignItemTable {
  id: string;
  campaign_id: string;
  district_code: string;
  case_id: string | null;
  lng: number | null;
  lat: number | null;
  label: string | null;
  street_code: string | null;
  alley_id: string | null;
  added_at: Timestamp;
  added_by: string | null;
  cleared_at: Timestamp | null;
  cleared_by: string | null;
  clear_note: string | null;
}

export interface JointActionTable {
  case_id: string;
  district_code: string;
  whistle_at: Timestamp;
  report_in_hours: number;
  report_in_deadline: Timestamp;
  meeting_at: Timestamp | null;
  minutes: ColumnType<string, string | undefined, string>;
  decisions: ColumnType<string[], string | undefined, string>;
  minutes_by: string | null;
  minutes_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type JointTaskStatus = 'open' | 'done';

export interface JointTaskTable {
  id: string;
  case_id: string;
  district_code: string;
  seq: number;
  organisation_id: string;
  description: string;
  deadline: Timestamp;
  status: ColumnType<JointTaskStatus, JointTaskStatus | undefined, JointTaskStatus>;
  created_by: string | null;
  created_at: Timestamp;
  done_at: Timestamp | null;
  done_by: string | null;
  note: string | null;
  /** Set when the street desk recorded the task done on the unit's behalf: on whose word it did. */
  done_on_word_of: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface JobTable {
  id: string;
  kind: string;
  payload: ColumnType<unknown, string | undefined, string>;
  district_code: string | null;
  run_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  done_at: Timestamp | null;
  failed_at: Timestamp | null;
}

export interface NotificationTable {
  id: string;
  user_id: string;
  district_code: string | null;
  kind: string;
  case_id: string | null;
  title: string;
  body: string;
  created_at: Timestamp;
  read_at: Timestamp | null;
}

export interface WebhookSubscriptionTable {
  id: string;
  district_code: string;
  url: string;
  secret: string;
  event_types: ColumnType<string[], string[], string[]>;
  description: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface WebhookDeliveryTable {
  id: string;
  district_code: string;
  subscription_id: string;
  event_type: string;
  case_id: string | null;
  event_seq: number | null;
  payload: ColumnType<unknown, string, string>;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

export type Open311Datatype =
  | 'string'
  | 'number'
  | 'datetime'
  | 'text'
  | 'singlevaluelist'
  | 'multivaluelist';

export interface Open311ClientTable {
  id: string;
  name: string;
  api_key_hash: string;
  district_code: string;
  created_at: Timestamp;
  created_by: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface Open311ServiceAttributeTable {
  id: string;
  district_code: string;
  service_key: string;
  code: string;
  variable: boolean;
  datatype: Open311Datatype;
  required: boolean;
  datatype_description: string | null;
  description: string;
  position: number;
  value_list: ColumnType<{ key: string; name: string }[], string, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string | null;
}

export interface Open311RequestTable {
  case_id: string;
  district_code: string;
  client_id: string;
  service_key: string;
  attributes: ColumnType<Record<string, string | string[]>, string, string>;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  device_id: string | null;
  account_id: string | null;
  media_url: string | null;
  address_string: string | null;
  address_id: string | null;
  created_at: Timestamp;
}

export interface Open311RequestUpdateTable {
  id: string;
  case_id: string;
  district_code: string;
  client_id: string;
  client_update_id: string | null;
  description: string;
  client_status: string | null;
  case_state: string;
  client_datetime: Timestamp | null;
  media_url: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  account_id: string | null;
  created_at: Timestamp;
}

/** A category a dispatcher confirmed for a case's text: a training label for the classifier. */
export interface ClassificationLabelTable {
  id: string;
  district_code: string;
  case_id: string;
  text: string;
  final_key: string;
  suggested_key: string | null;
  suggested_confidence: number | null;
  model_version: string | null;
  actor_user_id: string | null;
  actor_role: string;
  created_at: Timestamp;
}

export interface Database {
  points_rule_version: PointsRuleVersionTable;
  points_rule: PointsRuleTable;
  points_account: PointsAccountTable;
  points_transaction: PointsTransactionTable;
  points_entry: PointsEntryTable;
  reward: RewardTable;
  redemption: RedemptionTable;
  sorting_check: SortingCheckTable;
  volunteer_team: VolunteerTeamTable;
  volunteer_member: VolunteerMemberTable;
  volunteer_activity: VolunteerActivityTable;
  volunteer_signup: VolunteerSignupTable;
  proposal: ProposalTable;
  proposal_comment: ProposalCommentTable;
  proposal_vote: ProposalVoteTable;
  parking_space: ParkingSpaceTable;
  parking_booking: ParkingBookingTable;
  visit_household: VisitHouseholdTable;
  household_visit: HouseholdVisitTable;
  frontage_shop: FrontageShopTable;
  frontage_agreement: FrontageAgreementTable;
  frontage_check: FrontageCheckTable;
  alley_plan_item: AlleyPlanItemTable;
  district: DistrictTable;
  street: StreetTable;
  community: CommunityTable;
  grid: GridTable;
  organisation: OrganisationTable;
  alley: AlleyTable;
  indicator_version: IndicatorVersionTable;
  indicator: IndicatorTable;
  patrol: PatrolTable;
  patrol_point: PatrolPointTable;
  patrol_finding: PatrolFindingTable;
  inspection: InspectionTable;
  inspection_finding: InspectionFindingTable;
  contractor_item: ContractorItemTable;
  contractor_check: ContractorCheckTable;
  contractor_finding: ContractorFindingTable;
  tier_plan: TierPlanTable;
  tier_plan_alley: TierPlanAlleyTable;
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
  job: JobTable;
  notification: NotificationTable;
  webhook_subscription: WebhookSubscriptionTable;
  webhook_delivery: WebhookDeliveryTable;
  campaign: CampaignTable;
  campaign_item: CampaignItemTable;
  joint_action: JointActionTable;
  joint_task: JointTaskTable;
  open311_client: Open311ClientTable;
  open311_service_attribute: Open311ServiceAttributeTable;
  open311_request: Open311RequestTable;
  open311_request_update: Open311RequestUpdateTable;
  classification_label: ClassificationLabelTable;
  proactive_task: ProactiveTaskTable;
  monthly_theme: MonthlyThemeTable;
  case_measure_fact: CaseMeasureFactTable;
  measure_rollup: MeasureRollupTable;
  evaluation_scheme: EvaluationSchemeTable;
  evaluation_run: EvaluationRunTable;
  hotline_order: HotlineOrderTable;
  hotline_place: HotlinePlaceTable;
  hotline_unlocated: HotlineUnlocatedTable;
}

export type ProactiveTaskKind = 'patrol' | 'campaign' | 'notice';
export type ProactiveTaskState = 'proposed' | 'accepted' | 'dismissed';

export interface ProactiveTaskTable {
  district_code: string;
  id: string;
  week_start: Timestamp;
  scope_code: string;
  category_key: string;
  kind: ProactiveTaskKind;
  model: string;
  forecast: number;
  low: number;
  high: number;
  normal: number;
  state: ColumnType<ProactiveTaskState, ProactiveTaskState | undefined, ProactiveTaskState>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
  actual: number | null;
  came: boolean | null;
  evaluated_at: Timestamp | null;
  created_at: Timestamp;
}

export type MonthlyThemeState = 'proposed' | 'adopted' | 'dismissed';

export interface MonthlyThemeTable {
  district_code: string;
  id: string;
  month: string;
  scope_code: string;
  fingerprint: string;
  title: string;
  problem: string;
  place: string;
  people: number;
  case_count: number;
  heat: number;
  category_keys: ColumnType<string[], string[] | undefined, string[]>;
  departments: ColumnType<{ id: string; name: string }[], string | undefined, string>;
  root_fix: string;
  case_ids: ColumnType<string[], string[] | undefined, string[]>;
  state: ColumnType<MonthlyThemeState, MonthlyThemeState | undefined, MonthlyThemeState>;
  campaign_id: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: Timestamp;
}

// ---- supervision (migration 0030) ---------------------------------------------------------------

export interface IndicatorVersionTable {
  district_code: string;
  id: string;
  number: number;
  label: string;
  based_on: string | null;
  illustrative: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  created_by: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface IndicatorTable {
  district_code: string;
  version_id: string;
  code: string;
  level: number;
  parent_code: string | null;
  name: string;
  standard: string;
  deduction_points: number;
  deduction_cap: number;
  category_key: string | null;
  department_type: string | null;
  checklist_key: string | null;
  frontage: boolean;
  position: number;
}

export interface PatrolTable {
  district_code: string;
  id: string;
  user_id: string;
  user_role: string;
  scope_code: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  length_m: number | null;
  covered_alley_ids: ColumnType<string[], string[] | undefined, string[]>;
  excluded: ColumnType<unknown, string | undefined, string>;
  last_lng: number | null;
  last_lat: number | null;
  last_at: Timestamp | null;
}

export interface PatrolPointTable {
  district_code: string;
  patrol_id: string;
  seq: number;
  lng: number;
  lat: number;
  t: Timestamp;
}

export interface PatrolFindingTable {
  district_code: string;
  patrol_id: string;
  case_id: string;
  on_spot: boolean;
  created_at: Timestamp;
}

export interface InspectionTable {
  district_code: string;
  id: string;
  alley_id: string;
  street_code: string;
  version_id: string;
  inspector_user_id: string;
  inspector_role: string;
  score: number;
  previous_id: string | null;
  created_at: Timestamp;
}

export interface InspectionFindingTable {
  district_code: string;
  inspection_id: string;
  seq: number;
  indicator_code: string;
  case_id: string;
  deduction: number;
  lng: number;
  lat: number;
  note: string;
  /** The shop a 门前三包 finding names (frontage), when it names one. */
  shop_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ContractorItemTable {
  district_code: string;
  code: string;
  area: string;
  name: string;
  points: number;
  position: number;
}

export interface ContractorCheckTable {
  district_code: string;
  id: string;
  organisation_id: string;
  street_code: string;
  alley_id: string | null;
  checker_user_id: string;
  month: string;
  score: number;
  created_at: Timestamp;
}

export interface ContractorFindingTable {
  district_code: string;
  check_id: string;
  seq: number;
  organisation_id: string;
  month: string;
  item_code: string;
  occurrence: number;
  deduction: number;
  note: string;
}

export interface TierPlanTable {
  district_code: string;
  id: string;
  name: string;
  start_year: number;
  end_year: number;
  targets: ColumnType<Record<AlleyTier, number>, string, string>;
  thresholds: ColumnType<Record<AlleyTier, number>, string, string>;
  illustrative: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface TierPlanAlleyTable {
  district_code: string;
  plan_id: string;
  alley_id: string;
  street_code: string;
  target_tier: AlleyTier;
  achieved_tier: AlleyTier | null;
  achieved_score: number | null;
  inspection_id: string | null;
  met_at: Timestamp | null;
}

export type IndicatorVersionRow = Selectable<IndicatorVersionTable>;
export type IndicatorRow = Selectable<IndicatorTable>;
export type PatrolRow = Selectable<PatrolTable>;
export type ProposalRow = Selectable<ProposalTable>;
export type InspectionRow = Selectable<InspectionTable>;

export type ProactiveTaskRow = Selectable<ProactiveTaskTable>;
export type MonthlyThemeRow = Selectable<MonthlyThemeTable>;

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
export type CampaignRow = Selectable<CampaignTable>;
export type CampaignItemRow = Selectable<CampaignItemTable>;
export type JointActionRow = Selectable<JointActionTable>;
export type JointTaskRow = Selectable<JointTaskTable>;
export type JobRow = Selectable<JobTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type WebhookSubscriptionRow = Selectable<WebhookSubscriptionTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type Open311ClientRow = Selectable<Open311ClientTable>;
export type Open311ServiceAttributeRow = Selectable<Open311ServiceAttributeTable>;
export type Open311RequestRow = Selectable<Open311RequestTable>;
export type Open311RequestUpdateRow = Selectable<Open311RequestUpdateTable>;
export type ClassificationLabelRow = Selectable<ClassificationLabelTable>;

/** The measure facts of one filed case, folded from its trail (evaluation/measures.ts). */
export interface CaseMeasureFactTable {
  district_code: string;
  case_id: string;
  case_number: string;
  category_key: string | null;
  /** Every unit the case counts for (territory codes, organisation ids), for drill-downs. */
  units: ColumnType<string[], string[] | undefined, string[]>;
  first_day: string | null;
  last_day: string | null;
  facts: Json<import('../evaluation/measures.ts').MeasureFacts>;
  updated_at: Timestamp;
}

/** What the facts contribute, summed per district × level × day × unit × category × measure. */
/** One rollup cell: its counts are columns (measures.ts COUNT_MEASURES, in snake case). */
export interface MeasureRollupTable {
  district_code: string;
  level: string;
  day: string;
  unit_code: string;
  category_key: string;
  filed: number;
  due: number;
  closed: number;
  closed_on_time: number;
  handled_on_time: number;
  overdue: number;
  reworked: number;
  response_due: number;
  responded_on_time: number;
  resolved: number;
  rated: number;
  satisfied: number;
  handling_minutes: number;
}

export interface EvaluationSchemeTable {
  district_code: string;
  version: number;
  body: Json<import('../evaluation/evaluation.ts').EvaluationScheme>;
  created_by: string | null;
  created_at: Timestamp;
}

export interface EvaluationRunTable {
  district_code: string;
  month: string;
  level: string;
  run_no: number;
  scheme_version: number;
  status: 'evaluated' | 'reviewed' | 'frozen';
  rows: Json<import('../evaluation/evaluation.ts').EvaluatedUnit[]>;
  created_by: string | null;
  created_at: Timestamp;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  frozen_by: string | null;
  frozen_at: Timestamp | null;
}

export type LocationPrecision = 'point' | 'alley' | 'street';

/** A 12345 order filed as a case: its hotline class and how precisely its address placed it. */
export interface HotlineOrderTable {
  district_code: string;
  work_order_no: string;
  case_id: string;
  /** The hotline's own 问题分类 (城乡建设…), kept whatever taxonomy entry the case got. */
  source_class: string | null;
  location_precision: LocationPrecision;
  /** How the order was placed (坐标, 街巷 X, 道路 Y, 所属街道 Z). */
  located_by: string | null;
  /** Something a dispatcher should look at (an alley named that lies in another street). */
  flag: string | null;
  imported_at: Timestamp;
}

/** A road or landmark of a street that is not an alley of the registry (the hotline gazetteer). */
export interface HotlinePlaceTable {
  district_code: string;
  street_code: string;
  name: string;
  kind: 'road' | 'landmark';
  lng: number | null;
  lat: number | null;
  source: string | null;
}

/** A 12345 order that named no place Hutong knows, waiting for a dispatcher to place it (定位). */
export interface HotlineUnlocatedTable {
  district_code: string;
  work_order_no: string;
  /** The order as read (hotline.order.ts HotlineOrder, dates as ISO strings). */
  order_data: Json<Record<string, unknown>>;
  source_class: string | null;
  reason: string;
  imported_at: Timestamp;
  placed_case_id: string | null;
  placed_at: Timestamp | null;
}

// Participation (SPEC §8): the civic points ledger (文明微积分) and volunteers.

export interface PointsRuleVersionTable {
  district_code: string;
  id: string;
  number: number;
  label: string;
  illustrative: boolean;
  active: boolean;
  created_at: Timestamp;
  created_by: string | null;
}

export interface PointsRuleTable {
  district_code: string;
  version_id: string;
  kind: string;
  points: number;
}

export type PointsAccountKind = 'resident' | 'reward_pool' | 'redemption_hold' | 'redeemed';

export interface PointsAccountTable {
  district_code: string;
  id: string;
  kind: PointsAccountKind;
  user_id: string | null;
  scope_code: string | null;
  created_at: Timestamp;
}

export type PointsTransactionKind = 'award' | 'reserve' | 'confirm' | 'release';

export interface PointsTransactionTable {
  district_code: string;
  id: string;
  kind: PointsTransactionKind;
  source_kind: string;
  source_ref: string;
  rule_version_id: string | null;
  reason: string;
  actor_user_id: string | null;
  created_at: Timestamp;
}

export interface PointsEntryTable {
  district_code: string;
  transaction_id: string;
  seq: number;
  account_id: string;
  amount: number;
}

export interface RewardTable {
  district_code: string;
  id: string;
  community_code: string;
  name: string;
  description: string;
  cost: number;
  stock: number;
  active: boolean;
  created_at: Timestamp;
}

export type RedemptionState = 'reserved' | 'confirmed' | 'released';

export interface RedemptionTable {
  district_code: string;
  id: string;
  reward_id: string;
  user_id: string;
  account_id: string;
  cost: number;
  state: RedemptionState;
  created_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export interface SortingCheckTable {
  district_code: string;
  id: string;
  community_code: string;
  user_id: string;
  passed: boolean;
  note: string;
  checked_by: string | null;
  checked_at: Timestamp;
}

export interface VolunteerTeamTable {
  district_code: string;
  id: string;
  community_code: string;
  alley_id: string | null;
  name: string;
  created_at: Timestamp;
}

export type VolunteerMemberState = 'applied' | 'approved' | 'rejected';

export interface VolunteerMemberTable {
  district_code: string;
  team_id: string;
  user_id: string;
  state: VolunteerMemberState;
  note: string;
  applied_at: Timestamp;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export type VolunteerActivityKind = 'patrol' | 'sorting_guidance' | 'cleaning' | 'care_visit' | 'other';

export interface VolunteerActivityTable {
  district_code: string;
  id: string;
  team_id: string;
  kind: VolunteerActivityKind;
  title: string;
  place: string;
  alley_id: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  capacity: number | null;
  organiser_user_id: string | null;
  created_at: Timestamp;
}

export interface VolunteerSignupTable {
  district_code: string;
  activity_id: string;
  user_id: string;
  signed_up_at: Timestamp;
  attended: boolean | null;
  minutes: number | null;
  confirmed_at: Timestamp | null;
  confirmed_by: string | null;
}

// Deliberation (议事协商, SPEC §8).

export type ProposalState = 'discussion' | 'voting' | 'closed' | 'withdrawn';
export type ProposalAuthorKind = 'resident' | 'council' | 'chief' | 'staff';
export type ProposalOutcome = 'adopted' | 'rejected' | 'no_quorum';
export type ProposalDecisionKind = 'case' | 'campaign' | 'plan_item' | 'none';
export type VoteChoice = 'yes' | 'no' | 'abstain';

export interface ProposalTable {
  district_code: string;
  id: string;
  community_code: string;
  alley_id: string | null;
  title: string;
  body: string;
  proposer_user_id: string | null;
  proposer_kind: ProposalAuthorKind;
  state: ProposalState;
  created_at: Timestamp;
  voting_opened_at: Timestamp | null;
  voting_opened_by: string | null;
  closes_at: Timestamp | null;
  eligible_count: number | null;
  quorum: number | null;
  closed_at: Timestamp | null;
  closed_by: string | null;
  yes_count: number | null;
  no_count: number | null;
  abstain_count: number | null;
  outcome: ProposalOutcome | null;
  minutes: string | null;
  minutes_at: Timestamp | null;
  minutes_by: string | null;
  decision_kind: ProposalDecisionKind | null;
  decision_ref: string | null;
  decision_note: string | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export interface ProposalCommentTable {
  district_code: string;
  id: string;
  proposal_id: string;
  author_user_id: string | null;
  author_kind: ProposalAuthorKind;
  body: string;
  created_at: Timestamp;
}

export interface ProposalVoteTable {
  district_code: string;
  proposal_id: string;
  user_id: string;
  choice: VoteChoice;
  cast_at: Timestamp;
}

export interface AlleyPlanItemTable {
  district_code: string;
  id: string;
  alley_id: string;
  proposal_id: string;
  title: string;
  description: string;
  created_at: Timestamp;
  created_by: string | null;
}

/** A weekly window of a parking space, in Beijing time (Monday = 1); end <= start crosses midnight. */
export interface ParkingWindow {
  days: number[];
  start: string;
  end: string;
}

export interface ParkingSpaceTable {
  district_code: string;
  id: string;
  community_code: string;
  alley_id: string | null;
  name: string;
  unit_name: string;
  note: string;
  windows: Json<ParkingWindow[]>;
  state: 'open' | 'withdrawn';
  created_at: Timestamp;
  created_by: string | null;
  updated_at: Timestamp;
  withdrawn_at: Timestamp | null;
}

export type ParkingBookingState = 'booked' | 'checked_in' | 'checked_out' | 'cancelled' | 'no_show';

export interface ParkingBookingTable {
  district_code: string;
  id: string;
  space_id: string;
  community_code: string;
  user_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  state: ParkingBookingState;
  created_at: Timestamp;
  checked_in_at: Timestamp | null;
  checked_out_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  cancelled_by: string | null;
}

export interface VisitHouseholdTable {
  district_code: string;
  id: string;
  community_code: string;
  grid_code: string | null;
  label: string;
  address: string;
  kinds: Json<string[]>;
  contact_name: string;
  contact_phone: string;
  official_user_id: string | null;
  created_at: Timestamp;
  created_by: string | null;
}

export interface HouseholdVisitTable {
  district_code: string;
  id: string;
  household_id: string;
  visitor_user_id: string | null;
  visited_at: Timestamp;
  notes: string;
  case_id: string | null;
  case_number: string | null;
  created_at: Timestamp;
}

export type FrontageShopKind = 'shop' | 'restaurant' | 'unit' | 'hotel' | 'market' | 'other';

export interface FrontageShopTable {
  district_code: string;
  id: string;
  alley_id: string;
  street_code: string;
  community_code: string | null;
  name: string;
  kind: FrontageShopKind;
  address: string;
  responsible_name: string;
  responsible_phone: string;
  active: Generated<boolean>;
  created_at: Timestamp;
  created_by: string | null;
}

export interface FrontageAgreementTable {
  district_code: string;
  id: string;
  shop_id: string;
  version: number;
  duties: Json<string[]>;
  stretch: string;
  length_m: number | null;
  /** A calendar date (YYYY-MM-DD, Beijing). */
  signed_on: ColumnType<string, string, string>;
  valid_until: ColumnType<string, string, string>;
  signatory: string;
  recorded_by: string | null;
  created_at: Timestamp;
  superseded_at: Timestamp | null;
  superseded_by: string | null;
}

export interface FrontageCheckTable {
  district_code: string;
  id: string;
  shop_id: string;
  checked_on: ColumnType<string, string, string>;
  appearance_ok: boolean;
  sanitation_ok: boolean;
  order_ok: boolean;
  note: string;
  source: 'staff' | 'inspection';
  inspection_id: string | null;
  recorded_by: string | null;
  created_at: Timestamp;
}
