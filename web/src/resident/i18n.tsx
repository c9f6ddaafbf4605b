import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { formatBeijing } from '../time/beijing';
import { en, type MessageKey, type Messages, zhCN } from './messages';

export type Language = 'zh-CN' | 'en';
// The console uses the same key, so a resident who switched there keeps the choice here.
const STORAGE_KEY = 'hutong.language';
const TABLES: Record<Language, Messages> = { 'zh-CN': zhCN, en };

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}

export function format(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

export function translator(language: Language): Translate {
  const table = TABLES[language];
  return (key, vars) => format(table[key] ?? zhCN[key], vars);
}

function storedLanguage(): Language {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    // Blocked storage (private mode) leaves the default, Chinese.
    return 'zh-CN';
  }
}

interface I18n {
  language: Language;
  t: Translate;
  setLanguage: (language: Language) => void;
}

const I18nContext = createContext<I18n>({ language: 'zh-CN', t: translator('zh-CN'), setLanguage: () => {} });

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [language, setLanguageState] = useState<Language>(() => initial ?? storedLanguage());
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next);
    } catch {
      // The switch still applies to this visit.
    }
    setLanguageState(next);
  }, []);
  const value = useMemo(() => ({ language, t: translator(language), setLanguage }), [language, setLanguage]);
  return <I18nContext value={value}>{children}</I18nContext>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export function formatTime(iso: string | null, language: Language): string {
  if (!iso) return '—';
  // Beijing time, whatever the phone's zone; the tracking page says so.
  return formatBeijing(iso, language, {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
