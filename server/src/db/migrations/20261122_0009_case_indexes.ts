import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// Indexes found missing by the 1,000,000-case benchmark (docs/benchmarks.md): the public alley board
// scanned the whole table twice, and a district-wide list sorted a full scan.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create index case_alley_public_idx on case_record (alley_id, created_at desc) where public;
    create index case_district_created_idx on case_record (district_code, created_at desc);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop index case_alley_public_idx, case_district_created_idx');
}
