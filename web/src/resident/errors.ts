import { ApiError, NETWORK_ERROR } from '../api/client';
import type { Translate } from './i18n';

export function describe(t: Translate, error: unknown): string {
  if (error instanceof ApiError && error.code === NETWORK_ERROR) return t('common.networkError');
  return t('common.error', { message: error instanceof Error ? error.message : String(error) });
}
