import { sql } from 'kysely';

/**
 * SQL pieces for lists of cases read as `case_record as c` by other capabilities (ledgers, joint
 * actions), so that they scope cases exactly as the case queue does.
 */

/** The column holding a territory code of this prefix's level; codes nest by length (6/9/12/15 digits). */
export function caseTerritoryColumn(prefix: string) {
  return prefix.length === 6
    ? 'c.district_code'
    : prefix.length === 9
      ? 'c.street_code'
      : prefix.length === 12
        ? 'c.community_code'
        : 'c.grid_code';
}

/**
 * The organisation is one of the units summoned to the case's joint action. `assigned_org_id` holds
 * only the first of them; the expression is written as the GIN index `case_joint_units_idx` has it.
 */
export function summonedUnitsInclude(org: string) {
  return sql<boolean>`c.snapshot->'assignment'->'unitIds' @> jsonb_build_array(${org}::text)`;
}
