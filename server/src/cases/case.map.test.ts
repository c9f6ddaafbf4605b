import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { OPEN_STATES } from './case.map.ts';

let env: TestEnv;
let dispatcher: Session;
const centres = new Map<string, [number, number]>();

beforeAll(async () => {
  env = await createTestEnv();
  dispatcher = await login(env.app, 'demo-street_dispatcher');
  const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
    code: string;
    center: [number, number];
  }[];
  for (const s of streets) centres.set(s.code, s.center);
});
afterAll(async () => {
  await env?.close();
});

async function report(streetCode: string, description: string) {
  const [lng, lat] = centres.get(streetCode)!;
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/public/reports',
    payload: { description, lng, lat },
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { caseNumber: string };
}

interface Points {
  features: { id: string; properties: Record<string, unknown>; geometry: { coordinates: number[] } }[];
  total: number;
  truncated: boolean;
}

async function points(as: Session | null, query = ''): Promise<Points & { status: number }> {
  const res = await env.app.inject({
    method: 'GET',
    url: `/api/cases/map${query}`,
    headers: as?.headers ?? {},
  });
  return { status: res.statusCode, ...(res.json() as Points) };
}

describe('GET /api/cases/map', () => {
  it('plots the open cases of the caller queue, flags the overdue ones and leaves out the rest', async () => {
    const open = await report('110102001', '井盖松动有响声，请来看看');
    const late = await report('110102001', '路灯一直不亮已经三天了');
    const rejected = await report('110102001', '这条不属于街巷的事情');
    const elsewhere = await report('110102012', '什刹海边上有垃圾堆放');
    const reject = await env.app.inject({
      method: 'POST',
      url: `/api/cases/${rejected.caseNumber}/actions/reject`,
      headers: dispatcher.headers,
      payload: { reason: 'not_in_remit' },
    });
    expect(reject.statusCode).toBe(200);
    await env.ctx.db
      .updateTable('case_record')
      .set({ sla_state: 'red' })
      .where('case_number', '=', late.caseNumber)
      .execute();

    const got = await points(dispatcher);
    expect(got.status).toBe(200);
    const byNumber = new Map(got.features.map((f) => [f.properties.caseNumber, f]));
    expect(byNumber.get(open.caseNumber)?.properties).toMatchObject({ state: 'reported', overdue: false });
    expect(byNumber.get(late.caseNumber)?.properties.overdue).toBe(true);
    expect(byNumber.has(rejected.caseNumber)).toBe(false);
    expect(byNumber.has(elsewhere.caseNumber)).toBe(false);
    expect(got.features.every((f) => OPEN_STATES.includes(f.properties.state as never))).toBe(true);
    expect(byNumber.get(open.caseNumber)?.geometry.coordinates).toEqual(centres.get('110102001'));
    // A map point carries no reporter and no description.
    expect(JSON.stringify(got)).not.toContain('井盖松动');
    expect(got.total).toBe(got.features.length);
    expect(got.truncated).toBe(false);

    const one = await points(dispatcher, '?limit=1');
    expect(one.features).toHaveLength(1);
    expect(one.truncated).toBe(got.total > 1);
  });

  it('is refused to anonymous callers', async () => {
    expect((await points(null)).status).toBe(401);
  });
});
