import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { declaredRoutes, openApiPath, policyFor, registeredRoutes } from './route-access.ts';

/**
 * The access table must name every route: a route added without a declaration fails here, before it
 * can be reached by someone it was not meant for.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ demo: false });
});
afterAll(async () => {
  await env?.close();
});

function openApiRoutes(): string[] {
  const doc = env.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
}

describe('the route access table', () => {
  it('declares a policy for every route of the OpenAPI document', () => {
    const routes = openApiRoutes();
    expect(routes.length).toBeGreaterThan(90);
    const missing = routes.filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return !policyFor(method, path);
    });
    expect(missing, 'routes without a declaration in accounts/route-access.ts').toEqual([]);
  });

  it('declares every registered route, those hidden from the document included', () => {
    const missing = registeredRoutes(env.app).filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return !policyFor(method, path);
    });
    expect(missing).toEqual([]);
  });

  it('declares no route that does not exist', () => {
    const known = new Set(registeredRoutes(env.app));
    expect(declaredRoutes().filter((d) => !known.has(d))).toEqual([]);
  });

  it('refuses anonymous callers on every route not declared public, before the handler runs', async () => {
    for (const r of openApiRoutes()) {
      const [method, path] = r.split(' ') as [string, string];
      if (policyFor(method, path)?.access === 'public') continue;
      const url = path.replace(/\{[^}]+\}/g, 'x');
      const res = await env.app.inject({
        method: method as 'GET',
        url,
        payload: method === 'GET' ? undefined : {},
      });
      expect([r, res.statusCode]).toEqual([r, 401]);
    }
  });

  it('reads Fastify and OpenAPI parameters alike', () => {
    expect(openApiPath('/api/cases/:id/actions/:action')).toBe('/api/cases/{id}/actions/{action}');
    expect(policyFor('HEAD', '/api/health')?.access).toBe('public');
    expect(policyFor('GET', '/assets/index.js')?.access).toBe('public');
    expect(policyFor('POST', '/api/not-declared')).toBeUndefined();
  });
});
