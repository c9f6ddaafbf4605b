import { describe, expect, it } from 'vitest';
import { ALLEY_TIERS, ALLEY_TYPES, ROLES } from '../api/types';
import { HAVE_KEYS, NOT_KEYS } from '../territory/checklist';
import en from './en.json';
import zhCN from './zh-CN.json';

type Tree = { [key: string]: string | Tree };

function leafKeys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1] ?? '').sort();
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

describe('translations', () => {
  const zhKeys = leafKeys(zhCN);
  const enKeys = leafKeys(en);

  it('has every zh-CN key in English', () => {
    expect(zhKeys.filter((key) => !enKeys.includes(key))).toEqual([]);
  });

  it('has every English key in zh-CN', () => {
    expect(enKeys.filter((key) => !zhKeys.includes(key))).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const mismatched = zhKeys.filter(
      (key) => placeholders(lookup(zhCN, key) ?? '').join() !== placeholders(lookup(en, key) ?? '').join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('leaves no string empty', () => {
    const empty = [
      ...zhKeys.filter((key) => !lookup(zhCN, key)?.trim()),
      ...enKeys.filter((key) => !lookup(en, key)?.trim()),
    ];
    expect(empty).toEqual([]);
  });

  it('names every role, alley type, tier and checklist item the API can send', () => {
    const keys = [
      ...ROLES.flatMap((role) => [`role.${role}`, `home.roleIntro.${role}`]),
      ...ALLEY_TYPES.map((alleyType) => `alleyType.${alleyType}`),
      ...ALLEY_TIERS.map((tier) => `tier.${tier}`),
      ...HAVE_KEYS.map((key) => `checklist.haves.${key}`),
      ...NOT_KEYS.map((key) => `checklist.nots.${key}`),
    ];
    expect(keys.filter((key) => !zhKeys.includes(key))).toEqual([]);
  });
});
