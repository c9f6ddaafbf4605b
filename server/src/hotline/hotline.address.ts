import { lineStringMidpoint, type Position } from '../territory/geometry.ts';

/**
 * Places a work order that came without coordinates by what its address and its 所属街道 say.
 * Callers to 12345 give an address as people say it — an alley, but as often a main road or a
 * landmark (a market, a hospital) — and the export's 所属街道 column says which street office took it.
 *
 * - An alley of the registry named in the address places the order at the alley.
 * - The 所属街道 column settles conflicts: an alley of that name that lies only in another street is
 *   flagged and the order stays with the street the column names, at street level, rather than being
 *   silently moved.
 * - A road or landmark of the gazetteer (hotline_place), or a street named in the address or the
 *   column, places the order at street level: the point is the street's centre and stands for the
 *   street only (no alley, community or grid is taken from it).
 * - Nothing known: the order is unlocated and waits for a dispatcher to place it. Nothing is refused.
 *
 * A name inside a longer unknown name does not match: 石碑胡同 is not found in 大石碑胡同. A hit counts
 * only at the start of the address, after a separator or a place-word (区, 街, 号…), or right after
 * another known name.
 */

export interface GazetteerInput {
  alleys: { id: string; name: string; streetCode: string; coordinates: Position[] }[];
  streets: { code: string; name: string; center: Position }[];
  /** Roads and landmarks per street (hotline_place). */
  places?: { streetCode: string; name: string; kind: 'road' | 'landmark' }[];
}

export type Placement =
  | { precision: 'alley'; name: string; alleyId: string; streetCode: string; point: Position; by: string }
  | { precision: 'street'; streetCode: string; point: Position; by: string; flag: string | null }
  | { precision: 'none'; reason: string; flag: string | null };

interface Entry<T> {
  name: string;
  items: T[];
}

interface Hit<T> {
  entry: Entry<T>;
  at: number;
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

  get(name: string): Entry<T> | undefined {
    return this.byFirst.get(name[0] ?? '')?.find((e) => e.name === name);
  }

  /** Every name that occurs in the text, longest first, then earliest. */
  find(text: string): Hit<T>[] {
    const hits: Hit<T>[] = [];
    for (let i = 0; i < text.length; i++) {
      for (const entry of this.byFirst.get(text[i]!) ?? []) {
        if (text.startsWith(entry.name, i)) hits.push({ entry, at: i });
      }
    }
    return hits.sort((a, b) => b.entry.name.length - a.entry.name.length || a.at - b.at);
  }
}

const STREET_SUFFIX = /(街道办事处|街道|地区办事处|地区|乡|镇)$/;
const HAN = /\p{Script=Han}/u;
/** Characters after which a new name may start: administrative and place words, and "at/near". */
const NAME_BOUNDARY = new Set([...'省市区县镇乡街道路巷号楼院里村内外旁边侧近与和及在至到从的处']);

type AlleyItem = { id: string; streetCode: string; point: Position };
type StreetItem = { code: string; name: string; center: Position };
type PlaceItem = { streetCode: string; kind: 'road' | 'landmark' };

