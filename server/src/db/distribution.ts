/**
 * How the schema spreads over a Citus cluster (docs/decisions/0004-citus-distribution.md): one list, read
 * by the migration that gave every distributed table its keys and by the test that keeps new tables to
 * the rule. Every table of the schema is in exactly one of the three lists.
 *
 * - distributed by `district_code`: what grows with the cases. Their primary key, unique keys and the
 *   foreign keys between them include `district_code`, so each district's rows live on one shard group
 *   and a case's transaction (case, events, keys, ledgers) never leaves it.
 * - reference: small, read everywhere, copied to every node (territory, taxonomy, organisations, users).
 * - local: kept on the coordinator only (the migration bookkeeping, the job queue, sign-in throttles).
 */

export const DISTRIBUTION_COLUMN = 'district_code';

export const DISTRIBUTED_TABLES = [
  'case_record',
  'case_event',
  'case_follower',
  'case_number_counter',
  'idempotency_key',
  'classification_label',
  'notification',
  'campaign',
  'campaign_item',
  'joint_action',
  'joint_task',
  'open311_request',
  'open311_request_update',
  'webhook_delivery',
  'monthly_theme',
  'proactive_task',
  'case_measure_fact',
  'measure_rollup',
  'evaluation_scheme',
  'evaluation_run',
  'indicator_version',
  'indicator',
  'patrol',
  'patrol_point',
  'patrol_finding',
  'inspection',
  'inspection_finding',
  'contractor_item',
  'contractor_check',
  'contractor_finding',
  'tier_plan',
  'tier_plan_alley',
  'hotline_order',
  'hotline_unlocated',
  // Participation (SPEC §8): the civic points ledger and volunteers, per district.
  'points_rule_version',
  'points_rule',
  'points_account',
  'points_transaction',
  'points_entry',
  'reward',
  'redemption',
  'sorting_check',
  'volunteer_team',
  'volunteer_member',
  'volunteer_activity',
  'volunteer_signup',
  // Deliberation (议事协商): proposals, their comments and ballots, the plan items decisions add.
  'proposal',
  'proposal_comment',
  'proposal_vote',
  'alley_plan_item',
  // Shared parking (错时停车): offered spaces and their bookings (no two active ones overlap).
  'parking_space',
  'parking_booking',
  // Household visits (十必访): the households officials must visit and the log of their visits.
  'visit_household',
  'household_visit',
  // Frontage responsibility (门前三包): shops along the alleys, their agreements and their checks.
  'frontage_shop',
  'frontage_agreement',
  'frontage_check',
] as const;

export const REFERENCE_TABLES = [
  'district',
  'street',
  'community',
  'grid',
  'alley',
  'organisation',
  'app_user',
  'api_token',
  'user_session',
  'taxonomy_version',
  'taxonomy_entry',
  'routing_rule',
  'open311_client',
  'open311_service_attribute',
  'webhook_subscription',
  // The gazetteer of roads and landmarks that 12345 addresses name: territory data, read by every import.
  'hotline_place',
] as const;

export const LOCAL_TABLES = [
  // A photo's row is written when it is uploaded, before the report that claims it names its place,
  // and Citus cannot move a row to another district: the rows stay on the coordinator (the files
  // themselves are in the data folder or an object store) until claiming becomes a re-insert.
  'media',
  'app_meta',
  'schema_migration',
  'schema_migration_lock',
  'job',
  'login_throttle',
] as const;

export type TablePlacement = 'distributed' | 'reference' | 'local';

/** Where a table goes, or null for a table the plan does not know yet (the shard-rule test fails). */
export function placementOf(table: string): TablePlacement | null {
  if ((DISTRIBUTED_TABLES as readonly string[]).includes(table)) return 'distributed';
  if ((REFERENCE_TABLES as readonly string[]).includes(table)) return 'reference';
  if ((LOCAL_TABLES as readonly string[]).includes(table)) return 'local';
  return null;
}
