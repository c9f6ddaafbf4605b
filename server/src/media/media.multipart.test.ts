import fastifyMultipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../http/errors.ts';
import { readMultipartFiles } from './media.multipart.ts';

/** A stand-in for the intake route: reads the form and echoes what it got. */
let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  installErrorHandler(app);
  await app.register(fastifyMultipart, {
    attachFieldsToBody: false,
    limits: { files: 9, fileSize: 15 << 20 },
  });
  app.post('/upload', async (request) => {
    const { files, fields } = await readMultipartFiles(request, {
      maxFiles: 3,
      maxBytes: 1000,
      maxFieldBytes: 200,
    });
    return {
      files: files.map((f) => ({ field: f.field, filename: f.filename, size: f.bytes.length })),
      fields,
    };
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
});

type Entry = [name: string, value: string] | [name: string, bytes: Buffer, filename: string];

/** Serialises a form the way a browser does, through the platform's own FormData encoder. */
async function send(entries: Entry[]) {
  const form = new FormData();
  for (const e of entries) {
    if (e.length === 2) form.append(e[0], e[1]);
    else form.append(e[0], new Blob([new Uint8Array(e[1])], { type: 'image/jpeg' }), e[2]);
  }
  const request = new Request('http://localhost/upload', { method: 'POST', body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  return app.inject({
    method: 'POST',
    url: '/upload',
    headers: { 'content-type': request.headers.get('content-type')! },
    payload,
  });
}

const bytes = (n: number) => Buffer.alloc(n, 7);

describe('readMultipartFiles', () => {
  it('collects the photos in order, named by index, and the text fields', async () => {
    const res = await send([
      ['description', '路灯不亮'],
      ['photos', bytes(10), 'a.jpg'],
      ['lng', '116.38'],
      ['photos', bytes(20), '照片.jpg'],
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      files: [
        { field: 'photos[0]', filename: 'a.jpg', size: 10 },
        { field: 'photos[1]', filename: '照片.jpg', size: 20 },
      ],
      fields: { description: '路灯不亮', lng: '116.38' },
    });
  });

  it('skips the empty part a browser sends for a file input left empty', async () => {
    const boundary = 'b0undary';
    const payload = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="photos"; filename=""',
      'Content-Type: application/octet-stream',
      '',
      '',
      `--${boundary}`,
      'Content-Disposition: form-data; name="description"',
      '',
      'x',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.json()).toEqual({ files: [], fields: { description: 'x' } });
    // Some clients send it as an empty text field instead.
    expect((await send([['photos', Buffer.alloc(0), '']])).json()).toEqual({ files: [], fields: {} });
    const text = await send([['photos', 'not a file']]);
    expect(text.json().error.details.fields).toEqual([
      { field: 'photos', code: 'custom', params: {}, message: 'must be sent as files' },
    ]);
  });

  it('refuses more files than allowed with TOO_MANY_FILES', async () => {
    const res = await send(Array.from({ length: 4 }, (_, i): Entry => ['photos', bytes(10), `${i}.jpg`]));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'TOO_MANY_FILES', details: { field: 'photos', max: 3 } });
  });

  it('refuses a file over the size limit with PAYLOAD_TOO_LARGE naming it', async () => {
    const res = await send([
      ['photos', bytes(10), 'ok.jpg'],
      ['photos', bytes(5000), 'big.jpg'],
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { field: 'photos[1]', maxBytes: 1000 },
    });
  });

  it('refuses an over-long text field, a repeated one, and files in another field', async () => {
    const long = await send([['description', 'x'.repeat(500)]]);
    expect(long.statusCode).toBe(413);
    expect(long.json().error.details.field).toBe('description');

    const twice = await send([
      ['lng', '1'],
      ['lng', '2'],
    ]);
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.details.fields).toEqual([
      { field: 'lng', code: 'custom', params: {}, message: 'sent more than once' },
    ]);

    const stray = await send([['avatar', bytes(10), 'me.jpg']]);
    expect(stray.statusCode).toBe(400);
    expect(stray.json().error.details.fields[0].field).toBe('avatar');
  });

  it('refuses a body that is not multipart with UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await app.inject({ method: 'POST', url: '/upload', payload: { photos: 'x' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toMatchObject({
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: { field: 'body', detected: 'application/json' },
    });
  });

  it('refuses a body cut off in the middle', async () => {
    const boundary = 'xyz';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nabc`;
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});
