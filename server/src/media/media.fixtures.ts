import sharp from 'sharp';

/**
 * Test images, generated rather than checked in, so every test states the property it relies on
 * (size, format, orientation, GPS tags) where it builds the image.
 */

export interface Picture {
  width?: number;
  height?: number;
  alpha?: boolean;
}

function canvas({ width = 64, height = 48, alpha = false }: Picture = {}) {
  // A gradient rather than a flat colour, so that encoders have real content to compress.
  const channels = alpha ? 4 : 3;
  const data = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      data[i] = (x * 255) / Math.max(1, width - 1);
      data[i + 1] = (y * 255) / Math.max(1, height - 1);
      data[i + 2] = 128;
      if (alpha) data[i + 3] = x < width / 2 ? 0 : 255;
    }
  }
  return sharp(data, { raw: { width, height, channels } });
}

export const jpeg = (p?: Picture) => canvas(p).jpeg({ quality: 90 }).toBuffer();
export const png = (p?: Picture) => canvas(p).png().toBuffer();
export const webp = (p?: Picture) => canvas(p).webp().toBuffer();
export const gif = (p?: Picture) => canvas(p).gif().toBuffer();

/** GPS in sharp's string form: each rational as "num/den", degrees minutes seconds. */
export const BEIJING_GPS = {
  GPSLatitudeRef: 'N',
  GPSLatitude: '39/1 54/1 3000/100',
  GPSLongitudeRef: 'E',
  GPSLongitude: '116/1 23/1 2940/100',
  GPSDateStamp: '2026:11:02',
  GPSTimeStamp: '8/1 30/1 15/1',
};
export const BEIJING_LAT = 39 + 54 / 60 + 30 / 3600;
export const BEIJING_LNG = 116 + 23 / 60 + 29.4 / 3600;

/** A phone-like JPEG: GPS tags, camera make and model, and an orientation that asks for rotation. */
export function phoneJpeg(p: Picture & { orientation?: number } = {}) {
  return canvas(p)
    .jpeg({ quality: 90 })
    .withMetadata({ orientation: p.orientation ?? 1 })
    .withExifMerge({
      IFD0: { Make: 'HutongPhone', Model: 'Test 1', Artist: 'A Resident' },
      IFD3: BEIJING_GPS,
    })
    .toBuffer();
}

// ---- EXIF blocks by hand, to cover both byte orders and malformed variants -----------------------

export interface GpsTags {
  latRef?: string;
  lat?: [number, number][];
  lngRef?: string;
  lng?: [number, number][];
  date?: string;
  time?: [number, number][];
  status?: string;
}

/**
 * A TIFF structure with IFD0 → GPS IFD, in the given byte order, prefixed with "Exif\0\0" unless
 * `bare`. Values that do not fit in an entry are placed after the directories, as cameras do.
 */
export function buildExif(order: 'II' | 'MM', tags: GpsTags, bare = false): Buffer {
  const little = order === 'II';
  type Field = { tag: number; type: number; count: number; data: Buffer };
  const ascii = (s: string) => Buffer.from(`${s}\0`, 'latin1');
  const rationals = (vs: [number, number][]) => {
    const b = Buffer.alloc(vs.length * 8);
    vs.forEach(([n, d], i) => {
      if (little) {
        b.writeUInt32LE(n, i * 8);
        b.writeUInt32LE(d, i * 8 + 4);
      } else {
        b.writeUInt32BE(n, i * 8);
        b.writeUInt32BE(d, i * 8 + 4);
      }
    });
    return b;
  };
  const gps: Field[] = [];
  if (tags.latRef !== undefined)
    gps.push({ tag: 1, type: 2, count: tags.latRef.length + 1, data: ascii(tags.latRef) });
  if (tags.lat) gps.push({ tag: 2, type: 5, count: tags.lat.length, data: rationals(tags.lat) });
  if (tags.lngRef !== undefined)
    gps.push({ tag: 3, type: 2, count: tags.lngRef.length + 1, data: ascii(tags.lngRef) });
  if (tags.lng) gps.push({ tag: 4, type: 5, count: tags.lng.length, data: rationals(tags.lng) });
  if (tags.time) gps.push({ tag: 7, type: 5, count: tags.time.length, data: rationals(tags.time) });
  if (tags.status !== undefined)
    gps.push({ tag: 9, type: 2, count: tags.status.length + 1, data: ascii(tags.status) });
  if (tags.date !== undefined)
    gps.push({ tag: 0x1d, type: 2, count: tags.date.length + 1, data: ascii(tags.date) });

  const u16 = (v: number) => {
    const b = Buffer.alloc(2);
    little ? b.writeUInt16LE(v) : b.writeUInt16BE(v);
    return b;
  };
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    little ? b.writeUInt32LE(v) : b.writeUInt32BE(v);
    return b;
  };
  const ifdSize = (n: number) => 2 + n * 12 + 4;
  const ifd0At = 8;
  const gpsAt = ifd0At + ifdSize(1);
  let dataAt = gpsAt + ifdSize(gps.length);
  const extra: Buffer[] = [];
  const entry = (f: Field) => {
    let value: Buffer;
    if (f.data.length <= 4) {
      value = Buffer.concat([f.data, Buffer.alloc(4 - f.data.length)]);
    } else {
      value = u32(dataAt);
      extra.push(f.data);
      dataAt += f.data.length;
    }
    return Buffer.concat([u16(f.tag), u16(f.type), u32(f.count), value]);
  };
  const ifd0 = Buffer.concat([u16(1), Buffer.concat([u16(0x8825), u16(4), u32(1), u32(gpsAt)]), u32(0)]);
  const gpsIfd = Buffer.concat([u16(gps.length), ...gps.map(entry), u32(0)]);
  const header = Buffer.concat([Buffer.from(order, 'latin1'), u16(42), u32(ifd0At)]);
  const tiff = Buffer.concat([header, ifd0, gpsIfd, ...extra]);
  return bare ? tiff : Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

/** Puts an APP1 segment with the given payload right after a JPEG's start-of-image marker. */
export function withApp1(jpegBytes: Buffer, payload: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(payload.length + 2);
  return Buffer.concat([
    jpegBytes.subarray(0, 2),
    Buffer.from([0xff, 0xe1]),
    length,
    payload,
    jpegBytes.subarray(2),
  ]);
}

export const BEIJING_TAGS: GpsTags = {
  latRef: 'N',
  lat: [
    [39, 1],
    [54, 1],
    [3000, 100],
  ],
  lngRef: 'E',
  lng: [
    [116, 1],
    [23, 1],
    [2940, 100],
  ],
  date: '2026:11:02',
  time: [
    [8, 1],
    [30, 1],
    [15, 1],
  ],
};
