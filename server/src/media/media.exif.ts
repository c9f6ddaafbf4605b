/**
 * The place a photo was taken, read from its EXIF GPS tags. The hint helps a dispatcher check a
 * report's pin; it is kept in the database and never leaves in a public copy (SPEC §4.10).
 *
 * Phones write GPS positions in WGS-84, the datum the rest of Hutong stores, so no conversion here.
 * Upload bytes are untrusted: every offset is bounds-checked and a malformed block yields null.
 */

export interface GpsHint {
  lng: number;
  lat: number;
  /** From the GPS date and time stamps, which are UTC by definition (unlike DateTimeOriginal). */
  takenAt?: Date;
}

const TAG_GPS_IFD = 0x8825;
const GPS_LATITUDE_REF = 0x0001;
const GPS_LATITUDE = 0x0002;
const GPS_LONGITUDE_REF = 0x0003;
const GPS_LONGITUDE = 0x0004;
const GPS_TIME_STAMP = 0x0007;
const GPS_STATUS = 0x0009;
const GPS_DATE_STAMP = 0x001d;

const TYPE_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_RATIONAL = 5;
const TYPE_SRATIONAL = 10;
const TYPE_IFD = 13;

// A real IFD has a few dozen entries; a huge count is a corrupt or hostile file.
const MAX_IFD_ENTRIES = 512;

/** Finds the EXIF block in a JPEG (the APP1 segment that starts with "Exif\0") and reads its GPS. */
export function readJpegGps(jpeg: Uint8Array): GpsHint | null {
  const exif = findJpegExif(jpeg);
  return exif ? parseExifGps(exif) : null;
}

/** The APP1 "Exif" payload of a JPEG (from "Exif\0\0" on), or null. Stops at the start of scan. */
export function findJpegExif(jpeg: Uint8Array): Uint8Array | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= jpeg.length) {
    if (jpeg[at] !== 0xff) return null;
    const marker = jpeg[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return null;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = (jpeg[at + 2]! << 8) | jpeg[at + 3]!;
    if (length < 2 || at + 2 + length > jpeg.length) return null;
    const payload = jpeg.subarray(at + 4, at + 2 + length);
    if (marker === 0xe1 && hasExifHeader(payload)) return payload;
    at += 2 + length;
  }
  return null;
}

function hasExifHeader(b: Uint8Array): boolean {
  return b.length >= 6 && b[0] === 0x45 && b[1] === 0x78 && b[2] === 0x69 && b[3] === 0x66 && b[4] === 0;
}

/**
 * Reads GPS latitude, longitude and UTC time from an EXIF block: either the APP1 payload that starts
 * with "Exif\0\0" (what sharp's `metadata().exif` gives for JPEG and WebP) or a bare TIFF structure
 * (PNG's eXIf chunk). Returns null when there is no usable position; never throws.
 */
export function parseExifGps(exif: Uint8Array): GpsHint | null {
  try {
    return readGps(exif);
  } catch {
    // The reader is bounds-checked throughout; this is the last line for a case it did not foresee.
    return null;
  }
}

interface Entry {
  type: number;
  count: number;
  /** Offset of the value bytes, from the start of the TIFF header. */
  valueAt: number;
}

class TiffReader {
  constructor(
    private readonly view: DataView,
    private readonly little: boolean,
  ) {}

  get length(): number {
    return this.view.byteLength;
  }

  u16(at: number): number | undefined {
    return at >= 0 && at + 2 <= this.length ? this.view.getUint16(at, this.little) : undefined;
  }

  u32(at: number): number | undefined {
    return at >= 0 && at + 4 <= this.length ? this.view.getUint32(at, this.little) : undefined;
  }

  i32(at: number): number | undefined {
    return at >= 0 && at + 4 <= this.length ? this.view.getInt32(at, this.little) : undefined;
  }

  byte(at: number): number | undefined {
    return at >= 0 && at < this.length ? this.view.getUint8(at) : undefined;
  }

