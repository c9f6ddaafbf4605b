import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { describeActionError } from '../cases/ActionForm';
import i18n, { changeLanguage } from '../i18n';
import { describeWhistleError } from './whistleErrors';

const english = 'Invalid body: note (String must contain at least 1 character(s))';

describe('case and whistle error sentences', () => {
  beforeAll(async () => {
    await changeLanguage('zh-CN');
  }, 60_000);

  it('word the server’s codes in the console’s language, never with the server’s English text', () => {
    const t = i18n.t.bind(i18n);
    for (const code of ['VALIDATION_FAILED', 'TRANSITION_NOT_ALLOWED', 'CONFLICT', 'NOT_FOUND']) {
      const error = new ApiError(400, code, english);
      for (const sentence of [describeActionError(t, error), describeWhistleError(t, error)]) {
        expect(sentence).not.toContain('Invalid');
        expect(sentence).toMatch(/[\u4e00-\u9fff]/);
      }
    }
    expect(describeWhistleError(t, new ApiError(409, 'CONFLICT', english))).toContain('联合处置');
  });
});
