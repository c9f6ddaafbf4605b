import { describe, expect, it } from 'vitest';
import { draftProblems, newDraft, randomId, reportBody } from './draft';

describe('drafts', () => {
  it('gets an idempotency key once, at the start', () => {
    const a = newDraft();
    const b = newDraft();
    expect(a.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
  });

  it('makes a v4 UUID without randomUUID (plain HTTP on a phone)', () => {
    // An own property shadows the prototype's method; deleting it brings the method back.
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(randomId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Reflect.deleteProperty(crypto, 'randomUUID');
    }
    expect(typeof crypto.randomUUID).toBe('function');
  });

  it('needs a description of four characters and a place', () => {
    expect(draftProblems({ ...newDraft(), description: ' ab ' })).toEqual([
      'descriptionTooShort',
      'noLocation',
    ]);
    expect(draftProblems({ ...newDraft(), description: '垃圾成堆', lng: 116.38, lat: 39.91 })).toEqual([]);
  });

  it('sends JSON without photos, leaving empty optional fields out', () => {
    const draft = { ...newDraft(), description: ' 垃圾成堆 ', lng: 116.38, lat: 39.91, contact: ' ' };
    expect(reportBody(draft)).toEqual({ description: '垃圾成堆', lng: 116.38, lat: 39.91, crs: 'wgs84' });
  });

  it('sends multipart with the text fields and every photo under `photos`', () => {
    const photo = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });
    const draft = {
      ...newDraft(),
      description: '井盖缺失',
      lng: 116.38,
      lat: 39.91,
      categoryCode: 'component:01001',
      photos: [
        { name: 'a.jpg', type: 'image/jpeg', blob: photo },
        { name: 'b.jpg', type: 'image/jpeg', blob: photo },
      ],
    };
    const body = reportBody(draft);
    expect(body).toBeInstanceOf(FormData);
    const form = body as FormData;
    expect(form.get('description')).toBe('井盖缺失');
    expect(form.get('lng')).toBe('116.38');
    expect(form.get('categoryCode')).toBe('component:01001');
    expect(form.getAll('photos')).toHaveLength(2);
    expect(reportBody(draft, false)).not.toBeInstanceOf(FormData);
  });
});
