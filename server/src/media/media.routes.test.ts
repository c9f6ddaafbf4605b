import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type Session, type TestEnv } from '../../test/harness.ts';
import type { Role } from '../accounts/roles.ts';
import { jpeg, phoneJpeg } from './media.fixtures.ts';
import { attachMedia } from './media.repository.ts';
import type { MediaRecord } from './media.schema.ts';

const XICHANGANJIE = '110102001';
const SHICHAHAI = '110102012';

let env: TestEnv;
let dataDir: string;
const sessions = new Map<Role, Session>();
let loose: MediaRecord;
let noDistrict: MediaRecord;
let inside: MediaRecord;
let outside: MediaRecord;

async function caseIn(streetCode: string): Promise<string> {
  const street = (await env.ctx.territory.listStreets()).find((s) => s.code === streetCode)!;
  const { result } = await env.ctx.cases.intake(null, {
    channel: 'resident',
    description: '胡同口堆放的建筑垃圾一直没人清理',
    lng: street.center[0],
    lat: street.center[1],
    crs: 'wgs84',
  });
  return result.id;
}

beforeAll(async () => {
  // The harness gives each test file its own data folder, under which the media folder lives.
  env = await createTestEnv();
  dataDir = env.ctx.config.dataDir;
  for (const role of [
    'resident',
    'volunteer',
    'street_dispatcher',
    'department_handler',
    'district_admin',
    'leader',
    'system_admin',
  ] as const) {
    sessions.set(role, await login(env.app, `demo-${role}`));
  }
  const upload = { role: 'report' as const, uploadedBy: null };
  [loose] = (await env.ctx.media.ingest(
    [{ bytes: await phoneJpeg({ width: 1600, height: 1200 }), field: 'photos[0]' }],
    {
      ...upload,
      districtCode: '110102',
    },
  )) as [MediaRecord];
  [noDistrict] = (await env.ctx.media.ingest(
    [{ bytes: await jpeg({ width: 50, height: 40 }), field: 'photos[0]' }],
    upload,
  )) as [MediaRecord];
  const [a, b] = await env.ctx.media.ingest(
    [
      { bytes: await jpeg({ width: 60, height: 40 }), field: 'photos[0]' },
      { bytes: await jpeg({ width: 70, height: 40 }), field: 'photos[1]' },
    ],
    upload,
  );
  const insideCase = await caseIn(XICHANGANJIE);
  const outsideCase = await caseIn(SHICHAHAI);
  const attachTo = async (id: string, caseId: string) =>
    (await attachMedia(env.ctx.db, [id], { kind: 'case', id: caseId, districtCode: '110102' }))[0]!;
  inside = await attachTo(a!.id, insideCase);
  outside = await attachTo(b!.id, outsideCase);
});

afterAll(async () => {
  await env?.close();
});

function get(url: string, as?: Role, headers: Record<string, string> = {}) {
  const s = as ? sessions.get(as) : undefined;
  return env.app.inject({ method: 'GET', url, headers: { ...(s?.headers ?? {}), ...headers } });
}

describe('public copies', () => {
  it('serves the public copy and thumbnail to anyone, as stripped JPEG with cache headers', async () => {
    expect(env.ctx.media.publicUrl(loose)).toBe(`/api/media/${loose.id}/public`);
    const res = await get(env.ctx.media.publicUrl(loose));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const m = await sharp(res.rawPayload).metadata();
    expect([m.width, m.height, m.exif, m.icc]).toEqual([1280, 960, undefined, undefined]);
    expect(res.rawPayload.includes('HutongPhone')).toBe(false);

    const thumb = await get(`/api/media/${loose.id}/thumb`, 'resident');
    expect(thumb.statusCode).toBe(200);
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(320);
    // Files are written under the configured data folder, by upload month.
    await expect(fs.stat(path.join(dataDir, 'media', loose.publicKey))).resolves.toBeTruthy();
  });

  it('answers a repeated request with 304 Not Modified', async () => {
    const first = await get(`/api/media/${loose.id}/public`);
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await get(`/api/media/${loose.id}/public`, undefined, { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('answers 404 for an unknown photo', async () => {
    for (const variant of ['public', 'thumb', 'original']) {
      const res = await get(`/api/media/med_0000/${variant}`, 'system_admin');
      expect(res.statusCode, variant).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
  });
});

describe('originals', () => {
  const status = async (record: MediaRecord, as?: Role) => {
    const res = await get(`/api/media/${record.id}/original`, as);
    return res.statusCode === 200 ? 'ok' : (res.json().error.code as string);
  };

  it('are refused to anonymous callers, residents and volunteers, without revealing whether the photo exists', async () => {
    expect(await status(loose)).toBe('UNAUTHENTICATED');
    expect(await status(loose, 'resident')).toBe('FORBIDDEN');
    expect(await status(loose, 'volunteer')).toBe('FORBIDDEN');
    expect((await get('/api/media/med_0000/original', 'resident')).statusCode).toBe(403);
  });

  it('are served to staff, uncached and without metadata', async () => {
    const res = await get(`/api/media/${loose.id}/original`, 'district_admin');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const m = await sharp(res.rawPayload).metadata();
    expect([m.width, m.height, m.exif]).toEqual([1600, 1200, undefined]);
  });

  it('follow the case they belong to: its street and its assigned unit', async () => {
    expect(await status(inside, 'street_dispatcher')).toBe('ok');
    expect(await status(outside, 'street_dispatcher')).toBe('OUT_OF_SCOPE');
    // Not yet assigned to the department: not its case.
    expect(await status(inside, 'department_handler')).toBe('OUT_OF_SCOPE');
    for (const role of ['district_admin', 'leader', 'system_admin'] as const) {
      expect(await status(inside, role), role).toBe('ok');
      expect(await status(outside, role), role).toBe('ok');
    }
  });

  it('of photos not yet attached are for district-wide roles of their district only', async () => {
    expect(await status(loose, 'street_dispatcher')).toBe('OUT_OF_SCOPE');
    expect(await status(loose, 'leader')).toBe('ok');
    expect(await status(noDistrict, 'district_admin')).toBe('OUT_OF_SCOPE');
    expect(await status(noDistrict, 'system_admin')).toBe('ok');
  });
});
