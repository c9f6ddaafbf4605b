import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import type { Actor } from '../../accounts/authorisation.ts';
import { CaseDriver, XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';
import { AppError } from '../../shared/errors.ts';
import { DEFAULT_NO_SHOW_POLICY } from './parking.rules.ts';

/**
 * Shared parking over HTTP, on PGlite and (with HUTONG_TEST_DATABASE_URL) on PostgreSQL, where the
 * race below is a real one: concurrent connections, one exclusion constraint.
 */
let env: TestEnv;
let d: CaseDriver;
let community: string;

// 2026-11-16 is a Monday.
const MONDAY_MORNING = new Date('2026-11-16T10:00:00+08:00');
const evenings = [{ days: [1, 2, 3, 4, 5], start: '18:00', end: '07:30' }];

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(MONDAY_MORNING);
  d = new CaseDriver(env);
  await d.signIn('resident', 'volunteer', 'alley_chief', 'district_admin');
  await d.addAccount('parking-chief-outside', 'alley_chief', '110102012');
  community = (
    await env.ctx.db
      .selectFrom('community')
      .select('code')
      .where('street_code', '=', XICHANGANJIE)
      .orderBy('code')
      .executeTakeFirstOrThrow()
  ).code;
});
afterAll(async () => {
  await env?.close();
});

