import type { TFunction } from 'i18next';
import { ApiError, NETWORK_ERROR } from './client';

/**
 * A sentence for the user. Codes the console knows get their own translated text at the call site;
 * everything else falls back to the server's message, which is better than a bare code.
 */
export function describeError(t: TFunction, error: unknown): string {
  if (error instanceof ApiError && error.code === NETWORK_ERROR) return t('common.networkError');
  const message = error instanceof Error ? error.message : String(error);
  return t('common.unexpectedError', { message });
}
