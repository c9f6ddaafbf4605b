import type { HotMessage } from './hot-issue.mining.ts';

/**
 * How the miners read a message's text: the names (a run of characters before a place or organisation
 * suffix) and the source's anonymised codes. Shared by `hot-issue.mining.ts` and its reference version,
 * so the reference checks the mining stages on the same reading of the text.
 */

/** The source's anonymised codes (A市, A5区, K9县); the province stand-in is a region too. */
const codeSource = '[A-Z]\\d{0,2}[市区县]';
const codePattern = new RegExp(`${codeSource}|西地省`, 'gu');

/**
 * Suffixes that end the name of a place, an organisation or a group of people. The name is the run of
 * characters before it (at most `maxNameChars`), cut at punctuation, at an anonymised region code and at
 * function characters that rarely sit inside a name.
 */
const nameSuffixes = [
  '小区',
  '社区',
  '花园',
  '家园',
  '公寓',
  '大厦',
  '广场',
  '新城',
  '新村',
  '苑',
  '园',
  '城',
  '湾',
  '府',
  '庭',
  '村',
  '镇',
  '乡',
  '街道',
  '路',
  '街',
  '大道',
  '巷',
  '胡同',
  '桥',
  '站',
  '学院',
  '大学',
  '中学',
  '小学',
  '学校',
  '幼儿园',
  '医院',
  '公司',
  '集团',
  '银行',
  '物业',
  '市场',
  '商场',
  '超市',
  '酒店',
  '工厂',
  '车贷',
  '项目',
  '楼盘',
  '公园',
  '高速',
  '高铁',
  '地铁',
  '线',
];
export const maxNameChars = 8;
/**
 * A name's suffix, or an anonymised code kept as the tail of a name (`RegionCodes`): once the codes that
 * stand for regions are blanked out, any code left in a text ends a name ("五矿万境K9县").
 */
export const suffixPattern = new RegExp(
  `(${nameSuffixes.sort((a, b) => b.length - a.length).join('|')}|${codeSource})`,
  'gu',
);
/** Characters that end a name when walking left from its suffix. */
export const nameBreakers = new Set(
  [...'的在了和与及或于是对把被向从到给我你他她们这那有个为请问也都还就要说并但而等'].map((c) =>
    c.charCodeAt(0),
  ),
);

/** Letters and digits (CJK, Latin, digits after NFKC); everything else separates runs. */
export function isWordChar(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a)
  );
}

function isHan(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
}

/**
 * Which anonymised codes of a period stand for regions and which for the tail of a name. The source
 * blanked regions to codes (A市, A5区), which carry nothing and are blanked out; but it also replaced
 * parts of names by the same kind of code ("五矿万境K9县", a compound), and blanking those cut the name
 * to a run with no suffix, so the compound's messages shared no place. A code is read as the tail of a
 * name in the period when most of its occurrences sit glued to a name: right after two Han characters
 * that are not function characters and not themselves part of a code. A region is mostly written at the
 * start, after punctuation or after another code ("A市A5区"), so it stays a region.
 */
export class RegionCodes {
  private readonly tails: ReadonlySet<string>;

  constructor(messages: readonly HotMessage[], bodyChars: number) {
    const seen = new Map<string, number>();
    const glued = new Map<string, number>();
    for (const m of messages) {
      for (const raw of [m.title, m.body.slice(0, bodyChars)]) {
        const text = raw.normalize('NFKC');
        let lastEnd = -1;
        codePattern.lastIndex = 0;
        for (let x = codePattern.exec(text); x; x = codePattern.exec(text)) {
          const code = x[0];
          if (code !== '西地省') {
            seen.set(code, (seen.get(code) ?? 0) + 1);
            if (isGlued(text, x.index, lastEnd)) glued.set(code, (glued.get(code) ?? 0) + 1);
          }
          lastEnd = x.index + code.length;
        }
      }
    }
    const tails = new Set<string>();
    for (const [code, n] of seen) if (n >= 2 && (glued.get(code) ?? 0) * 2 > n) tails.add(code);
    this.tails = tails;
  }

  /** NFKC, with the region codes blanked to a comma (a name never runs across one) and name tails kept. */
  clean(text: string): string {
    const t = text.normalize('NFKC');
    let lastEnd = -1;
    return t.replace(codePattern, (code: string, at: number) => {
      const keep = this.tails.has(code) && isGlued(t, at, lastEnd);
      lastEnd = at + code.length;
      return keep ? code : '，';
    });
  }
}

function isGlued(text: string, at: number, lastEnd: number): boolean {
  if (at < 2 || lastEnd === at) return false;
  for (const c of [text.charCodeAt(at - 2), text.charCodeAt(at - 1)]) {
    if (!isHan(c) || nameBreakers.has(c)) return false;
  }
  return true;
}

/**
 * The place: among the names (a run of name characters ending in a place or organisation suffix) found
 * in the members' titles and openings, the one that the most members mention, the longer on a tie
 * (titles count double). The description: the title of the member whose title shares most with the
 * others', without the usual openings (反映, 投诉, 关于…).
 */
export function describe(members: HotMessage[], codes: RegionCodes): { place: string; description: string } {
  const sample = members.length > 60 ? members.slice(0, 60) : members;
  const texts = sample.map((m) => ({
    title: codes.clean(m.title),
    opening: codes.clean(m.body.slice(0, 200)),
  }));
  const candidates = new Set<string>();
  for (const t of texts) {
    for (const text of [t.title, t.opening]) {
      suffixPattern.lastIndex = 0;
      for (let m = suffixPattern.exec(text); m; m = suffixPattern.exec(text)) {
        const end = m.index + m[0].length;
        for (let start = m.index - 2; start >= 0 && m.index - start <= maxNameChars; start--) {
          const c = text.charCodeAt(start);
          if (!isWordChar(c) || nameBreakers.has(c)) break;
          candidates.add(text.slice(start, end));
        }
      }
    }
  }
  let place = '';
  let best = 0;
  for (const c of candidates) {
    let score = 0;
    for (const t of texts) score += t.title.includes(c) ? 2 : t.opening.includes(c) ? 1 : 0;
    // A longer name wins only when nearly as many members use it.
    const weighted = score * (1 + 0.1 * c.length);
    if (score >= 2 && weighted > best) {
      best = weighted;
      place = c;
    }
  }
  const titleGrams = texts.map((t) => new Set(bigrams(t.title)));
  let central = 0;
  let centralScore = -1;
  titleGrams.forEach((g, i) => {
    let s = 0;
    for (const other of titleGrams) if (other !== g) for (const x of g) if (other.has(x)) s++;
    s /= Math.sqrt(g.size + 1);
    if (s > centralScore) {
      centralScore = s;
      central = i;
    }
  });
  const description = sample[central]!.title.normalize('NFKC')
    .replace(/^(反映|投诉|举报|关于|咨询|请问|建议)+/u, '')
    .replace(/[!！?？。.]+$/u, '')
    .trim();
  return { place, description };
}

/** Character pairs of a text already cleaned (`RegionCodes.clean`). */
function bigrams(t: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 2 <= t.length; i++) out.push(t.slice(i, i + 2));
  return out;
}
