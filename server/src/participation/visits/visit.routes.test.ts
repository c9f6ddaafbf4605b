import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import { CaseDriver, SHICHAHAI, XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';

/** Household visits (十必访) over HTTP, on PGlite and (with HUTONG_TEST_DATABASE_URL) on PostgreSQL. */
let env: TestEnv;
let d: CaseDriver;
let community: string;

const T0 = new Date('2026-11-02T09:00:00+08:00');
const DAY = 86_400_000;
const at = (days: number) => new Date(T0.getTime() + days * DAY);

beforeAll(async () => {
  env = await createTestEnv();
  env.clock.set(T0);
  d = new CaseDriver(env);
  await d.signIn('resident', 'alley_chief', 'district_admin', 'street_dispatcher');
  await d.addAccount('visits-chief-outside', 'alley_chief', SHICHAHAI);
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

async function household(label: string, kinds: string[], who = 'alley_chief') {
  const res = await d.send(who, 'POST', '/api/visits/households', {
    communityCode: community,
    label,
    address: `${label} 1号`,
    kinds,
    contactName: '张某',
    contactPhone: '13800000000',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('household visits over HTTP', () => {
  it('lists the ten kinds with their intervals, marked illustrative', async () => {
    const res = await d.get('alley_chief', '/api/visits/kinds');
    expect(res.statusCode).toBe(200);
    expect(res.json().illustrative).toBe(true);
    expect(res.json().items).toHaveLength(10);
  });

  it('shows the demo community households, their official and contact to its staff', async () => {
    const res = await d.get('alley_chief', `/api/visits/households?community=${community}`);
    expect(res.statusCode).toBe(200);
    const demo = res.json().items.filter((h: { label: string }) => h.label.startsWith('示例户'));
    expect(demo.length).toBeGreaterThanOrEqual(4);
    expect(demo[0]).toMatchObject({ officialName: '示例街巷长', contactPhone: expect.any(String) });
  });

  it('records a visit whose issue opens a staff case, linked back', async () => {
    const h = await household('走访测试户甲', ['elderly_alone']);
    const [lng, lat] = d.centre(XICHANGANJIE);
    const res = await d.send('alley_chief', 'POST', '/api/visits', {
      householdId: h.id,
      notes: '老人身体尚可',
      issue: { description: '楼道灯不亮，夜间出行不便', lng, lat },
    });
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json();
    expect(v.visitorName).toBe('示例街巷长');
    expect(v.caseNumber).toEqual(expect.any(String));
    const c = await d.view(v.caseNumber);
    expect(c.id).toBe(v.caseId);
    expect(JSON.stringify(c)).toContain('楼道灯不亮');
    expect(JSON.stringify(c)).toContain('"staff"');
    const log = await d.get('street_dispatcher', `/api/visits?household=${h.id}`);
    expect(log.statusCode).toBe(200);
    expect(log.json().items).toMatchObject([{ id: v.id, caseNumber: v.caseNumber, notes: '老人身体尚可' }]);
    // A visit without an issue opens nothing.
    const plain = await d.send('alley_chief', 'POST', '/api/visits', { householdId: h.id });
    expect(plain.json()).toMatchObject({ caseId: null, caseNumber: null });
  });

  it('writes an issue’s case and its visit in one transaction: a visit that fails takes its case back', async () => {
    const h = await household('走访事务测试户', ['disability']);
    const [lng, lat] = d.centre(XICHANGANJIE);
    const marker = '走访事务测试：楼梯扶手松动';
    const casesNamed = async () =>
      Number(
        (
          await env.ctx.db
            .selectFrom('case_record')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('description', 'like', `%${marker}%`)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // The visit's insert is made to fail after the case has been written (a trigger, on both engines).
    await sql`create function visit_insert_fails() returns trigger language plpgsql as $$
      begin raise exception 'visit insert refused for the test'; end $$`.execute(env.ctx.db);
    await sql`create trigger visit_insert_fails before insert on household_visit
      for each row when (new.notes = 'fail-the-visit') execute function visit_insert_fails()`.execute(
      env.ctx.db,
    );
    try {
      const res = await d.send('alley_chief', 'POST', '/api/visits', {
        householdId: h.id,
        notes: 'fail-the-visit',
        issue: { description: marker, lng, lat },
      });
      expect(res.statusCode).toBe(500);
      expect(await casesNamed()).toBe(0);
      expect((await d.get('alley_chief', `/api/visits?household=${h.id}`)).json().items).toEqual([]);
    } finally {
      await sql`drop trigger visit_insert_fails on household_visit`.execute(env.ctx.db);
      await sql`drop function visit_insert_fails()`.execute(env.ctx.db);
    }
    // Once the visit can be written, the same request stores both, linked.
    const ok = await d.send('alley_chief', 'POST', '/api/visits', {
      householdId: h.id,
      notes: 'ok',
      issue: { description: marker, lng, lat },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await casesNamed()).toBe(1);
    expect(ok.json().caseId).toEqual(expect.any(String));
  });

  it('names as a household’s official only someone who keeps visits in its community', async () => {
    const idOf = async (username: string) =>
      (
        await env.ctx.db
          .selectFrom('app_user')
          .select('id')
          .where('username', '=', username)
          .executeTakeFirstOrThrow()
      ).id;
    const register = (officialUserId: string) =>
      d.send('alley_chief', 'POST', '/api/visits/households', {
        communityCode: community,
        label: '指定走访人测试户',
        address: '指定走访人测试户 1号',
        kinds: ['elderly_alone'],
        officialUserId,
      });
    for (const wrong of [await idOf('demo-resident'), await idOf('visits-chief-outside'), 'usr_nobody']) {
      const res = await register(wrong);
      expect(res.statusCode, res.body).toBe(400);
      expect(JSON.stringify(res.json().error.details)).toContain('officialUserId');
    }
    const desk = await register(await idOf('demo-street_dispatcher'));
    expect(desk.statusCode, desk.body).toBe(201);
  });

  it('lists who may be a household’s official in a community: its staff by name and role, to its staff', async () => {
    const res = await d.get('alley_chief', `/api/visits/officials?community=${community}`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { userId: string; displayName: string; role: string }[];
    expect(items.map((o) => o.displayName)).toContain('示例街巷长');
    expect(
      items.every((o) =>
        ['alley_chief', 'grid_worker', 'street_dispatcher', 'district_admin'].includes(o.role),
      ),
    ).toBe(true);
    // Staff of another street are not listed; nor are residents; no contact is given.
    expect(items.map((o) => o.displayName)).not.toContain('visits-chief-outside');
    expect(JSON.stringify(items)).not.toMatch(/phone|username/i);
    // Each one listed is accepted as the official of a household registered there.
    const named = await d.send('alley_chief', 'POST', '/api/visits/households', {
      communityCode: community,
      label: '走访责任人列表测试户',
      address: '走访责任人列表测试户 1号',
      kinds: ['newcomer'],
      officialUserId: items[items.length - 1]!.userId,
    });
    expect(named.statusCode, named.body).toBe(201);
    const out = await d.get('visits-chief-outside', `/api/visits/officials?community=${community}`);
    expect(out.statusCode).toBe(403);
    expect(out.json().error.code).toBe('OUT_OF_SCOPE');
    expect((await d.get('resident', `/api/visits/officials?community=${community}`)).json().error.code).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses staff outside the scope (OUT_OF_SCOPE) and residents (FORBIDDEN)', async () => {
    const h = await household('走访测试户乙', ['petitioner']);
    const out = 'visits-chief-outside';
    const reg = await d.send(out, 'POST', '/api/visits/households', {
      communityCode: community,
      label: 'x',
      address: 'x',
      kinds: ['hardship'],
    });
    expect(reg.statusCode).toBe(403);
    expect(reg.json().error.code).toBe('OUT_OF_SCOPE');
    for (const r of [
      await d.get(out, `/api/visits?household=${h.id}`),
      await d.send(out, 'POST', '/api/visits', { householdId: h.id }),
      await d.get(out, `/api/visits/households?community=${community}`),
    ]) {
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json().error.code).toBe('OUT_OF_SCOPE');
    }
    const listed = await d.get(out, '/api/visits/households');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((x: { id: string }) => x.id)).not.toContain(h.id);
    for (const r of [
      await d.get('resident', '/api/visits/households'),
      await d.get('resident', '/api/visits/due'),
      await d.send('resident', 'POST', '/api/visits', { householdId: h.id }),
    ]) {
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('FORBIDDEN');
    }
    expect((await d.get(null, '/api/visits/households')).statusCode).toBe(401);
  });

  it('computes due and overdue against the clock, per household and per official', async () => {
    const h = await household('走访测试户丙', ['elderly_alone', 'entitled']);
    expect(h).toMatchObject({
      intervalDays: 30,
      state: 'due',
      lastVisitAt: null,
      contactPhone: '13800000000',
    });
    const visit = await d.send('alley_chief', 'POST', '/api/visits', { householdId: h.id });
    expect(visit.statusCode).toBe(201);
    const stateOf = async () => {
      const res = await d.get('district_admin', `/api/visits/households?community=${community}`);
      expect(res.statusCode).toBe(200);
      return res.json().items.find((x: { id: string }) => x.id === h.id);
    };
    expect((await stateOf()).state).toBe('ok');
    await d.setClock(at(29));
    expect((await stateOf()).state).toBe('ok');
    await d.setClock(at(31));
    expect((await stateOf()).state).toBe('due');
    await d.setClock(at(40));
    const late = await stateOf();
    expect(late).toMatchObject({ state: 'overdue', daysOverdue: 10 });
    const due = (await d.get('alley_chief', '/api/visits/due')).json();
    expect(due.households.map((x: { id: string }) => x.id)).toContain(h.id);
    const mine = due.officials.find((o: { officialName: string | null }) => o.officialName === '示例街巷长');
    expect(mine.overdue).toBeGreaterThanOrEqual(1);
    expect(mine.total).toBe(mine.ok + mine.due + mine.overdue);
    // A visit now puts it back to ok.
    await d.send('alley_chief', 'POST', '/api/visits', { householdId: h.id });
    expect((await stateOf()).state).toBe('ok');
    // A visit in the future is refused.
    const future = await d.send('alley_chief', 'POST', '/api/visits', {
      householdId: h.id,
      visitedAt: at(41).toISOString(),
    });
    expect(future.statusCode).toBe(400);
  });
});
