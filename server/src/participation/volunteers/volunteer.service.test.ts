import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import { type Actor, SYSTEM_ACTOR } from '../../accounts/authorisation.ts';
import type { Role } from '../../accounts/roles.ts';
import { CaseDriver, DEPT, NO_PHOTO, XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';
import { AppError } from '../../shared/errors.ts';
import type { VolunteerService } from './volunteer.service.ts';

let env: TestEnv;
let v: VolunteerService;
let community: string;
let chief: Actor;
const HOUR = 3_600_000;
const T0 = new Date('2026-11-16T10:00:00+08:00');

async function person(
  name: string,
  role: Role = 'resident',
  scopeCode: string | null = null,
): Promise<Actor> {
  const u = await env.ctx.accounts.createUser(SYSTEM_ACTOR, {
    username: name,
    displayName: name,
    password: 'a-long-password',
    role,
    scopeCode,
    organisationId: null,
  });
  return { userId: u.id, username: u.username, role, scopeCode, organisationId: null };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(T0);
  v = env.ctx.participation.volunteers;
  community = (
    await env.ctx.db
      .selectFrom('community')
      .select('code')
      .where('street_code', '=', XICHANGANJIE)
      .orderBy('code')
      .executeTakeFirstOrThrow()
  ).code;
  chief = await person('vol-chief', 'alley_chief', XICHANGANJIE);
  await env.ctx.participation.points.setRules(SYSTEM_ACTOR, {
    districtCode: '110102',
    label: 'test rules',
    rules: { report_verified: 10, volunteer_hour: 6, sorting_check: 2 },
  });
});
afterAll(async () => {
  await env?.close();
});

describe('teams and members', () => {
  it('lets a resident apply and the community approve or reject; only staff of the community decide', async () => {
    const team = await v.createTeam(chief, { communityCode: community, name: '西长安街大妈巡逻队' });
    const outsider = await person('vol-chief-other', 'alley_chief', '110102012');
    expect(await codeOf(v.createTeam(outsider, { communityCode: community, name: 'x' }))).toBe(
      'OUT_OF_SCOPE',
    );
    const a = await person('vol-a');
    const b = await person('vol-b');
    expect(await v.apply(a, team.id, { note: '退休教师，周末有空' })).toMatchObject({ state: 'applied' });
    expect(await v.apply(a, team.id)).toMatchObject({ state: 'applied' });
    await v.apply(b, team.id);
    expect(await codeOf(v.decide(a, team.id, a.userId, true))).toBe('FORBIDDEN');
    expect(await codeOf(v.decide(outsider, team.id, a.userId, true))).toBe('OUT_OF_SCOPE');
    expect(await v.decide(chief, team.id, a.userId, true)).toMatchObject({ state: 'approved' });
    expect(await codeOf(v.decide(chief, team.id, a.userId, false))).toBe('TRANSITION_NOT_ALLOWED');
    await v.decide(chief, team.id, b.userId, false);
    // A rejected applicant may apply again.
    expect(await v.apply(b, team.id)).toMatchObject({ state: 'applied' });
    const members = await v.members(chief, team.id);
    expect(members.map((m) => [m.username, m.state]).sort()).toEqual([
      ['vol-a', 'approved'],
      ['vol-b', 'applied'],
    ]);
    const teams = await v.teams(null, { communityCode: community });
    expect(teams.find((t) => t.id === team.id)).toMatchObject({ members: 1, hours: 0 });
    // The public listing carries no names.
    expect(JSON.stringify(teams)).not.toContain('vol-a');
  });
});

