import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { gif, jpeg, phoneJpeg } from '../media/media.fixtures.ts';

let env: TestEnv;
let point: [number, number];
beforeAll(async () => {
  env = await createTestEnv();
  const streets = (await env.app.inject({ method: 'GET', url: '/api/territory/streets' })).json() as {
    code: string;
    center: [number, number];
  }[];
  point = streets.find((x) => x.code === '110102001')!.center;
});
afterAll(async () => {
  await env?.close();
});

/** A phone photo whose EXIF GPS puts it at a WGS-84 point (degrees, minutes, hundredths of seconds). */
function photoAt(lng: number, lat: number) {
  const dms = (v: number) => {
    const d = Math.floor(v);
    const m = Math.floor((v - d) * 60);
    const sec = Math.round(((v - d) * 60 - m) * 60 * 100);
    return `${d}/1 ${m}/1 ${sec}/100`;
  };
  return sharp({ create: { width: 64, height: 48, channels: 3, background: '#8a6' } })
    .jpeg()
    .withExifMerge({
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: dms(lat), GPSLongitudeRef: 'E', GPSLongitude: dms(lng) },
    })
    .toBuffer();
}

/** A multipart/form-data body by hand, as a phone's browser would send it. */
function multipart(fields: Record<string, string>, photos: { name: string; type: string; bytes: Buffer }[]) {
  const boundary = '----hutong-test-boundary';
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

describe('photos in the case loop', () => {
  it('takes a report with photos and uses the photo GPS when no position is given', async () => {
    const body = multipart({ description: '胡同里堆了很多建筑垃圾' }, [
      { name: 'a.jpg', type: 'image/jpeg', bytes: await photoAt(point[0], point[1]) },
      { name: 'b.jpg', type: 'image/jpeg', bytes: await jpeg() },
    ]);
    const res = await env.app.inject({ method: 'POST', url: '/api/public/reports', ...body });
    expect(res.statusCode, res.body).toBe(201);
    const row = await env.ctx.db
      .selectFrom('case_record')
      .selectAll()
      .where('case_number', '=', res.json().caseNumber)
      .executeTakeFirstOrThrow();
    // Hundredths of a second of arc: within a metre.
    expect(Math.abs(row.lat - point[1])).toBeLessThan(1e-5);
    expect(Math.abs(row.lng - point[0])).toBeLessThan(1e-5);
    expect(row.street_code).toBe('110102001');
    const photos = await env.ctx.media.listByOwner({ kind: 'case', id: row.id });
    expect(photos).toHaveLength(2);
  });

  it('refuses a file that is not a photo, by its content, and keeps nothing', async () => {
    const before = await env.ctx.db
      .selectFrom('media')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const body = multipart(
      { description: '这张图其实是动图', lng: String(point[0]), lat: String(point[1]) },
      [
        { name: 'ok.jpg', type: 'image/jpeg', bytes: await jpeg() },
        { name: 'fake.jpg', type: 'image/jpeg', bytes: await gif() },
      ],
    );
    const res = await env.app.inject({ method: 'POST', url: '/api/public/reports', ...body });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const after = await env.ctx.db
      .selectFrom('media')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('retries a report with photos under the same key without creating anything twice', async () => {
    const bytes = await jpeg();
    const send = () =>
      env.app.inject({
        method: 'POST',
        url: '/api/public/reports',
        ...(() => {
          const b = multipart(
            { description: '重发的带图上报', lng: String(point[0]), lat: String(point[1]) },
            [{ name: 'x.jpg', type: 'image/jpeg', bytes }],
          );
          return { payload: b.payload, headers: { ...b.headers, 'idempotency-key': 'offline-retry-7' } };
        })(),
      });
    const first = await send();
    const second = await send();
    expect(second.json()).toEqual(first.json());
    const cases = await env.ctx.db
      .selectFrom('case_record')
      .select('id')
      .where('description', '=', '重发的带图上报')
      .execute();
    expect(cases).toHaveLength(1);
    expect(await env.ctx.media.listByOwner({ kind: 'case', id: cases[0]!.id })).toHaveLength(1);
    const orphans = await env.ctx.db.selectFrom('media').select('id').where('owner_id', 'is', null).execute();
    expect(orphans).toEqual([]);
  });

  it('shows the after-photos of the feedback on the public page, stripped of all metadata', async () => {
    const created = (
      await env.app.inject({
        method: 'POST',
        url: '/api/public/reports',
        payload: { description: '墙面涂鸦需要清理', lng: point[0], lat: point[1] },
      })
    ).json();
    const dispatcher = await login(env.app, 'demo-street_dispatcher');
    const dept = await login(env.app, 'demo-department_handler');
    const act = (who: typeof dispatcher, action: string, payload: Record<string, unknown> = {}) =>
      env.app.inject({
        method: 'POST',
        url: `/api/cases/${created.caseNumber}/actions/${action}`,
        headers: who.headers,
        payload,
      });
    expect((await act(dispatcher, 'accept', { categoryKey: '07001' })).statusCode).toBe(200);
    expect((await act(dispatcher, 'dispatch', { tier: 2, unitId: 'org-cg-110102001' })).statusCode).toBe(200);
    expect((await act(dept, 'sign')).statusCode).toBe(200);
    const upload = multipart({}, [{ name: 'after.jpg', type: 'image/jpeg', bytes: await phoneJpeg() }]);
    const up = await env.app.inject({
      method: 'POST',
      url: `/api/cases/${created.caseNumber}/photos?role=after`,
      payload: upload.payload,
      headers: { ...upload.headers, ...dept.headers },
    });
    expect(up.statusCode, up.body).toBe(201);
    const ids = up.json().map((p: { id: string }) => p.id);
    expect((await act(dept, 'feedback', { note: '已清理', afterPhotoIds: ids })).statusCode).toBe(200);

    const view = (
      await env.app.inject({ method: 'GET', url: `/api/public/reports/${created.trackingCode}` })
    ).json();
    expect(view.afterPhotos).toHaveLength(1);
    // …and the unit's own words on what it did.
    expect(view.handlerFeedback).toMatchObject({ text: '已清理' });
    const copy = await env.app.inject({ method: 'GET', url: view.afterPhotos[0].url });
    expect(copy.statusCode).toBe(200);
    const meta = await sharp(copy.rawPayload).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(JSON.stringify(view)).not.toMatch(/gps|lng"|uploadedBy/i);
  });
});
