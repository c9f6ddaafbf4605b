import { describe, expect, it } from 'vitest';
import { buildActionBody, formFieldFor } from './actionBody';

describe('buildActionBody', () => {
  it('sends a dispatch to the tier the form chose, with only that tier’s target', () => {
    expect(buildActionBody('dispatch', { tier: 2, unitId: 'org-cg', handlerUserId: 'x' }, null)).toEqual({
      tier: 2,
      unitId: 'org-cg',
    });
    expect(buildActionBody('dispatch', { tier: 1, handlerUserId: ' usr_1 ' }, null)).toEqual({
      tier: 1,
      handlerUserId: 'usr_1',
    });
    expect(buildActionBody('redispatch', { tier: 3, unitIds: ['a', 'b'], note: ' ' }, null)).toEqual({
      tier: 3,
      unitIds: ['a', 'b'],
    });
  });

  it('always sends feedback with an empty photo list and the reason for it', () => {
    expect(
      buildActionBody('feedback', { note: 'cleared', noPhotoReason: 'inside a courtyard' }, null),
    ).toEqual({
      note: 'cleared',
      afterPhotoIds: [],
      noPhotoReason: 'inside a courtyard',
    });
  });

  it('reports in for the user’s own unit', () => {
    expect(buildActionBody('report_in', {}, 'org-cg')).toEqual({ unitId: 'org-cg' });
  });

  it('turns local date-times into instants and leaves out empty optional fields', () => {
    const body = buildActionBody(
      'extension_request',
      { requestedDeadline: '2026-12-01T18:00', reason: 'rain' },
      null,
    );
    expect(body.reason).toBe('rain');
    // Typed in Beijing time, whatever the browser's zone.
    expect(body.requestedDeadline).toBe('2026-12-01T10:00:00.000Z');
    expect(buildActionBody('extension_approve', { deadline: '', note: '' }, null)).toEqual({});
    expect(buildActionBody('verify_pass', {}, null)).toEqual({});
  });

  it('records a rating as a follow-up call', () => {
    expect(buildActionBody('rate', { rating: 'satisfied' }, null)).toEqual({
      rating: 'satisfied',
      via: 'follow_up_call',
    });
  });
});

describe('formFieldFor', () => {
  it('puts the server’s field errors under the input that caused them', () => {
    expect(formFieldFor('reason')).toBe('reason');
    expect(formFieldFor('afterPhotoIds')).toBe('afterPhotos');
    expect(formFieldFor('body')).toBeNull();
  });
});
