import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

// A unit's queue (dispatched, handling …) shows its newest open cases first. At 10⁷ cases the page
// read every open case of the unit through case_org_state_idx to sort them (1,367 heap pages, p99
// 28.7 ms, docs/benchmarks.md "10⁷ cases"); this index holds only open cases, in date order per
// unit, so the page stops after its 50 rows (52 pages, 0.3 ms). A state filter of open states
// implies its predicate, which lets the planner use it; closed, rejected and merged cases, nearly
// all of the history, never enter it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create index case_org_open_idx on case_record (assigned_org_id, created_at desc)
      where state not in ('closed', 'rejected', 'merged');
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop index if exists case_org_open_idx;');
}
