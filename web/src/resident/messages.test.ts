import { describe, expect, it } from 'vitest';
import { format, translator } from './i18n';
import { en, zhCN } from './messages';

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1] ?? '').sort();
}

describe('resident texts', () => {
  it('has every key in both languages, none empty, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
    for (const [key, text] of Object.entries(zhCN)) {
      const english = en[key as keyof typeof zhCN];
      expect(text.trim(), key).not.toBe('');
      expect(english.trim(), key).not.toBe('');
      expect(placeholders(english), key).toEqual(placeholders(text));
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('共 {{count}} 件', { count: 3 })).toBe('共 3 件');
    expect(format('{{missing}}', {})).toBe('{{missing}}');
    expect(translator('en')('report.photoCount', { count: 2 })).toBe('2/9 selected');
    expect(translator('zh-CN')('report.photoCount', { count: 2 })).toBe('已选 2/9 张');
  });
});
