import type { Kysely } from 'kysely';
import { beijingDateOf, type WorkingCalendar } from '../calendar/working-calendar.ts';
import type { CaseEventSubscriber } from '../cases/case.apply.ts';
import type { CaseRow, Database } from '../db/schema.ts';
import { evaluationRepository, type RollupCell, type TrailRow } from './evaluation.repository.ts';
import {
  type CasePlace,
  type CellKey,
  cellId,
  cellKeysOf,
  contributions,
  daySpan,
  emptyCounts,
  FACT_ACTIONS,
  type MeasureFacts,
  rollupDelta,
  stepFacts,
  unitsOf,
} from './measures.ts';

export function placeOf(
  c: Pick<CaseRow, 'district_code' | 'street_code' | 'community_code' | 'grid_code' | 'alley_id'>,
): CasePlace {
  return {
    districtCode: c.district_code,
    streetCode: c.street_code,
    communityCode: c.community_code,
    gridCode: c.grid_code,
    alleyId: c.alley_id,
  };
}

/**
 * Keeps the measure rollups (SPEC §6) in the transaction that appends each case event: the case's
 * facts are folded one event further, and the rollup cells get the difference between the case's old
 * and new contributions. So the rollups are always exactly the sum of every case's contributions —
 * what a recomputation from the whole trail gives (the property test checks it) — and a rolled-back
 * event leaves them untouched.
 */
export function measureRollupSubscriber(calendar: WorkingCalendar): CaseEventSubscriber {
  // Street offices hardly ever change; a tier-1 dispatch asks for one.
  const offices = new Map<string, string | null>();
  const streetOffice = async (trx: Kysely<Database>, c: CaseRow) => {
    const key = `${c.district_code}|${c.street_code}`;
    if (!offices.has(key)) {
      offices.set(
        key,
        (await evaluationRepository(trx).streetOffice(c.district_code, c.street_code))?.id ?? null,
      );
    }
    return offices.get(key) ?? null;
  };
  return {
    name: 'measure-rollups',
    actions: FACT_ACTIONS,
    async onEvent(trx, event, _before, after) {
      const repo = evaluationRepository(trx);
      const stored = await repo.facts(after.district_code, after.id);
      const previous = stored?.facts ?? null;
      if (previous === null && event.action !== 'accept') return;
      const tier1 =
        (event.action === 'dispatch' || event.action === 'redispatch') && readTier(event.payload) === 1;
      const next = stepFacts(
        previous,
        { action: event.action, at: event.at, payload: event.payload },
        { calendar, streetOfficeId: tier1 ? await streetOffice(trx, after) : null },
      );
      if (next === previous || next === null) return;
      const place = placeOf(after);
      const now = contributions(next);
      const delta = rollupDelta(
        { contributions: contributions(previous), category: stored?.categoryKey ?? null },
        { contributions: now, category: after.category_key },
        place,
      );
      await repo.addToRollup(after.district_code, [...delta.values()]);
      const span = daySpan(now);
      await repo.saveFacts({
        districtCode: after.district_code,
        caseId: after.id,
        caseNumber: after.case_number,
        categoryKey: after.category_key,
        units: unitsOf(next, place),
        firstDay: span.first,
        lastDay: span.last,
        facts: next,
        at: event.at,
      });
    },
  };
}

function readTier(payload: unknown): unknown {
  return payload && typeof payload === 'object' ? Reflect.get(payload, 'tier') : undefined;
}

/**
 * Rebuilds a district's measure facts and rollups from the whole trail, with the same functions the
 * subscriber uses — for histories written in bulk (the demo's past, the benchmark's millions), which
 * do not pass through the case-event subscribers. Cases are read a chunk at a time in case-number
 * order, which is reporting-day order, each chunk with its trail in one statement (`trailChunk`), and
 * their contributions summed in memory per rollup cell: a day's cases share their street-, grid- and
 * organisation-day cells. A case contributes only to days from its filing on, never before its
 * report, so once the chunks have reached a reporting day, the cells of the days before it are
 * complete: those are written then, in one statement per chunk (with the chunk's facts in another),
 * and each cell is written once. The writes add to what is there, so the figures are right even where
 * a case's number does not follow its day.
 *
 * The database does most of the work (reading the trail, writing facts and cells, keeping their
 * indexes), so the three steps overlap: while a chunk is folded here, the next two are read and the
 * previous one's facts and cells are written, each on its own connection (PGlite takes them in turn).
 */
