import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('password sign-in and sessions', () => {
  it('signs a demo account in with an HTTP-only, SameSite session cookie', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'demo-street_dispatcher', password: 'demo' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user).toMatchObject({
      username: 'demo-street_dispatcher',
      role: 'street_dispatcher',
      scopeCode: '110102001',
      scopeName: '西长安街街道',
    });
    expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
    const cookie = res.cookies.find((c) => c.name === 'hutong_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(JSON.stringify(body)).not.toMatch(/password|hash/i);
  });

  it('answers a wrong password with 401 INVALID_CREDENTIALS and the same for an unknown user', async () => {
    for (const username of ['demo-inspector', 'nobody-here']) {
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'wrong' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('names the field at fault when the body is malformed', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.json().error.details.fields[0].field).toBe('password');
  });

  it('backs off after repeated failures, then lets the right password in once the lock expires', async () => {
    const attempt = (password: string) =>
      env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'demo-leader', password },
      });
    for (let i = 0; i < 5; i++) expect((await attempt('bad')).statusCode).toBe(401);
    const locked = await attempt('demo');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    env.clock.advance(31_000);
    expect((await attempt('demo')).statusCode).toBe(200);
  });

  it('locks out the failing client only: the owner signs in from elsewhere', async () => {
    const attempt = (password: string, remoteAddress: string, username = 'demo-volunteer') =>
      env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { username, password },
      });
    for (let i = 0; i < 6; i++) await attempt('bad', '10.1.1.1');
    expect((await attempt('demo', '10.1.1.1')).statusCode).toBe(429);
    expect((await attempt('demo', '10.2.2.2')).statusCode).toBe(200);
  });

  it('limits one client spraying a few tries at many accounts', async () => {
    const usernames = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((x) => `spray-${x}`);
    const spray = (username: string) =>
      env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.3.3.3',
        payload: { username, password: 'guess' },
      });
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++)
      for (const u of usernames) statuses.push((await spray(u)).statusCode);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const elsewhere = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '10.4.4.4',
      payload: { username: 'demo-inspector', password: 'demo' },
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('returns the signed-in user from /api/auth/me and forgets it after logout', async () => {
    const s = await login(env.app, 'demo-inspector');
    const me = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().csrfToken).toBe(s.csrfToken);
    const out = await env.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    const after = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a state-changing request made with the cookie but without the CSRF token', async () => {
    const s = await login(env.app, 'demo-system_admin');
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: { cookie: s.cookie },
      payload: { name: 'x' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const forged = await env.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: { cookie: s.cookie, 'x-csrf-token': 'guess' },
      payload: { name: 'x' },
    });
    expect(forged.statusCode).toBe(403);
  });

  it('issues API tokens that machine clients use without cookies or CSRF', async () => {
    const s = await login(env.app, 'demo-district_admin');
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/auth/tokens',
      headers: s.headers,
      payload: { name: 'hotline bridge' },
    });
    expect(created.statusCode).toBe(201);
    const { token } = created.json();
    const me = await env.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json().user.username).toBe('demo-district_admin');
    const bad = await env.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: 'Bearer htk_nope' },
    });
    expect(bad.statusCode).toBe(401);
  });
});