export class Gazetteer {
  private readonly alleys = new NameIndex<AlleyItem>();
  private readonly streets = new NameIndex<StreetItem>();
  private readonly places = new NameIndex<PlaceItem>();
  private readonly streetByCode = new Map<string, StreetItem>();

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
      this.streetByCode.set(s.code, item);
      this.streets.add(s.name.trim(), item);
      // "什刹海" alone names the street as well as "什刹海街道" does.
      const stem = s.name.trim().replace(STREET_SUFFIX, '');
      if (stem !== s.name.trim()) this.streets.add(stem, item);
    }
    for (const p of input.places ?? []) {
      this.places.add(p.name.trim(), { streetCode: p.streetCode, kind: p.kind });
    }
  }

  /** The street a 所属街道 cell names (its full name, its stem, or a text that contains one), or null. */
  street(text: string): StreetItem | null {
    const t = text.replace(/\s+/g, '');
    const exact = this.streets.get(t) ?? this.streets.get(t.replace(STREET_SUFFIX, ''));
    const hits = exact ? [exact] : this.streets.find(t).map((h) => h.entry);
    const codes = new Set(hits[0]?.items.map((s) => s.code) ?? []);
    return codes.size === 1 ? hits[0]!.items[0]! : null;
  }

  streetName(code: string): string {
    return this.streetByCode.get(code)?.name ?? code;
  }

  locate(address: string | null, streetColumn: string | null): Placement {
    const text = (address ?? '').replace(/\s+/g, '');
    const column = streetColumn ? this.street(streetColumn) : null;
    const streetHits = this.streets.find(text).filter((h) => startsName(text, h.at, new Set()));
    const namedStreets = new Set(streetHits.flatMap((h) => h.entry.items.map((s) => s.code)));
    const spans = streetHits.map((h) => [h.at, h.at + h.entry.name.length] as const);
    const ends = new Set(spans.map(([, to]) => to));
    const outside = (h: Hit<unknown>) =>
      !spans.some(([from, to]) => h.at >= from && h.at + h.entry.name.length <= to);
    // Roads and landmarks first, so an alley name inside a road's name (长安街 in 西长安街) is the road.
    const placeHits = this.places.find(text).filter((h) => outside(h) && startsName(text, h.at, ends));
    for (const h of placeHits) {
      spans.push([h.at, h.at + h.entry.name.length]);
      ends.add(h.at + h.entry.name.length);
    }
    const alleyHits = this.alleys.find(text).filter((h) => outside(h) && startsName(text, h.at, ends));
    const context = column?.code ?? (namedStreets.size === 1 ? [...namedStreets][0]! : null);
    const contextBy = column
      ? `所属街道：${column.name}`
      : context
        ? `街道：${this.streetName(context)}`
        : '';
    const atStreet = (code: string, by: string, flag: string | null = null): Placement => ({
      precision: 'street',
      streetCode: code,
      point: this.streetByCode.get(code)!.center,
      by,
      flag,
    });

    if (alleyHits.length) {
      const best = alleyHits[0]!.entry;
      const inContext = context ? best.items.filter((a) => a.streetCode === context) : best.items;
      if (context && inContext.length === 0) {
        const elsewhere = [...new Set(best.items.map((a) => this.streetName(a.streetCode)))].join('、');
        return atStreet(
          context,
          contextBy,
          `街巷“${best.name}”只在${elsewhere}，不在${this.streetName(context)}：按${contextBy}定位到街道，请核对`,
        );
      }
      const streets = new Set(inContext.map((a) => a.streetCode));
      if (streets.size === 1) {
        const a = inContext[0]!;
        return {
          precision: 'alley',
          name: best.name,
          alleyId: a.id,
          streetCode: a.streetCode,
          point: a.point,
          by: `街巷：${best.name}`,
        };
      }
      return {
        precision: 'none',
        reason: `街巷“${best.name}”在多个街道都有（${[...streets].map((c) => this.streetName(c)).join('、')}），地址未写明街道`,
        flag: null,
      };
    }
    if (placeHits.length) {
      const best = placeHits[0]!.entry;
      const kind = best.items[0]!.kind === 'road' ? '道路' : '地标';
      if (context) {
        const here = best.items.some((p) => p.streetCode === context);
        // A road crosses streets; a landmark lies in one, so one in another street is worth a look.
        const flag =
          !here && best.items.every((p) => p.kind === 'landmark')
            ? `地标“${best.name}”登记在${[...new Set(best.items.map((p) => this.streetName(p.streetCode)))].join('、')}，不在${this.streetName(context)}：按${contextBy}定位，请核对`
            : null;
        return atStreet(context, `${kind}：${best.name}（${this.streetName(context)}）`, flag);
      }
      const streets = [...new Set(best.items.map((p) => p.streetCode))];
      if (streets.length === 1) return atStreet(streets[0]!, `${kind}：${best.name}`);
      return {
        precision: 'none',
        reason: `${kind}“${best.name}”跨多个街道（${streets.map((c) => this.streetName(c)).join('、')}），未写明街道`,
        flag: null,
      };
    }
    if (context) return atStreet(context, contextBy);
    if (namedStreets.size > 1) {
      return { precision: 'none', reason: '地址中的街道名有歧义', flag: null };
    }
    return {
      precision: 'none',
      reason: streetColumn
        ? `所属街道“${streetColumn}”不在辖区内，地址中也没有已知的街巷、道路或地标`
        : '地址中没有已知的街巷、道路、地标或街道',
      flag: null,
    };
  }
}

/** Whether a name found at `at` starts a name there, rather than ending a longer unknown one. */
function startsName(text: string, at: number, ends: ReadonlySet<number>): boolean {
  if (at === 0 || ends.has(at)) return true;
  const before = text[at - 1]!;
  return !HAN.test(before) || NAME_BOUNDARY.has(before);
}
