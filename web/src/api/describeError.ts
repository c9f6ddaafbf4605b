import type { TFunction } from 'i18next';
import { ApiError, NETWORK_ERROR } from './client';

/**
 * The server's error codes the console words itself (`errors.<CODE>` in the translations). The
 * server's `message` is English and written for developers: a page in Chinese shows these instead.
 */
export const TRANSLATED_ERROR_CODES = [
  'VALIDATION_FAILED',
  'INVALID_GEOJSON',
  'TOO_MANY_FILES',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'CSRF_TOKEN_INVALID',
  'FORBIDDEN',
  'OUT_OF_SCOPE',
  'NOT_FOUND',
  'CASE_NOT_FOUND',
  'OUTSIDE_TERRITORY',
  'CONFLICT',
  'IDEMPOTENCY_KEY_REUSED',
  'TRANSITION_NOT_ALLOWED',
  'ALREADY_EXISTS',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TOO_MANY_ATTEMPTS',
  'INTERNAL',
] as const;

/**
 * A sentence for the user. Pages word the codes of their own domain at the call site; every other
 * code of the server gets the console's general wording of it, and an unknown code is named without
 * the server's English text.
 */
export function describeError(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === NETWORK_ERROR) return t('common.networkError');
    const known = TRANSLATED_ERROR_CODES.find((code) => code === error.code);
    if (known) return t(`errors.${known}`);
    return t('common.failedWithCode', { code: error.code });
  }
  const message = error instanceof Error ? error.message : String(error);
  return t('common.unexpectedError', { message });
}