describe('user administration', () => {
  it('lets a district administrator create staff in its district and lists only its district', async () => {
    const s = await login(env.app, 'demo-district_admin');
    const created = await env.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: {
        username: 'gw-shichahai',
        displayName: '什刹海网格员',
        password: 'long-enough-1',
        role: 'grid_worker',
        scopeCode: '110102012',
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ role: 'grid_worker', scopeName: '什刹海街道', active: true });
    const list = await env.app.inject({
      method: 'GET',
      url: '/api/users?limit=500',
      headers: { cookie: s.cookie },
    });
    const names = list.json().items.map((u: { username: string }) => u.username);
    expect(names).toContain('gw-shichahai');
    expect(names).not.toContain('demo-system_admin');
    expect(names).not.toContain('demo-resident');
  });

  it('rejects bad accounts field by field', async () => {
    const s = await login(env.app, 'demo-system_admin');
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: { username: 'h1', password: 'short', role: 'department_handler', scopeCode: '110102999' },
    });
    expect(res.statusCode).toBe(400);
    const fields = res
      .json()
      .error.details.fields.map((f: { field: string }) => f.field)
      .sort();
    expect(fields).toEqual(['organisationId', 'password', 'scopeCode']);
  });

  it('refuses an organisation of the wrong kind for the role, naming the field', async () => {
    const s = await login(env.app, 'demo-district_admin');
    const post = (role: string, organisationId: string) =>
      env.app.inject({
        method: 'POST',
        url: '/api/users',
        headers: s.headers,
        payload: {
          username: `kind-${role}-${organisationId}`.slice(0, 60).toLowerCase(),
          password: 'long-enough-1',
          role,
          scopeCode: '110102001',
          organisationId,
        },
      });
    const street = await post('department_handler', 'org-street-110102001');
    expect(street.statusCode).toBe(400);
    expect(street.json().error.details.fields).toEqual([
      expect.objectContaining({ field: 'organisationId', message: expect.stringContaining('street_office') }),
    ]);
    const department = await post('contractor', 'org-cg-110102001');
    expect(department.statusCode).toBe(400);
    expect(department.json().error.details.fields[0].field).toBe('organisationId');
    const right = await post('department_handler', 'org-cg-110102001');
    expect(right.statusCode).toBe(201);
    expect(right.json().organisationId).toBe('org-cg-110102001');
  });

  it("tells those who create accounts each role's rules, and no one else", async () => {
    const admin = await login(env.app, 'demo-district_admin');
    const res = await env.app.inject({
      method: 'GET',
      url: '/api/users/roles',
      headers: { cookie: admin.cookie },
    });
    expect(res.statusCode).toBe(200);
    const rules = new Map(res.json().items.map((r: { role: string }) => [r.role, r] as const));
    expect(rules.get('department_handler')).toEqual({
      role: 'department_handler',
      needsJurisdiction: true,
      organisationKind: 'department',
    });
    expect(rules.get('contractor')).toMatchObject({ organisationKind: 'contractor' });
    expect(rules.get('grid_worker')).toMatchObject({ needsJurisdiction: true, organisationKind: null });
    expect(rules.get('system_admin')).toMatchObject({ needsJurisdiction: false });
    expect(rules.get('resident')).toMatchObject({ needsJurisdiction: false, organisationKind: null });
    for (const who of ['demo-street_dispatcher', 'demo-grid_worker', 'demo-resident']) {
      const s = await login(env.app, who);
      const refused = await env.app.inject({
        method: 'GET',
        url: '/api/users/roles',
        headers: { cookie: s.cookie },
      });
      expect(refused.statusCode, who).toBe(403);
    }
    const anonymous = await env.app.inject({ method: 'GET', url: '/api/users/roles' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('starts each role on the channel it usually files through', async () => {
    const expected: Record<string, string | null> = {
      'demo-grid_worker': 'patrol',
      'demo-alley_chief': 'patrol',
      'demo-inspector': 'inspection',
      'demo-street_dispatcher': 'staff',
      'demo-department_handler': 'staff',
      'demo-resident': null,
    };
    for (const [who, channel] of Object.entries(expected)) {
      const signIn = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: who, password: 'demo' },
      });
      expect(signIn.json().filingChannel, who).toBe(channel);
      const s = await login(env.app, who);
      const me = await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
      expect(me.json().filingChannel, who).toBe(channel);
    }
  });

  it('refuses a taken username with ALREADY_EXISTS', async () => {
    const s = await login(env.app, 'demo-system_admin');
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: s.headers,
      payload: { username: 'demo-leader', password: 'long-enough-1', role: 'leader', scopeCode: '110102' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('ALREADY_EXISTS');
  });

  it('ends the sessions of a deactivated account', async () => {
    const admin = await login(env.app, 'demo-system_admin');
    const victim = await login(env.app, 'demo-volunteer');
    const me = await env.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: victim.cookie },
    });
    const id = me.json().user.id;
    const res = await env.app.inject({
      method: 'PATCH',
      url: `/api/users/${id}`,
      headers: admin.headers,
      payload: { active: false },
    });
    expect(res.statusCode).toBe(200);
    expect(
      (await env.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: victim.cookie } }))
        .statusCode,
    ).toBe(401);
    const again = await env.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'demo-volunteer', password: 'demo' },
    });
    expect(again.statusCode).toBe(401);
  });
});

describe('grid workers and alley chiefs for a tier-1 dispatch', () => {
  const get = (cookie: string, territory: string) =>
    env.app.inject({
      method: 'GET',
      url: `/api/users/tier1-handlers?territory=${territory}`,
      headers: { cookie },
    });

  it('lists, for the dispatcher, the active tier-1 handlers of a street with names and roles only', async () => {
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const res = await get(dispatcher.cookie, '110102001');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { id: string; displayName: string; role: string; scopeCode: string }[];
    expect(items.map((u) => u.role).sort()).toEqual(['alley_chief', 'grid_worker']);
    expect(items.map((u) => u.displayName).sort()).toEqual(['示例网格员', '示例街巷长']);
    expect(JSON.stringify(items)).not.toMatch(/phone|username|password/i);

    // At a grid: its own grid worker, and the alley chief whose street covers it.
    const gridCode = items.find((u) => u.role === 'grid_worker')?.scopeCode ?? '';
    expect(gridCode).toMatch(/^110102001\d{6}$/);
    const atGrid = await get(dispatcher.cookie, gridCode);
    expect((atGrid.json().items as { role: string }[]).map((u) => u.role).sort()).toEqual([
      'alley_chief',
      'grid_worker',
    ]);
  });

  it('refuses a street outside the jurisdiction and roles that do not dispatch', async () => {
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const outside = await get(dispatcher.cookie, '110102012');
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe('OUT_OF_SCOPE');

    const department = await login(env.app, 'demo-department_handler');
    const forbidden = await get(department.cookie, '110102001');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('FORBIDDEN');

    const bad = await get(dispatcher.cookie, '1101');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
  });
});
