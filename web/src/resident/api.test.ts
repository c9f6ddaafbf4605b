import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, setCsrfToken } from '../api/client';
import { json, requestUrl } from '../test-support';
import { isRetryable, multipartRefused, searchCategories, sendDraft } from './api';
import { newDraft } from './draft';

const photo = {
  name: 'a.jpg',
  type: 'image/jpeg',
  blob: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/jpeg' }),
};

describe('sendDraft', () => {
  afterEach(() => setCsrfToken(null));

  it('sends the draft’s idempotency key, and the CSRF token of a signed-in resident', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => json(201, { trackingCode: 'A', caseNumber: 'N' }));
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('csrf-1');
    const draft = { ...newDraft(), description: '垃圾成堆', lng: 116.38, lat: 39.91 };
    await expect(sendDraft(draft)).resolves.toEqual({
      trackingCode: 'A',
      caseNumber: 'N',
      photosDropped: false,
    });
    const headers = new Headers(fetchMock.mock.calls[0]?.[1]?.headers);
    expect(headers.get('Idempotency-Key')).toBe(draft.idempotencyKey);
    expect(headers.get('X-CSRF-Token')).toBe('csrf-1');
    expect(headers.get('Content-Type')).toBe('application/json');
  });

  it('sends photos as multipart, letting the browser set the boundary', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () => json(201, { trackingCode: 'A', caseNumber: 'N' }));
    vi.stubGlobal('fetch', fetchMock);
    await sendDraft({ ...newDraft(), description: '垃圾成堆', lng: 116.38, lat: 39.91, photos: [photo] });
    const init = fetchMock.mock.calls[0]?.[1];
    expect(init?.body).toBeInstanceOf(FormData);
    expect(new Headers(init?.headers).has('Content-Type')).toBe(false);
  });

  it('falls back to JSON, with the same key, while the server cannot read multipart', async () => {
    const fetchMock = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(
        json(400, {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Invalid body',
            details: { fields: [{ field: 'body', message: 'expected object' }] },
          },
        }),
      )
      .mockResolvedValueOnce(json(201, { trackingCode: 'A', caseNumber: 'N' }));
    vi.stubGlobal('fetch', fetchMock);
    const draft = { ...newDraft(), description: '垃圾成堆', lng: 116.38, lat: 39.91, photos: [photo] };
    await expect(sendDraft(draft)).resolves.toMatchObject({ trackingCode: 'A', photosDropped: true });
    const keys = fetchMock.mock.calls.map((call) => new Headers(call[1]?.headers).get('Idempotency-Key'));
    expect(keys).toEqual([draft.idempotencyKey, draft.idempotencyKey]);
    expect(typeof fetchMock.mock.calls[1]?.[1]?.body).toBe('string');
  });

  it('passes on a refusal that names a photo', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async () =>
        json(400, {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'bad',
            details: { fields: [{ field: 'photos[0]', message: 'not an image' }] },
          },
        }),
      ),
    );
    const draft = { ...newDraft(), description: '垃圾成堆', lng: 116.38, lat: 39.91, photos: [photo] };
    await expect(sendDraft(draft)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('error kinds', () => {
  it('retries what left the report undecided', () => {
    expect(isRetryable(new ApiError(0, 'NETWORK_ERROR', ''))).toBe(true);
    expect(isRetryable(new ApiError(503, 'UNEXPECTED_RESPONSE', ''))).toBe(true);
    expect(isRetryable(new ApiError(400, 'VALIDATION_FAILED', ''))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
  });

  it('recognises a server that does not take multipart yet', () => {
    expect(multipartRefused(new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', ''))).toBe(true);
    expect(
      multipartRefused(
        new ApiError(400, 'VALIDATION_FAILED', '', { fields: [{ field: 'photos', message: '' }] }),
      ),
    ).toBe(false);
  });
});

describe('searchCategories', () => {
  it('asks for events only, so a facility and its problem (垃圾箱 / 垃圾箱异常) are not offered twice', async () => {
    const fetchMock = vi.fn<typeof fetch>(async () =>
      json(200, { items: [{ key: 'event:03005', name: '垃圾箱异常' }] }),
    );
    vi.stubGlobal('fetch', fetchMock);
    await expect(searchCategories('垃圾箱')).resolves.toEqual([{ key: 'event:03005', name: '垃圾箱异常' }]);
    const url = new URL(requestUrl(fetchMock.mock.calls[0]?.[0] ?? ''), 'http://localhost');
    expect(url.pathname).toBe('/api/taxonomy');
    expect(url.searchParams.get('q')).toBe('垃圾箱');
    expect(url.searchParams.get('kind')).toBe('event');
  });
});
