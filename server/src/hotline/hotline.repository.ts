import type { Insertable, Kysely, SelectQueryBuilder } from 'kysely';
import type { CaseSnapshot } from '../cases/case.state.ts';
import type { Database, HotlineOrderTable, HotlinePlaceTable, HotlineUnlocatedTable } from '../db/schema.ts';
import type { GazetteerInput } from './hotline.address.ts';
import type { TrailEventFact } from './hotline.trail.ts';

/** All SQL of the hotline interface: existing orders, the gazetteer, and the cases behind results and 三率. */

const CHUNK = 1_000;

/** Actions whose events the results and the 三率 are read from. */
const FACT_ACTIONS = ['dispatch', 'redispatch', 'sign', 'report_in', 'send_back', 'feedback', 'rate'];

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A territory prefix as the column it narrows (district, street, community or grid code). */
function inScope<O>(
  q: SelectQueryBuilder<Database, 'case_record', O>,
  prefix: string | null,
): SelectQueryBuilder<Database, 'case_record', O> {
  if (!prefix) return q;
  if (prefix.length <= 6) return q.where('case_record.district_code', '=', prefix);
  if (prefix.length <= 9) return q.where('case_record.street_code', '=', prefix);
  if (prefix.length <= 12) return q.where('case_record.community_code', '=', prefix);
  return q.where('case_record.grid_code', '=', prefix);
}

export interface HotlineCaseRow {
  id: string;
  case_number: string;
  external_ref: string | null;
  state: string;
  street_code: string;
  district_code: string;
  category_key: string | null;
  snapshot: CaseSnapshot;
  handling_deadline: Date | null;
  closed_at: Date | null;
  created_at: Date;
}

const CASE_COLUMNS = [
  'case_record.id',
  'case_record.case_number',
  'case_record.external_ref',
  'case_record.state',
  'case_record.street_code',
  'case_record.district_code',
  'case_record.category_key',
  'case_record.snapshot',
  'case_record.handling_deadline',
  'case_record.closed_at',
  'case_record.created_at',
] as const;

