import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { findJpegExif, parseExifGps, readJpegGps } from './media.exif.ts';
import {
  BEIJING_GPS,
  BEIJING_LAT,
  BEIJING_LNG,
  BEIJING_TAGS,
  buildExif,
  jpeg,
  phoneJpeg,
  withApp1,
} from './media.fixtures.ts';

const TAKEN_AT = new Date('2026-11-02T08:30:15Z');

describe('EXIF GPS written by sharp', () => {
  it('reads latitude, longitude and UTC time from a JPEG, both from the file and from sharp metadata', async () => {
    const photo = await phoneJpeg();
    const fromFile = readJpegGps(photo);
    expect(fromFile).not.toBeNull();
    expect(fromFile!.lat).toBeCloseTo(BEIJING_LAT, 5);
    expect(fromFile!.lng).toBeCloseTo(BEIJING_LNG, 5);
    expect(Math.abs(fromFile!.lat - BEIJING_LAT)).toBeLessThan(1e-5);
    expect(Math.abs(fromFile!.lng - BEIJING_LNG)).toBeLessThan(1e-5);
    expect(fromFile!.takenAt).toEqual(TAKEN_AT);

    const { exif } = await sharp(photo).metadata();
    expect(parseExifGps(exif!)).toEqual(fromFile);
  });

  it('reads the southern and western hemispheres as negative', async () => {
    const photo = await sharp(await jpeg())
      .withExif({ IFD3: { ...BEIJING_GPS, GPSLatitudeRef: 'S', GPSLongitudeRef: 'W' } })
      .toBuffer();
    const gps = readJpegGps(photo)!;
    expect(gps.lat).toBeCloseTo(-BEIJING_LAT, 6);
    expect(gps.lng).toBeCloseTo(-BEIJING_LNG, 6);
  });

  it('reads the EXIF that PNG and WebP carry too', async () => {
    for (const format of ['png', 'webp'] as const) {
      const img = await sharp(await jpeg())
        [format]()
        .withExif({ IFD3: BEIJING_GPS })
        .toBuffer();
      const { exif } = await sharp(img).metadata();
      expect(parseExifGps(exif!)?.lat, format).toBeCloseTo(BEIJING_LAT, 6);
    }
  });

  it('returns null for a photo without EXIF or without GPS', async () => {
    expect(readJpegGps(await jpeg())).toBeNull();
    const noGps = await sharp(await jpeg())
      .withExif({ IFD0: { Make: 'NoGps' } })
      .toBuffer();
    expect(findJpegExif(noGps)).not.toBeNull();
    expect(readJpegGps(noGps)).toBeNull();
  });
});

describe('EXIF GPS in both byte orders', () => {
  for (const order of ['II', 'MM'] as const) {
    it(`${order === 'II' ? 'little' : 'big'}-endian, with and without the Exif header, and inside a JPEG`, async () => {
      for (const block of [buildExif(order, BEIJING_TAGS), buildExif(order, BEIJING_TAGS, true)]) {
        const gps = parseExifGps(block)!;
        expect(Math.abs(gps.lat - BEIJING_LAT)).toBeLessThan(1e-9);
        expect(Math.abs(gps.lng - BEIJING_LNG)).toBeLessThan(1e-9);
        expect(gps.takenAt).toEqual(TAKEN_AT);
      }
      const photo = withApp1(await jpeg(), buildExif(order, BEIJING_TAGS));
      expect(readJpegGps(photo)?.lat).toBeCloseTo(BEIJING_LAT, 9);
      // sharp hands over the same block, whatever the byte order.
      const { exif } = await sharp(photo).metadata();
      expect(parseExifGps(exif!)?.lng).toBeCloseTo(BEIJING_LNG, 9);
    });
  }

  it('accepts decimal degrees in one rational and omits a time it cannot trust', () => {
    const gps = parseExifGps(
      buildExif('MM', {
        latRef: 'N',
        lat: [[3990833, 100000]],
        lngRef: 'E',
        lng: [[11639150, 100000]],
        date: '2026:02:31',
        time: [
          [8, 1],
          [0, 1],
          [0, 1],
        ],
      }),
    );
    expect(gps).toEqual({ lat: 39.90833, lng: 116.3915 });
  });

  it('refuses positions it cannot trust', () => {
    const without = (patch: Partial<typeof BEIJING_TAGS>) =>
      parseExifGps(buildExif('II', { ...BEIJING_TAGS, ...patch }));
    // No hemisphere letter: a wrong sign is worse than no hint.
    expect(without({ latRef: undefined })).toBeNull();
    expect(without({ lngRef: 'X' })).toBeNull();
    expect(without({ lat: undefined })).toBeNull();
    // A zero denominator, a latitude beyond the pole, the receiver's own "void" flag, the 0,0 of no fix.
    expect(
      without({
        lat: [
          [39, 0],
          [0, 1],
          [0, 1],
        ],
      }),
    ).toBeNull();
    expect(without({ lat: [[91, 1]] })).toBeNull();
    expect(without({ status: 'V' })).toBeNull();
    expect(without({ lat: [[0, 1]], lng: [[0, 1]] })).toBeNull();
    expect(without({ status: 'A' })?.lat).toBeCloseTo(BEIJING_LAT, 9);
  });
});

describe('malformed EXIF', () => {
  it('never throws on truncations of a valid block', () => {
    for (const order of ['II', 'MM'] as const) {
      const block = buildExif(order, BEIJING_TAGS);
      for (let n = 0; n < block.length; n++) {
        const result = parseExifGps(block.subarray(0, n));
        // A cut-off block may still hold the position (the date comes last), or nothing usable.
        if (result) expect(result.lat).toBeCloseTo(BEIJING_LAT, 9);
      }
    }
  });

  it('never throws on random bytes or random damage to a valid block', () => {
    const valid = buildExif('II', BEIJING_TAGS);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        parseExifGps(bytes);
        parseExifGps(Buffer.concat([Buffer.from('Exif\0\0MM\0*', 'latin1'), bytes]));
        readJpegGps(Buffer.concat([Buffer.from([0xff, 0xd8]), bytes]));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (edits) => {
          const damaged = Buffer.from(valid);
          for (const [at, value] of edits) damaged[at] = value;
          const gps = parseExifGps(damaged);
          if (gps) {
            expect(Math.abs(gps.lat)).toBeLessThanOrEqual(90);
            expect(Math.abs(gps.lng)).toBeLessThanOrEqual(180);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('stops at a huge entry count or an offset pointing outside the block', () => {
    const block = buildExif('MM', BEIJING_TAGS, true);
    const hugeCount = Buffer.from(block);
    hugeCount.writeUInt16BE(0xffff, 8);
    expect(parseExifGps(hugeCount)).toBeNull();
    const farGps = Buffer.from(block);
    farGps.writeUInt32BE(0xfffffff0, 8 + 2 + 8);
    expect(parseExifGps(farGps)).toBeNull();
  });
});
