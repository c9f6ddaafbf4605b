import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { describeError } from '../api/describeError';
import { fieldIssueText } from '../api/fieldIssues';

/** The campaign form's fields the server may name in a refusal. */
const CAMPAIGN_FIELDS = ['name', 'description', 'categoryKeys', 'scopeCode', 'startsAt', 'endsAt'] as const;
export type CampaignField = (typeof CAMPAIGN_FIELDS)[number];

export interface CampaignErrorText {
  /** Per form field, this page's sentence for what the server refused there. */
  fields: Partial<Record<CampaignField, string>>;
  /** What no field explains, or the whole refusal when it names none. */
  general?: string;
}

/**
 * A campaign refusal in the page's own words. The server's `message` and field messages are English
 * for developers (`outside the campaign territory`); the page says them from the field they name.
 */
export function campaignError(t: TFunction, error: unknown): CampaignErrorText {
  if (!(error instanceof ApiError)) return { general: describeError(t, error), fields: {} };
  if (error.code === 'NOT_FOUND') return { general: t('campaigns.invalid.notFound'), fields: {} };
  if (error.code === 'CONFLICT') return { general: t('campaigns.invalid.conflict'), fields: {} };
  if (error.code !== 'VALIDATION_FAILED') return { general: describeError(t, error), fields: {} };
  const fields: CampaignErrorText['fields'] = {};
  const lines: string[] = [];
  for (const issue of error.fieldIssues) {
    const [name = '', index] = issue.field.split('.');
    const field = CAMPAIGN_FIELDS.find((known) => known === name);
    // A rule the campaign service checks itself has this page's sentence; a shape rule is worded
    // from its code and parameters.
    if (field)
      fields[field] =
        (issue.code ?? 'custom') === 'custom' ? t(`campaigns.invalid.${field}`) : fieldIssueText(t, issue);
    else if (name === 'points' && index !== undefined && /^\d+$/.test(index))
      lines.push(t('campaigns.invalid.point', { line: Number(index) + 1 }));
    else if (name === 'caseIds') lines.push(t('campaigns.invalid.caseIds'));
    else lines.push(describeError(t, error));
  }
  if (lines.length === 0 && Object.keys(fields).length === 0) lines.push(describeError(t, error));
  return { fields, ...(lines.length > 0 && { general: [...new Set(lines)].join('\n') }) };
}
