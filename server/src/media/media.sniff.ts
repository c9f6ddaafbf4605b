import { AppError } from '../shared/errors.ts';

/**
 * What an uploaded file really is, decided from its bytes alone. File names and declared content
 * types come from the client and prove nothing; a renamed PDF or SVG must never reach the decoder
 * or, worse, be served back under an image content type.
 *
 * Beyond the magic bytes the container is walked far enough to notice a file cut short in transit
 * (a phone on a weak connection), so that the resident is told at once instead of getting a grey
 * half-picture on the public page.
 */

export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];
export type AcceptedFormat = 'jpeg' | 'png' | 'webp';

export interface SniffedImage {
  format: AcceptedFormat;
  contentType: AcceptedType;
}

const CONTENT_TYPE: Record<AcceptedFormat, AcceptedType> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/**
 * Accepts JPEG, PNG and WebP; refuses everything else with UNSUPPORTED_MEDIA_TYPE naming the field and
 * what was detected instead.
 */
export function sniffImage(bytes: Uint8Array, field: string): SniffedImage {
  const detected = detectFormat(bytes);
  if (detected === 'jpeg' || detected === 'png' || detected === 'webp') {
    return { format: detected, contentType: CONTENT_TYPE[detected] };
  }
  throw new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `${field} is not a complete JPEG, PNG or WebP image (detected: ${detected})`,
    { field, detected },
  );
}

/**
 * A short name for what the bytes are: 'jpeg' | 'png' | 'webp' for complete accepted images,
 * 'jpeg-truncated' (and so on) for accepted formats that are cut short or malformed, and otherwise a
 * best guess ('gif', 'pdf', 'heic', 'svg', 'text', 'empty', 'unknown', …) for the error message.
 */
export function detectFormat(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'empty';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return jpegComplete(bytes) ? 'jpeg' : 'jpeg-truncated';
  if (startsWith(bytes, PNG_SIGNATURE)) return pngComplete(bytes) ? 'png' : 'png-truncated';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    return webpComplete(bytes) ? 'webp' : 'webp-truncated';
  }
  return otherFormat(bytes);
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(bytes: Uint8Array, at: number, length: number): string {
  if (bytes.length < at + length) return '';
  return String.fromCharCode(...bytes.subarray(at, at + length));
}

const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const u32le = (b: Uint8Array, at: number) =>
  b[at]! + (b[at + 1]! << 8) + (b[at + 2]! << 16) + ((b[at + 3]! << 24) >>> 0);

/**
 * Walks the marker segments up to the start of scan, then looks for the end-of-image marker. Inside
 * entropy-coded data 0xFF is always stuffed or followed by a restart marker, so FF D9 after the scan
 * header can only be an end of image. Bytes after it are allowed: several phone makers append data.
 */
function jpegComplete(b: Uint8Array): boolean {
  let at = 2;
  let sawFrame = false;
  while (at < b.length) {
    if (b[at] !== 0xff) return false;
    while (at < b.length && b[at] === 0xff) at++;
    if (at >= b.length) return false;
    const marker = b[at++]!;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9 || marker === 0xd8) return false;
    if (at + 2 > b.length) return false;
    const length = u16be(b, at);
    if (length < 2 || at + length > b.length) return false;
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      sawFrame = true;
    }
    at += length;
    if (marker === 0xda) return sawFrame && hasEndOfImage(b, at);
  }
  return false;
}

function hasEndOfImage(b: Uint8Array, from: number): boolean {
  for (let i = b.length - 2; i >= from; i--) {
    if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  }
  return false;
}

/** Walks the chunks from IHDR to IEND without checking CRCs; the decoder does that. */
function pngComplete(b: Uint8Array): boolean {
  let at = 8;
  let first = true;
  while (at + 12 <= b.length) {
    const length = u32be(b, at);
    const type = ascii(b, at + 4, 4);
    if (!/^[A-Za-z]{4}$/.test(type)) return false;
    if (first && (type !== 'IHDR' || length !== 13)) return false;
    first = false;
    const next = at + 12 + length;
    if (next > b.length) return false;
    if (type === 'IEND') return true;
    at = next;
  }
  return false;
}

/** The RIFF header states the file's length, so a cut-short upload shows as a shortfall. */
function webpComplete(b: Uint8Array): boolean {
  if (b.length < 20) return false;
  const riffSize = u32le(b, 4);
  if (riffSize + 8 > b.length || riffSize < 12) return false;
  const chunk = ascii(b, 12, 4);
  return chunk === 'VP8 ' || chunk === 'VP8L' || chunk === 'VP8X';
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

function otherFormat(b: Uint8Array): string {
  const head = ascii(b, 0, 6);
  if (head === 'GIF87a' || head === 'GIF89a') return 'gif';
  if (head.startsWith('%PDF-')) return 'pdf';
  if (ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (HEIF_BRANDS.has(brand)) return 'heic';
    if (brand === 'avif' || brand === 'avis') return 'avif';
    return 'isobmff';
  }
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (head.startsWith('BM')) return 'bmp';
  if (startsWith(b, [0x00, 0x00, 0x01, 0x00])) return 'ico';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (ascii(b, 0, 4) === 'RIFF') return 'riff';
  if (looksLikeText(b)) {
    const text = new TextDecoder('utf-8', { fatal: false })
      .decode(b.subarray(0, 1024))
      .replace(/^\uFEFF/, '')
      .trimStart()
      .toLowerCase();
    if (text.startsWith('<') && text.includes('<svg')) return 'svg';
    if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'html';
    if (text.startsWith('<?xml')) return 'xml';
    return 'text';
  }
  return 'unknown';
}

/** No NUL and hardly any control characters in the first bytes: text in any ASCII-compatible encoding. */
function looksLikeText(b: Uint8Array): boolean {
  const sample = b.subarray(0, 512);
  let control = 0;
  for (const c of sample) {
    if (c === 0) return false;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) control++;
  }
  return control * 20 < sample.length;
}
