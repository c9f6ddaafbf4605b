import { describe, expect, it } from 'vitest';
import { CASE_ACTION_BODIES, caseActionSchema, parseActionBody } from './case.action.schema.ts';
import { ACTION_TYPES } from './case.state.ts';

describe('one body schema per case action', () => {
  it('covers every action of the state machine', () => {
    expect(Object.keys(CASE_ACTION_BODIES).sort()).toEqual([...ACTION_TYPES].sort());
  });

  it('names the field at fault, and drops fields the action does not have', () => {
    expect(parseActionBody('send_back', {})).toEqual({
      ok: false,
      issues: [expect.objectContaining({ field: 'reason' })],
    });
    expect(parseActionBody('reject', { reason: 'bored' })).toMatchObject({
      ok: false,
      issues: [{ field: 'reason' }],
    });
    expect(parseActionBody('extension_request', { requestedDeadline: 'soon', reason: 'x' })).toMatchObject({
      ok: false,
      issues: [{ field: 'requestedDeadline' }],
    });
    expect(parseActionBody('sign', { sneaky: true })).toEqual({ ok: true, fields: {} });
    expect(parseActionBody('feedback', { note: '已清理', noPhotoReason: '院内' })).toEqual({
      ok: true,
      fields: { note: '已清理', afterPhotoIds: [], noPhotoReason: '院内' },
    });
  });

  it('is one union discriminated by type', () => {
    expect(caseActionSchema.parse({ type: 'rate', rating: 'satisfied' })).toEqual({
      type: 'rate',
      rating: 'satisfied',
    });
    expect(caseActionSchema.safeParse({ type: 'rate', rating: 'great' }).success).toBe(false);
    expect(caseActionSchema.safeParse({ type: 'fly' }).success).toBe(false);
  });
});
