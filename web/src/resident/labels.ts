import { isMessageKey, useI18n } from './i18n';

/** A label of ours when we have one, else the server's (Chinese) label, so nothing shows blank. */
export function useLabel() {
  const { t } = useI18n();
  return (prefix: 'status' | 'step' | 'rating', value: string, fallback: string) => {
    const key = `${prefix}.${value}`;
    return isMessageKey(key) ? t(key) : fallback;
  };
}
