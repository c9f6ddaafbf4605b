import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/harness.ts';
import { beijingDateOf } from '../../calendar/working-calendar.ts';
import { CaseDriver, SHICHAHAI, XICHANGANJIE } from '../../ledgers/ledger.fixtures.ts';

/**
 * Frontage responsibility (门前三包) over HTTP, on PGlite and (with HUTONG_TEST_DATABASE_URL) on
 * PostgreSQL: the register and its agreements, checks by staff and from inspections, monthly ratings,
 * who may do what, and the public board without personal data.
 */
let env: TestEnv;
let d: CaseDriver;
let alley: { id: string; name: string; at: [number, number] };
let otherAlleyId: string;
let today: string;

const PHONE = '13900001111';
const PERSON = '王某某';

beforeAll(async () => {
  env = await createTestEnv();
  d = new CaseDriver(env);
  await d.signIn(
    'resident',
    'alley_chief',
    'street_dispatcher',
    'inspector',
    'district_admin',
    'grid_worker',
  );
  await d.addAccount('frontage-chief-outside', 'alley_chief', SHICHAHAI);
  await d.addAccount('frontage-inspector-outside', 'inspector', SHICHAHAI);
  const row = await env.ctx.db
    .selectFrom('alley')
    .select(['id', 'name', 'geometry'])
    .where('street_code', '=', XICHANGANJIE)
    .where('name', '=', '东斜街')
    .executeTakeFirstOrThrow();
  alley = { id: row.id, name: row.name, at: row.geometry.coordinates[0]! as [number, number] };
  otherAlleyId = (
    await env.ctx.db
      .selectFrom('alley')
      .select('id')
      .where('street_code', '=', SHICHAHAI)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  ).id;
  today = beijingDateOf(env.clock.now());
});
afterAll(async () => {
  await env?.close();
});

const agreement = (over: Record<string, unknown> = {}) => ({
  stretch: '40号至42号门前',
  lengthM: 12,
  signedOn: '2026-01-10',
  validUntil: '2027-01-09',
  signatory: PERSON,
  ...over,
});

async function register(who = 'street_dispatcher', alleyId = alley.id) {
  return d.send(who, 'POST', '/api/frontage/shops', {
    alleyId,
    name: '测试早点铺',
    kind: 'restaurant',
    address: '东斜街40号',
    responsibleName: PERSON,
    responsiblePhone: PHONE,
    agreement: agreement(),
  });
}

describe('the public alley board', () => {
  it("lists the demo shops of an alley with this month's stars and no personal data", async () => {
    const res = await env.app.inject({ method: 'GET', url: `/api/public/alleys/${alley.id}/shops` });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items.length).toBeGreaterThanOrEqual(3);
    const rated = body.items.filter((s: { stars: number | null }) => s.stars !== null);
    expect(rated.length).toBeGreaterThanOrEqual(3);
    for (const s of rated) expect(s.stars).toBeGreaterThanOrEqual(1);
    expect(body.items[0].agreement).toMatchObject({ duties: ['appearance', 'sanitation', 'order'] });
    expect(res.body).not.toMatch(/responsible|phone|示例负责人|010-6600/);
  });

  it('answers 404 for an alley that does not exist', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/public/alleys/nope/shops' });
    expect(res.statusCode).toBe(404);
  });
});

