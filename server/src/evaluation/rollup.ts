import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import type { CaseEventSubscriber } from '../cases/case.apply.ts';
import type { CaseRow, Database } from '../db/schema.ts';
import { evaluationRepository } from './evaluation.repository.ts';
import {
  type CasePlace,
  cellsOf,
  contributions,
  daySpan,
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
      const previous = await repo.facts(after.district_code, after.id);
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
      const delta = rollupDelta(contributions(previous), now, place);
      await repo.addToRollup(after.district_code, after.category_key ?? '', [...delta.values()]);
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
 * do not pass through the case-event subscribers. Cases are read in id order, a slice at a time; what
 * a slice contributes is summed in memory and added to the rollups in one statement per chunk.
 */
export async function rebuildMeasures(
  db: Kysely<Database>,
  districtCode: string,
  calendar: WorkingCalendar,
  options: { sliceSize?: number; onProgress?: (cases: number) => void } = {},
): Promise<{ cases: number; filed: number }> {
  const slice = options.sliceSize ?? 2_000;
  const repo = evaluationRepository(db);
  await db.deleteFrom('measure_rollup').where('district_code', '=', districtCode).execute();
  await db.deleteFrom('case_measure_fact').where('district_code', '=', districtCode).execute();
  const offices = new Map(
    (await repo.organisations(districtCode, ['street_office'])).map((o) => [o.scope, o.code] as const),
  );
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
      ])
      .where('district_code', '=', districtCode)
      .where('id', '>', after)
      .orderBy('id')
      .limit(slice)
      .execute();
    if (rows.length === 0) break;
    after = rows.at(-1)?.id ?? after;
    const events = await db
      .selectFrom('case_event')
      .select(['case_id', 'action', 'at', 'payload'])
      .where(
        'case_id',
        'in',
        rows.map((r) => r.id),
      )
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
    const cells = new Map<
      string,
      { category: string; level: string; unit: string; day: string; measure: string; n: number }
    >();
    const facts: Parameters<typeof repo.saveFacts>[0][] = [];
    for (const r of rows) {
      let f: MeasureFacts | null = null;
      const env = { calendar, streetOfficeId: offices.get(r.street_code) ?? null };
      for (const e of byCase.get(r.id) ?? [])
        f = stepFacts(f, { action: e.action, at: e.at, payload: e.payload }, env);
      cases++;
      if (f === null) continue;
      filed++;
      const place = placeOf(r);
      const cs = contributions(f);
      const category = r.category_key ?? '';
      for (const c of cs) {
        for (const k of cellsOf(c, place)) {
          const id = `${category}|${k.level}|${k.unit}|${k.day}|${k.measure}`;
          const cur = cells.get(id);
          if (cur) cur.n += c.n;
          else
            cells.set(id, { category, level: k.level, unit: k.unit, day: k.day, measure: k.measure, n: c.n });
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
        at: new Date(),
      });
    }
    for (let i = 0; i < facts.length; i += 500) {
      await db
        .insertInto('case_measure_fact')
        .values(
          facts.slice(i, i + 500).map((f) => ({
            district_code: f.districtCode,
            case_id: f.caseId,
            case_number: f.caseNumber,
            category_key: f.categoryKey,
            units: f.units,
            first_day: f.firstDay,
            last_day: f.lastDay,
            facts: JSON.stringify(f.facts),
            updated_at: f.at,
          })),
        )
        .execute();
    }
    const all = [...cells.values()];
    for (let i = 0; i < all.length; i += 2_000) {
      await db
        .insertInto('measure_rollup')
        .values(
          all.slice(i, i + 2_000).map((c) => ({
            district_code: districtCode,
            level: c.level,
            day: c.day,
            unit_code: c.unit,
            category_key: c.category,
            measure: c.measure,
            n: c.n,
          })),
        )
        .onConflict((oc) =>
          oc
            .columns(['district_code', 'level', 'day', 'unit_code', 'category_key', 'measure'])
            .doUpdateSet({ n: sql`measure_rollup.n + excluded.n` }),
        )
        .execute();
    }
    options.onProgress?.(cases);
  }
  return { cases, filed };
}