describe('activities, attendance and hours', () => {
  it('signs up approved members while places are left, and confirms attendance once, earning points', async () => {
    const team = await v.createTeam(chief, { communityCode: community, name: '垃圾分类指导队' });
    const people = await Promise.all(['vol-c', 'vol-d', 'vol-e', 'vol-f'].map((n) => person(n)));
    for (const p of people) {
      await v.apply(p, team.id);
      await v.decide(chief, team.id, p.userId, true);
    }
    const stranger = await person('vol-stranger');
    const activity = await v.createActivity(chief, team.id, {
      kind: 'sorting_guidance',
      title: '早高峰垃圾分类桶前值守',
      place: '东侧垃圾分类驿站',
      startsAt: new Date(T0.getTime() + 24 * HOUR),
      endsAt: new Date(T0.getTime() + 26.5 * HOUR),
      capacity: 3,
    });
    expect(await codeOf(v.signUp(stranger, activity.id))).toBe('FORBIDDEN');
    // Racing sign-ups for three places: three get in.
    const results = await Promise.allSettled(people.map((p) => v.signUp(p, activity.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const full = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((full.reason as AppError).code).toBe('ACTIVITY_FULL');
    const inside = (await v.signups(chief, activity.id)).map((s) => s.userId);
    expect(inside).toHaveLength(3);
    expect((await v.activities(null, { teamId: team.id }))[0]).toMatchObject({ signedUp: 3, capacity: 3 });
    // Before the start nothing is confirmed.
    const [p1, p2, p3] = inside;
    expect(
      await codeOf(
        v.confirmAttendance(chief, activity.id, { attendances: [{ userId: p1!, attended: true }] }),
      ),
    ).toBe('TRANSITION_NOT_ALLOWED');
    env.clock.set(new Date(T0.getTime() + 27 * HOUR));
    const confirmed = await v.confirmAttendance(chief, activity.id, {
      attendances: [
        { userId: p1!, attended: true },
        { userId: p2!, attended: true, minutes: 60 },
        { userId: p3!, attended: false },
      ],
    });
    expect(confirmed.results.map((r) => [r.minutes, r.points])).toEqual([
      [150, 15],
      [60, 6],
      [0, 0],
    ]);
    // Confirming again changes nothing and awards nothing more.
    const again = await v.confirmAttendance(chief, activity.id, {
      attendances: [{ userId: p1!, attended: true, minutes: 10 }],
    });
    expect(again.results[0]).toMatchObject({ minutes: 150, points: 0, alreadyConfirmed: true });
    const someone = people.find((p) => p.userId === p1)!;
    expect((await env.ctx.participation.points.balance(someone)).balance).toBe(15);
    const mine = await v.mine(someone);
    expect(mine.hours).toBe(2.5);
    expect(mine.memberships.find((m) => m.teamId === team.id)).toMatchObject({
      state: 'approved',
      hours: 2.5,
    });
    expect((await v.teams(null, { communityCode: community })).find((t) => t.id === team.id)).toMatchObject({
      members: 4,
      hours: 3.5,
    });
    expect((await v.members(chief, team.id)).find((m) => m.userId === p2)?.hours).toBe(1);
    // Nobody not signed up is confirmed, and the field says who.
    await expect(
      v.confirmAttendance(chief, activity.id, { attendances: [{ userId: 'usr_nobody', attended: true }] }),
    ).rejects.toMatchObject({ details: { fields: [{ field: 'attendances[0].userId' }] } });
  });
});

describe("a volunteer's reports", () => {
  it('are linked to their account and earn points when verified', async () => {
    env.clock.set(new Date(T0.getTime() + 30 * HOUR));
    const d = new CaseDriver(env);
    await d.signIn('street_dispatcher', 'department_handler', 'inspector', 'district_admin');
    await d.addAccount('vol-reporter', 'volunteer', XICHANGANJIE);
    const c = await d.report('井盖缺失', { as: 'vol-reporter' });
    const row = await env.ctx.db
      .selectFrom('case_record as c')
      .innerJoin('app_user as u', 'u.id', 'c.reporter_user_id')
      .select('u.username')
      .where('c.id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(row.username).toBe('vol-reporter');
    await d.ok('street_dispatcher', c.caseNumber, 'accept', { categoryKey: 'event:06001' });
    await d.ok('street_dispatcher', c.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
    await d.ok('department_handler', c.caseNumber, 'sign');
    await d.ok('department_handler', c.caseNumber, 'feedback', { note: '已补装', ...NO_PHOTO });
    await d.ok('inspector', c.caseNumber, 'verify_pass');
    const userId = (
      await env.ctx.db
        .selectFrom('app_user')
        .select('id')
        .where('username', '=', 'vol-reporter')
        .executeTakeFirstOrThrow()
    ).id;
    const me: Actor = {
      userId,
      username: 'vol-reporter',
      role: 'volunteer',
      scopeCode: XICHANGANJIE,
      organisationId: null,
    };
    expect((await env.ctx.participation.points.balance(me)).balance).toBe(10);
  });
});

describe('the ledger after all of it', () => {
  it('still sums to zero with no account below zero', async () => {
    expect(await env.ctx.participation.points.check('110102')).toEqual({
      total: 0,
      unbalancedTransactions: [],
      negativeAccounts: [],
    });
  });
});
