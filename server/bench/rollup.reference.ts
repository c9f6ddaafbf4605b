import { type Kysely, sql } from 'kysely';
import { beijingDateOf, type WorkingCalendar } from '../src/calendar/working-calendar.ts';
import type { Database } from '../src/db/schema.ts';
import { evaluationRepository, type RollupCell } from '../src/evaluation/evaluation.repository.ts';
import {
  cellId,
  cellsOf,
  contributions,
  daySpan,
  emptyCounts,
  FACT_ACTIONS,
  type MeasureFacts,
  stepFacts,
  unitsOf,
} from '../src/evaluation/measures.ts';
import { placeOf } from '../src/evaluation/rollup.ts';

/**
 * THE EARLIER VERSION of `rebuildMeasures` (server/src/evaluation/rollup.ts), kept only as the baseline
 * the measures benchmark runs beside the current one (HUTONG_BENCH_MEASURES_COMPARE=1) on the same
 * history, checking that both write the same cells and facts. It reads a chunk's cases, then their
 * events by an array of ids, folds, and writes while the next chunk is read; do not use it in the
 * product.
 *
 * Rebuilds a district's measure facts and rollups from the whole trail, with the same functions the
 * subscriber uses — for histories written in bulk (the demo's past, the benchmark's millions), which
 * do not pass through the case-event subscribers. Cases are read a chunk at a time in case-number
 * order, which is reporting-day order, and their contributions summed in memory per rollup cell: a
 * day's cases share their street-, grid- and organisation-day cells. A case contributes only to days
 * from its filing on, never before its report, so once the chunks have reached a reporting day, the
 * cells of the days before it are complete: those are written then, in one statement per chunk
 * (with the chunk's facts in another), and each cell is written once. The writes add to what is
 * there, so the figures are right even where a case's number does not follow its day.
 */
export async function rebuildMeasuresReference(
  db: Kysely<Database>,
  districtCode: string,
  calendar: WorkingCalendar,
  options: { sliceSize?: number; onProgress?: (cases: number) => void } = {},
): Promise<{ cases: number; filed: number }> {
  const slice = options.sliceSize ?? 5_000;
  const repo = evaluationRepository(db);
  await db.deleteFrom('measure_rollup').where('district_code', '=', districtCode).execute();
  await db.deleteFrom('case_measure_fact').where('district_code', '=', districtCode).execute();
  const offices = new Map(
    (await repo.organisations(districtCode, ['street_office'])).map((o) => [o.scope, o.code] as const),
  );
  const cells = new Map<string, RollupCell>();
  /** Takes the cells of the days before `before` (all when null) out of memory, to be written. */
  const complete = (before: string | null) => {
    const done: RollupCell[] = [];
    for (const [id, c] of cells) {
      if (before !== null && c.day >= before) continue;
      done.push(c);
      cells.delete(id);
    }
    return done;
  };
  const write = async (facts: Parameters<typeof repo.insertFacts>[0], done: RollupCell[]) => {
    await repo.insertFacts(facts);
    for (let i = 0; i < done.length; i += 20_000)
      await repo.addCells(districtCode, done.slice(i, i + 20_000));
  };
  // A chunk's writes run while the next chunk is read and folded (on PostgreSQL, on another
  // connection of the pool; PGlite takes them in turn).
  let writing: Promise<void> = Promise.resolve();
  let after = '';
  let cases = 0;
  let filed = 0;
  for (;;) {
    const rows = await db
      .selectFrom('case_record')
      .select([
        'id',
        'case_number',
        'category_key',
        'district_code',
        'street_code',
        'community_code',
        'grid_code',
        'alley_id',
        'created_at',
      ])
      .where('district_code', '=', districtCode)
      .where('case_number', '>', after)
      .orderBy('case_number')
      .limit(slice)
      .execute();
    if (rows.length === 0) break;
    after = rows.at(-1)?.case_number ?? after;
    const events = await db
      .selectFrom('case_event')
      .select(['case_id', 'action', 'at', 'payload'])
      .where(sql<boolean>`case_id = any(${sql.val(rows.map((r) => r.id))}::text[])`)
      .where('action', 'in', [...FACT_ACTIONS])
      .orderBy('case_id')
      .orderBy('seq')
      .execute();
    const byCase = new Map<string, typeof events>();
    for (const e of events) {
      const list = byCase.get(e.case_id);
      if (list) list.push(e);
      else byCase.set(e.case_id, [e]);
    }
    const facts: Parameters<typeof repo.insertFacts>[0][number][] = [];
    const at = new Date();
    let earliest: string | null = null;
    for (const r of rows) {
      const reported = beijingDateOf(r.created_at);
      if (earliest === null || reported < earliest) earliest = reported;
      let f: MeasureFacts | null = null;
      const env = { calendar, streetOfficeId: offices.get(r.street_code) ?? null };
      for (const e of byCase.get(r.id) ?? [])
        f = stepFacts(f, { action: e.action, at: e.at, payload: e.payload }, env);
      cases++;
      if (f === null) continue;
      filed++;
      const place = placeOf(r);
      const cs = contributions(f);
      for (const c of cs) {
        for (const k of cellsOf(c, place, r.category_key)) {
          const id = cellId(k);
          let cell = cells.get(id);
          if (!cell) {
            cell = { level: k.level, unit: k.unit, day: k.day, category: k.category, counts: emptyCounts() };
            cells.set(id, cell);
          }
          cell.counts[k.measure] += c.n;
        }
      }
      const span = daySpan(cs);
      facts.push({
        districtCode,
        caseId: r.id,
        caseNumber: r.case_number,
        categoryKey: r.category_key,
        units: unitsOf(f, place),
        firstDay: span.first,
        lastDay: span.last,
        facts: f,
        at,
      });
    }
    // Later chunks' cases were reported no earlier than this chunk's (case numbers run in day order)
    // and add to days from their report on: the days before this chunk's earliest report are complete.
    const done = complete(earliest);
    await writing;
    writing = write(facts, done);
    // Handled at once: a failed write stops the rebuild at the next chunk, not later.
    writing.catch(() => {});
    options.onProgress?.(cases);
  }
  await writing;
  await write([], complete(null));
  return { cases, filed };
}
