import type { Migration } from 'kysely/migration';
import * as foundation from './20261122_0001_foundation.ts';
import * as taxonomy from './20261122_0002_taxonomy.ts';
import * as cases from './20261122_0003_cases.ts';
import * as media from './20261122_0004_media.ts';
import * as jobs from './20261122_0005_jobs.ts';
import * as ledgers from './20261122_0006_ledgers.ts';
import * as caseIndexes from './20261122_0009_case_indexes.ts';
import * as open311 from './20261202_0008_open311.ts';
import * as classificationLabels from './20261202_0010_classification_labels.ts';
import * as caseBoardIndexes from './20261202_0011_case_board_indexes.ts';
import * as caseJointUnits from './20261202_0012_case_joint_units.ts';
import * as hotlinePlaces from './20261207_0025_hotline_places.ts';
import * as supervision from './20261207_0030_supervision.ts';
import * as intelligence from './20261207_0040_intelligence.ts';
import * as evaluation from './20261207_0050_evaluation.ts';
import * as jointTaskRecorded from './20261207_0060_joint_task_recorded.ts';
import * as distributionKeys from './20261207_0080_distribution_keys.ts';
import * as participation from './20261207_0090_participation.ts';
import * as deliberation from './20261207_0095_deliberation.ts';
import * as parking from './20261207_0100_parking.ts';
import * as measureCells from './20261207_0110_measure_cells.ts';
import * as householdVisits from './20261207_0120_household_visits.ts';
import * as frontageShops from './20261207_0130_frontage_shops.ts';
import * as departmentQueueOpen from './20261207_0140_department_queue_open.ts';

/**
 * Migrations in order. Listed explicitly rather than read from the folder so that they load the same
 * way under tsx, vitest and a bundler. Names are timestamped and never change once landed.
 */
export const migrations: Record<string, Migration> = {
  '20261122_0001_foundation': foundation,
  '20261122_0002_taxonomy': taxonomy,
  '20261122_0003_cases': cases,
  '20261122_0004_media': media,
  '20261122_0005_jobs': jobs,
  '20261122_0006_ledgers': ledgers,
  '20261122_0009_case_indexes': caseIndexes,
  '20261202_0008_open311': open311,
  '20261202_0010_classification_labels': classificationLabels,
  '20261202_0011_case_board_indexes': caseBoardIndexes,
  '20261202_0012_case_joint_units': caseJointUnits,
  '20261207_0025_hotline_places': hotlinePlaces,
  '20261207_0030_supervision': supervision,
  '20261207_0040_intelligence': intelligence,
  '20261207_0050_evaluation': evaluation,
  '20261207_0060_joint_task_recorded': jointTaskRecorded,
  '20261207_0080_distribution_keys': distributionKeys,
  '20261207_0090_participation': participation,
  '20261207_0095_deliberation': deliberation,
  '20261207_0100_parking': parking,
  '20261207_0110_measure_cells': measureCells,
  '20261207_0120_household_visits': householdVisits,
  '20261207_0130_frontage_shops': frontageShops,
  '20261207_0140_department_queue_open': departmentQueueOpen,
};
