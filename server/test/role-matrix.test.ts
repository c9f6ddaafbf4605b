import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/accounts/roles.ts';
import { createTestEnv, login, type Session, type TestEnv } from './harness.ts';

/**
 * Every role, signed in over HTTP, against what it may and may not read and change, inside and
 * outside its jurisdiction. The street roles of the demo city work in 西长安街 (110102001); 柳荫街
 * lies in 什刹海 (110102012), outside it.
 */
let env: TestEnv;
const sessions = new Map<Role | 'anonymous', Session | null>();
let insideAlley: string;
let outsideAlley: string;

beforeAll(async () => {
  env = await createTestEnv();
  sessions.set('anonymous', null);
  for (const role of ROLES) sessions.set(role, await login(env.app, `demo-${role}`));
  const find = async (q: string) =>
    (await env.app.inject({ method: 'GET', url: `/api/territory/alleys?q=${encodeURIComponent(q)}` })).json()
      .items[0].id as string;
  insideAlley = await find('光明胡同');
  outsideAlley = await find('柳荫街');
});
afterAll(async () => {
  await env?.close();
});

type Who = Role | 'anonymous';
const who: Who[] = ['anonymous', ...ROLES];

async function call(as: Who, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown) {
  const s = sessions.get(as);
  const res = await env.app.inject({ method, url, headers: s ? s.headers : {}, payload: payload as object });
  return { status: res.statusCode, code: res.statusCode >= 400 ? (res.json().error.code as string) : 'ok' };
}

async function alleyVersion(id: string): Promise<number> {
  return (await env.app.inject({ method: 'GET', url: `/api/territory/alleys/${id}` })).json().version;
}

const editors = new Set<Who>(['district_admin', 'street_dispatcher', 'alley_chief', 'system_admin']);
const districtWide = new Set<Who>(['district_admin', 'system_admin']);
const staff = new Set<Who>([
  'alley_chief',
  'grid_worker',
  'street_dispatcher',
  'department_handler',
  'contractor',
  'inspector',
  'district_admin',
  'leader',
  'system_admin',
]);
const denied = (as: Who) => (as === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');

describe.each(who)('%s', (as) => {
  it('reads public territory', async () => {
    expect((await call(as, 'GET', '/api/territory/streets')).code).toBe('ok');
    expect((await call(as, 'GET', `/api/territory/alleys/${outsideAlley}`)).code).toBe('ok');
  });

  it('reads organisations only as staff', async () => {
    expect((await call(as, 'GET', '/api/organisations')).code).toBe(staff.has(as) ? 'ok' : denied(as));
  });

  it('edits alley registries only where it holds the jurisdiction', async () => {
    const inside = await call(as, 'PATCH', `/api/territory/alleys/${insideAlley}`, {
      version: await alleyVersion(insideAlley),
      volunteerTeam: `${as} team`,
    });
    expect(inside.code).toBe(editors.has(as) ? 'ok' : denied(as));
    const outside = await call(as, 'PATCH', `/api/territory/alleys/${outsideAlley}`, {
      version: await alleyVersion(outsideAlley),
      volunteerTeam: `${as} team`,
    });
    expect(outside.code).toBe(districtWide.has(as) ? 'ok' : editors.has(as) ? 'OUT_OF_SCOPE' : denied(as));
  });

  it('administers users only as an administrator, and never above its own rank', async () => {
    const list = await call(as, 'GET', '/api/users');
    expect(list.code).toBe(districtWide.has(as) ? 'ok' : denied(as));
    const create = await call(as, 'POST', '/api/users', {
      username: `made-by-${as}`,
      password: 'long-enough-1',
      role: 'grid_worker',
      scopeCode: '110102012',
    });
    expect(create.code).toBe(districtWide.has(as) ? 'ok' : denied(as));
    const escalate = await call(as, 'POST', '/api/users', {
      username: `root-by-${as}`,
      password: 'long-enough-1',
      role: 'system_admin',
    });
    expect(escalate.code).toBe(as === 'system_admin' ? 'ok' : denied(as));
  });

  it('imports territory only as an administrator', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { layer: 'community', code: '110102012099', name: '矩阵测试社区' },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [116.38, 39.94],
                [116.381, 39.94],
                [116.381, 39.941],
                [116.38, 39.94],
              ],
            ],
          },
        },
      ],
    };
    expect((await call(as, 'POST', '/api/territory/import?dryRun=true', fc)).code).toBe(
      districtWide.has(as) ? 'ok' : denied(as),
    );
  });

  it('creates API tokens only as staff', async () => {
    expect((await call(as, 'POST', '/api/auth/tokens', { name: 'matrix' })).code).toBe(
      staff.has(as) ? 'ok' : denied(as),
    );
  });
});

