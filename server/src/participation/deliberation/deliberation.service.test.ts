import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import { type Actor, SYSTEM_ACTOR } from '../../accounts/authorisation.ts';
import type { Role } from '../../accounts/roles.ts';
import { caseRepository } from '../../cases/case.repository.ts';
import { XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';
import { AppError } from '../../shared/errors.ts';
import type { DeliberationService } from './deliberation.service.ts';

let env: TestEnv;
let svc: DeliberationService;
let community: string;
let otherCommunity: string;
let alleyId: string;
let chief: Actor;
let desk: Actor;
let members: Actor[];
const DAY = 86_400_000;
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
  svc = env.ctx.participation.deliberation;
  const alley = await env.ctx.db
    .selectFrom('alley')
    .select(['id', 'community_code'])
    .where('street_code', '=', XICHANGANJIE)
    .where('community_code', 'is not', null)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  alleyId = alley.id;
  community = alley.community_code!;
  otherCommunity = (
    await env.ctx.db
      .selectFrom('community')
      .select('code')
      .where('street_code', '=', XICHANGANJIE)
      .where('code', '<>', community)
      .orderBy('code')
      .executeTakeFirstOrThrow()
  ).code;
  chief = await person('delib-chief', 'alley_chief', XICHANGANJIE);
  desk = await person('delib-desk', 'street_dispatcher', XICHANGANJIE);
  // Five eligible members: four residents of the community, one volunteer of a grid inside it.
  members = [
    ...(await Promise.all([0, 1, 2, 3].map((i) => person(`delib-r${i}`, 'resident', community)))),
    await person('delib-v0', 'volunteer', `${community}001`),
  ];
});
afterAll(async () => {
  await env?.close();
});

async function votingProposal(title: string, quorum?: number) {
  const p = await svc.create(members[0]!, { communityCode: community, alleyId, title, body: '理由与办法' });
  return svc.openVoting(chief, p.id, { closesAt: new Date(env.clock.now().getTime() + DAY), quorum });
}

describe('proposals and discussion', () => {
  it('lets members of the community and its staff propose and comment; nobody else', async () => {
    const p = await svc.create(members[0]!, {
      communityCode: community,
      alleyId,
      title: '胡同口增设非机动车停放区',
      body: '晚间电动车乱停，影响通行',
      council: true,
    });
    expect(p).toMatchObject({ state: 'discussion', proposerKind: 'council', vote: null });
    const unscoped = await person('delib-unscoped');
    const neighbour = await person('delib-neighbour', 'resident', otherCommunity);
    const outsideChief = await person('delib-chief-out', 'alley_chief', '110102012');
    const body = { communityCode: community, title: 'x', body: 'y' };
    expect(await codeOf(svc.create(unscoped, body))).toBe('OUT_OF_SCOPE');
    expect(await codeOf(svc.create(neighbour, body))).toBe('OUT_OF_SCOPE');
    expect(await codeOf(svc.create(outsideChief, body))).toBe('OUT_OF_SCOPE');
    expect(await codeOf(svc.create(await person('delib-grid', 'grid_worker', XICHANGANJIE), body))).toBe(
      'FORBIDDEN',
    );
    expect((await svc.create(chief, body)).proposerKind).toBe('chief');
    await svc.comment(members[1]!, p.id, { body: '同意，建议画线' });
    env.clock.set(new Date(T0.getTime() + 60_000));
    await svc.comment(chief, p.id, { body: '街道可协调画线' });
    env.clock.set(T0);
    expect(await codeOf(svc.comment(neighbour, p.id, { body: 'x' }))).toBe('OUT_OF_SCOPE');
    const comments = await svc.comments(null, p.id);
    expect(comments.map((c) => c.authorKind)).toEqual(['resident', 'chief']);
    expect(JSON.stringify(comments)).not.toContain(members[1]!.userId);
    expect((await svc.list(null, { communityCode: community })).map((x) => x.id)).toContain(p.id);
  });

  it('is withdrawn by its proposer or the community while under discussion, by nobody else', async () => {
    const p = await svc.create(members[0]!, { communityCode: community, title: '撤回测试', body: '…' });
    expect(await codeOf(svc.withdraw(members[1]!, p.id))).toBe('FORBIDDEN');
    expect((await svc.withdraw(members[0]!, p.id)).state).toBe('withdrawn');
    expect(await codeOf(svc.withdraw(chief, p.id))).toBe('TRANSITION_NOT_ALLOWED');
    expect(await codeOf(svc.comment(members[1]!, p.id, { body: 'x' }))).toBe('TRANSITION_NOT_ALLOWED');
    const q = await svc.create(members[0]!, { communityCode: community, title: '撤回测试二', body: '…' });
    await svc.openVoting(chief, q.id, { closesAt: new Date(T0.getTime() + DAY) });
    expect(await codeOf(svc.withdraw(chief, q.id))).toBe('TRANSITION_NOT_ALLOWED');
  });
});

