import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { gif, jpeg, png, webp } from './media.fixtures.ts';
import { detectFormat, sniffImage } from './media.sniff.ts';

function refusal(bytes: Uint8Array): AppError {
  try {
    sniffImage(bytes, 'photos[0]');
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('sniffImage', () => {
  it('accepts real JPEG, PNG and WebP images by their bytes', async () => {
    expect(sniffImage(await jpeg(), 'photos[0]')).toEqual({ format: 'jpeg', contentType: 'image/jpeg' });
    expect(sniffImage(await png({ alpha: true }), 'photos[1]')).toEqual({
      format: 'png',
      contentType: 'image/png',
    });
    expect(sniffImage(await webp(), 'photos[2]')).toEqual({ format: 'webp', contentType: 'image/webp' });
    expect(sniffImage(await webp({ alpha: true }), 'photos[3]').format).toBe('webp');
  });

  it('refuses a GIF, naming the field and what it found', async () => {
    const err = refusal(await gif());
    expect(err.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(err.status).toBe(415);
    expect(err.details).toEqual({ field: 'photos[0]', detected: 'gif' });
  });

  it('refuses documents, text and markup whatever they are called', () => {
    const pdf = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n', 'latin1');
    expect(refusal(pdf).details.detected).toBe('pdf');
    // "photo.jpg" that is really a note: the name never enters into it.
    expect(refusal(Buffer.from('这是一张照片，真的。\nthis is a photo, honestly\n')).details.detected).toBe(
      'text',
    );
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>');
    expect(refusal(svg).details.detected).toBe('svg');
    expect(refusal(Buffer.from('<!DOCTYPE html><html></html>')).details.detected).toBe('html');
  });

  it('refuses HEIC and AVIF containers, which browsers cannot show', () => {
    const ftyp = (brand: string) =>
      Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}\0\0\0\0mif1heic`, 'latin1')]);
    expect(refusal(ftyp('heic')).details.detected).toBe('heic');
    expect(refusal(ftyp('avif')).details.detected).toBe('avif');
  });

  it('refuses an empty file and random bytes', () => {
    expect(refusal(Buffer.alloc(0)).details.detected).toBe('empty');
    expect(refusal(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x00])).details.detected).toBe('unknown');
  });

  it('refuses images cut short in transit, and bare magic bytes', async () => {
    const j = await jpeg({ width: 200, height: 150 });
    expect(refusal(j.subarray(0, Math.floor(j.length / 2))).details.detected).toBe('jpeg-truncated');
    expect(refusal(j.subarray(0, j.length - 2)).details.detected).toBe('jpeg-truncated');
    expect(refusal(Buffer.from([0xff, 0xd8, 0xff, 0xe0])).details.detected).toBe('jpeg-truncated');

    const p = await png({ width: 200, height: 150 });
    expect(refusal(p.subarray(0, p.length - 20)).details.detected).toBe('png-truncated');
    expect(refusal(p.subarray(0, 8)).details.detected).toBe('png-truncated');

    const w = await webp({ width: 200, height: 150 });
    expect(refusal(w.subarray(0, w.length - 10)).details.detected).toBe('webp-truncated');
  });

  it('allows data after the end of a JPEG, as some phones append it', async () => {
    const j = await jpeg();
    expect(detectFormat(Buffer.concat([j, Buffer.from('trailer from the camera app')]))).toBe('jpeg');
  });
});
