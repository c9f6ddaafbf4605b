import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import { CaseDriver, DEPT, NO_PHOTO, SHICHAHAI, XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';

/**
 * An inspection with two findings makes two cases and a score below 100; the cases run the loop to
 * closing with the inspector's verification; a wrong request writes nothing.
 */
let env: TestEnv;
let d: CaseDriver;
let alleyId: string;
let at: [number, number];

async function counts() {
  const c = await env.ctx.db
    .selectFrom('case_record')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  const i = await env.ctx.db
    .selectFrom('inspection')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return { cases: Number(c?.n), inspections: Number(i?.n) };
}

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  await d.signIn('inspector', 'street_dispatcher', 'department_handler', 'district_admin', 'alley_chief');
  await d.addAccount('shichahai-inspector', 'inspector', SHICHAHAI);
  const alley = await env.ctx.db
    .selectFrom('alley')
    .select(['id', 'geometry'])
    .where('street_code', '=', XICHANGANJIE)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  alleyId = alley.id;
  at = alley.geometry.coordinates[0]!;
});
afterAll(async () => {
  await env?.close();
});

describe('inspections', () => {
  let first: { id: string; score: number; caseNumbers: string[] };

  it('serves the form of an alley from the active indicator system', async () => {
    const res = await d.get('inspector', `/api/inspections/form?alleyId=${alleyId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.length).toBeGreaterThan(100);
    expect(res.json().previous).toBeNull();
  });

  it('refuses the whole inspection on a wrong indicator, an old version or an alley out of scope', async () => {
    const before = await counts();
    const bad = await d.send('inspector', 'POST', '/api/inspections', {
      alleyId,
      findings: [
        { indicatorCode: '010101', lng: at[0], lat: at[1], note: '' },
        { indicatorCode: '0101', lng: at[0], lat: at[1], note: '二级指标不能扣分' },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields.map((f: { field: string }) => f.field)).toEqual([
      'findings[1].indicatorCode',
    ]);
    const old = await d.send('inspector', 'POST', '/api/inspections', {
      alleyId,
      versionId: 'ind_old',
      findings: [{ indicatorCode: '010101', lng: at[0], lat: at[1], note: '' }],
    });
    expect(old.json().error.details.fields[0].field).toBe('versionId');
    const other = await d.send('shichahai-inspector', 'POST', '/api/inspections', {
      alleyId,
      findings: [{ indicatorCode: '010101', lng: at[0], lat: at[1], note: '' }],
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('OUT_OF_SCOPE');
    expect(
      (await d.send('alley_chief', 'POST', '/api/inspections', { alleyId, findings: [] })).json().error.code,
    ).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('makes one case per finding and scores 100 minus the deductions', async () => {
    const res = await d.send('inspector', 'POST', '/api/inspections', {
      alleyId,
      findings: [
        { indicatorCode: '010101', lng: at[0], lat: at[1], note: '东口两袋垃圾' },
        { indicatorCode: '030101', lng: at[0] + 0.0002, lat: at[1], note: '路面坑槽一处' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    first = res.json();
    expect(first.score).toBe(96);
    expect(first.caseNumbers).toHaveLength(2);
    for (const n of first.caseNumbers) {
      const c = (await d.get('district_admin', `/api/cases/${n}`)).json();
      expect(c).toMatchObject({ state: 'accepted', channel: 'inspection' });
      expect(c.events.map((e: { action: string; actorRole: string }) => [e.action, e.actorRole])).toEqual([
        ['report', 'inspector'],
        ['accept', 'system'],
      ]);
    }
    const detail = (await d.get('street_dispatcher', `/api/inspections/${first.id}`)).json();
    expect(
      detail.findings.map((f: { indicatorCode: string; deduction: number }) => [
        f.indicatorCode,
        f.deduction,
      ]),
    ).toEqual([
      ['010101', 2],
      ['030101', 2],
    ]);
  });

  it('runs both cases to closing with the inspector’s verification', async () => {
    for (const n of first.caseNumbers) {
      await d.ok('street_dispatcher', n, 'dispatch', { tier: 2, unitId: DEPT });
      await d.ok('department_handler', n, 'sign');
      await d.ok('department_handler', n, 'feedback', { note: '已整改', ...NO_PHOTO });
      const closed = await d.ok('inspector', n, 'verify_pass', { note: '复核通过' });
      expect(closed.state).toBe('closed');
    }
  });

  it('links a re-inspection of the same alley to the one before', async () => {
    await d.setClock(new Date(env.clock.now().getTime() + 86_400_000));
    const res = await d.send('inspector', 'POST', '/api/inspections', { alleyId, findings: [] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ score: 100, caseNumbers: [], previousId: first.id });
    const list = (await d.get('street_dispatcher', `/api/inspections?alleyId=${alleyId}`)).json();
    expect(list.map((i: { score: number; findingCount: number }) => [i.score, i.findingCount])).toEqual([
      [100, 0],
      [96, 2],
    ]);
    expect((await d.get('shichahai-inspector', `/api/inspections/${first.id}`)).json().error.code).toBe(
      'OUT_OF_SCOPE',
    );
  });
});
