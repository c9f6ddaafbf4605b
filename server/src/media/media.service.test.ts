import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { AppError } from '../shared/errors.ts';
import { readJpegGps } from './media.exif.ts';
import { BEIJING_LAT, BEIJING_LNG, gif, jpeg, phoneJpeg, png, webp } from './media.fixtures.ts';
import { attachMedia } from './media.repository.ts';
import type { MediaRecord, MediaRole } from './media.schema.ts';
import { type IncomingFile, MediaService, type MediaServiceOptions } from './media.service.ts';
import { InMemoryMediaStorage } from './media.storage.ts';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv({ demo: false });
});
afterAll(async () => {
  await env?.close();
});

function service(options: MediaServiceOptions = {}, storage = new InMemoryMediaStorage()) {
  return { svc: new MediaService(env.ctx.db, storage, env.clock, options), storage };
}

const files = (...bytes: Buffer[]): IncomingFile[] =>
  bytes.map((b, i) => ({ bytes: b, field: `photos[${i}]`, filename: `IMG_${i}.jpg` }));

async function mediaCount(): Promise<number> {
  const r = await env.ctx.db
    .selectFrom('media')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('did not throw');
}

const report = { role: 'report' as const, uploadedBy: null };

describe('processing', () => {
  let record: MediaRecord;
  let storage: InMemoryMediaStorage;
  const copies: Record<'original' | 'public' | 'thumb', Buffer> = {
    original: Buffer.alloc(0),
    public: Buffer.alloc(0),
    thumb: Buffer.alloc(0),
  };

  beforeAll(async () => {
    // A 3000×2000 landscape sensor image that the phone marks "rotate 90°": a 2000×3000 portrait.
    const upload = await phoneJpeg({ width: 3000, height: 2000, orientation: 6 });
    const made = service();
    storage = made.storage;
    [record] = (await made.svc.ingest(files(upload), { ...report, uploadedBy: 'u_resident' })) as [
      MediaRecord,
    ];
    for (const k of ['original', 'public', 'thumb'] as const) {
      const key = { original: record.originalKey, public: record.publicKey, thumb: record.thumbKey }[k];
      copies[k] = (await storage.get(key))!.bytes;
    }
  });

  it('keeps the GPS position in the record, and the upload size and hash', async () => {
    expect(record.gps).not.toBeNull();
    expect(Math.abs(record.gps!.lat - BEIJING_LAT)).toBeLessThan(1e-5);
    expect(Math.abs(record.gps!.lng - BEIJING_LNG)).toBeLessThan(1e-5);
    expect(record.gps!.takenAt).toEqual(new Date('2026-11-02T08:30:15Z'));
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.bytes).toBeGreaterThan(1000);
    expect(record).toMatchObject({
      role: 'report',
      uploadedBy: 'u_resident',
      owner: null,
      contentType: 'image/jpeg',
    });
  });

  it('orients and bounds the three copies: 2048, 1280 and 320 px on the long side', async () => {
    expect([record.width, record.height]).toEqual([1365, 2048]);
    const dims = async (b: Buffer) => {
      const m = await sharp(b).metadata();
      return [m.width, m.height, m.format];
    };
    expect(await dims(copies.original)).toEqual([1365, 2048, 'jpeg']);
    expect(await dims(copies.public)).toEqual([853, 1280, 'jpeg']);
    expect(await dims(copies.thumb)).toEqual([213, 320, 'jpeg']);
  });

  it('strips every kind of metadata from every copy, the private original included', async () => {
    for (const [name, bytes] of Object.entries(copies)) {
      const m = await sharp(bytes).metadata();
      expect(m.exif, name).toBeUndefined();
      expect(m.xmp, name).toBeUndefined();
      expect(m.iptc, name).toBeUndefined();
      expect(m.icc, name).toBeUndefined();
      expect(m.hasProfile, name).toBe(false);
      // Already upright: no orientation tag left for a viewer to apply a second time.
      expect(m.orientation, name).toBeUndefined();
      expect(readJpegGps(bytes), name).toBeNull();
      expect(bytes.includes('HutongPhone'), name).toBe(false);
      expect(bytes.includes('Exif\0'), name).toBe(false);
    }
  });

  it('never enlarges, flattens transparency onto white and turns PNG and WebP into JPEG', async () => {
    const { svc, storage } = service();
    const [fromPng, fromWebp] = await svc.ingest(
      files(await png({ width: 100, height: 80, alpha: true }), await webp()),
      report,
    );
    expect([fromPng!.width, fromPng!.height]).toEqual([100, 80]);
    const thumb = (await storage.get(fromPng!.thumbKey))!.bytes;
    const m = await sharp(thumb).metadata();
    expect([m.width, m.height, m.format, m.hasAlpha]).toEqual([100, 80, 'jpeg', false]);
    // The left half of the test PNG is fully transparent.
    const { data } = await sharp(thumb)
      .extract({ left: 5, top: 40, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect([...data].every((v) => v > 240)).toBe(true);
    expect(fromWebp!.contentType).toBe('image/jpeg');
    expect((await sharp((await storage.get(fromWebp!.publicKey))!.bytes).metadata()).format).toBe('jpeg');
    expect(fromPng!.gps).toBeNull();
  });

  it('stores the same photo sent twice in one submission once', async () => {
    const { svc, storage } = service();
    const photo = await jpeg();
    const records = await svc.ingest(files(photo, await png(), photo), report);
    expect(records).toHaveLength(2);
    expect(storage.keys()).toHaveLength(6);
    expect((await svc.findSameFile(records[0]!.sha256)).map((r) => r.id)).toContain(records[0]!.id);
  });

  it('files the copies by upload month under random names', async () => {
    expect(record.publicKey).toMatch(/^2026\/11\/[0-9a-f-]{36}-public\.jpg$/);
    expect(record.thumbKey).toBe(record.publicKey.replace('-public', '-thumb'));
    expect(record.originalKey).toBe(record.publicKey.replace('-public', '-original'));
  });
});

describe('ingest is all or nothing', () => {
  it('refuses the whole submission when one file is not an image, storing nothing', async () => {
    const { svc, storage } = service();
    const before = await mediaCount();
    const err = await caught(svc.ingest(files(await jpeg(), await png(), await gif()), report));
    expect(err.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(err.details).toMatchObject({ field: 'photos[2]', detected: 'gif' });
    expect(storage.keys()).toEqual([]);
    expect(await mediaCount()).toBe(before);
  });

  it('refuses more files than allowed, larger files and too many pixels, naming the field', async () => {
    const photo = await jpeg({ width: 200, height: 200 });
    const tooMany = await caught(
      service().svc.ingest(files(...Array.from({ length: 10 }, () => photo)), report),
    );
    expect(tooMany.code).toBe('TOO_MANY_FILES');
    expect(tooMany.status).toBe(400);
    expect(tooMany.details).toMatchObject({ field: 'photos', max: 9, count: 10 });

    const configured = service({ maxFiles: 2, maxBytes: 2000, maxPixels: 10_000 }).svc;
    expect((await caught(configured.ingest(files(photo, photo, photo), report))).details).toMatchObject({
      max: 2,
    });
    const big = await caught(configured.ingest(files(await jpeg({ width: 20, height: 20 }), photo), report));
    expect(big.code).toBe('PAYLOAD_TOO_LARGE');
    expect(big.status).toBe(413);
    expect(big.details).toMatchObject({ field: 'photos[1]', maxBytes: 2000 });
    const pixels = await caught(
      service({ maxPixels: 10_000 }).svc.ingest(files(await png({ width: 120, height: 100 })), report),
    );
    expect(pixels.code).toBe('PAYLOAD_TOO_LARGE');
    expect(pixels.details).toMatchObject({ field: 'photos[0]', maxPixels: 10_000, pixels: 12_000 });
  });

  it('refuses an image whose container is whole but whose data is corrupt', async () => {
    const p = await png({ width: 64, height: 64 });
    const idat = p.indexOf('IDAT');
    const broken = Buffer.from(p);
    broken[idat + 10] = broken[idat + 10]! ^ 0xff;
    const err = await caught(service().svc.ingest(files(broken), report));
    expect(err.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(err.details).toEqual({ field: 'photos[0]', detected: 'png-corrupt' });
  });

  it('removes what it stored when storage fails part-way', async () => {
    class FailingStorage extends InMemoryMediaStorage {
      puts = 0;
      override async put(key: string, bytes: Buffer, type: string) {
        if (++this.puts === 5) throw new Error('disk full');
        await super.put(key, bytes, type);
      }
    }
    const storage = new FailingStorage();
    const { svc } = service({}, storage);
    const before = await mediaCount();
    await expect(svc.ingest(files(await jpeg(), await png()), report)).rejects.toThrow('disk full');
    expect(storage.puts).toBe(5);
    expect(storage.keys()).toEqual([]);
    expect(await mediaCount()).toBe(before);
  });

  it('removes what it stored when the database refuses the rows', async () => {
    const { svc, storage } = service();
    const before = await mediaCount();
    await expect(
      svc.ingest(files(await jpeg()), { ...report, role: 'selfie' as MediaRole }),
    ).rejects.toThrow();
    expect(storage.keys()).toEqual([]);
    expect(await mediaCount()).toBe(before);
    await expect(svc.ingest(files(await jpeg()), { ...report, districtCode: '1101' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});

describe('attachMedia', () => {
  it('claims photos for a case inside the caller transaction, and is idempotent for that case', async () => {
    const { svc } = service();
    const [a, b] = await svc.ingest(files(await jpeg(), await png()), report);
    const owner = { kind: 'case', id: 'case_1', districtCode: '110102' };
    const attached = await env.ctx.db.transaction().execute((trx) => attachMedia(trx, [b!.id, a!.id], owner));
    expect(attached.map((r) => r.id)).toEqual([b!.id, a!.id]);
    expect(attached[0]).toMatchObject({ owner: { kind: 'case', id: 'case_1' }, districtCode: '110102' });
    expect((await attachMedia(env.ctx.db, [a!.id], owner)).length).toBe(1);
    expect((await svc.listByOwner({ kind: 'case', id: 'case_1' })).map((r) => r.id).sort()).toEqual(
      [a!.id, b!.id].sort(),
    );
    expect(await attachMedia(env.ctx.db, [], owner)).toEqual([]);
  });

  it('rolls back with the case when the caller transaction fails', async () => {
    const { svc } = service();
    const [a] = await svc.ingest(files(await jpeg()), report);
    await expect(
      env.ctx.db.transaction().execute(async (trx) => {
        await attachMedia(trx, [a!.id], { kind: 'case', id: 'case_2', districtCode: '110102' });
        throw new Error('the case insert failed');
      }),
    ).rejects.toThrow('the case insert failed');
    expect((await svc.get(a!.id)).owner).toBeNull();
  });

  it('refuses a photo that belongs elsewhere, or to another district, and an unknown id, all or nothing', async () => {
    const { svc } = service();
    const [a, b] = await svc.ingest(files(await jpeg(), await png()), { ...report, districtCode: '110102' });
    await attachMedia(env.ctx.db, [a!.id], { kind: 'case', id: 'case_3', districtCode: '110102' });
    const taken = await caught(
      attachMedia(env.ctx.db, [b!.id, a!.id], { kind: 'case', id: 'case_4', districtCode: '110102' }),
    );
    expect(taken.code).toBe('CONFLICT');
    expect(taken.details.ids).toEqual([a!.id]);
    // b was not left half-attached to case_4.
    expect((await svc.get(b!.id)).owner).toBeNull();
    expect(
      (await caught(attachMedia(env.ctx.db, [b!.id], { kind: 'case', id: 'case_5', districtCode: '110101' })))
        .code,
    ).toBe('CONFLICT');
    expect(
      (
        await caught(
          attachMedia(env.ctx.db, [b!.id, 'med_nope'], {
            kind: 'case',
            id: 'case_5',
            districtCode: '110102',
          }),
        )
      ).code,
    ).toBe('NOT_FOUND');
  });
});

describe('unclaimed uploads', () => {
  it('discards uploads no case claimed, with their bytes, and keeps attached ones', async () => {
    const { svc, storage } = service();
    const [kept, dropped] = await svc.ingest(files(await jpeg(), await png()), report);
    await attachMedia(env.ctx.db, [kept!.id], { kind: 'case', id: 'case_6', districtCode: '110102' });
    expect(await svc.discard([kept!.id, dropped!.id])).toBe(1);
    expect(storage.keys()).toHaveLength(3);
    expect(storage.keys()).toContain(kept!.publicKey);
    await expect(svc.get(dropped!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sweeps uploads left unclaimed for longer than a day', async () => {
    const { svc, storage } = service();
    const [old] = await svc.ingest(files(await webp()), report);
    env.clock.advance(25 * 3600 * 1000);
    const [fresh] = await svc.ingest(files(await jpeg({ width: 30, height: 30 })), report);
    expect(await svc.sweepUnattached()).toBeGreaterThanOrEqual(1);
    await expect(svc.get(old!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await svc.get(fresh!.id)).id).toBe(fresh!.id);
    expect(storage.keys().every((k) => k.startsWith(fresh!.publicKey.slice(0, 44)))).toBe(true);
  });

  it('are swept by a scheduled job, with temporary files a crash left behind', async () => {
    const [old] = await env.ctx.media.ingest(files(await webp()), report);
    const media = path.join(env.ctx.config.dataDir, 'media');
    const leftover = path.join(media, '.crashed.jpg.tmp');
    await fs.mkdir(media, { recursive: true });
    await fs.writeFile(leftover, 'half a photo');
    const written = new Date(env.clock.now().getTime() - 2 * 3600_000);
    await fs.utimes(leftover, written, written);
    env.clock.advance(25 * 3600 * 1000);
    await env.ctx.scheduler.tick();
    expect((await env.ctx.jobs.drain()).failed).toBe(0);
    await expect(env.ctx.media.get(old!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(fs.stat(leftover)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