export async function rebuildMeasures(
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
  // The cells being summed, by day: a chunk's completed days are taken out whole.
  const cells = new Map<string, Map<string, RollupCell>>();
  // Days before this bound are written. A case numbered out of its day's order that adds to such a
  // day adds to a cell of `late`, written at the end onto what is there; every other cell is new to
  // the table when it is written.
  let written = '';
  const late = new Map<string, RollupCell>();
  /** Takes the cells of the days before `before` (all when null) out of memory, to be written. */
  const complete = (before: string | null) => {
    const done: RollupCell[] = [];
    for (const [day, ofDay] of cells) {
      if (before !== null && day >= before) continue;
      for (const c of ofDay.values()) done.push(c);
      cells.delete(day);
    }
    if (before !== null && before > written) written = before;
    return done;
  };
  /** The cell of a key, made on first use. */
  const cellOf = (k: CellKey) => {
    let into = late;
    if (k.day >= written) {
      let ofDay = cells.get(k.day);
      if (!ofDay) {
        ofDay = new Map();
        cells.set(k.day, ofDay);
      }
      into = ofDay;
    }
    const id = cellId(k);
    let cell = into.get(id);
    if (!cell) {
      cell = { ...k, counts: emptyCounts() };
      into.set(id, cell);
    }
    return cell;
  };
  const write = async (facts: Parameters<typeof repo.insertFacts>[0], done: RollupCell[], fresh = true) => {
    const parts: Promise<void>[] = [repo.insertFacts(facts)];
    for (let i = 0; i < done.length; i += 20_000)
      parts.push(repo.addCells(districtCode, done.slice(i, i + 20_000), { fresh }));
    await Promise.all(parts);
  };
  // Chunks of `slice` cases between case numbers taken from the key first, so that the next two are
  // read (on two connections) while this one is folded; the last one is open-ended.
  const bounds = await repo.caseNumberBounds(districtCode, slice);
  const ranges = [...bounds, null].map((upTo, i) => ({ after: i === 0 ? null : bounds[i - 1]!, upTo }));
  const reads: (Promise<TrailRow[]> | undefined)[] = [];
  const startRead = (i: number) => {
    const range = ranges[i];
    if (!range) return;
    const reading = repo.trailChunk(districtCode, range.after, range.upTo, FACT_ACTIONS);
    reading.catch(() => {});
    reads[i] = reading;
  };
  startRead(0);
  startRead(1);
  let writing: Promise<void> = Promise.resolve();
  let cases = 0;
  let filed = 0;
  for (let chunk = 0; chunk < ranges.length; chunk++) {
    const rows = (await reads[chunk]) ?? [];
    reads[chunk] = undefined;
    startRead(chunk + 2);
    if (rows.length === 0) continue;
    const facts: Parameters<typeof repo.insertFacts>[0][number][] = [];
    const at = new Date();
    let earliest: string | null = null;
    for (let i = 0; i < rows.length; ) {
      const r = rows[i]!;
      const reported = beijingDateOf(new Date(r.created_ms));
      if (earliest === null || reported < earliest) earliest = reported;
      let f: MeasureFacts | null = null;
      const env = { calendar, streetOfficeId: offices.get(r.street_code) ?? null };
      // The case's rows are consecutive, its events in trail order.
      for (; i < rows.length && rows[i]!.id === r.id; i++) {
        const e = rows[i]!;
        if (e.action !== null && e.at_ms !== null)
          f = stepFacts(f, { action: e.action, at: new Date(e.at_ms), payload: e.payload }, env);
      }
      cases++;
      if (f === null) continue;
      filed++;
      const place = placeOf({ ...r, district_code: districtCode });
      const cs = contributions(f);
      // A case's contributions come in runs of one day and one set of holders, which add to the same
      // cells (`cellKeysOf`): those are found once per run.
      let runDay: string | null = null;
      let runOrgs: readonly string[] | null = null;
      let run: RollupCell[] = [];
      for (const c of cs) {
        if (c.day !== runDay || c.orgs !== runOrgs) {
          runDay = c.day;
          runOrgs = c.orgs;
          run = cellKeysOf(c.day, c.orgs, place, r.category_key).map(cellOf);
        }
        for (const cell of run) cell.counts[c.measure] += c.n;
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
  await write([], [...late.values()], false);
  return { cases, filed };
}
