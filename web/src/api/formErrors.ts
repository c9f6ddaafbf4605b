import type { FormInstance } from 'antd';
import { toFormFieldErrors } from './client';
import type { ValidationTranslate } from './fieldIssues';

/**
 * Shows the server's field-level validation issues under the matching inputs, in the reader's
 * language (`t` is the page's translator: i18next's in the console).
 * Returns false when the error named no field, so the caller shows a general message instead.
 */
export function applyFieldErrors(
  form: Pick<FormInstance, 'setFields'>,
  error: unknown,
  t: ValidationTranslate,
): boolean {
  const fieldErrors = toFormFieldErrors(error, t);
  if (fieldErrors.length === 0) return false;
  form.setFields(fieldErrors);
  return true;
}