export function hotlineRepository(db: Kysely<Database>) {
  return {
    /** Hotline cases already filed under these work-order numbers, whichever way they came in. */
    async existingOrders(refs: readonly string[]) {
      const found = new Map<string, { caseNumber: string; trackingCode: string }>();
      for (const part of chunks([...new Set(refs)])) {
        const rows = await db
          .selectFrom('case_record')
          .select(['external_ref', 'case_number', 'tracking_code', 'created_at'])
          .where('channel', '=', 'hotline')
          .where('external_ref', 'in', part)
          .orderBy('created_at')
          .execute();
        for (const r of rows) {
          if (r.external_ref && !found.has(r.external_ref)) {
            found.set(r.external_ref, { caseNumber: r.case_number, trackingCode: r.tracking_code });
          }
        }
      }
      return found;
    },

    async gazetteer(): Promise<GazetteerInput & { districts: { code: string; name: string }[] }> {
      const [alleys, streets, places, districts] = await Promise.all([
        db.selectFrom('alley').select(['id', 'name', 'street_code', 'geometry']).execute(),
        db.selectFrom('street').select(['code', 'name', 'center_lng', 'center_lat']).execute(),
        db.selectFrom('hotline_place').select(['street_code', 'name', 'kind']).execute(),
        db.selectFrom('district').select(['code', 'name']).execute(),
      ]);
      return {
        places: places.map((p) => ({ streetCode: p.street_code, name: p.name, kind: p.kind })),
        districts,
        alleys: alleys.map((a) => ({
          id: a.id,
          name: a.name,
          streetCode: a.street_code,
          coordinates: a.geometry.coordinates,
        })),
        streets: streets.map((s) => ({ code: s.code, name: s.name, center: [s.center_lng, s.center_lat] })),
      };
    },

    /** Orders of these numbers waiting to be placed (hotline_unlocated), as existing orders. */
    async waitingOrders(refs: readonly string[]) {
      const found = new Set<string>();
      for (const part of chunks([...new Set(refs)])) {
        const rows = await db
          .selectFrom('hotline_unlocated')
          .select('work_order_no')
          .where('work_order_no', 'in', part)
          .execute();
        for (const r of rows) found.add(r.work_order_no);
      }
      return found;
    },

    /** What the hotline said and how the address placed each filed order, in one statement per chunk. */
    async recordOrders(rows: readonly Insertable<HotlineOrderTable>[]) {
      for (const part of chunks(rows, 500)) {
        await db
          .insertInto('hotline_order')
          .values(part)
          .onConflict((oc) => oc.columns(['district_code', 'work_order_no']).doNothing())
          .execute();
      }
    },

    async holdUnlocated(rows: readonly Insertable<HotlineUnlocatedTable>[]) {
      for (const part of chunks(rows, 500)) {
        await db
          .insertInto('hotline_unlocated')
          .values(part)
          .onConflict((oc) => oc.columns(['district_code', 'work_order_no']).doNothing())
          .execute();
      }
    },

    listUnlocated(districtCode: string | null, limit: number) {
      let q = db
        .selectFrom('hotline_unlocated')
        .selectAll()
        .where('placed_case_id', 'is', null)
        .orderBy('imported_at')
        .orderBy('work_order_no')
        .limit(limit);
      if (districtCode) q = q.where('district_code', '=', districtCode);
      return q.execute();
    },

    findUnlocated(workOrderNo: string) {
      return db
        .selectFrom('hotline_unlocated')
        .selectAll()
        .where('work_order_no', '=', workOrderNo)
        .executeTakeFirst();
    },

    async markPlaced(districtCode: string, workOrderNo: string, caseId: string, at: Date) {
      await db
        .updateTable('hotline_unlocated')
        .set({ placed_case_id: caseId, placed_at: at })
        .where('district_code', '=', districtCode)
        .where('work_order_no', '=', workOrderNo)
        .execute();
    },

    /** Replaces one street's roads and landmarks of a source file (re-importing a gazetteer is idempotent). */
    async replacePlaces(rows: readonly Insertable<HotlinePlaceTable>[]) {
      await db.transaction().execute(async (trx) => {
        for (const part of chunks(rows, 500)) {
          await trx
            .insertInto('hotline_place')
            .values(part)
            .onConflict((oc) =>
              oc.columns(['district_code', 'street_code', 'name']).doUpdateSet((eb) => ({
                kind: eb.ref('excluded.kind'),
                lng: eb.ref('excluded.lng'),
                lat: eb.ref('excluded.lat'),
                source: eb.ref('excluded.source'),
              })),
            )
            .execute();
        }
      });
    },

    /** Street code → its street office (the unit of tier-1 cases). */
    async streetOffices(): Promise<Map<string, string>> {
      const rows = await db
        .selectFrom('organisation')
        .select(['id', 'scope_code'])
        .where('kind', '=', 'street_office')
        .orderBy('id')
        .execute();
      const map = new Map<string, string>();
      for (const r of rows) if (!map.has(r.scope_code)) map.set(r.scope_code, r.id);
      return map;
    },

    async organisationNames(ids: readonly string[]): Promise<Map<string, string>> {
      const map = new Map<string, string>();
      for (const part of chunks([...new Set(ids)])) {
        const rows = await db
          .selectFrom('organisation')
          .select(['id', 'name'])
          .where('id', 'in', part)
          .execute();
        for (const r of rows) map.set(r.id, r.name);
      }
      return map;
    },

    async streetNames(codes: readonly string[]): Promise<Map<string, string>> {
      const map = new Map<string, string>();
      for (const part of chunks([...new Set(codes)])) {
        const rows = await db
          .selectFrom('street')
          .select(['code', 'name'])
          .where('code', 'in', part)
          .execute();
        for (const r of rows) map.set(r.code, r.name);
      }
      return map;
    },

    /** Hotline cases with a work-order number whose trail has an event in [from, before). */
    async casesChanged(q: { from: Date; before: Date; prefix: string | null }): Promise<HotlineCaseRow[]> {
      let query = db
        .selectFrom('case_record')
        .select(CASE_COLUMNS)
        .where('case_record.channel', '=', 'hotline')
        .where('case_record.external_ref', 'is not', null)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('case_event')
              .select('case_event.seq')
              .whereRef('case_event.case_id', '=', 'case_record.id')
              .where('case_event.at', '>=', q.from)
              .where('case_event.at', '<', q.before),
          ),
        );
      query = inScope(query, q.prefix);
      return (await query
        .orderBy('case_record.created_at')
        .orderBy('case_record.case_number')
        .execute()) as HotlineCaseRow[];
    },

    /** Hotline cases received in [from, before), except those not filed (rejected) or merged away. */
    async casesReceived(q: { from: Date; before: Date; prefix: string | null }): Promise<HotlineCaseRow[]> {
      let query = db
        .selectFrom('case_record')
        .select(CASE_COLUMNS)
        .where('case_record.channel', '=', 'hotline')
        .where('case_record.created_at', '>=', q.from)
        .where('case_record.created_at', '<', q.before)
        .where('case_record.state', 'not in', ['rejected', 'merged']);
      query = inScope(query, q.prefix);
      return (await query
        .orderBy('case_record.created_at')
        .orderBy('case_record.case_number')
        .execute()) as HotlineCaseRow[];
    },

    /** The events the hotline reads, per case, in chain order. */
    async facts(caseIds: readonly string[]): Promise<Map<string, TrailEventFact[]>> {
      const map = new Map<string, TrailEventFact[]>(caseIds.map((id) => [id, []]));
      for (const part of chunks(caseIds)) {
        const rows = await db
          .selectFrom('case_event')
          .select(['case_id', 'action', 'at', 'payload'])
          .where('case_id', 'in', part)
          .where('action', 'in', FACT_ACTIONS)
          .orderBy('case_id')
          .orderBy('seq')
          .execute();
        for (const r of rows) map.get(r.case_id)?.push({ action: r.action, at: r.at, payload: r.payload });
      }
      return map;
    },
  };
}

export type HotlineRepository = ReturnType<typeof hotlineRepository>;
