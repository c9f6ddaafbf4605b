import { lineStringMidpoint, type Position } from '../territory/geometry.ts';

/**
 * Places a work order that came without coordinates by the alley or street its address names.
 * Callers to 12345 give an address, not a position, and many exports carry no coordinates at all;
 * an address that names an alley of the territory is as good a place as a map pin for dispatching.
 *
 * The longest name found in the address wins (大星辰胡同 before 星辰胡同). When several alleys share
 * that name, the street the address also names decides; failing that the address is ambiguous and
 * the row is refused rather than placed at a guess.
 */

export interface GazetteerInput {
  alleys: { id: string; name: string; streetCode: string; coordinates: Position[] }[];
  streets: { code: string; name: string; center: Position }[];
}

export type AddressMatch =
  | { kind: 'alley'; name: string; id: string; streetCode: string; point: Position }
  | { kind: 'street'; name: string; streetCode: string; point: Position }
  | { kind: 'ambiguous'; name: string; streetCodes: string[] }
  | { kind: 'none' };

interface Entry<T> {
  name: string;
  items: T[];
}

/** Names indexed by their first character, so a lookup walks the address once. */
class NameIndex<T> {
  private readonly byFirst = new Map<string, Entry<T>[]>();

  add(name: string, item: T): void {
    if (name.length < 2) return;
    const list = this.byFirst.get(name[0]!) ?? [];
    const entry = list.find((e) => e.name === name);
    if (entry) entry.items.push(item);
    else list.push({ name, items: [item] });
    this.byFirst.set(name[0]!, list);
  }

  /** Every name that occurs in the text, longest first, then earliest. */
  find(text: string): { entry: Entry<T>; at: number }[] {
    const hits: { entry: Entry<T>; at: number }[] = [];
    for (let i = 0; i < text.length; i++) {
      for (const entry of this.byFirst.get(text[i]!) ?? []) {
        if (text.startsWith(entry.name, i)) hits.push({ entry, at: i });
      }
    }
    return hits.sort((a, b) => b.entry.name.length - a.entry.name.length || a.at - b.at);
  }
}

const STREET_SUFFIX = /(街道办事处|街道|地区办事处|地区|乡|镇)$/;

export class Gazetteer {
  private readonly alleys = new NameIndex<{ id: string; streetCode: string; point: Position }>();
  private readonly streets = new NameIndex<{ code: string; name: string; center: Position }>();

  constructor(input: GazetteerInput) {
    for (const a of input.alleys) {
      if (a.coordinates.length < 2) continue;
      this.alleys.add(a.name.trim(), {
        id: a.id,
        streetCode: a.streetCode,
        point: lineStringMidpoint(a.coordinates),
      });
    }
    for (const s of input.streets) {
      const item = { code: s.code, name: s.name, center: s.center };
      this.streets.add(s.name.trim(), item);
      // "什刹海" alone names the street as well as "什刹海街道" does.
      const stem = s.name.trim().replace(STREET_SUFFIX, '');
      if (stem !== s.name.trim()) this.streets.add(stem, item);
    }
  }

  match(address: string): AddressMatch {
    const text = address.replace(/\s+/g, '');
    const streetHits = this.streets.find(text);
    const namedStreets = new Set(streetHits.flatMap((h) => h.entry.items.map((s) => s.code)));
    // An alley name inside a street's name (长安街 in 西长安街街道) is the street speaking, not an alley.
    const spans = streetHits.map((h) => [h.at, h.at + h.entry.name.length] as const);
    const alleyHits = this.alleys
      .find(text)
      .filter((h) => !spans.some(([from, to]) => h.at >= from && h.at + h.entry.name.length <= to));
    if (alleyHits.length) {
      const best = alleyHits[0]!.entry;
      const candidates =
        best.items.length > 1 && namedStreets.size
          ? best.items.filter((a) => namedStreets.has(a.streetCode))
          : best.items;
      if (candidates.length === 1) {
        const a = candidates[0]!;
        return { kind: 'alley', name: best.name, id: a.id, streetCode: a.streetCode, point: a.point };
      }
      return {
        kind: 'ambiguous',
        name: best.name,
        streetCodes: [...new Set(best.items.map((a) => a.streetCode))].sort(),
      };
    }
    if (streetHits.length) {
      const best = streetHits[0]!.entry;
      const codes = [...new Set(best.items.map((s) => s.code))];
      if (codes.length > 1) return { kind: 'ambiguous', name: best.name, streetCodes: codes.sort() };
      const s = best.items[0]!;
      return { kind: 'street', name: s.name, streetCode: s.code, point: s.center };
    }
    return { kind: 'none' };
  }
}
