import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { haversineMeters } from '../territory/geometry.ts';
import { caseRepository } from './case.repository.ts';
import { ringsFor } from './case.service.ts';
import { GENESIS_HASH, verifyTrail } from './case.trail.ts';

// What the intake changes for throughput (docs/decisions/0002-case-numbers-outside-intake.md) must keep:
// numbers unique, replays free of side effects, first events chained, duplicates found near cell edges.

let env: TestEnv;
let point: [number, number];

beforeAll(async () => {
  env = await createTestEnv();
  const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
    code: string;
    center: [number, number];
  }[];
  point = streets.find((s) => s.code === '110102001')!.center;
});
afterAll(async () => {
  await env?.close();
});

const input = (description: string, at: [number, number] = point, categoryKey?: string) => ({
  channel: 'resident' as const,
  description,
  lng: at[0],
  lat: at[1],
  crs: 'wgs84' as const,
  categoryKey: categoryKey ?? null,
});

/** The sequence part of a case number (`110102-20261122-00042` → 42). */
const seqOf = (caseNumber: string) => Number(caseNumber.split('-')[2]);

async function countCases(): Promise<number> {
  const r = await env.ctx.db
    .selectFrom('case_record')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Moves the clock to the next day, so that the day's numbering starts afresh. */
function nextDay() {
  env.clock.advance(86_400_000);
}

describe('case numbers', () => {
  it('gives concurrent intakes distinct, consecutive numbers of the day', async () => {
    nextDay();
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => env.ctx.cases.intake(null, input(`并发上报 ${i}`), `burst-${i}`)),
    );
    const seqs = results.map((r) => seqOf(r.result.caseNumber)).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(24);
    // Nothing failed, so there is no gap: 1…24.
    expect(seqs).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const stored = await env.ctx.db
      .selectFrom('case_record')
      .select('case_number')
      .where(
        'id',
        'in',
        results.map((r) => r.result.id),
      )
      .execute();
    expect(stored.map((r) => r.case_number).sort()).toEqual(results.map((r) => r.result.caseNumber).sort());
  });

  it('takes no number for a replay or a refused key reuse', async () => {
    nextDay();
    const first = await env.ctx.cases.intake(null, input('重复提交的上报'), 'replay-key');
    const again = await env.ctx.cases.intake(null, input('重复提交的上报'), 'replay-key');
    expect(again).toEqual({ result: first.result, replayed: true });
    await expect(env.ctx.cases.intake(null, input('换了内容'), 'replay-key')).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    const next = await env.ctx.cases.intake(null, input('下一条上报'), 'replay-next');
    expect(seqOf(next.result.caseNumber)).toBe(seqOf(first.result.caseNumber) + 1);
  });

  it('leaves a gap, and nothing else, when the write fails after the number was taken', async () => {
    nextDay();
    const before = await env.ctx.cases.intake(null, input('失败之前'));
    const cases = await countCases();
    // An unknown photo id fails the intake transaction after the number has been taken.
    await expect(
      env.ctx.cases.intake(null, { ...input('带了不存在的照片'), photoIds: ['media_missing'] }, 'gap-key'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await countCases()).toBe(cases);
    expect(await caseRepository(env.ctx.db).getIdempotent('intake:public', 'gap-key')).toBeUndefined();
    const after = await env.ctx.cases.intake(null, input('失败之后'));
    expect(seqOf(after.result.caseNumber)).toBe(seqOf(before.result.caseNumber) + 2);
  });
});

describe('the first event', () => {
  it('is seq 1 after the genesis hash, and later events chain onto it', async () => {
    const { result } = await env.ctx.cases.intake(null, input('首个事件', point, '06001'));
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const accepted = await env.app.inject({
      method: 'POST',
      url: `/api/cases/${result.caseNumber}/actions/accept`,
      headers: dispatcher.headers,
      payload: {},
    });
    expect(accepted.statusCode).toBe(200);
    const events = await caseRepository(env.ctx.db).events(result.id);
    expect(events.map((e) => [e.seq, e.action])).toEqual([
      [1, 'report'],
      [2, 'accept'],
    ]);
    expect(events[0]!.prevHash).toBe(GENESIS_HASH);
    expect(verifyTrail(result.id, events)).toEqual([]);
    const audit = await env.ctx.cases.verifyAudit();
    expect(audit.problems).toEqual([]);
  });
});

