import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import { CaseDriver, XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';

let env: TestEnv;
let d: CaseDriver;
let community: string;
const T0 = new Date('2026-11-16T10:00:00+08:00');

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(T0);
  d = new CaseDriver(env);
  await d.signIn('resident', 'alley_chief');
  community = (
    await env.ctx.db
      .selectFrom('community')
      .select('code')
      .where('street_code', '=', XICHANGANJIE)
      .orderBy('code')
      .executeTakeFirstOrThrow()
  ).code;
  await d.addAccount('http-delib-a', 'resident', community);
  await d.addAccount('http-delib-b', 'resident', `${community}001`);
});
afterAll(async () => {
  await env?.close();
});

describe('deliberation over HTTP', () => {
  it('runs a proposal from discussion to a vote (ALREADY_VOTED on a second ballot) and a shown tally', async () => {
    const created = await d.send('http-delib-a', 'POST', '/api/proposals', {
      communityCode: community,
      title: '共享晾衣架设置',
      body: '在院口设两处共享晾衣架',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    // The demo resident has no community in its account's scope: it takes part nowhere.
    expect(
      (await d.send('resident', 'POST', `/api/proposals/${id}/comments`, { body: 'x' })).json().error.code,
    ).toBe('OUT_OF_SCOPE');
    const bad = await d.send('alley_chief', 'POST', `/api/proposals/${id}/voting`, { closesAt: 'soon' });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().error.details)).toContain('closesAt');
    const opened = await d.send('alley_chief', 'POST', `/api/proposals/${id}/voting`, {
      closesAt: new Date(T0.getTime() + 86_400_000).toISOString(),
      quorum: 2,
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const vote = await d.send('http-delib-a', 'POST', `/api/proposals/${id}/votes`, { choice: 'yes' });
    expect(vote.statusCode, vote.body).toBe(201);
    const again = await d.send('http-delib-a', 'POST', `/api/proposals/${id}/votes`, { choice: 'no' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_VOTED');
    const secret = (await d.get(null, `/api/proposals/${id}`)).json();
    expect(secret.vote).toMatchObject({ tally: null, quorum: 2 });
    expect((await d.get('http-delib-a', `/api/proposals/${id}`)).json().myVote).toBe('yes');
    await d.send('http-delib-b', 'POST', `/api/proposals/${id}/votes`, { choice: 'yes' });
    // Both eligible members have voted: the vote may close before its deadline.
    const closed = await d.send('alley_chief', 'POST', `/api/proposals/${id}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().vote).toMatchObject({ tally: { yes: 2, no: 0, abstain: 0 }, outcome: 'adopted' });
    const minutes = await d.send('alley_chief', 'PUT', `/api/proposals/${id}/minutes`, {
      text: '议定设置两处',
    });
    expect(minutes.json().minutes.text).toBe('议定设置两处');
    const listed = (await d.get(null, `/api/proposals?community=${community}`)).json().items;
    expect(listed.map((p: { id: string }) => p.id)).toContain(id);
    expect(JSON.stringify(listed)).not.toContain('http-delib-a');
  });
});
