import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import { jpeg } from '../media/media.fixtures.ts';

/** Staff filing a case from the console (POST /api/cases): the caller's contact and photos. */

let env: TestEnv;
let point: [number, number];
let dispatcher: Session;
beforeAll(async () => {
  env = await createTestEnv();
  const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
    code: string;
    center: [number, number];
  }[];
  point = streets.find((x) => x.code === '110102001')!.center;
  dispatcher = await login(env.app, 'demo-street_dispatcher');
});
afterAll(async () => {
  await env?.close();
});

/** A multipart/form-data body as the console's browser sends it. */
function multipart(fields: Record<string, string>, photos: { name: string; type: string; bytes: Buffer }[]) {
  const boundary = '----hutong-staff-filing';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  for (const p of photos) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${p.name}"\r\nContent-Type: ${p.type}\r\n\r\n`,
      ),
    );
    parts.push(p.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

async function uploads() {
  return Number(
    (
      await env.ctx.db
        .selectFrom('media')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

describe('staff filing with the caller and photos', () => {
  it('files a desk case with the caller and a photo, shows the contact to staff only, and replays once', async () => {
    const fields = {
      channel: 'staff',
      description: '来访群众反映胡同口井盖松动',
      lng: String(point[0]),
      lat: String(point[1]),
      categoryCode: '06001',
      address: '西长安街胡同口',
      reporterName: '李大爷',
      reporterContact: '13800138000',
    };
    const photo = await jpeg();
    const send = () => {
      const body = multipart(fields, [{ name: 'manhole.jpg', type: 'image/jpeg', bytes: photo }]);
      return env.app.inject({
        method: 'POST',
        url: '/api/cases',
        payload: body.payload,
        headers: { ...body.headers, ...dispatcher.headers, 'idempotency-key': 'desk-filing-1' },
      });
    };
    const res = await send();
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as { id: string; caseNumber: string; trackingCode: string };

    const detail = await env.app.inject({
      method: 'GET',
      url: `/api/cases/${created.id}`,
      headers: dispatcher.headers,
    });
    expect(detail.statusCode, detail.body).toBe(200);
    const c = detail.json();
    expect(c.channel).toBe('staff');
    expect(c.reporter).toEqual({ name: '李大爷', contact: '13800138000' });
    expect(c.categoryKey).toBe('event:06001');
    expect(await env.ctx.media.listByOwner({ kind: 'case', id: created.id })).toHaveLength(1);

    // The public tracking page carries neither the caller's name nor the number.
    const tracked = await env.app.inject({
      method: 'GET',
      url: `/api/public/reports/${created.trackingCode}`,
    });
    expect(tracked.statusCode).toBe(200);
    expect(tracked.body).not.toContain('13800138000');
    expect(tracked.body).not.toContain('李大爷');

    // A double click: the same key and the same photo file nothing twice and keep no stray upload.
    const before = await uploads();
    const again = await send();
    expect(again.statusCode, again.body).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(created.id);
    expect(await uploads()).toBe(before);
  });

  it('takes JSON with the contact as before', async () => {
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/cases',
      headers: dispatcher.headers,
      payload: {
        channel: 'hotline',
        description: '来电反映路灯不亮',
        lng: point[0],
        lat: point[1],
        reporterName: '王女士',
        reporterContact: '010-66001234',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const row = await env.ctx.db
      .selectFrom('case_record')
      .select(['reporter_name', 'reporter_contact', 'channel', 'reporter_user_id'])
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      reporter_name: '王女士',
      reporter_contact: '010-66001234',
      channel: 'hotline',
      reporter_user_id: expect.any(String),
    });
  });

  it('refuses a role that may not file, keeping none of its photos', async () => {
    const leader = await login(env.app, 'demo-leader');
    const before = await uploads();
    const body = multipart(
      {
        channel: 'staff',
        description: '领导想代为上报一个问题',
        lng: String(point[0]),
        lat: String(point[1]),
      },
      [{ name: 'a.jpg', type: 'image/jpeg', bytes: await jpeg() }],
    );
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/cases',
      payload: body.payload,
      headers: { ...body.headers, ...leader.headers },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect(await uploads()).toBe(before);
  });

  it('refuses invalid multipart fields and discards the photos', async () => {
    const before = await uploads();
    const body = multipart({ channel: 'staff', description: '短', lng: 'east', lat: String(point[1]) }, [
      { name: 'a.jpg', type: 'image/jpeg', bytes: await jpeg() },
    ]);
    const res = await env.app.inject({
      method: 'POST',
      url: '/api/cases',
      payload: body.payload,
      headers: { ...body.headers, ...dispatcher.headers },
    });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().error.details.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['description', 'lng']));
    expect(await uploads()).toBe(before);
  });
});