describe('the vote', () => {
  it('counts eligible members at the opening, keeps the tally secret until the close, then shows it', async () => {
    const p = await svc.create(members[0]!, {
      communityCode: community,
      title: '楼道堆物清理公约',
      body: '…',
    });
    expect(await codeOf(svc.vote(members[1]!, p.id, 'yes'))).toBe('TRANSITION_NOT_ALLOWED');
    expect(await codeOf(svc.openVoting(members[0]!, p.id, { closesAt: new Date(T0.getTime() + DAY) }))).toBe(
      'FORBIDDEN',
    );
    const opened = await svc.openVoting(chief, p.id, { closesAt: new Date(T0.getTime() + DAY) });
    expect(opened.vote).toMatchObject({ eligible: 5, quorum: 3, tally: null, outcome: null });
    expect((await svc.vote(members[0]!, p.id, 'yes')).choice).toBe('yes');
    await svc.vote(members[1]!, p.id, 'yes');
    await svc.vote(members[4]!, p.id, 'no');
    expect(await codeOf(svc.vote(members[0]!, p.id, 'no'))).toBe('ALREADY_VOTED');
    expect(await codeOf(svc.vote(await person('delib-out-v', 'resident', otherCommunity), p.id, 'yes'))).toBe(
      'OUT_OF_SCOPE',
    );
    // Nobody sees a count before the close: not the public, not staff, not a voter.
    for (const who of [null, chief, desk, members[0]!]) {
      const seen = await svc.get(who, p.id);
      expect(seen.vote?.tally).toBeNull();
      expect(seen.vote?.outcome).toBeNull();
    }
    expect((await svc.get(members[0]!, p.id)).myVote).toBe('yes');
    expect((await svc.get(members[2]!, p.id)).myVote).toBeNull();
    expect(await codeOf(svc.close(chief, p.id))).toBe('TRANSITION_NOT_ALLOWED');
    env.clock.set(new Date(T0.getTime() + DAY));
    try {
      expect(await codeOf(svc.vote(members[2]!, p.id, 'yes'))).toBe('TRANSITION_NOT_ALLOWED');
      const closed = await svc.close(chief, p.id);
      expect(closed.state).toBe('closed');
      expect(closed.vote).toMatchObject({ tally: { yes: 2, no: 1, abstain: 0 }, outcome: 'adopted' });
      expect((await svc.get(null, p.id)).vote?.tally).toEqual({ yes: 2, no: 1, abstain: 0 });
      expect(await codeOf(svc.close(chief, p.id))).toBe('TRANSITION_NOT_ALLOWED');
    } finally {
      env.clock.set(T0);
    }
  });

  it('closes a vote by itself once its deadline has passed (the scheduled job), not a minute before', async () => {
    const p = await votingProposal('到期自动计票');
    await svc.vote(members[0]!, p.id, 'yes');
    await svc.vote(members[1]!, p.id, 'no');
    await svc.vote(members[2]!, p.id, 'yes');
    env.clock.set(new Date(T0.getTime() + DAY - 60_000));
    try {
      await svc.closeVotesPastDeadline();
      expect((await svc.get(chief, p.id)).state).toBe('voting');
      env.clock.set(new Date(T0.getTime() + DAY));
      expect(await svc.closeVotesPastDeadline()).toBeGreaterThanOrEqual(1);
      const closed = await svc.get(null, p.id);
      expect(closed.state).toBe('closed');
      expect(closed.vote).toMatchObject({ tally: { yes: 2, no: 1, abstain: 0 }, outcome: 'adopted' });
      // Run again: nothing is left to close, and nothing closed is touched.
      expect(await svc.closeVotesPastDeadline()).toBe(0);
      expect(await codeOf(svc.close(chief, p.id))).toBe('TRANSITION_NOT_ALLOWED');
    } finally {
      env.clock.set(T0);
    }
  });

  it('closes early once every eligible member has voted; without quorum nothing is adopted', async () => {
    const all = await votingProposal('全员表决');
    for (const m of members) await svc.vote(m, all.id, m === members[0] ? 'no' : 'abstain');
    const closed = await svc.close(chief, all.id);
    expect(closed.vote).toMatchObject({ tally: { yes: 0, no: 1, abstain: 4 }, outcome: 'rejected' });
    const few = await votingProposal('法定人数不足', 4);
    await svc.vote(members[0]!, few.id, 'yes');
    env.clock.set(new Date(T0.getTime() + DAY));
    try {
      expect((await svc.close(chief, few.id)).vote?.outcome).toBe('no_quorum');
      expect(await codeOf(svc.decide(chief, few.id, { kind: 'plan_item' }))).toBe('TRANSITION_NOT_ALLOWED');
      expect((await svc.decide(chief, few.id, { kind: 'none', note: '下次再议' })).decision).toMatchObject({
        kind: 'none',
        ref: null,
      });
    } finally {
      env.clock.set(T0);
    }
  });

  it('gives one vote to a person voting many times at once: the others are ALREADY_VOTED', async () => {
    const p = await votingProposal('并发投票');
    const results = await Promise.all(
      members.flatMap((m) =>
        Array.from({ length: 10 }, (_, i) => codeOf(svc.vote(m, p.id, i % 2 ? 'yes' : 'no'))),
      ),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(members.length);
    expect(results.filter((r) => r === 'ALREADY_VOTED')).toHaveLength(members.length * 9);
    const closed = await svc.close(chief, p.id);
    const t = closed.vote!.tally!;
    expect(t.yes + t.no + t.abstain).toBe(members.length);
  });
});

describe('minutes and decisions', () => {
  async function adopted(title: string) {
    const p = await votingProposal(title);
    for (const m of members.slice(0, 3)) await svc.vote(m, p.id, 'yes');
    env.clock.set(new Date(T0.getTime() + DAY));
    try {
      return await svc.close(chief, p.id);
    } finally {
      env.clock.set(T0);
    }
  }

  it('records minutes and adds a plan item to the alley, linked back, once', async () => {
    const p = await adopted('胡同绿化提升');
    expect((await svc.setMinutes(chief, p.id, '到会居民 12 人，议定补种槐树 4 株')).minutes?.text).toContain(
      '槐树',
    );
    expect(await codeOf(svc.setMinutes(members[0]!, p.id, 'x'))).toBe('FORBIDDEN');
    const decided = await svc.decide(chief, p.id, { kind: 'plan_item', note: '纳入一街一策' });
    expect(decided.decision).toMatchObject({ kind: 'plan_item', ref: expect.stringMatching(/^plan/) });
    const items = await svc.planItems(null, { alleyId });
    expect(items.find((i) => i.id === decided.decision!.ref)).toMatchObject({
      proposalId: p.id,
      title: '胡同绿化提升',
    });
    expect(await codeOf(svc.decide(chief, p.id, { kind: 'none' }))).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('opens a case through staff intake at the alley, linked back; concurrent decisions open one', async () => {
    const p = await adopted('路面坑洼修补');
    const results = await Promise.all(
      Array.from({ length: 4 }, () => codeOf(svc.decide(chief, p.id, { kind: 'case', note: '请修补' }))),
    );
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    const after = await svc.get(null, p.id);
    expect(after.decision?.kind).toBe('case');
    const c = await caseRepository(env.ctx.db).findById(after.decision!.ref!);
    expect(c).toMatchObject({ channel: 'staff', community_code: community });
    expect(c?.description).toContain('路面坑洼修补');
    const cases = await env.ctx.db
      .selectFrom('case_record')
      .select('id')
      .where('description', 'like', '%路面坑洼修补%')
      .execute();
    expect(cases).toHaveLength(1);
  });

  it('opens a case at the alley and in the category the decision names, in the community only', async () => {
    const other = await env.ctx.db
      .selectFrom('alley')
      .select('id')
      .where('street_code', '=', XICHANGANJIE)
      .where((eb) => eb.or([eb('community_code', '=', community), eb('community_code', 'is', null)]))
      .where('id', '<>', alleyId)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    const outside = await env.ctx.db
      .selectFrom('alley')
      .select('id')
      .where('community_code', '=', otherCommunity)
      .executeTakeFirst();
    const p = await adopted('井盖松动更换');
    if (outside) {
      const refused = await codeOf(
        svc.decide(chief, p.id, { kind: 'case', case: { alleyId: outside.id, categoryKey: 'event:06010' } }),
      );
      expect(refused).toBe('VALIDATION_FAILED');
      expect((await svc.get(null, p.id)).decision).toBeNull();
    }
    const decided = await svc.decide(chief, p.id, {
      kind: 'case',
      case: { alleyId: other.id, categoryKey: 'event:06010' },
    });
    const c = await caseRepository(env.ctx.db).findById(decided.decision!.ref!);
    expect(c).toMatchObject({ channel: 'staff', alley_id: other.id, category_key: 'event:06010' });
  });

  it('opens a campaign over the community (street desk only), and gives the claim back when refused', async () => {
    const p = await adopted('门前堆物动态清零');
    // An alley chief may not open campaigns: the decision is refused and left unrecorded.
    expect(await codeOf(svc.decide(chief, p.id, { kind: 'campaign' }))).toBe('FORBIDDEN');
    expect((await svc.get(null, p.id)).decision).toBeNull();
    const decided = await svc.decide(desk, p.id, { kind: 'campaign', campaign: { categoryKeys: ['06010'] } });
    const campaign = await env.ctx.campaigns.get(desk, decided.decision!.ref!);
    expect(campaign).toMatchObject({ scopeCode: community });
  });
});