  /** The entries of the IFD at `offset`, by tag; null when the directory does not fit. */
  ifd(offset: number): Map<number, Entry> | null {
    const count = this.u16(offset);
    if (count === undefined || count > MAX_IFD_ENTRIES) return null;
    if (offset + 2 + count * 12 > this.length) return null;
    const entries = new Map<number, Entry>();
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      const tag = this.u16(at)!;
      const type = this.u16(at + 2)!;
      const n = this.u32(at + 4)!;
      const size = TYPE_SIZE[type];
      if (size === undefined || n === 0) continue;
      const total = size * n;
      if (total > this.length) continue;
      const valueAt = total <= 4 ? at + 8 : this.u32(at + 8)!;
      if (valueAt + total > this.length) continue;
      if (!entries.has(tag)) entries.set(tag, { type, count: n, valueAt });
    }
    return entries;
  }

  /** A pointer to another IFD (LONG or IFD type, count 1). */
  pointer(entry: Entry | undefined): number | undefined {
    if (!entry || entry.count < 1) return undefined;
    if (entry.type === TYPE_LONG || entry.type === TYPE_IFD) return this.u32(entry.valueAt);
    if (entry.type === TYPE_SHORT) return this.u16(entry.valueAt);
    return undefined;
  }

  rationals(entry: Entry | undefined): number[] | null {
    if (!entry || (entry.type !== TYPE_RATIONAL && entry.type !== TYPE_SRATIONAL)) return null;
    const values: number[] = [];
    for (let i = 0; i < Math.min(entry.count, 3); i++) {
      const at = entry.valueAt + i * 8;
      const signed = entry.type === TYPE_SRATIONAL;
      const num = signed ? this.i32(at) : this.u32(at);
      const den = signed ? this.i32(at + 4) : this.u32(at + 4);
      if (num === undefined || den === undefined || den === 0) return null;
      values.push(num / den);
    }
    return values;
  }

  /** An ASCII value without its NUL terminator; a single-letter ref is sometimes written as BYTE or UNDEFINED. */
  text(entry: Entry | undefined): string | null {
    if (!entry || TYPE_SIZE[entry.type] !== 1) return null;
    let s = '';
    for (let i = 0; i < Math.min(entry.count, 64); i++) {
      const c = this.byte(entry.valueAt + i);
      if (c === undefined || c === 0) break;
      s += String.fromCharCode(c);
    }
    return s;
  }
}

function readGps(exif: Uint8Array): GpsHint | null {
  const start = hasExifHeader(exif) ? 6 : 0;
  const tiff = exif.subarray(start);
  if (tiff.length < 8) return null;
  const order = String.fromCharCode(tiff[0]!, tiff[1]!);
  if (order !== 'II' && order !== 'MM') return null;
  const r = new TiffReader(new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength), order === 'II');
  if (r.u16(2) !== 42) return null;

  const ifd0 = r.ifd(r.u32(4)!);
  const gpsOffset = r.pointer(ifd0?.get(TAG_GPS_IFD));
  if (gpsOffset === undefined || gpsOffset === 0) return null;
  const gps = r.ifd(gpsOffset);
  if (!gps) return null;

  // 'V' (void): the receiver had no fix and the coordinates, if any, are stale.
  if (r.text(gps.get(GPS_STATUS))?.toUpperCase() === 'V') return null;

  const lat = coordinate(r.rationals(gps.get(GPS_LATITUDE)), r.text(gps.get(GPS_LATITUDE_REF)), 'N', 'S', 90);
  const lng = coordinate(
    r.rationals(gps.get(GPS_LONGITUDE)),
    r.text(gps.get(GPS_LONGITUDE_REF)),
    'E',
    'W',
    180,
  );
  if (lat === null || lng === null) return null;
  // Exactly 0,0 is what some cameras write when they have no fix, not a report from the Gulf of Guinea.
  if (lat === 0 && lng === 0) return null;

  const takenAt = timestamp(r.text(gps.get(GPS_DATE_STAMP)), r.rationals(gps.get(GPS_TIME_STAMP)));
  return takenAt ? { lng, lat, takenAt } : { lng, lat };
}

/**
 * Degrees, minutes, seconds (any of the last two may be absent or folded into the first) with the
 * hemisphere letter. A position without its letter is refused: a wrong hemisphere is worse than none.
 */
function coordinate(
  parts: number[] | null,
  ref: string | null,
  positive: string,
  negative: string,
  limit: number,
): number | null {
  if (!parts || parts.length === 0 || !ref) return null;
  const letter = ref.trim().toUpperCase();
  if (letter !== positive && letter !== negative) return null;
  const [deg = 0, min = 0, sec = 0] = parts;
  if (![deg, min, sec].every((v) => Number.isFinite(v) && v >= 0)) return null;
  const value = deg + min / 60 + sec / 3600;
  if (value > limit) return null;
  return letter === negative ? -value : value;
}

function timestamp(date: string | null, time: number[] | null): Date | undefined {
  if (!date || !time || time.length < 3) return undefined;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})/.exec(date.trim());
  if (!m) return undefined;
  const [h, min, s] = time as [number, number, number];
  if (!(h >= 0 && h < 24 && min >= 0 && min < 60 && s >= 0 && s < 61)) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1990 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const midnight = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 February over into March; such a stamp is corrupt, not a date.
  if (midnight.getUTCDate() !== day) return undefined;
  return new Date(midnight.getTime() + Math.round((h * 3600 + min * 60 + s) * 1000));
}