describe('organisations', () => {
  it('are created by a district administrator inside its district only', async () => {
    const body = {
      name: '示例燃气公司',
      kind: 'department',
      scopeCode: '110102',
      departmentType: 'gas',
      patternTier: 'N',
    };
    expect((await call('district_admin', 'PUT', '/api/organisations/org-test-gas', body)).code).toBe('ok');
    expect((await call('street_dispatcher', 'PUT', '/api/organisations/org-test-gas', body)).code).toBe(
      'FORBIDDEN',
    );
    const outside = await call('district_admin', 'PUT', '/api/organisations/org-test-x', {
      ...body,
      scopeCode: '110101',
    });
    expect(outside.code).toBe('OUT_OF_SCOPE');
  });
});

/**
 * Every route of the OpenAPI document, for every identity: the declared policy (accounts/route-access.ts)
 * decides who gets past the door; behind it, what a read returns is checked on the response (no case,
 * campaign or street of another jurisdiction or another unit in it), and writes aimed at another
 * street's case, campaign, alley, user or unit are refused and change nothing.
 */
describe('every route of the OpenAPI document', () => {
  const SHICHAHAI = '110102012';
  const XICHANGANJIE = '110102001';
  const DEPT = `org-cg-${XICHANGANJIE}`;
  const OTHER_UNIT = `org-cg-${SHICHAHAI}`;
  let outside: Session;
  let outsideCase: string;
  let deptCase: string;
  let contractorCase: string;
  let outsideCampaign: string;
  let insideCampaign: string;
  let outsideUser: string;
  const OUTSIDE_CAMPAIGN_NAME = '什刹海矩阵清零';

  const send = async (s: Session | null, method: string, url: string, payload?: unknown) =>
    env.app.inject({
      method: method as 'GET',
      url,
      headers: s ? s.headers : {},
      payload: payload as object | undefined,
    });
  const ok = async (s: Session, method: string, url: string, payload?: unknown) => {
    const res = await send(s, method, url, payload);
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const centre = async (code: string) =>
    (
      (await send(null, 'GET', '/api/territory/streets')).json() as {
        code: string;
        center: [number, number];
      }[]
    ).find((s) => s.code === code)!.center;

  async function fileCase(desk: Session, street: string, text: string, unitId: string) {
    const [lng, lat] = await centre(street);
    const { caseNumber } = await ok(desk, 'POST', '/api/cases', {
      channel: 'staff',
      description: text,
      lng,
      lat,
    });
    await ok(desk, 'POST', `/api/cases/${caseNumber}/actions/accept`, { categoryKey: 'event:06010' });
    await ok(desk, 'POST', `/api/cases/${caseNumber}/actions/dispatch`, { tier: 2, unitId });
    return caseNumber as string;
  }

  beforeAll(async () => {
    const { SYSTEM_ACTOR } = await import('../src/accounts/authorisation.ts');
    const made = await env.ctx.accounts.createUser(SYSTEM_ACTOR, {
      username: 'matrix-shichahai',
      displayName: '什刹海矩阵调度',
      password: 'long-enough-1',
      role: 'street_dispatcher',
      scopeCode: SHICHAHAI,
    });
    outsideUser = made.id;
    outside = await login(env.app, 'matrix-shichahai', 'long-enough-1');
    const desk = sessions.get('street_dispatcher')!;
    const contractorOrg = (await ok(sessions.get('contractor')!, 'GET', '/api/auth/me')).user.organisationId;
    outsideCase = await fileCase(outside, SHICHAHAI, '什刹海矩阵案件', OTHER_UNIT);
    deptCase = await fileCase(desk, XICHANGANJIE, '西长安街矩阵案件一', DEPT);
    contractorCase = await fileCase(desk, XICHANGANJIE, '西长安街矩阵案件二', contractorOrg);
    const campaign = (scopeCode: string, name: string) => ({
      name,
      categoryKeys: ['06010'],
      scopeCode,
      startsAt: '2026-11-01',
    });
    outsideCampaign = (
      await ok(outside, 'POST', '/api/campaigns', campaign(SHICHAHAI, OUTSIDE_CAMPAIGN_NAME))
    ).id;
    await ok(outside, 'POST', `/api/campaigns/${outsideCampaign}/items`, { caseIds: [outsideCase] });
    insideCampaign = (await ok(desk, 'POST', '/api/campaigns', campaign(XICHANGANJIE, '西长安街矩阵清零')))
      .id;
    await ok(desk, 'POST', `/api/campaigns/${insideCampaign}/items`, { caseIds: [deptCase, contractorCase] });
  });

  function openApiRoutes(): { method: string; path: string }[] {
    const doc = env.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })),
    );
  }

  /** Real ids inside 西长安街 for reads, so that the answers have rows to check. */
  function insideUrl(path: string): string {
    return path
      .replace('/api/campaigns/{id}', `/api/campaigns/${insideCampaign}`)
      .replace('/api/cases/{id}', `/api/cases/${deptCase}`)
      .replace('/api/open311/cases/{id}', `/api/open311/cases/${deptCase}`)
      .replace('/api/territory/alleys/{id}', `/api/territory/alleys/${insideAlley}`)
      .replace(/\{[^}]+\}/g, 'none');
  }

  /** What each identity must never find in an answer: other streets' and other units' cases and campaigns. */
  function forbiddenFor(as: Who): string[] {
    const otherStreet = [outsideCase, OUTSIDE_CAMPAIGN_NAME];
    switch (as) {
      case 'district_admin':
      case 'leader':
      case 'system_admin':
        return [];
      case 'department_handler':
        return [...otherStreet, contractorCase];
      case 'contractor':
        return [...otherStreet, deptCase];
      case 'resident':
      case 'anonymous':
        return [...otherStreet, deptCase, contractorCase];
      default:
        return otherStreet;
    }
  }

  // Routes whose call by an admitted role would end the session or start minutes of work.
  const notCalledWhenAdmitted = new Set([
    'POST /api/auth/logout',
    'POST /api/classifier/retrain',
    'POST /api/operator/classifier/retrain',
  ]);

  it('admits exactly the declared callers of every route, and reads stay inside their scope', async () => {
    const { policyFor } = await import('../src/accounts/route-access.ts');
    const problems: string[] = [];
    const routes = openApiRoutes();
    expect(routes.length).toBeGreaterThan(90);
    for (const { method, path } of routes) {
      const policy = policyFor(method, path);
      if (!policy) {
        problems.push(`${method} ${path}: no declared policy`);
        continue;
      }
      for (const as of who) {
        const admitted =
          policy.access === 'public' ||
          (as !== 'anonymous' && (policy.access === 'signed-in' || policy.roles.includes(as)));
        if (admitted && notCalledWhenAdmitted.has(`${method} ${path}`)) continue;
        const url = method === 'GET' ? insideUrl(path) : path.replace(/\{[^}]+\}/g, 'none');
        const res = await send(sessions.get(as) ?? null, method, url, method === 'GET' ? undefined : {});
        const where = `${as} ${method} ${path} → ${res.statusCode}`;
        if (res.statusCode >= 500) problems.push(`${where}: server error`);
        if (!admitted) {
          const expected = as === 'anonymous' ? 401 : 403;
          if (res.statusCode !== expected) problems.push(`${where}: expected ${expected}`);
          continue;
        }
        // A token route is open to everyone at the gate and checks its own credential (an Open311 key,
        // the operator secret): without one it answers 401, which is its rule, not a refusal at the gate.
        if (res.statusCode === 401 && policy.scope !== 'token')
          problems.push(`${where}: an admitted caller was refused`);
        if (method !== 'GET' || res.statusCode !== 200) continue;
        if (policy.scope === 'none' || policy.scope === 'token') continue;
        const body = res.rawPayload.toString('latin1') + res.body;
        for (const secret of forbiddenFor(as)) {
          if (body.includes(secret)) problems.push(`${where}: answer contains ${secret}`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 300_000); // every route × every identity: minutes on a busy machine

  it('refuses writes aimed at another street case, campaign, alley, user or unit, and changes nothing', async () => {
    const [lng, lat] = await centre(SHICHAHAI);
    const writes: { method: string; url: string; body: unknown }[] = [
      ...[
        ['accept', { categoryKey: 'event:06010' }],
        ['reject', { reason: 'duplicate' }],
        ['dispatch', { tier: 2, unitId: DEPT }],
        ['redispatch', { tier: 2, unitId: DEPT }],
        ['sign', {}],
        ['send_back', { reason: '不属于本单位' }],
        ['feedback', { note: '已处理', afterPhotoIds: [], noPhotoReason: '院内' }],
        ['suspend', { reason: '等待' }],
        ['supervise', { note: '督办' }],
        ['extension_request', { days: 3, reason: '需要时间' }],
        ['verify_pass', {}],
        ['rate', { rating: 'satisfied' }],
      ].map(([action, body]) => ({
        method: 'POST',
        url: `/api/cases/${outsideCase}/actions/${action}`,
        body,
      })),
      {
        method: 'POST',
        url: `/api/cases/${outsideCase}/joint-action/tasks`,
        body: { unitId: DEPT, task: '清运' },
      },
      { method: 'PUT', url: `/api/cases/${outsideCase}/joint-action/minutes`, body: { text: '纪要' } },
      { method: 'POST', url: `/api/campaigns/${outsideCampaign}/items`, body: { caseIds: [outsideCase] } },
      {
        method: 'POST',
        url: `/api/campaigns/${outsideCampaign}/items`,
        body: { points: [{ lng, lat, label: 'x' }] },
      },
      {
        method: 'PATCH',
        url: `/api/territory/alleys/${outsideAlley}`,
        body: { version: 1, volunteerTeam: 'x' },
      },
      { method: 'PATCH', url: `/api/users/${outsideUser}`, body: { active: false } },
      {
        method: 'PUT',
        url: `/api/organisations/${OTHER_UNIT}`,
        body: {
          name: '改名',
          kind: 'department',
          scopeCode: SHICHAHAI,
          departmentType: 'urban',
          patternTier: '1',
        },
      },
      {
        method: 'POST',
        url: '/api/campaigns',
        body: { name: 'x', categoryKeys: ['06010'], scopeCode: SHICHAHAI, startsAt: '2026-11-01' },
      },
    ];
    const streetRoles: Who[] = [
      'alley_chief',
      'grid_worker',
      'street_dispatcher',
      'department_handler',
      'contractor',
      'inspector',
      'resident',
      'volunteer',
      'leader',
    ];
    const snapshot = async () =>
      JSON.stringify([
        (await send(sessions.get('system_admin')!, 'GET', `/api/cases/${outsideCase}`)).json(),
        (await send(sessions.get('system_admin')!, 'GET', `/api/campaigns/${outsideCampaign}/items`)).json(),
        (await send(null, 'GET', `/api/territory/alleys/${outsideAlley}`)).json(),
        (await send(sessions.get('system_admin')!, 'GET', `/api/users/${outsideUser}`)).json(),
        (await send(sessions.get('system_admin')!, 'GET', '/api/campaigns')).json().length,
      ]);
    const before = await snapshot();
    const problems: string[] = [];
    for (const as of streetRoles) {
      for (const w of writes) {
        const res = await send(sessions.get(as) ?? null, w.method, w.url, w.body);
        if (res.statusCode < 400 || res.statusCode >= 500) {
          problems.push(`${as} ${w.method} ${w.url} → ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(await snapshot()).toBe(before);
  });
});