async function space(name: string, windows = evenings): Promise<string> {
  const res = await d.send('alley_chief', 'POST', '/api/parking/spaces', {
    communityCode: community,
    name,
    unitName: '测试小学',
    windows,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const book = (who: string, spaceId: string, from: string, to: string) =>
  d.send(who, 'POST', '/api/parking/bookings', { spaceId, from, to });

describe('shared parking over HTTP', () => {
  it('lists the demo spaces open in the evenings, to anyone', async () => {
    const res = await d.get(null, `/api/parking/spaces?community=${community}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items[0]).toMatchObject({ id: expect.any(String), name: expect.any(String) });
    expect(
      items.some((s: { windows: { start: string }[] }) => s.windows.some((w) => w.start >= '17:00')),
    ).toBe(true);
    // The next opening of an evening space is this evening, Beijing time.
    const evening = items.find((s: { windows: { start: string }[] }) => s.windows[0]!.start === '18:00');
    expect(evening.next[0].from).toBe(new Date('2026-11-16T18:00:00+08:00').toISOString());
  });

  it('books inside the windows; an overlapping booking of the space is 409 BOOKING_OVERLAP', async () => {
    const id = await space('重叠测试车位');
    const first = await book('resident', id, '2026-11-16T19:00:00+08:00', '2026-11-16T22:00:00+08:00');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ spaceId: id, state: 'booked' });
    const clash = await book('volunteer', id, '2026-11-16T21:00:00+08:00', '2026-11-17T01:00:00+08:00');
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('BOOKING_OVERLAP');
    // Touching is not overlapping: [22:00, 07:00) follows [19:00, 22:00).
    const after = await book('volunteer', id, '2026-11-16T22:00:00+08:00', '2026-11-17T07:00:00+08:00');
    expect(after.statusCode, after.body).toBe(201);
    // Once cancelled, the time is free again.
    const cancel = await d.send('resident', 'POST', `/api/parking/bookings/${first.json().id}/cancel`);
    expect(cancel.json()).toMatchObject({ state: 'cancelled' });
    expect(
      (await book('volunteer', id, '2026-11-16T20:00:00+08:00', '2026-11-16T21:00:00+08:00')).statusCode,
    ).toBe(201);
  });

  it('names the field of a booking outside the windows, reversed or in the past', async () => {
    const id = await space('校验测试车位');
    const field = async (from: string, to: string) => {
      const res = await book('resident', id, from, to);
      expect(res.statusCode).toBe(400);
      return res.json().error.details.fields[0].field;
    };
    expect(await field('2026-11-16T12:00:00+08:00', '2026-11-16T13:00:00+08:00')).toBe('from');
    expect(await field('2026-11-16T21:00:00+08:00', '2026-11-16T20:00:00+08:00')).toBe('to');
    expect(await field('2026-11-16T06:00:00+08:00', '2026-11-16T07:00:00+08:00')).toBe('from');
    expect(await field('2026-11-16T19:00:00+08:00', '2026-11-17T09:00:00+08:00')).toBe('to');
  });

  it('refuses the database an overlapping row even when the service is bypassed', async () => {
    const id = await space('约束测试车位');
    const row = {
      district_code: community.slice(0, 6),
      space_id: id,
      community_code: community,
      user_id: 'u-x',
      starts_at: new Date('2026-11-17T19:00:00+08:00'),
      ends_at: new Date('2026-11-17T21:00:00+08:00'),
      state: 'booked' as const,
      created_at: MONDAY_MORNING,
    };
    await env.ctx.db
      .insertInto('parking_booking')
      .values({ ...row, id: 'pkb-x1' })
      .execute();
    const err = await env.ctx.db
      .insertInto('parking_booking')
      .values({ ...row, id: 'pkb-x2', starts_at: new Date('2026-11-17T20:00:00+08:00') })
      .execute()
      .then(
        () => null,
        (e: { code?: string }) => e.code,
      );
    expect(err).toBe('23P01');
    // An inactive booking does not hold the space.
    await env.ctx.db
      .insertInto('parking_booking')
      .values({ ...row, id: 'pkb-x3', state: 'cancelled' })
      .execute();
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from parking_booking where space_id = ${id}`.execute(env.ctx.db);
    expect(n.rows[0]!.n).toBe(2);
  });

  it('checks in and out; staff see the booking; another resident may not touch it', async () => {
    const id = await space('签到测试车位');
    const b = (await book('resident', id, '2026-11-17T18:30:00+08:00', '2026-11-17T23:00:00+08:00')).json();
    expect(
      (await d.send('volunteer', 'POST', `/api/parking/bookings/${b.id}/check-in`)).json().error.code,
    ).toBe('NOT_FOUND');
    await d.setClock(new Date('2026-11-17T17:00:00+08:00'));
    const early = await d.send('resident', 'POST', `/api/parking/bookings/${b.id}/check-in`);
    expect(early.json().error.code).toBe('TRANSITION_NOT_ALLOWED');
    await d.setClock(new Date('2026-11-17T18:35:00+08:00'));
    const inn = await d.send('resident', 'POST', `/api/parking/bookings/${b.id}/check-in`);
    expect(inn.json()).toMatchObject({ state: 'checked_in' });
    const staffView = (await d.get('alley_chief', `/api/parking/bookings?space=${id}`)).json().items;
    expect(staffView).toHaveLength(1);
    expect(staffView[0]).toMatchObject({ id: b.id, state: 'checked_in', displayName: expect.any(String) });
    expect((await d.get('parking-chief-outside', `/api/parking/bookings?space=${id}`)).json().items).toEqual(
      [],
    );
    const out = await d.send('resident', 'POST', `/api/parking/bookings/${b.id}/check-out`);
    expect(out.json()).toMatchObject({ state: 'checked_out' });
    // Checked out: the rest of the evening is free for someone else.
    expect(
      (await book('volunteer', id, '2026-11-17T20:00:00+08:00', '2026-11-17T22:00:00+08:00')).statusCode,
    ).toBe(201);
    await d.setClock(MONDAY_MORNING);
  });

  it('keeps spaces in the staff scope: create, edit windows, withdraw; 403 OUT_OF_SCOPE outside', async () => {
    const outside = await d.send('parking-chief-outside', 'POST', '/api/parking/spaces', {
      communityCode: community,
      name: 'x',
      unitName: 'y',
      windows: evenings,
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    expect(
      (
        await d.send('resident', 'POST', '/api/parking/spaces', {
          communityCode: community,
          name: 'x',
          unitName: 'y',
          windows: evenings,
        })
      ).statusCode,
    ).toBe(403);
    const id = await space('管理测试车位');
    const bad = await d.send('alley_chief', 'POST', '/api/parking/spaces', {
      communityCode: community,
      name: 'x',
      unitName: 'y',
      windows: [{ days: [9], start: '18:00', end: '07:30' }],
    });
    expect(bad.statusCode).toBe(400);
    const patch = async (who: string, body: unknown) => {
      const s = d.session(who);
      return env.app.inject({
        method: 'PATCH',
        url: `/api/parking/spaces/${id}`,
        headers: s.headers,
        payload: body as object,
      });
    };
    expect((await patch('parking-chief-outside', { name: 'z' })).json().error.code).toBe('OUT_OF_SCOPE');
    const weekend = [{ days: [6, 7], start: '08:00', end: '20:00' }];
    const edited = await patch('alley_chief', { windows: weekend });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().windows).toEqual(weekend);
    // Monday evening is no longer open; Saturday is.
    expect(
      (await book('resident', id, '2026-11-16T19:00:00+08:00', '2026-11-16T20:00:00+08:00')).statusCode,
    ).toBe(400);
    const sat = await book('resident', id, '2026-11-21T09:00:00+08:00', '2026-11-21T11:00:00+08:00');
    expect(sat.statusCode).toBe(201);
    expect(
      (await d.send('parking-chief-outside', 'POST', `/api/parking/spaces/${id}/withdraw`)).json().error.code,
    ).toBe('OUT_OF_SCOPE');
    const gone = await d.send('alley_chief', 'POST', `/api/parking/spaces/${id}/withdraw`);
    expect(gone.json()).toMatchObject({ state: 'withdrawn', cancelledBookings: 1 });
    const listed = (await d.get(null, `/api/parking/spaces?community=${community}`)).json().items;
    expect(listed.map((s: { id: string }) => s.id)).not.toContain(id);
    const staffListed = (
      await d.get('alley_chief', `/api/parking/spaces?community=${community}&all=true`)
    ).json().items;
    expect(staffListed.map((s: { id: string }) => s.id)).toContain(id);
    expect(
      (await book('resident', id, '2026-11-21T12:00:00+08:00', '2026-11-21T13:00:00+08:00')).statusCode,
    ).toBe(409);
  });

  it('counts no-shows per person, shows them to staff, and suspends booking at the limit', async () => {
    const who = await d.addAccount('parking-late', 'resident', null);
    void who;
    const id = await space('爽约测试车位', [{ days: [1, 2, 3, 4, 5, 6, 7], start: '18:00', end: '23:00' }]);
    const days = ['2026-11-16', '2026-11-17', '2026-11-18'];
    for (const day of days) {
      const r = await book('parking-late', id, `${day}T19:00:00+08:00`, `${day}T20:00:00+08:00`);
      expect(r.statusCode, r.body).toBe(201);
    }
    // Not checked in within the grace minutes of each start.
    await d.setClock(new Date('2026-11-18T19:20:00+08:00'));
    const mine = (await d.get('parking-late', '/api/parking/bookings/mine')).json();
    expect(mine).toMatchObject({ noShows: 3, suspended: true, policy: DEFAULT_NO_SHOW_POLICY });
    expect(mine.items.every((b: { state: string }) => b.state === 'no_show')).toBe(true);
    const staff = (await d.get('alley_chief', '/api/parking/no-shows')).json();
    expect(staff.items).toContainEqual(expect.objectContaining({ count: 3, suspended: true }));
    expect((await d.get('parking-chief-outside', '/api/parking/no-shows')).json().items).toEqual([]);
    const refused = await book('parking-late', id, '2026-11-19T19:00:00+08:00', '2026-11-19T20:00:00+08:00');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'BOOKING_SUSPENDED',
      details: { noShows: 3, limit: 3 },
    });
    // A no-show frees the rest of its time: someone else may take 19:30–20:00 of the last evening.
    expect(
      (await book('resident', id, '2026-11-18T19:30:00+08:00', '2026-11-18T20:00:00+08:00')).statusCode,
    ).toBe(201);
    await d.setClock(MONDAY_MORNING);
  });

  it('lets exactly one of 50 racing bookings of one slot through; the rest are BOOKING_OVERLAP', async () => {
    const id = await space('并发测试车位');
    const svc = env.ctx.participation.parking;
    const people: Actor[] = Array.from({ length: 50 }, (_, i) => ({
      userId: `race-${i}`,
      username: `race-${i}`,
      role: 'resident',
      scopeCode: null,
      organisationId: null,
    }));
    const from = new Date('2026-11-19T19:00:00+08:00');
    const to = new Date('2026-11-19T21:00:00+08:00');
    const results = await Promise.allSettled(people.map((p) => svc.book(p, { spaceId: id, from, to })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const overlap = results.filter(
      (r) => r.status === 'rejected' && r.reason instanceof AppError && r.reason.code === 'BOOKING_OVERLAP',
    );
    expect(ok).toHaveLength(1);
    expect(overlap).toHaveLength(49);
    const rows = await env.ctx.db
      .selectFrom('parking_booking')
      .select('id')
      .where('space_id', '=', id)
      .where('state', '=', 'booked')
      .execute();
    expect(rows).toHaveLength(1);
  });
});
