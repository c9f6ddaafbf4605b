import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { translator } from '../resident/i18n';
import { fieldIssueKey, fieldIssueText } from './fieldIssues';

const issue = (code: string, params: Record<string, unknown> = {}) => ({
  field: 'x',
  code,
  params,
  message: 'English for developers',
});

describe('field issues in the reader language', () => {
  it('picks a message from the code and its parameters', () => {
    expect(fieldIssueKey(issue('too_small', { origin: 'string', minimum: 1, inclusive: true }))[0]).toBe(
      'validation.required',
    );
    expect(fieldIssueKey(issue('too_small', { origin: 'string', minimum: 5, inclusive: true }))).toEqual([
      'validation.tooShort',
      { min: 5 },
    ]);
    expect(fieldIssueKey(issue('too_big', { origin: 'array', maximum: 9, inclusive: true }))).toEqual([
      'validation.tooMany',
      { max: 9 },
    ]);
    expect(fieldIssueKey(issue('too_big', { origin: 'number', maximum: 180, inclusive: false }))).toEqual([
      'validation.tooBigExclusive',
      { max: 180 },
    ]);
    expect(fieldIssueKey(issue('invalid_type', { expected: 'number' }))[0]).toBe('validation.notNumber');
    expect(fieldIssueKey(issue('invalid_format', { format: 'email' }))[0]).toBe('validation.formatEmail');
    expect(fieldIssueKey(issue('invalid_value', { options: ['a', 'b'] }))[0]).toBe('validation.option');
    expect(fieldIssueKey(issue('custom'))[0]).toBe('validation.custom');
    // An older server without codes still gets a sentence, not its English.
    expect(fieldIssueKey({ field: 'x', message: 'bad' })[0]).toBe('validation.custom');
  });

  it('says the same in the console (i18next) and on the resident page, in both languages', () => {
    const tooShort = issue('too_small', { origin: 'string', minimum: 5, inclusive: true });
    expect(fieldIssueText(i18n.getFixedT('zh-CN'), tooShort)).toBe('至少填写 5 个字');
    expect(fieldIssueText(translator('zh-CN'), tooShort)).toBe('至少填写 5 个字');
    expect(fieldIssueText(i18n.getFixedT('en'), tooShort)).toBe('At least 5 characters');
    expect(fieldIssueText(translator('en'), tooShort)).toBe('At least 5 characters');
    for (const code of ['custom', 'invalid_union', 'unknown_future_code']) {
      expect(fieldIssueText(i18n.getFixedT('zh-CN'), issue(code))).not.toMatch(/English/);
      expect(fieldIssueText(translator('zh-CN'), issue(code))).not.toMatch(/English/);
    }
  });
});
