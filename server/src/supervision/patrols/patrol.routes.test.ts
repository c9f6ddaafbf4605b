import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import { CaseDriver, SHICHAHAI, XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';
import { haversineMeters, type Position } from '../../territory/geometry.ts';

let env: TestEnv;
let d: CaseDriver;
let alley: { id: string; coordinates: Position[]; length: number };
const T0 = Date.parse('2026-11-16T09:00:00+08:00');

/** Points every ~6 m along a line at walking pace (1.4 m/s), starting at `t0`. */
export function walkAlong(
  coords: readonly Position[],
  t0: number,
): { lng: number; lat: number; t: string }[] {
  const out: { lng: number; lat: number; t: string }[] = [];
  let t = t0;
  for (let i = 1; i < coords.length; i++) {
    const a = coords[i - 1]!;
    const b = coords[i]!;
    const n = Math.max(1, Math.ceil(haversineMeters(a, b) / 6));
    for (let k = i === 1 ? 0 : 1; k <= n; k++) {
      const f = k / n;
      out.push({
        lng: a[0] + f * (b[0] - a[0]),
        lat: a[1] + f * (b[1] - a[1]),
        t: new Date(t).toISOString(),
      });
      t += Math.round((haversineMeters(a, b) / n / 1.4) * 1000);
    }
  }
  return out;
}

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(new Date(T0));
  d = new CaseDriver(env);
  await d.signIn('alley_chief', 'street_dispatcher', 'district_admin', 'resident', 'leader');
  await d.addAccount('shichahai-chief', 'alley_chief', SHICHAHAI);
  await d.addAccount('shichahai-dispatcher', 'street_dispatcher', SHICHAHAI);
  const rows = await env.ctx.db
    .selectFrom('alley')
    .select(['id', 'geometry', 'length_m'])
    .where('street_code', '=', XICHANGANJIE)
    .where('length_m', '>', 150)
    .orderBy('id')
    .execute();
  const a = rows[0]!;
  alley = { id: a.id, coordinates: a.geometry.coordinates, length: a.length_m };
});
afterAll(async () => {
  await env?.close();
});

