import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CaseDriver,
  type CaseView,
  DEPT,
  NO_PHOTO,
  readWorkbook,
  SHICHAHAI,
  sheetRows,
  XICHANGANJIE,
} from '../src/ledgers/ledger.fixtures.ts';
import { createTestEnv, type TestEnv } from './harness.ts';

/**
 * The holes an outside probe found, each reproduced over HTTP as the probe did it. The street roles
 * of the demo city work in 西长安街; 什刹海 is another street of the same district.
 */
let env: TestEnv;
let d: CaseDriver;

async function userId(who: string): Promise<string> {
  return (await d.get(who, '/api/auth/me')).json().user.id as string;
}

async function filed(description: string, street = XICHANGANJIE): Promise<CaseView> {
  const k = await d.report(description, { street });
  const desk = street === XICHANGANJIE ? 'street_dispatcher' : 'shichahai-dispatcher';
  await d.ok(desk, k.caseNumber, 'accept', { categoryKey: 'event:06010' });
  return k;
}

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  await d.signIn(
    'street_dispatcher',
    'department_handler',
    'contractor',
    'grid_worker',
    'district_admin',
    'inspector',
    'resident',
  );
  await d.addAccount('shichahai-dispatcher', 'street_dispatcher', SHICHAHAI);
  const grid = (await d.get('district_admin', `/api/territory/grids?street=${SHICHAHAI}`)).json();
  const gridCode = (Array.isArray(grid) ? grid : grid.items)[0].code as string;
  await d.addAccount('shichahai-grid', 'grid_worker', gridCode);
});
afterAll(async () => {
  await env?.close();
});

