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