describe('daily patrol', () => {
  let patrolId: string;
  let track: { lng: number; lat: number; t: string }[];

  it('is started inside the walker’s jurisdiction only', async () => {
    expect((await d.send('resident', 'POST', '/api/patrols', {})).json().error.code).toBe('FORBIDDEN');
    const other = await d.send('shichahai-chief', 'POST', '/api/patrols', { streetCode: XICHANGANJIE });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('OUT_OF_SCOPE');
    const res = await d.send('alley_chief', 'POST', '/api/patrols', {});
    expect(res.statusCode, res.body).toBe(201);
    patrolId = res.json().id;
  });

  it('takes the track in batches; a batch sent again adds nothing; only its walker adds', async () => {
    track = walkAlong(alley.coordinates, T0);
    const half = Math.floor(track.length / 2);
    const first = await d.send('alley_chief', 'POST', `/api/patrols/${patrolId}/points`, {
      points: track.slice(0, half),
    });
    expect(first.json()).toMatchObject({ added: half, duplicates: 0 });
    const again = await d.send('alley_chief', 'POST', `/api/patrols/${patrolId}/points`, {
      points: track.slice(0, half),
    });
    expect(again.json()).toMatchObject({ added: 0, duplicates: half });
    const stranger = await d.send('shichahai-chief', 'POST', `/api/patrols/${patrolId}/points`, {
      points: track.slice(half),
    });
    expect(stranger.json().error.code).toBe('FORBIDDEN');
    // Bad points arrive among the good ones: outside the territory, back in time, a GPS jump.
    const last = track[half - 1]!;
    const bad = [
      { lng: 0.5, lat: 0.5, t: new Date(Date.parse(last.t) + 500).toISOString() },
      { ...track[2]!, lng: track[2]!.lng + 0.00001 },
      { lng: last.lng + 0.0015, lat: last.lat, t: new Date(Date.parse(last.t) + 1000).toISOString() },
    ];
    const rest = await d.send('alley_chief', 'POST', `/api/patrols/${patrolId}/points`, {
      points: [...bad, ...track.slice(half)],
    });
    expect(rest.json().added).toBe(track.length - half + 3);
  });

  it('shows the running patrol’s latest position to the desks over it, and to nobody else', async () => {
    env.clock.set(new Date(Date.parse(track.at(-1)!.t) + 60_000));
    const live = (await d.get('street_dispatcher', '/api/patrols/live')).json();
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ patrolId, lng: track.at(-1)!.lng, lat: track.at(-1)!.lat, stale: false });
    expect((await d.get('shichahai-dispatcher', '/api/patrols/live')).json()).toEqual([]);
    expect(
      (await d.get('shichahai-dispatcher', `/api/patrols/live?scope=${XICHANGANJIE}`)).json().error.code,
    ).toBe('OUT_OF_SCOPE');
    expect((await d.get('alley_chief', '/api/patrols/live')).json().error.code).toBe('FORBIDDEN');
    env.clock.set(new Date(Date.parse(track.at(-1)!.t) + 11 * 60_000));
    expect((await d.get('district_admin', '/api/patrols/live')).json()[0].stale).toBe(true);
  });

  it('files findings on the way: one for the dispatcher, one fixed on the spot and closed at tier 1', async () => {
    const [lng, lat] = alley.coordinates[0]!;
    const report = await d.send('alley_chief', 'POST', `/api/patrols/${patrolId}/findings`, {
      lng,
      lat,
      description: '胡同口堆放建筑垃圾',
      categoryKey: 'event:06011',
    });
    expect(report.statusCode, report.body).toBe(201);
    const reported = await d.view(report.json().caseNumber);
    expect(reported).toMatchObject({ state: 'reported', channel: 'patrol' });
    const fixed = await d.send('alley_chief', 'POST', `/api/patrols/${patrolId}/findings`, {
      lng,
      lat,
      description: '路面暴露垃圾',
      categoryKey: 'event:06010',
      onSpot: true,
      onSpotNote: '已当场清扫',
      noPhotoReason: '手机无法拍照',
    });
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect(fixed.json().onSpot).toBe(true);
    const closed = (await d.get('district_admin', `/api/cases/${fixed.json().caseNumber}`)).json();
    expect(closed).toMatchObject({ state: 'closed', tier: 1, channel: 'patrol' });
    expect(closed.events.map((e: { action: string }) => e.action)).toEqual(['report', 'handle_on_spot']);
    const elsewhere = await d.send('alley_chief', 'POST', `/api/patrols/${patrolId}/findings`, {
      lng: d.centre(SHICHAHAI)[0],
      lat: d.centre(SHICHAHAI)[1],
      description: '别处的问题',
      categoryKey: 'event:06010',
    });
    expect(elsewhere.json().error.code).toBe('OUT_OF_SCOPE');
  });

  it('finishes with the length, the alley walked and the points left out', async () => {
    const res = await d.send('alley_chief', 'POST', `/api/patrols/${patrolId}/finish`, {});
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.id).toBe(patrolId);
    expect(body.coveredAlleys).toContain(alley.id);
    expect(body.lengthM).toBeGreaterThan(alley.length * 0.95);
    expect(body.lengthM).toBeLessThan(alley.length * 1.05);
    expect(body.excluded.map((e: { reason: string }) => e.reason)).toEqual([
      'outside_territory',
      'out_of_order',
      'too_fast',
    ]);
    expect(body.points).toEqual({ received: track.length + 3, kept: track.length });
    const late = await d.send('alley_chief', 'POST', `/api/patrols/${patrolId}/points`, {
      points: track.slice(0, 1),
    });
    expect(late.json().error.code).toBe('CONFLICT');
    const read = (await d.get('street_dispatcher', `/api/patrols/${patrolId}`)).json();
    expect(read).toMatchObject({ id: patrolId, lengthM: body.lengthM, coveredAlleys: body.coveredAlleys });
    expect(read.track).toHaveLength(track.length + 3);
    expect(read.findings).toHaveLength(2);
    expect((await d.get('shichahai-dispatcher', `/api/patrols/${patrolId}`)).json().error.code).toBe(
      'OUT_OF_SCOPE',
    );
    // Nothing of the position stays once the patrol is over.
    expect((await d.get('street_dispatcher', '/api/patrols/live')).json()).toEqual([]);
  });

  it('reports the day’s coverage per street, grid and person', async () => {
    const res = await d.get('street_dispatcher', '/api/patrols/coverage?period=day&date=2026-11-16');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.scopeCode).toBe(XICHANGANJIE);
    expect(body.alleyCount).toBeGreaterThan(10);
    expect(body.coveredCount).toBe(
      body.coveredAlleysCount ?? body.alleys.filter((a: { covered: boolean }) => a.covered).length,
    );
    expect(body.alleys.find((a: { id: string }) => a.id === alley.id).covered).toBe(true);
    expect(body.streets).toEqual([
      { code: XICHANGANJIE, alleyCount: body.alleyCount, coveredCount: body.coveredCount },
    ]);
    expect(body.people).toHaveLength(1);
    expect(body.people[0].role).toBe('alley_chief');
    const mine = (
      await d.get('alley_chief', '/api/patrols/coverage?period=week&date=2026-11-18&person=me')
    ).json();
    expect(mine.alleys.find((a: { id: string }) => a.id === alley.id).covered).toBe(true);
    const nextDay = (
      await d.get('street_dispatcher', '/api/patrols/coverage?period=day&date=2026-11-17')
    ).json();
    expect(nextDay.coveredCount).toBe(0);
    const other = await d.get('shichahai-dispatcher', `/api/patrols/coverage?scope=${XICHANGANJIE}`);
    expect(other.json().error.code).toBe('OUT_OF_SCOPE');
  });
});
