import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// The public alley board counts an alley's open and closed public cases on every load. With the
// state in the index (INCLUDE) that count is an index-only scan instead of one heap visit per case
// of the alley (11,006 on the busiest alley of the 1,000,000-case benchmark, docs/benchmarks.md).
// The board's recent list reads the same index in order. It replaces 0009's narrower board index.
// District-wide lists keep 0009's (district_code, created_at desc); duplicate candidates use
// 0003's (h3_r9, created_at).

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create index case_alley_board_idx on case_record (alley_id, created_at desc) include (state) where public;
    drop index case_alley_public_idx;
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create index case_alley_public_idx on case_record (alley_id, created_at desc) where public;
    drop index case_alley_board_idx;
    `,
  );
}
