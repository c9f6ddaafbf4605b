import { normaliseText } from './hotline.fields.ts';

/**
 * Turns a hotline's 问题分类 into a taxonomy key. Hotline systems classify by their own tree
 * ("城市管理-市容环境-非法小广告"), rarely by GB/T code, so the text is tried in turn as: an entry of
 * the mapping's `categories`, a taxonomy key or 5-digit code, a category name, and the last segment
 * of a path of names. Events come before components, as for a bare code elsewhere (taxonomy.entry).
 */

export interface CategoryEntry {
  key: string;
  kind: 'component' | 'event';
  code: string;
  name: string;
}

const KEY = /^((component|event):)?\d{5}$/;
const PATH_SEPARATORS = /[-—–/>＞|｜\\、·•]+/;

export class CategoryResolver {
  private readonly byKey = new Map<string, CategoryEntry>();
  private readonly byName = new Map<string, CategoryEntry>();

  constructor(
    entries: readonly CategoryEntry[],
    private readonly aliases: ReadonlyMap<string, string> = new Map(),
  ) {
    const ordered = [...entries].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'event' ? -1 : 1));
    for (const e of ordered) {
      this.byKey.set(e.key, e);
      if (!this.byKey.has(e.code)) this.byKey.set(e.code, e);
      const name = normaliseText(e.name);
      if (!this.byName.has(name)) this.byName.set(name, e);
    }
  }

  /** The taxonomy key for a hotline category text, or null when nothing matches. */
  resolve(text: string): string | null {
    const t = normaliseText(text);
    const alias = this.aliases.get(t);
    if (alias !== undefined) return this.fromKey(alias);
    if (KEY.test(t)) return this.fromKey(t);
    const byName = this.byName.get(t);
    if (byName) return byName.key;
    const segments = t
      .split(PATH_SEPARATORS)
      .map((s) => s.trim())
      .filter(Boolean);
    for (let i = segments.length - 1; i >= 0; i--) {
      const hit = this.byName.get(segments[i]!);
      if (hit) return hit.key;
      if (KEY.test(segments[i]!)) return this.fromKey(segments[i]!);
    }
    return null;
  }

  private fromKey(keyOrCode: string): string | null {
    return this.byKey.get(keyOrCode.trim())?.key ?? null;
  }
}