describe('campaign items follow the case filter (probe 2)', () => {
  it('shows a contractor or a department only the cases assigned to its organisation', async () => {
    const contractorOrg = (await d.get('contractor', '/api/auth/me')).json().user.organisationId as string;
    const toDept = await filed('西长安街暴露垃圾一');
    await d.ok('street_dispatcher', toDept.caseNumber, 'dispatch', { tier: 2, unitId: DEPT });
    const toContractor = await filed('西长安街暴露垃圾二');
    await d.ok('street_dispatcher', toContractor.caseNumber, 'dispatch', { tier: 2, unitId: contractorOrg });
    const created = await d.send('street_dispatcher', 'POST', '/api/campaigns', {
      name: '暴露垃圾清零',
      categoryKeys: ['06010'],
      scopeCode: XICHANGANJIE,
      startsAt: '2026-11-01',
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const added = await d.send('street_dispatcher', 'POST', `/api/campaigns/${id}/items`, {
      caseIds: [toDept.caseNumber, toContractor.caseNumber],
    });
    expect(added.json().added).toBe(2);

    const numbers = async (who: string, query: string) =>
      ((await d.get(who, `/api/campaigns/${id}/items${query}`)).json() as { caseNumber: string | null }[])
        .map((i) => i.caseNumber)
        .sort();
    for (const query of ['?status=all', '?on=2026-12-31', '']) {
      expect(await numbers('contractor', query)).toEqual([toContractor.caseNumber]);
      expect(await numbers('department_handler', query)).toEqual([toDept.caseNumber]);
      expect(await numbers('street_dispatcher', query)).toEqual(
        [toDept.caseNumber, toContractor.caseNumber].sort(),
      );
    }
    const xlsx = await d.get('contractor', `/api/campaigns/${id}/ledger.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    const rows = sheetRows((await readWorkbook(xlsx.rawPayload)).worksheets[0]!);
    expect(rows.slice(1).map((r) => r[0])).toEqual([toContractor.caseNumber]);
  });
});

describe('tier-1 dispatch names a real handler of the case street (probe 3)', () => {
  it('refuses an unknown id, a resident and another street grid worker, and strands nothing', async () => {
    const k = await filed('西长安街暴露垃圾三');
    const tries = [
      ['usr_doesnotexist', 'VALIDATION_FAILED'],
      [await userId('resident'), 'VALIDATION_FAILED'],
      [await userId('shichahai-grid'), 'OUT_OF_SCOPE'],
    ] as const;
    for (const [handlerUserId, code] of tries) {
      const r = await d.act('street_dispatcher', k.caseNumber, 'dispatch', { tier: 1, handlerUserId });
      expect([handlerUserId, r.body.error?.code]).toEqual([handlerUserId, code]);
      expect(r.body.error.details.field ?? r.body.error.details.fields[0].field).toBe('handlerUserId');
    }
    expect((await d.view(k.caseNumber)).state).toBe('accepted');
    const ok = await d.act('street_dispatcher', k.caseNumber, 'dispatch', {
      tier: 1,
      handlerUserId: await userId('grid_worker'),
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('lets the street desk take back a tier-1 case in handling', async () => {
    const k = await filed('西长安街暴露垃圾四');
    await d.ok('street_dispatcher', k.caseNumber, 'dispatch', {
      tier: 1,
      handlerUserId: await userId('grid_worker'),
    });
    expect((await d.view(k.caseNumber)).state).toBe('handling');
    const back = await d.ok('street_dispatcher', k.caseNumber, 'redispatch', { tier: 2, unitId: DEPT });
    expect(back.state).toBe('dispatched');
    await d.ok('department_handler', k.caseNumber, 'sign');
    await d.ok('department_handler', k.caseNumber, 'feedback', { note: '已清运', ...NO_PHOTO });
  });
});

describe('the targets of an action lie in the actor scope (probe 4)', () => {
  it('refuses a tier-2 dispatch to another street unit', async () => {
    const k = await filed('西长安街暴露垃圾五');
    const r = await d.act('street_dispatcher', k.caseNumber, 'dispatch', {
      tier: 2,
      unitId: `org-cg-${SHICHAHAI}`,
    });
    expect(r.body.error.code).toBe('OUT_OF_SCOPE');
    expect((await d.view(k.caseNumber)).state).toBe('accepted');
    const joint = await d.act('street_dispatcher', k.caseNumber, 'dispatch', {
      tier: 3,
      unitIds: [DEPT, `org-cg-${SHICHAHAI}`],
    });
    expect(joint.body.error.code).toBe('OUT_OF_SCOPE');
  });

  it('refuses merging into another street case, whose supporters stay as they were', async () => {
    const mine = await d.report('西长安街噪音扰民');
    const theirs = await d.report('什刹海噪音扰民', { street: SHICHAHAI });
    const before = (
      await d.get(
        null,
        `/api/public/reports/${((await d.view(theirs.caseNumber)) as unknown as { trackingCode: string }).trackingCode}`,
      )
    ).json().supporters;
    const r = await d.act('street_dispatcher', mine.caseNumber, 'merge', { targetCaseId: theirs.caseNumber });
    // Refused as a target that does not exist is (probe 13: no telling "not yours" from "none").
    const unknown = await d.act('street_dispatcher', mine.caseNumber, 'merge', {
      targetCaseId: '110102-20000101-99999',
    });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields[0].field).toBe('targetCaseId');
    expect(r.body).toEqual(unknown.body);
    const after = (
      await d.get(
        null,
        `/api/public/reports/${((await d.view(theirs.caseNumber)) as unknown as { trackingCode: string }).trackingCode}`,
      )
    ).json().supporters;
    expect(after).toBe(before);
    expect((await d.view(mine.caseNumber)).state).toBe('reported');
  });
});

describe('a NUL character in any string (probe 5)', () => {
  it('is refused with a 400 naming the field, in bodies, queries and forms alike', async () => {
    const [lng, lat] = d.centre(XICHANGANJIE);
    const report = await env.app.inject({
      method: 'POST',
      url: '/api/public/reports',
      payload: { description: '垃圾\u0000堆放', lng, lat },
    });
    expect(report.statusCode, report.body).toBe(400);
    expect(report.json().error.details.fields[0].field).toBe('description');
    const search = await env.app.inject({ method: 'GET', url: '/api/territory/alleys?q=%00' });
    expect(search.statusCode).toBe(400);
    expect(search.json().error.details.fields[0].field).toBe('querystring.q');
    const nested = await d.send('street_dispatcher', 'POST', '/api/campaigns', {
      name: '清零',
      categoryKeys: ['06010\u0000'],
      scopeCode: XICHANGANJIE,
      startsAt: '2026-11-01',
    });
    expect(nested.json().error.details.fields[0].field).toBe('categoryKeys.0');
    const form = await env.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `api_key=demo&service_code=06010&lat=${lat}&long=${lng}&description=a%00b`,
    });
    expect(form.statusCode).toBe(400);
  });
});

describe('anonymous writes are limited (probe 8)', () => {
  it('answers 429 with Retry-After past the limit per address and per device key, and frees the next minute', async () => {
    const limited = await createTestEnv({
      configure: (c) => ({
        ...c,
        security: { ...c.security, rateLimit: { enabled: true, reportsPerMinute: 3, writesPerMinute: 5 } },
      }),
    });
    try {
      const [lng, lat] = d.centre(XICHANGANJIE);
      const report = (headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
        limited.app.inject({
          method: 'POST',
          url: '/api/public/reports',
          headers,
          remoteAddress,
          payload: { description: '胡同口垃圾没人清', lng, lat },
        });
      for (let i = 0; i < 3; i++) expect((await report()).statusCode).toBe(201);
      const refused = await report();
      expect(refused.statusCode).toBe(429);
      expect(refused.json().error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // Other addresses with the same device key are held back too.
      const device = { 'x-device-key': 'phone-1' };
      limited.clock.advance(60_000);
      for (let i = 0; i < 3; i++) expect((await report(device, `10.0.0.${i}`)).statusCode).toBe(201);
      expect((await report(device, '10.0.0.9')).statusCode).toBe(429);
      expect((await report({}, '10.0.0.8')).statusCode).toBe(201);
      // Classification is an anonymous write of its own bucket; signed-in staff are not limited.
      for (let i = 0; i < 5; i++) {
        const r = await limited.app.inject({
          method: 'POST',
          url: '/api/classify',
          payload: { text: '垃圾' },
        });
        expect(r.statusCode).not.toBe(429);
      }
      expect(
        (await limited.app.inject({ method: 'POST', url: '/api/classify', payload: { text: '垃圾' } }))
          .statusCode,
      ).toBe(429);
      limited.clock.advance(60_000);
      expect((await report()).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});

describe('proxies and public links (probe 12)', () => {
  const discovery = (app: TestEnv['app']) =>
    app.inject({
      method: 'GET',
      url: '/open311/v2/discovery.json',
      headers: {
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        'x-forwarded-for': '10.9.9.9',
      },
    });

  it('ignores X-Forwarded-* unless a proxy is trusted, and builds links from HUTONG_PUBLIC_URL when set', async () => {
    const plain = await discovery(env.app);
    expect(plain.statusCode).toBe(200);
    expect(plain.body).not.toContain('evil.example');
    const configured = await createTestEnv({
      configure: (c) => ({
        ...c,
        security: { ...c.security, trustProxy: true, publicUrl: 'https://hutong.example.org' },
      }),
    });
    try {
      const res = await discovery(configured.app);
      expect(res.body).not.toContain('evil.example');
      expect(res.body).toContain('https://hutong.example.org');
    } finally {
      await configured.close();
    }
  });
});

describe('out-of-scope and unknown case numbers answer alike (probe 13)', () => {
  it('gives another street the answer of a number that does not exist, on reads, actions and the joint action', async () => {
    const k = await filed('西长安街暴露垃圾六');
    const unknown = '110102-20000101-99999';
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['POST', '/actions/supervise', { note: '督办' }],
      ['POST', '/actions/accept', { categoryKey: 'event:06010' }],
      ['GET', '/joint-action', undefined],
      ['PUT', '/joint-action/minutes', { minutes: '纪要', decisions: [] }],
    ] as const) {
      const ask = (ref: string) =>
        env.app.inject({
          method,
          url: `/api/cases/${ref}${path}`,
          headers: d.session('shichahai-dispatcher').headers,
          ...(body ? { payload: body } : {}),
        });
      const outside = await ask(k.caseNumber);
      const none = await ask(unknown);
      expect(outside.statusCode, `${method} ${path}`).toBe(404);
      expect(outside.body.replaceAll(k.caseNumber, '?'), `${method} ${path}`).toBe(
        none.body.replaceAll(unknown, '?'),
      );
    }
    // The street of the case still reads it.
    expect((await d.get('street_dispatcher', `/api/cases/${k.caseNumber}`)).statusCode).toBe(200);
  });
});
