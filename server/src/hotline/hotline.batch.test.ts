import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { loadConfig } from '../config/config.ts';
import { officialCalendar } from '../context.ts';
import { DEMO_PLACES } from '../demo/demo-loader.ts';
import { demoFixtureCity, export12345, fixtureWorkbook, generateHotlineOrders } from './hotline.fixtures.ts';
import { parsePlacesTsv } from './hotline.places.ts';
import { HotlineService } from './hotline.service.ts';

/**
 * The batched import (chunks through `CaseService.intakeBatch`) against the one-by-one path (each
 * order through `CaseService.intake`) for the same 12345 export, on two copies of the same database at
 * the same clock: the same cases with the same numbers, the same first events, keys, hotline_order
 * rows and rollups, and the case-event subscribers told of the same reports.
 */
const envs = { batched: null as unknown as TestEnv, single: null as unknown as TestEnv };
const told = { batched: [] as string[], single: [] as string[] };
let bytes: Buffer;
/** The same service over the second database, filing each order on its own. */
let oneByOne: HotlineService;

async function prepare(which: 'batched' | 'single') {
  const env = await createTestEnv();
  await env.ctx.hotline.importPlaces(
    SYSTEM_ACTOR,
    fs.readFileSync(DEMO_PLACES, 'utf8'),
    path.basename(DEMO_PLACES),
  );
  // A subscriber of reports, told in the reports' transaction, as the notifications and webhooks are.
  env.ctx.caseEvents.subscribe({
    name: 'probe',
    actions: ['report'],
    onEvent: async (_trx, event, before, after) => {
      expect(before).toBeNull();
      expect(event.caseId).toBe(after.id);
      told[which].push(`${after.external_ref}|${after.case_number}|${event.seq}`);
    },
  });
  return env;
}

beforeAll(async () => {
  [envs.batched, envs.single] = await Promise.all([prepare('batched'), prepare('single')]);
  const places = fs.readFileSync(DEMO_PLACES, 'utf8');
  ({ bytes } = await export12345(demoFixtureCity(), parsePlacesTsv(places).places, {
    rows: 600,
    prefix: '2026120',
  }));
});
afterAll(async () => {
  await Promise.all([envs.batched?.close(), envs.single?.close()]);
});

/** Everything an import wrote, keyed by work-order number so that two databases compare. */
async function written(env: TestEnv) {
  const db = env.ctx.db;
  const cases = await db
    .selectFrom('case_record')
    .selectAll()
    .where('channel', '=', 'hotline')
    .where('external_ref', 'like', '2026120%')
    .orderBy('case_number')
    .execute();
  const refOf = new Map(cases.map((c) => [c.id, c.external_ref]));
  const events = await db
    .selectFrom('case_event')
    .selectAll()
    .where(
      'case_id',
      'in',
      cases.map((c) => c.id),
    )
    .execute();
  const keys = await db
    .selectFrom('idempotency_key')
    .select(['scope', 'key', 'request_hash', 'status_code', 'response'])
    .where('key', 'like', 'hotline:2026120%')
    .orderBy('key')
    .execute();
  const orders = await db
    .selectFrom('hotline_order')
    .select(['work_order_no', 'source_class', 'location_precision', 'located_by', 'flag', 'case_id'])
    .where('work_order_no', 'like', '2026120%')
    .orderBy('work_order_no')
    .execute();
  const rollups = await db
    .selectFrom('measure_rollup')
    .selectAll()
    .orderBy('district_code')
    .orderBy('level')
    .orderBy('day')
    .orderBy('unit_code')
    .orderBy('category_key')
    .execute();
  const waiting = await db
    .selectFrom('hotline_unlocated')
    .select(['work_order_no', 'source_class', 'reason', 'order_data'])
    .where('work_order_no', 'like', '2026120%')
    .orderBy('work_order_no')
    .execute();
  const counter = await db
    .selectFrom('case_number_counter')
    .selectAll()
    .orderBy('district_code')
    .orderBy('day')
    .execute();
  return {
    // Ids and tracking codes are random; everything else must be the same.
    cases: cases.map(({ id: _id, tracking_code: _code, ...c }) => c),
    events: events
      .map(({ case_id, prev_hash: _p, hash: _h, ...e }) => ({ ref: refOf.get(case_id), ...e }))
      .sort((a, b) => String(a.ref).localeCompare(String(b.ref)) || a.seq - b.seq),
    keys: keys.map((k) => {
      const { id: _id, trackingCode: _code, ...response } = k.response as Record<string, unknown>;
      return { ...k, response };
    }),
    orders: orders.map(({ case_id, ...o }) => ({ ...o, ref: refOf.get(case_id) })),
    rollups,
    waiting,
    counter,
  };
}

