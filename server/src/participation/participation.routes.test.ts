import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { CaseDriver, XICHANGANJIE } from '../ledgers/ledger.fixtures.ts';

let env: TestEnv;
let d: CaseDriver;
let community: string;
let residentId: string;

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(new Date('2026-11-16T10:00:00+08:00'));
  d = new CaseDriver(env);
  await d.signIn('resident', 'volunteer', 'alley_chief', 'district_admin', 'grid_worker');
  await d.addAccount('http-chief-outside', 'alley_chief', '110102012');
  community = (
    await env.ctx.db
      .selectFrom('community')
      .select('code')
      .where('street_code', '=', XICHANGANJIE)
      .orderBy('code')
      .executeTakeFirstOrThrow()
  ).code;
  residentId = (await d.get('resident', '/api/auth/me')).json().user.id;
});
afterAll(async () => {
  await env?.close();
});

describe('civic points over HTTP', () => {
  it('shows the demo rules and catalogue to anyone', async () => {
    const rules = (await d.get(null, '/api/points/rules?district=110102')).json();
    expect(rules.active.rules).toMatchObject({ report_verified: expect.any(Number) });
    const rewards = (await d.get(null, '/api/points/rewards?district=110102')).json();
    expect(rewards.items.length).toBeGreaterThan(0);
    expect(rewards.items[0]).toMatchObject({
      id: expect.any(String),
      name: expect.any(String),
      cost: expect.any(Number),
    });
    expect(rewards.items.some((r: { stock: number }) => r.stock > 0)).toBe(true);
  });

  it('awards once per sourceRef, and the resident sees only their own balance and postings', async () => {
    const body = {
      userId: residentId,
      points: 40,
      reason: '协助清理楼道',
      sourceRef: 'http-1',
      communityCode: community,
    };
    const first = await d.send('alley_chief', 'POST', '/api/points/awards', body);
    expect(first.statusCode, first.body).toBe(201);
    const again = await d.send('alley_chief', 'POST', '/api/points/awards', { ...body, points: 400 });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual({ ...first.json(), created: false });
    expect((await d.get('resident', '/api/points/balance')).json()).toMatchObject({ balance: 40 });
    expect((await d.get('volunteer', '/api/points/balance')).json()).toMatchObject({ balance: 0 });
    expect((await d.get('resident', '/api/points/postings')).json().items).toHaveLength(1);
    expect((await d.get('alley_chief', '/api/points/balance')).json().error.code).toBe('FORBIDDEN');
    const outside = await d.send('http-chief-outside', 'POST', '/api/points/awards', {
      ...body,
      sourceRef: 'http-2',
    });
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');
    const bad = await d.send('alley_chief', 'POST', '/api/points/awards', { ...body, points: -1 });
    expect(bad.json().error.details.fields[0].field).toBe('points');
  });

  it('redeems: 201, then 409 INSUFFICIENT_POINTS or OUT_OF_STOCK; staff confirm the handover', async () => {
    const make = async (cost: number, stock: number) =>
      (
        await d.send('alley_chief', 'POST', '/api/points/rewards', {
          communityCode: community,
          name: `奖品${cost}`,
          cost,
          stock,
        })
      ).json().id as string;
    const cheap = await make(15, 1);
    const dear = await make(500, 3);
    const r = await d.send('resident', 'POST', '/api/points/redemptions', { rewardId: cheap });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ state: 'reserved', balance: 25 });
    expect(
      (await d.send('resident', 'POST', '/api/points/redemptions', { rewardId: cheap })).json().error.code,
    ).toBe('OUT_OF_STOCK');
    const poor = await d.send('resident', 'POST', '/api/points/redemptions', { rewardId: dear });
    expect(poor.statusCode).toBe(409);
    expect(poor.json().error.code).toBe('INSUFFICIENT_POINTS');
    const queue = (await d.get('alley_chief', '/api/points/redemptions?state=reserved')).json().items;
    expect(queue.map((x: { id: string }) => x.id)).toContain(r.json().id);
    expect(
      (await d.get('http-chief-outside', '/api/points/redemptions?state=reserved')).json().items,
    ).toEqual([]);
    expect(
      (await d.send('http-chief-outside', 'POST', `/api/points/redemptions/${r.json().id}/confirm`)).json()
        .error.code,
    ).toBe('OUT_OF_SCOPE');
    const done = await d.send('alley_chief', 'POST', `/api/points/redemptions/${r.json().id}/confirm`);
    expect(done.json()).toMatchObject({ state: 'confirmed' });
    expect((await d.get('resident', '/api/points/redemptions')).json().items[0]).toMatchObject({
      state: 'confirmed',
    });
  });
});

