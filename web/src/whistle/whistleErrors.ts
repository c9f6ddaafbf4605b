import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { describeActionError } from '../cases/ActionForm';

/** A sentence for a failed whistle step: the case loop's codes, and the meeting's own conflicts. */
export function describeWhistleError(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'JOINT_TASKS_OPEN') {
      return t('whistle.error.JOINT_TASKS_OPEN');
    }
    if (error.code === 'CONFLICT') return t('whistle.error.CONFLICT');
    if (error.code === 'NOT_FOUND') return t('whistle.error.NOT_FOUND');
  }
  return describeActionError(t, error);
}
