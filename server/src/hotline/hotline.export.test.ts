import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { DEMO_PLACES } from '../demo/demo-loader.ts';
import { importJson } from './hotline.cli.ts';
import { demoFixtureCity, type ExportRow, export12345 } from './hotline.fixtures.ts';
import { parsePlacesTsv } from './hotline.places.ts';
import type { RowResult } from './hotline.service.ts';

/**
 * The issue's done-when test: a 12345 export as the platform writes it (title and export-info lines
 * above the header, 来电时间 partly date cells, 12345's own classes, roads without 街道, landmarks, a
 * name containing an alley's name, an alley of another street, orders placed nowhere, repeated
 * numbers and 20 bad rows) imported with the default mapping, then imported again. On whichever
 * engine the run uses.
 */
let env: TestEnv;
let rows: ExportRow[];
let bytes: Buffer;

beforeAll(async () => {
  env = await createTestEnv();
  // The demo template was built before the gazetteer existed in some runs; load it as the demo does.
  await env.ctx.hotline.importPlaces(
    SYSTEM_ACTOR,
    fs.readFileSync(DEMO_PLACES, 'utf8'),
    path.basename(DEMO_PLACES),
  );
  const places = parsePlacesTsv(fs.readFileSync(DEMO_PLACES, 'utf8')).places;
  ({ bytes, rows } = await export12345(demoFixtureCity(), places, { rows: 400 }));
});
afterAll(async () => {
  await env?.close();
});

const count = (kind: ExportRow['kind']) => rows.filter((r) => r.kind === kind).length;

describe('a 12345 export imported with the default mapping', () => {
  let first: {
    summary: Awaited<ReturnType<TestEnv['ctx']['hotline']['importFile']>>['summary'];
    rows: RowResult[];
  };

  it('files every good order once, rejects each bad row with all its faults and reports duplicates', async () => {
    const r = await env.ctx.hotline.importFile(SYSTEM_ACTOR, bytes, { filename: '12345工单.xlsx' });
    first = r;
    const good = rows.length - count('bad') - count('duplicate');
    expect(count('bad')).toBe(20);
    expect(r.summary).toMatchObject({
      rows: 400,
      headerRow: 3,
      created: good,
      existing: count('duplicate'),
      rejected: 20,
      unlocated: count('unlocated'),
    });
    // Street level: roads, landmarks, names containing an alley's name, alleys of another street.
    expect(r.summary.streetLevel).toBe(
      count('road') + count('landmark') + count('longer_name') + count('other_street'),
    );
    expect(r.summary.flagged).toBeGreaterThanOrEqual(count('other_street'));
    expect(r.summary.columns).toMatchObject({
      receivedAt: '来电时间',
      street: '所属街道',
      category: '问题分类',
    });

    const byRow = new Map(r.rows.map((x) => [x.rowNumber, x]));
    for (const e of rows) {
      const got = byRow.get(e.rowNumber)!;
      const where = `row ${e.rowNumber} (${e.kind}): ${JSON.stringify(got.issues)}`;
      if (e.kind === 'bad') {
        expect(got.outcome, where).toBe('rejected');
        // Every fault, each naming the file's own column.
        const named = got.issues.map((i) => i.message);
        for (const column of e.faults)
          expect(
            named.some((m) => m.startsWith(column)),
            where,
          ).toBe(true);
        expect(got.issues.length, where).toBeGreaterThanOrEqual(e.faults.length);
        expect(named.join(), where).not.toContain('受理时间');
      } else if (e.kind === 'duplicate') {
        expect(got.outcome, where).toBe('existing');
        expect(got.note, where).toMatch(/工单编号相同/);
      } else {
        expect(got.outcome, where).toBe('created');
        const precision = {
          alley: 'alley',
          road: 'street',
          landmark: 'street',
          longer_name: 'street',
          other_street: 'street',
          unlocated: 'none',
        }[e.kind];
        expect(got.precision, where).toBe(precision);
        if (e.kind === 'other_street') expect(got.note, where).toMatch(/请核对/);
      }
    }

    // Once each: no work-order number has two cases; every case keeps its 12345 class.
    const filed = await env.ctx.db
      .selectFrom('hotline_order')
      .innerJoin('case_record', 'case_record.id', 'hotline_order.case_id')
      .select([
        'hotline_order.work_order_no',
        'hotline_order.source_class',
        'hotline_order.location_precision',
        'case_record.alley_id',
        'case_record.grid_code',
        'case_record.category_key',
      ])
      .where('hotline_order.work_order_no', 'like', '2026110%')
      .execute();
    expect(filed).toHaveLength(good - count('unlocated'));
    expect(new Set(filed.map((f) => f.work_order_no)).size).toBe(filed.length);
    const expected = new Map(rows.filter((e) => e.kind !== 'duplicate').map((e) => [e.workOrderNo, e]));
    for (const f of filed) {
      expect(f.source_class).toBe(expected.get(f.work_order_no)!.sourceClass);
      // A case placed at street level is not pinned to an alley or a grid near the street's centre.
      if (f.location_precision === 'street') expect([f.alley_id, f.grid_code]).toEqual([null, null]);
      if (f.location_precision === 'alley') expect(f.alley_id).not.toBeNull();
    }
    const waiting = await env.ctx.hotline.unlocated(SYSTEM_ACTOR);
    expect(waiting.filter((w) => w.workOrderNo.startsWith('2026110'))).toHaveLength(count('unlocated'));

    expect(importJson(r.summary)).toEqual({
      rows: 400,
      imported: good,
      existing: count('duplicate'),
      rejected: 20,
      reasons: Object.fromEntries(r.summary.reasons.map((x) => [x.label, x.count])),
      unlocated: count('unlocated'),
      streetLevel: r.summary.streetLevel,
    });
    expect(Object.keys(importJson(r.summary).reasons)).toContain('来电时间无法识别');
  });

  it('adds nothing when the same export is imported again', async () => {
    const before = await env.ctx.db
      .selectFrom('case_record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const again = await env.ctx.hotline.importFile(SYSTEM_ACTOR, bytes, { filename: '12345工单.xlsx' });
    expect(again.summary).toMatchObject({
      created: 0,
      existing: first.summary.created + first.summary.existing,
      rejected: 20,
    });
    const after = await env.ctx.db
      .selectFrom('case_record')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('files a waiting order where a dispatcher places it, once', async () => {
    const [w] = await env.ctx.hotline.unlocated(SYSTEM_ACTOR);
    const street = (await env.ctx.territory.listStreets())[0]!;
    const placed = await env.ctx.hotline.placeUnlocated(SYSTEM_ACTOR, w!.workOrderNo, {
      lng: street.center[0],
      lat: street.center[1],
      crs: 'wgs84',
    });
    expect(placed.caseNumber).toMatch(/^110102-/);
    await expect(
      env.ctx.hotline.placeUnlocated(SYSTEM_ACTOR, w!.workOrderNo, {
        lng: street.center[0],
        lat: street.center[1],
        crs: 'wgs84',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