describe('volunteers over HTTP', () => {
  it('runs a team: apply, approve, organise, sign up, confirm attendance, see the hours', async () => {
    const team = await d.send('alley_chief', 'POST', '/api/volunteers/teams', {
      communityCode: community,
      name: 'HTTP 巡逻队',
    });
    expect(team.statusCode, team.body).toBe(201);
    const teamId = team.json().id;
    // The team's staff rename it and move it to an alley of the street; others may not.
    const alley = await env.ctx.db
      .selectFrom('alley')
      .select('id')
      .where('street_code', '=', XICHANGANJIE)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const renamed = await d.send('alley_chief', 'PATCH', `/api/volunteers/teams/${teamId}`, {
      name: 'HTTP 夜间巡逻队',
      alleyId: alley.id,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: teamId, name: 'HTTP 夜间巡逻队', alleyId: alley.id });
    const back = await d.send('alley_chief', 'PATCH', `/api/volunteers/teams/${teamId}`, { alleyId: null });
    expect(back.json()).toMatchObject({ name: 'HTTP 夜间巡逻队', alleyId: null });
    const badAlley = await d.send('alley_chief', 'PATCH', `/api/volunteers/teams/${teamId}`, {
      alleyId: 'alley_none',
    });
    expect(badAlley.statusCode).toBe(400);
    for (const [who, code] of [
      ['http-chief-outside', 'OUT_OF_SCOPE'],
      ['resident', 'FORBIDDEN'],
    ] as const) {
      const res = await d.send(who, 'PATCH', `/api/volunteers/teams/${teamId}`, { name: 'x' });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe(code);
    }
    expect(
      (await d.send('resident', 'POST', `/api/volunteers/teams/${teamId}/applications`, {})).statusCode,
    ).toBe(201);
    expect((await d.get('resident', `/api/volunteers/teams/${teamId}/members`)).json().error.code).toBe(
      'FORBIDDEN',
    );
    const approve = await d.send(
      'alley_chief',
      'POST',
      `/api/volunteers/teams/${teamId}/members/${residentId}/decision`,
      {
        approve: true,
      },
    );
    expect(approve.json()).toMatchObject({ state: 'approved' });
    const act = await d.send('alley_chief', 'POST', `/api/volunteers/teams/${teamId}/activities`, {
      kind: 'patrol',
      title: '夜间巡逻',
      place: '光明胡同',
      startsAt: '2026-11-16T19:00:00+08:00',
      endsAt: '2026-11-16T21:00:00+08:00',
    });
    expect(act.statusCode, act.body).toBe(201);
    const activityId = act.json().id;
    const bad = await d.send('alley_chief', 'POST', `/api/volunteers/teams/${teamId}/activities`, {
      kind: 'patrol',
      title: 'x',
      place: 'x',
      startsAt: '2026-11-16T19:00:00+08:00',
      endsAt: '2026-11-16T18:00:00+08:00',
    });
    expect(bad.json().error.details.fields[0].field).toBe('endsAt');
    expect(
      (await d.send('resident', 'POST', `/api/volunteers/activities/${activityId}/signups`)).statusCode,
    ).toBe(201);
    expect((await d.get(null, `/api/volunteers/activities?team=${teamId}`)).json().items[0]).toMatchObject({
      signedUp: 1,
    });
    await d.setClock(new Date('2026-11-16T21:30:00+08:00'));
    const confirmed = await d.send(
      'alley_chief',
      'POST',
      `/api/volunteers/activities/${activityId}/attendance`,
      {
        attendances: [{ userId: residentId, attended: true }],
      },
    );
    expect(confirmed.json().results[0]).toMatchObject({ minutes: 120, alreadyConfirmed: false });
    expect((await d.get('resident', '/api/volunteers/me')).json()).toMatchObject({ hours: 2 });
    const teams = (await d.get(null, `/api/volunteers/teams?community=${community}`)).json().items;
    expect(teams.find((t: { id: string }) => t.id === teamId)).toMatchObject({ members: 1, hours: 2 });
  });
});
