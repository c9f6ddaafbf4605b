import type { FormInstance } from 'antd';
import { toFormFieldErrors } from './client';

/**
 * Shows the server's field-level validation messages under the matching inputs.
 * Returns false when the error named no field, so the caller shows a general message instead.
 */
export function applyFieldErrors(form: Pick<FormInstance, 'setFields'>, error: unknown): boolean {
  const fieldErrors = toFormFieldErrors(error);
  if (fieldErrors.length === 0) return false;
  form.setFields(fieldErrors);
  return true;
}