describe('the register', () => {
  let shopId: string;

  it('registers a shop with its agreement (version 1, all three duties by default)', async () => {
    const res = await register();
    expect(res.statusCode, res.body).toBe(201);
    const shop = res.json();
    shopId = shop.id;
    expect(shop).toMatchObject({
      alleyId: alley.id,
      responsibleName: PERSON,
      responsiblePhone: PHONE,
      agreementState: 'valid',
      rating: { stars: null, checks: 0 },
    });
    expect(shop.agreements).toHaveLength(1);
    expect(shop.agreement).toMatchObject({ version: 1, duties: ['appearance', 'sanitation', 'order'] });
  });

  it('supersedes an agreement with a new version, never overwriting it', async () => {
    const res = await d.send('alley_chief', 'POST', `/api/frontage/shops/${shopId}/agreements`, {
      ...agreement({
        stretch: '40号至44号门前',
        lengthM: 20,
        signedOn: '2026-06-01',
        validUntil: '2027-05-31',
      }),
      duties: ['sanitation', 'order'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const shop = res.json();
    expect(shop.agreement).toMatchObject({
      version: 2,
      stretch: '40号至44号门前',
      duties: ['sanitation', 'order'],
    });
    expect(shop.agreements.map((a: { version: number }) => a.version)).toEqual([2, 1]);
    expect(shop.agreements[1]).toMatchObject({ stretch: '40号至42号门前', supersededAt: expect.any(String) });
  });

  it('numbers agreements signed at the same instant one after the other, one of them current', async () => {
    const signed = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        d.send('street_dispatcher', 'POST', `/api/frontage/shops/${shopId}/agreements`, {
          ...agreement({ stretch: `第${n}次签订`, signedOn: '2026-07-01', validUntil: '2027-06-30' }),
        }),
      ),
    );
    expect(signed.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const shop = (await d.get('street_dispatcher', `/api/frontage/shops/${shopId}`)).json();
    expect(shop.agreements.map((a: { version: number }) => a.version)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(
      shop.agreements.filter((a: { supersededAt: string | null }) => a.supersededAt === null),
    ).toHaveLength(1);
    expect(shop.agreement.version).toBe(6);
  });

  it('refuses an agreement that ends before it is signed, naming the field', async () => {
    const res = await d.send('street_dispatcher', 'POST', `/api/frontage/shops/${shopId}/agreements`, {
      ...agreement({ signedOn: '2026-06-01', validUntil: '2026-05-01' }),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0].field).toBe('validUntil');
  });

  it('lets a resident, a grid worker and an inspector register nothing', async () => {
    for (const who of ['resident', 'grid_worker', 'inspector']) {
      const res = await register(who);
      expect([who, res.statusCode]).toEqual([who, 403]);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
    const anonymous = await env.app.inject({ method: 'POST', url: '/api/frontage/shops', payload: {} });
    expect(anonymous.statusCode).toBe(401);
  });

  it("keeps another street's staff out: OUT_OF_SCOPE to register, read, sign or check", async () => {
    const reg = await register('frontage-chief-outside');
    expect(reg.statusCode).toBe(403);
    expect(reg.json().error.code).toBe('OUT_OF_SCOPE');
    for (const [method, url, body] of [
      ['GET', `/api/frontage/shops/${shopId}`, undefined],
      ['POST', `/api/frontage/shops/${shopId}/agreements`, agreement()],
      [
        'POST',
        `/api/frontage/shops/${shopId}/checks`,
        { appearanceOk: true, sanitationOk: true, orderOk: true },
      ],
      ['GET', `/api/frontage/shops?alley=${alley.id}`, undefined],
    ] as const) {
      const res =
        method === 'GET'
          ? await d.get('frontage-chief-outside', url)
          : await d.send('frontage-chief-outside', method, url, body);
      expect([url, res.statusCode, res.json().error?.code]).toEqual([url, 403, 'OUT_OF_SCOPE']);
    }
    const outsideCheck = await d.send(
      'frontage-inspector-outside',
      'POST',
      `/api/frontage/shops/${shopId}/checks`,
      { appearanceOk: true, sanitationOk: true, orderOk: true },
    );
    expect(outsideCheck.json().error.code).toBe('OUT_OF_SCOPE');
    const own = await d.get('frontage-chief-outside', '/api/frontage/shops');
    expect(own.statusCode).toBe(200);
    expect(own.json().items.map((s: { id: string }) => s.id)).not.toContain(shopId);
  });

  it("lists the staff's shops with contacts; the public sees the shop without them", async () => {
    const staff = await d.get('alley_chief', `/api/frontage/shops?alley=${alley.id}`);
    expect(staff.statusCode).toBe(200);
    expect(staff.json().items.find((s: { id: string }) => s.id === shopId)).toMatchObject({
      responsiblePhone: PHONE,
    });
    const pub = await env.app.inject({ method: 'GET', url: `/api/public/alleys/${alley.id}/shops` });
    const mine = pub.json().items.find((s: { id: string }) => s.id === shopId);
    expect(mine).toMatchObject({ name: '测试早点铺', stars: null, ratingMonth: null, checks: 0 });
    expect(pub.body).not.toContain(PHONE);
    expect(pub.body).not.toContain(PERSON);
  });

  describe('checks and ratings', () => {
    it('lets a resident record no check', async () => {
      const res = await d.send('resident', 'POST', `/api/frontage/shops/${shopId}/checks`, {
        appearanceOk: true,
        sanitationOk: true,
        orderOk: true,
      });
      expect(res.statusCode).toBe(403);
    });

    it('records checks by the inspector and the alley chief and rates the month', async () => {
      const first = await d.send('inspector', 'POST', `/api/frontage/shops/${shopId}/checks`, {
        appearanceOk: true,
        sanitationOk: true,
        orderOk: true,
        note: '门前整洁',
      });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ checkedOn: today, rating: { stars: 5, checks: 1 } });
      const second = await d.send('alley_chief', 'POST', `/api/frontage/shops/${shopId}/checks`, {
        appearanceOk: true,
        sanitationOk: false,
        orderOk: true,
        note: '门前有杂物',
      });
      expect(second.statusCode).toBe(201);
      // 5 of 6 items: 83 % → three stars
      expect(second.json().rating).toMatchObject({ stars: 3, checks: 2, passed: 5, items: 6 });
      const pub = await env.app.inject({ method: 'GET', url: `/api/public/alleys/${alley.id}/shops` });
      expect(pub.json().items.find((s: { id: string }) => s.id === shopId)).toMatchObject({
        stars: 3,
        ratingMonth: today.slice(0, 7),
      });
    });

    it('refuses a check dated in the future or on no calendar day', async () => {
      for (const checkedOn of ['2099-01-01', '2026-02-30']) {
        const res = await d.send('inspector', 'POST', `/api/frontage/shops/${shopId}/checks`, {
          checkedOn,
          appearanceOk: true,
          sanitationOk: true,
          orderOk: true,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.details.fields[0].field).toBe('checkedOn');
      }
    });

    it('shows the monthly ratings per alley, "not rated" for shops unchecked in the month', async () => {
      const res = await d.get('street_dispatcher', '/api/frontage/ratings');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      const group = body.alleys.find((a: { alleyId: string }) => a.alleyId === alley.id);
      expect(group.items.find((s: { shopId: string }) => s.shopId === shopId).rating.stars).toBe(3);
      const earlier = await d.get(
        'street_dispatcher',
        `/api/frontage/ratings?alley=${alley.id}&month=2020-01`,
      );
      expect(
        earlier.json().alleys[0].items.every((s: { rating: { stars: null } }) => s.rating.stars === null),
      ).toBe(true);
      expect(earlier.json().alleys[0].averageStars).toBeNull();
    });
  });

  describe('inspections', () => {
    async function frontageItem(name: string) {
      const form = await d.get('inspector', `/api/inspections/form?alleyId=${alley.id}`);
      expect(form.statusCode, form.body).toBe(200);
      return form
        .json()
        .items.find((i: { name: string; frontage: boolean }) => i.name === name && i.frontage);
    }

    it('turns 门前三包 findings naming a shop into that shop’s check, failing their duties', async () => {
      const litter = await frontageItem('门前杂物未清');
      const sign = await frontageItem('责任牌缺失');
      expect(litter && sign).toBeTruthy();
      const res = await d.send('inspector', 'POST', '/api/inspections', {
        alleyId: alley.id,
        findings: [
          { indicatorCode: litter.code, lng: alley.at[0], lat: alley.at[1], note: '纸箱堆放', shopId },
          { indicatorCode: sign.code, lng: alley.at[0], lat: alley.at[1], note: '', shopId },
          { indicatorCode: litter.code, lng: alley.at[0], lat: alley.at[1], note: '无主杂物' },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
      const shop = (await d.get('alley_chief', `/api/frontage/shops/${shopId}`)).json();
      const fromInspection = shop.checks.filter((c: { source: string }) => c.source === 'inspection');
      expect(fromInspection).toHaveLength(1);
      expect(fromInspection[0]).toMatchObject({
        inspectionId: res.json().id,
        appearanceOk: true,
        sanitationOk: false,
        orderOk: false,
      });
      // 6 of 9 items: 67 % → two stars
      expect(shop.rating).toMatchObject({ stars: 2, checks: 3 });
      const detail = (await d.get('inspector', `/api/inspections/${res.json().id}`)).json();
      expect(detail.findings.map((f: { shopId: string | null }) => f.shopId)).toEqual([shopId, shopId, null]);
    });

    it('refuses a shop named on a finding that is no 门前三包 item, or a shop of another alley', async () => {
      const form = (await d.get('inspector', `/api/inspections/form?alleyId=${alley.id}`)).json();
      const plain = form.items.find(
        (i: { level: number; frontage: boolean }) => i.level === 3 && !i.frontage,
      );
      const litter = await frontageItem('门前杂物未清');
      const outside = await register('district_admin', otherAlleyId);
      expect(outside.statusCode).toBe(201);
      const res = await d.send('inspector', 'POST', '/api/inspections', {
        alleyId: alley.id,
        findings: [
          { indicatorCode: plain.code, lng: alley.at[0], lat: alley.at[1], note: '', shopId },
          {
            indicatorCode: litter.code,
            lng: alley.at[0],
            lat: alley.at[1],
            note: '',
            shopId: outside.json().id,
          },
        ],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'findings[0].shopId',
        'findings[1].shopId',
      ]);
    });
  });
});