describe('duplicate candidates by H3 cell', () => {
  /** Two points 20 m apart on either side of a resolution-9 cell edge, walking east from `from`. */
  function acrossCellEdge(from: [number, number]): { west: [number, number]; east: [number, number] } {
    const metreLng = 1 / (111_320 * Math.cos((from[1] * Math.PI) / 180));
    const start = latLngToCell(from[1], from[0], 9);
    let m = 0;
    while (latLngToCell(from[1], from[0] + m * metreLng, 9) === start) m++;
    return {
      west: [from[0] + (m - 10) * metreLng, from[1]],
      east: [from[0] + (m + 10) * metreLng, from[1]],
    };
  }

  it('finds an open case in the neighbouring cell, and not a finished one', async () => {
    const { west, east } = acrossCellEdge(point);
    expect(latLngToCell(west[1], west[0], 9)).not.toBe(latLngToCell(east[1], east[0], 9));
    const original = await env.ctx.cases.intake(null, input('边界西侧的垃圾', west, '06001'));
    const rejected = await env.ctx.cases.intake(null, input('边界西侧已驳回', west, '06001'));
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const reject = await env.app.inject({
      method: 'POST',
      url: `/api/cases/${rejected.result.caseNumber}/actions/reject`,
      headers: dispatcher.headers,
      payload: { reason: 'not_in_remit' },
    });
    expect(reject.statusCode).toBe(200);
    const fresh = await env.ctx.cases.intake(null, input('边界东侧的同类问题', east, '06001'));
    const row = (await caseRepository(env.ctx.db).findById(fresh.result.id))!;
    const candidates = await env.ctx.cases.duplicateCandidates(row);
    const ids = candidates.map((c) => c.id);
    expect(ids).toContain(original.result.id);
    expect(ids).not.toContain(rejected.result.id);
    const found = candidates.find((c) => c.id === original.result.id)!;
    expect(found.distanceMeters).toBeGreaterThan(15);
    expect(found.distanceMeters).toBeLessThan(25);
  });

  it('covers the whole radius with the rings it searches', () => {
    // Points at the radius in eight directions around many starting points lie in the searched disk.
    const radius = 50;
    const k = ringsFor(radius);
    const metreLat = 1 / 111_320;
    for (let i = 0; i < 200; i++) {
      const from: [number, number] = [point[0] + (i % 20) * 0.0003, point[1] + Math.floor(i / 20) * 0.0003];
      const disk = new Set(gridDisk(latLngToCell(from[1], from[0], 9), k));
      const metreLng = metreLat / Math.cos((from[1] * Math.PI) / 180);
      for (let a = 0; a < 8; a++) {
        const angle = (a * Math.PI) / 4;
        const to: [number, number] = [
          from[0] + Math.cos(angle) * radius * metreLng,
          from[1] + Math.sin(angle) * radius * metreLat,
        ];
        expect(haversineMeters(from, to)).toBeLessThan(radius + 1);
        expect(disk.has(latLngToCell(to[1], to[0], 9))).toBe(true);
      }
    }
    expect(ringsFor(50)).toBe(1);
    expect(ringsFor(250)).toBe(3);
    // The cell's own centre is trivially inside.
    const c = latLngToCell(point[1], point[0], 9);
    const [lat, lng] = cellToLatLng(c);
    expect(latLngToCell(lat, lng, 9)).toBe(c);
  });
});

describe('queue totals', () => {
  it('counts up to the cap and says when there are more', async () => {
    const repo = caseRepository(env.ctx.db);
    const all = await countCases();
    expect(all).toBeGreaterThan(3);
    const exact = await repo.queue({ scopePrefix: '110102', limit: 2, offset: 0 });
    expect(exact).toMatchObject({ total: all, totalCapped: false });
    expect(exact.items).toHaveLength(2);
    const capped = await repo.queue({ scopePrefix: '110102', limit: 2, offset: 0, countCap: 3 });
    expect(capped).toMatchObject({ total: 3, totalCapped: true });
    const atCap = await repo.queue({ scopePrefix: '110102', limit: 2, offset: 0, countCap: all });
    expect(atCap).toMatchObject({ total: all, totalCapped: false });

    const admin = await login(env.app, 'demo-district_admin');
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/cases?limit=5',
      headers: admin.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: all, totalCapped: false });
  });
});

describe('the category cache', () => {
  it('sees a category made private through the taxonomy at once', async () => {
    const before = await env.ctx.cases.intake(null, input('公开类别', point, '06001'));
    expect((await caseRepository(env.ctx.db).findById(before.result.id))!.public).toBe(true);
    const admin = await login(env.app, 'demo-district_admin');
    const patched = await env.app.inject({
      method: 'PATCH',
      url: '/api/taxonomy/event:06001',
      headers: admin.headers,
      payload: { public: false, reason: '测试改为不公开' },
    });
    expect(patched.statusCode).toBe(200);
    const after = await env.ctx.cases.intake(null, input('已改为不公开', point, '06001'));
    expect((await caseRepository(env.ctx.db).findById(after.result.id))!.public).toBe(false);
  });
});
