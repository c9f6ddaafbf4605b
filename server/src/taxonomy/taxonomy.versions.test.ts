import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { readDefaultCatalogue } from './taxonomy.seed.ts';

let env: TestEnv;
let admin: Session;
let sysadmin: Session;
let dispatcher: Session;
let resident: Session;

beforeAll(async () => {
  env = await createTestEnv();
  admin = await login(env.app, 'demo-district_admin');
  sysadmin = await login(env.app, 'demo-system_admin');
  dispatcher = await login(env.app, 'demo-street_dispatcher');
  resident = await login(env.app, 'demo-resident');
});
afterAll(async () => {
  await env?.close();
});

async function call(who: Session | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const res = await env.app.inject({ method, url, headers: who?.headers ?? {}, payload: payload as object });
  const body = res.json();
  return { status: res.statusCode, body, code: res.statusCode >= 400 ? (body.error.code as string) : 'ok' };
}

const garbage = async () => (await call(null, 'GET', '/api/taxonomy/event:06010')).body;

describe('editing a category', () => {
  it('is refused to everyone but district and system administrators', async () => {
    const patch = { handlingLimit: { amount: 2, unit: 'working_days' } };
    expect((await call(null, 'PATCH', '/api/taxonomy/event:06010', patch)).code).toBe('UNAUTHENTICATED');
    expect((await call(resident, 'PATCH', '/api/taxonomy/event:06010', patch)).code).toBe('FORBIDDEN');
    expect((await call(dispatcher, 'PATCH', '/api/taxonomy/event:06010', patch)).code).toBe('FORBIDDEN');
    const elsewhere = await call(admin, 'PATCH', '/api/taxonomy/event:06010?district=110101', patch);
    expect(elsewhere).toMatchObject({ status: 403, code: 'OUT_OF_SCOPE' });
    expect((await garbage()).version.number).toBe(1);
  });

  it('writes a new active version and keeps the old one', async () => {
    const before = await garbage();
    const res = await call(admin, 'PATCH', '/api/taxonomy/event:06010', {
      handlingLimit: { amount: 2, unit: 'working_days' },
      severity: 'high',
      reason: '夏季加密清运',
      basedOnVersionId: before.version.id,
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toMatchObject({
      number: 2,
      active: true,
      basedOn: before.version.id,
      label: '夏季加密清运',
      createdBy: expect.any(String),
    });
    expect(res.body.entry).toMatchObject({
      handlingLimit: { amount: 2, unit: 'working_days' },
      severity: 'high',
    });
    expect((await garbage()).entry.severity).toBe('high');

    const versions = (await call(null, 'GET', '/api/taxonomy/versions')).body;
    expect(
      versions.map((v: { number: number; active: boolean; entryCount: number }) => [
        v.number,
        v.active,
        v.entryCount,
      ]),
    ).toEqual([
      [2, true, 403],
      [1, false, 403],
    ]);
    // The old version still says what the category meant when it was active.
    const old = await env.ctx.taxonomy.exportCatalogue('110102', before.version.id);
    expect(old.text).toMatch(
      /\n06010\t管理事项\t市容环境类\t暴露垃圾\t暴露垃圾\turban_management\t2\tworking_hours\t1\tworking_days\tnormal\t/,
    );
  });

  it('refuses an edit based on a version that is no longer active', async () => {
    const versions = (await call(null, 'GET', '/api/taxonomy/versions')).body;
    const stale = versions.find((v: { number: number }) => v.number === 1).id;
    const res = await call(admin, 'PATCH', '/api/taxonomy/event:06010', {
      public: false,
      basedOnVersionId: stale,
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONFLICT', details: { field: 'basedOnVersionId' } });
  });

  it('writes no version when nothing changes, and rejects unknown related categories', async () => {
    const current = await garbage();
    const same = await call(admin, 'PATCH', '/api/taxonomy/event:06010', {
      severity: current.entry.severity,
    });
    expect(same.body.version.id).toBe(current.version.id);
    const bad = await call(admin, 'PATCH', '/api/taxonomy/event:06010', { relatedKeys: ['event:99999'] });
    expect(bad.body.error.details.fields).toEqual([
      { field: 'relatedKeys', code: 'custom', params: {}, message: 'no category event:99999' },
    ]);
    expect((await call(admin, 'PATCH', '/api/taxonomy/event:06010', {})).code).toBe('VALIDATION_FAILED');
    expect(
      (
        await call(admin, 'PATCH', '/api/taxonomy/event:06010', {
          responseLimit: { amount: 0, unit: 'working_hours' },
        })
      ).code,
    ).toBe('VALIDATION_FAILED');
  });

  it('re-routes a category whose department changes', async () => {
    const at = async () =>
      (await env.ctx.taxonomy.route('event:06010', { streetCode: '110102003' }))?.organisationId;
    expect(await at()).toBe('org-cg-110102003');
    const res = await call(sysadmin, 'PATCH', '/api/taxonomy/event:06010', { departmentType: 'sanitation' });
    expect(res.status).toBe(200);
    // The demo district has no sanitation service: the street office (属地) takes it.
    expect(await at()).toBe('org-street-110102003');
    const back = await call(sysadmin, 'PATCH', '/api/taxonomy/event:06010', {
      departmentType: 'urban_management',
    });
    expect(back.body.version.number).toBe(4);
    expect(await at()).toBe('org-cg-110102003');
  });
});

describe('activating a version', () => {
  it('undoes later edits, and only an administrator may do it', async () => {
    const versions = (await call(null, 'GET', '/api/taxonomy/versions')).body;
    const first = versions.find((v: { number: number }) => v.number === 1);
    expect((await call(dispatcher, 'POST', `/api/taxonomy/versions/${first.id}/activate`)).code).toBe(
      'FORBIDDEN',
    );
    expect((await call(admin, 'POST', '/api/taxonomy/versions/txv_nope/activate')).code).toBe('NOT_FOUND');
    const res = await call(admin, 'POST', `/api/taxonomy/versions/${first.id}/activate`);
    expect(res.body).toMatchObject({ id: first.id, active: true });
    expect((await garbage()).entry).toMatchObject({ severity: 'normal', handlingLimit: { amount: 1 } });
    const after = (await call(null, 'GET', '/api/taxonomy/versions')).body;
    expect(
      after.filter((v: { active: boolean }) => v.active).map((v: { number: number }) => v.number),
    ).toEqual([1]);
  });
});

describe('importing and exporting a catalogue', () => {
  it('round-trips: an exported version imports as an identical new version', async () => {
    const exported = await env.ctx.taxonomy.exportCatalogue('110102');
    const result = await env.ctx.taxonomy.importCatalogue(SYSTEM_ACTOR, exported.text, {
      districtCode: '110102',
      label: 'reimport',
    });
    expect(result).toMatchObject({ entryCount: 403, version: { label: 'reimport', active: true } });
    expect(result.rules.added).toBe(0);
    const again = await env.ctx.taxonomy.exportCatalogue('110102');
    expect(again.text).toBe(exported.text);
  });

  it('imports nothing from a file with faults, and says which lines', async () => {
    const before = (await env.ctx.taxonomy.listVersions(null, '110102')).length;
    const text = `${await readDefaultCatalogue()}1234\t管理事项\t其他事项类\t坏行\t\n`;
    await expect(
      env.ctx.taxonomy.importCatalogue(SYSTEM_ACTOR, text, { districtCode: '110102' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: [{ field: 'line 405: code', message: expect.any(String) }] },
    });
    expect(await env.ctx.taxonomy.listVersions(null, '110102')).toHaveLength(before);
  });

  it('refuses a district that the territory does not hold', async () => {
    await expect(
      env.ctx.taxonomy.importCatalogue(SYSTEM_ACTOR, await readDefaultCatalogue(), {
        districtCode: '110101',
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
