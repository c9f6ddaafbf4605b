import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, fuzz } from './fuzz.ts';
import { createTestEnv, login, type TestEnv } from './harness.ts';

/**
 * A bounded run of requests generated from the OpenAPI document (`npm run fuzz` runs longer): no
 * answer may be a server error, and requests refused by a route's policy may change nothing.
 */
let env: TestEnv;
// `npm run fuzz` sets a larger count (and HUTONG_FUZZ_SEED replays a run).
const count = Number(process.env.HUTONG_FUZZ_REQUESTS ?? 300);
const callers: Caller[] = [{ name: 'anonymous', role: null, headers: {} }];

beforeAll(async () => {
  env = await createTestEnv();
  for (const role of [
    'resident',
    'grid_worker',
    'street_dispatcher',
    'department_handler',
    'district_admin',
    'system_admin',
  ]) {
    callers.push({ name: role, role, headers: (await login(env.app, `demo-${role}`)).headers });
  }
});
afterAll(async () => {
  await env?.close();
});

describe('requests generated from the OpenAPI document', () => {
  it('never answer 5xx, and those refused by policy write nothing', {
    timeout: Math.max(120_000, count * 60),
  }, async () => {
    const alley = (await env.app.inject({ method: 'GET', url: '/api/territory/alleys?limit=1' })).json()
      .items[0].id;
    const result = await fuzz(env.app, env.ctx.db, callers, {
      seed: Number(process.env.HUTONG_FUZZ_SEED ?? 20261207),
      count,
      refusedPerRoute: 2,
      ids: { id: [alley, 'org-cg-110102001'], key: ['event:06010'] },
    });
    expect(result.requests).toBeGreaterThan(count);
    expect(result.serverErrors).toEqual([]);
    expect(result.refusedButAdmitted).toEqual([]);
    expect(result.wroteWhileRefused).toEqual([]);
  });
});
