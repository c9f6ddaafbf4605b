import 'i18next';
import type zhCN from './zh-CN.json';

// Keys are checked at compile time against the Chinese resources; the i18n test keeps English in step.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhCN };
  }
}