describe('a batched import against the one-by-one path', () => {
  it('files the same cases, events, keys, rows and rollups, and tells the subscribers the same', async () => {
    const { batched, single } = envs;
    const config = loadConfig();
    oneByOne = new HotlineService(
      single.ctx.db,
      single.ctx.cases,
      single.ctx.territory,
      single.ctx.taxonomy,
      officialCalendar(),
      single.clock,
      { weights: config.hotline.sanlvWeights, minConfidence: config.hotline.minConfidence, chunkSize: 1 },
    );
    const a = await batched.ctx.hotline.importFile(SYSTEM_ACTOR, bytes, { filename: '12345.xlsx' });
    const b = await oneByOne.importFile(SYSTEM_ACTOR, bytes, { filename: '12345.xlsx' });
    // More than one chunk of 250, and the same answer row by row.
    expect(a.summary.created).toBeGreaterThan(250);
    expect(a.summary).toEqual(b.summary);
    const strip = (rows: typeof a.rows) => rows.map(({ trackingCode: _code, ...r }) => r);
    expect(strip(a.rows)).toEqual(strip(b.rows));

    const [wa, wb] = await Promise.all([written(batched), written(single)]);
    expect(wa.cases.length).toBe(a.summary.created - a.summary.unlocated);
    expect(wa.cases).toEqual(wb.cases);
    expect(wa.events).toEqual(wb.events);
    expect(wa.events.every((e) => e.seq === 1 && e.action === 'report')).toBe(true);
    expect(wa.keys).toEqual(wb.keys);
    expect(wa.keys).toHaveLength(wa.cases.length);
    expect(wa.orders).toEqual(wb.orders);
    expect(wa.orders).toHaveLength(wa.cases.length);
    expect(wa.rollups).toEqual(wb.rollups);
    expect(wa.waiting).toEqual(wb.waiting);
    expect(wa.counter).toEqual(wb.counter);
    // Case numbers follow the file in both.
    const numbers = a.rows.filter((r) => r.outcome === 'created' && r.caseNumber).map((r) => r.caseNumber!);
    expect([...numbers].sort()).toEqual(numbers);
    expect(told.batched.sort()).toEqual(told.single.sort());
    expect(told.batched).toHaveLength(wa.cases.length);
  });

  it('adds nothing on either path when the file is imported again', async () => {
    const [a, b] = await Promise.all([
      envs.batched.ctx.hotline.importFile(SYSTEM_ACTOR, bytes, { filename: '12345.xlsx' }),
      oneByOne.importFile(SYSTEM_ACTOR, bytes, { filename: '12345.xlsx' }),
    ]);
    expect(a.summary.created).toBe(0);
    expect(a.summary).toEqual(b.summary);
    const [wa, wb] = await Promise.all([written(envs.batched), written(envs.single)]);
    expect(wa.cases).toHaveLength(told.batched.length);
    expect(wa.cases).toEqual(wb.cases);
  });
});

