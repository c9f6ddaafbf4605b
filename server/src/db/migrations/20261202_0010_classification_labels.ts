import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Confirmed labels for the report-text classifier (SPEC §7.1): every time a dispatcher files a case
// under a category, the case's text and that category are kept with what the classifier had proposed,
// so the next model learns from the correction and retraining can be judged on labels no model saw.
//
// One row per confirmation, never updated: a case filed twice (reclassified) has two rows, and training
// takes the latest of each case. The text is copied rather than joined because it is what the
// dispatcher saw when confirming; the row lives on the case's shard (district_code).

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table classification_label (
      id text primary key,
      district_code char(6) not null,
      case_id text not null references case_record(id),
      text text not null,
      final_key text not null,
      suggested_key text,
      suggested_confidence double precision,
      model_version text,
      actor_user_id text,
      actor_role text not null,
      created_at timestamptz not null
    );
    create index classification_label_case_idx on classification_label (case_id, created_at desc);
    create index classification_label_district_idx on classification_label (district_code, created_at);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop table classification_label');
}
