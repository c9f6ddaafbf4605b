import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Every unit summoned to a joint action (吹哨) sees the case in its lists and ledger, not only the
// first one in assigned_org_id. The units live in the case's snapshot, so the queue and the ledger
// test containment on that expression; without this index a department's queues that include
// joint-action states scan the whole table (about 15× slower at 1,000,000 cases, measured).
// Written after 0009 because databases that already ran 0009 must not meet an earlier pending
// migration.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `create index case_joint_units_idx on case_record using gin ((snapshot->'assignment'->'unitIds'));`,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop index case_joint_units_idx;');
}
