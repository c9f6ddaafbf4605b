import { describe, expect, it } from 'vitest';
import { ApiError, NETWORK_ERROR } from '../api/client';
import { describeError } from '../api/describeError';
import i18n, { changeLanguage } from '../i18n';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { campaignError } from './campaignErrors';

const t = i18n.t.bind(i18n);

function refused(fields: { field: string; message: string }[]) {
  return new ApiError(400, 'VALIDATION_FAILED', 'The request is not valid', { fields });
}

describe('campaign refusals in the page language', () => {
  it('words each refused field and point from its name, never the server English', async () => {
    await changeLanguage('zh-CN');
    const found = campaignError(
      t,
      refused([
        { field: 'scopeCode', message: 'no district, street, community or grid 1101' },
        { field: 'endsAt', message: 'must be after startsAt' },
        { field: 'points.2', message: 'outside the campaign territory' },
      ]),
    );
    expect(found.fields).toEqual({
      scopeCode: zhCN.campaigns.invalid.scopeCode,
      endsAt: zhCN.campaigns.invalid.endsAt,
    });
    expect(found.general).toBe(zhCN.campaigns.invalid.point.replace('{{line}}', '3'));
    expect(JSON.stringify(found)).not.toMatch(/outside|must be|district/);
  });

  it('says a conflict and a missing campaign in its own words', async () => {
    await changeLanguage('zh-CN');
    expect(
      campaignError(t, new ApiError(409, 'CONFLICT', 'This point has already been cleared')).general,
    ).toBe(zhCN.campaigns.invalid.conflict);
    expect(campaignError(t, new ApiError(404, 'NOT_FOUND', 'campaign cmp_1 does not exist')).general).toBe(
      zhCN.campaigns.invalid.notFound,
    );
  });

  it('falls back to the console wording of the code', async () => {
    await changeLanguage('zh-CN');
    expect(
      campaignError(t, new ApiError(403, 'FORBIDDEN', 'Your role may not do campaign.write')).general,
    ).toBe(zhCN.errors.FORBIDDEN);
    expect(campaignError(t, refused([])).general).toBe(zhCN.errors.VALIDATION_FAILED);
  });
});

describe('describeError', () => {
  it('words every known server code and names an unknown one without its English text in Chinese', async () => {
    await changeLanguage('zh-CN');
    expect(describeError(t, new ApiError(409, 'TRANSITION_NOT_ALLOWED', 'Cannot sign in state x'))).toBe(
      zhCN.errors.TRANSITION_NOT_ALLOWED,
    );
    const unknown = describeError(t, new ApiError(409, 'SOMETHING_NEW', 'An English sentence'));
    expect(unknown).toContain('SOMETHING_NEW');
    expect(unknown).not.toContain('English');
    expect(describeError(t, new ApiError(0, NETWORK_ERROR, 'Failed to fetch'))).toBe(
      zhCN.common.networkError,
    );
  });

  it('names an unknown code in the English console too, in its own words', async () => {
    await changeLanguage('en');
    try {
      expect(describeError(t, new ApiError(409, 'SOMETHING_NEW', 'An English sentence'))).toBe(
        en.common.failedWithCode.replace('{{code}}', 'SOMETHING_NEW'),
      );
      expect(describeError(t, new ApiError(403, 'FORBIDDEN', 'Your role may not do x'))).toBe(
        en.errors.FORBIDDEN,
      );
    } finally {
      await changeLanguage('zh-CN');
    }
  });
});