describe('an import stopped in the middle of a chunk', () => {
  let env: TestEnv;
  let file: Buffer;
  let numbers: string[];
  /** The work-order number whose report makes its transaction fail, while set. */
  let failOn: string | null = null;
  /** Runs once, when the subscribers are asked before a batch's transaction (a twin request). */
  let beforeTransaction: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    env = await createTestEnv();
    env.ctx.caseEvents.subscribe({
      name: 'fault',
      actions: ['report'],
      wants: async () => {
        const twin = beforeTransaction;
        beforeTransaction = null;
        if (twin) await twin();
        return true;
      },
      onEvent: async (_trx, _event, _before, after) => {
        if (after.external_ref === failOn) throw new Error('the process stopped here');
      },
    });
    const orders = generateHotlineOrders(demoFixtureCity(), { rows: 600, badPerKind: 0, prefix: 'CRASH' });
    numbers = orders.map((o) => o.workOrderNo);
    file = await fixtureWorkbook(orders);
  });
  afterAll(async () => {
    await env?.close();
  });

  const filed = async () => {
    const rows = await env.ctx.db
      .selectFrom('case_record')
      .leftJoin('hotline_order', (j) =>
        j
          .onRef('hotline_order.case_id', '=', 'case_record.id')
          .onRef('hotline_order.district_code', '=', 'case_record.district_code'),
      )
      .leftJoin('idempotency_key', (j) =>
        j
          .onRef('idempotency_key.district_code', '=', 'case_record.district_code')
          .on('idempotency_key.scope', '=', `intake:${SYSTEM_ACTOR.userId}`)
          .on(sql<boolean>`idempotency_key.key = 'hotline:' || case_record.external_ref`),
      )
      .select(['case_record.external_ref', 'hotline_order.work_order_no', 'idempotency_key.key'])
      .where('case_record.external_ref', 'like', 'CRASH%')
      .execute();
    // Every case has its hotline_order row and its key: nothing half written.
    for (const r of rows)
      expect([r.work_order_no, r.key]).toEqual([r.external_ref, `hotline:${r.external_ref}`]);
    return rows.map((r) => r.external_ref!).sort();
  };

  it('keeps the chunks written before it whole and nothing of the chunk it stopped in', async () => {
    failOn = numbers[300]!; // in the second chunk of 250
    await expect(env.ctx.hotline.importFile(SYSTEM_ACTOR, file, { filename: 'crash.xlsx' })).rejects.toThrow(
      'the process stopped here',
    );
    expect(await filed()).toEqual(numbers.slice(0, 250));
  });

  it('files the rest, each order once, when the import is run again', async () => {
    failOn = null;
    const again = await env.ctx.hotline.importFile(SYSTEM_ACTOR, file, { filename: 'crash.xlsx' });
    expect(again.summary).toMatchObject({ created: 350, existing: 250, rejected: 0 });
    expect(await filed()).toEqual([...numbers].sort());
  });

  it('replays an order a twin request filed while its chunk was being written', async () => {
    const more = generateHotlineOrders(demoFixtureCity(), { rows: 40, badPerKind: 0, prefix: 'TWIN' });
    const twinNo = more[7]!.workOrderNo;
    let twinCase: string | null = null;
    const street = (await env.ctx.territory.listStreets())[0]!;
    beforeTransaction = async () => {
      // The same order filed by the same account between the import's lookup and its write.
      const twin = await env.ctx.cases.intake(
        SYSTEM_ACTOR,
        {
          channel: 'hotline',
          description: '同一工单由另一请求先行立案',
          lng: street.center[0],
          lat: street.center[1],
          crs: 'wgs84',
          externalRef: twinNo,
        },
        `hotline:${twinNo}`,
      );
      twinCase = twin.result.caseNumber;
    };
    const r = await env.ctx.hotline.importFile(SYSTEM_ACTOR, await fixtureWorkbook(more), {
      filename: 'twin.xlsx',
    });
    expect(twinCase).not.toBeNull();
    const row = r.rows.find((x) => x.workOrderNo === twinNo)!;
    expect(row).toMatchObject({ outcome: 'existing', caseNumber: twinCase });
    expect(r.summary).toMatchObject({ created: 39, existing: 1, rejected: 0 });
    const cases = await env.ctx.db
      .selectFrom('case_record')
      .select('external_ref')
      .where('external_ref', 'like', 'TWIN%')
      .execute();
    expect(cases).toHaveLength(40);
  });
});
