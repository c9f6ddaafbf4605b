import { keyOf } from './taxonomy.catalogue.ts';
import type { CatalogueRow, EntrySettings, Limit, Severity } from './taxonomy.schema.ts';

/**
 * What a district starts from when it imports a bare catalogue: who is responsible, how fast they
 * must respond and handle, how severe, whether the public may see it. Every value here is a default a
 * district administrator can change (a new taxonomy version); none is a rule of the system.
 *
 * Department types are those of the 1+5+N pattern (SPEC §1) as organisations carry them in
 * `organisation.department_type`, plus two that need no department:
 * - `street_office` (属地): the street itself, e.g. a cover whose owner is unknown, a notice board;
 * - `sanitation` (环卫): public toilets, bins and snow, which districts give to a sanitation service.
 * A type for which a district has no organisation falls through to the street office when routing.
 *
 * Limits (SPEC §4.4, real local examples):
 * - response (签收): 2 working hours; urgent 0.5 calendar hours, because a missing manhole cover at
 *   night must not wait for Monday;
 * - handling (处置): 3 working days, the time given to rectify an inspection finding;
 *   1 working day for exposed garbage and other cleaning matters; 15 working days for illegal
 *   construction (拆违 needs notices and a hearing); urgent 24 calendar hours to make safe.
 *
 * Severity: urgent for hazards to life (manhole covers and gratings — cover missing or a collapse —,
 * gas, fallen cables, high-voltage towers); high for hazards that can wait a few hours; low for
 * cosmetic faults of signs and decorations; normal otherwise.
 *
 * Public: false when a category points at a person or a household — begging, a neighbour's noise,
 * livestock kept at home, a balcony, laundry, an outdoor air-conditioning unit, people living in a
 * basement — so that its place and photo never appear on public pages (SPEC §4.10). Everything else
 * is public: it is about public space.
 */

export const DEPARTMENT_TYPES = [
  'urban_management',
  'public_security',
  'traffic',
  'market_regulation',
  'food_drug',
  'housing',
  'planning',
  'land',
  'landscaping',
  'culture',
  'fire',
  'water',
  'power',
  'gas',
  'heating',
  'telecom',
  'sanitation',
  'street_office',
] as const;
export type DepartmentType = (typeof DEPARTMENT_TYPES)[number];

/** How people name each kind of department, for text written to people rather than programs. */
export const DEPARTMENT_TYPE_NAMES: Record<DepartmentType, string> = {
  urban_management: '城管执法',
  public_security: '公安',
  traffic: '交通',
  market_regulation: '市场监管',
  food_drug: '食品药品监管',
  housing: '住房城乡建设',
  planning: '规划自然资源',
  land: '土地管理',
  landscaping: '园林绿化',
  culture: '文化和旅游',
  fire: '消防救援',
  water: '水务',
  power: '供电',
  gas: '燃气',
  heating: '供热',
  telecom: '通信',
  sanitation: '环卫',
  street_office: '街道办事处',
};

/** A department type's name, or the code itself for a type a district added. */
export function departmentTypeName(type: string): string {
  return (DEPARTMENT_TYPE_NAMES as Record<string, string>)[type] ?? type;
}

export const RESPONSE_LIMIT: Limit = { amount: 2, unit: 'working_hours' };
export const URGENT_RESPONSE_LIMIT: Limit = { amount: 0.5, unit: 'calendar_hours' };
export const HANDLING_LIMIT: Limit = { amount: 3, unit: 'working_days' };
export const URGENT_HANDLING_LIMIT: Limit = { amount: 24, unit: 'calendar_hours' };
export const CLEANING_HANDLING_LIMIT: Limit = { amount: 1, unit: 'working_days' };
export const ILLEGAL_CONSTRUCTION_HANDLING_LIMIT: Limit = { amount: 15, unit: 'working_days' };

// Matched against the category name in order; the first hit decides. Owners named in the name
// (燃气井盖, 电力立杆) come before the generic words (井盖) so that each cover goes to its owner.
const DEPARTMENT_BY_NAME: readonly [RegExp, DepartmentType][] = [
  [/乞讨/, 'public_security'],
  [/焚烧/, 'urban_management'],
  [/无证建设/, 'planning'],
  [/燃气|输油/, 'gas'],
  [/热力|供热/, 'heating'],
  [/信号灯|交通|公交|出租车|停车场|停车计费|(?<!非)机动车乱停放|废弃车辆|畜力车|履带车/, 'traffic'],
  [/路灯|地灯|景观灯|电力|电缆|变压器|高压线|充电桩/, 'power'],
  [/通信|电视|网络|电话亭|邮筒|信息亭|架空线缆/, 'telecom'],
  [/公安|治安|监控电子眼|紧急报警|噪声扰民|楼号/, 'public_security'],
  [/消防|加油/, 'fire'],
  [/园林|树|绿地|绿化|毁绿|花架|喷泉|古树|林地|病虫害|公园/, 'landscaping'],
  [/文物|景区|非法出版物/, 'culture'],
  [/公房|房屋/, 'housing'],
  [/无证餐饮|食品|屠宰/, 'food_drug'],
  [/无照经营|市场|公用电梯/, 'market_regulation'],
  [/不明井盖|特殊井盖/, 'street_office'],
  [
    /供水|污水|雨水|中水|化粪池井盖|井盖|箅子|沟槽盖板|水井|水塔|水鹤|泵站|防汛|水域|河道|堤岸|跨河管道/,
    'water',
  ],
  [/监测站|噪声显示屏/, 'street_office'],
  [/户外广告|牌匾|宣传栏/, 'urban_management'],
  [/公共厕所|公厕|垃圾间|垃圾箱异常|^垃圾箱$|环卫|拾便|烟头|积雪/, 'sanitation'],
];

// By major class, when the name names no owner. Events about the street scene, adverts,
// construction sites and street order are enforced by the street's 城管执法队 (SPEC §1: the first of
// the five forces); components of unclear ownership go to the street (属地).
const DEPARTMENT_BY_MAJOR_CLASS: readonly [RegExp, DepartmentType][] = [
  [/^交通设施/, 'traffic'],
  [/^园林绿化/, 'landscaping'],
  [/^市容环卫设施/, 'sanitation'],
  [/^市容环境|^宣传广告|^施工管理|^街面秩序/, 'urban_management'],
];

const URGENT = /井盖|箅子|沟槽盖板|塌陷|燃气|架空线缆脱落|高压线铁塔/;
const HIGH =
  /电力设施(?!标识牌)|变压器|配电箱|消防|防汛|排水泵站|公用电梯|交通信号灯|道路破损|积雪|边坡|堤岸|古树名木|医疗废物|高空悬吊|预埋件设施裸露|紧急报警/;
const LOW = /语言文字|公益性宣传品|节庆装饰|施工公示牌|路名牌|地名牌|景区标识牌|晒衣架|旧衣物|拾便/;

const ILLEGAL_CONSTRUCTION = /私搭乱建|无证建设|违章接坡|违章开设道口|违法建设|违章建筑/;
const CLEANING = /暴露垃圾|积存垃圾|道路不洁|道路遗撒|满溢|动物尸体|绿地脏乱|非法小广告|街头散发广告|积雪/;

const PRIVATE = /乞讨|噪声扰民|饲养|阳台|晾挂|地下室|空调室外机/;

export function departmentFor(row: Pick<CatalogueRow, 'name' | 'majorClass'>): DepartmentType {
  for (const [re, type] of DEPARTMENT_BY_NAME) if (re.test(row.name)) return type;
  for (const [re, type] of DEPARTMENT_BY_MAJOR_CLASS) if (re.test(row.majorClass)) return type;
  return 'street_office';
}

export function severityFor(row: Pick<CatalogueRow, 'name'>): Severity {
  if (URGENT.test(row.name)) return 'urgent';
  if (HIGH.test(row.name)) return 'high';
  if (LOW.test(row.name)) return 'low';
  return 'normal';
}

/** The defaults for one catalogue row; related keys need the whole catalogue (`relatedKeysFor`). */
export function defaultsFor(row: CatalogueRow): Omit<EntrySettings, 'relatedKeys'> {
  const severity = severityFor(row);
  const urgent = severity === 'urgent';
  return {
    departmentType: departmentFor(row),
    responseLimit: urgent ? URGENT_RESPONSE_LIMIT : RESPONSE_LIMIT,
    handlingLimit: urgent
      ? URGENT_HANDLING_LIMIT
      : ILLEGAL_CONSTRUCTION.test(row.name)
        ? ILLEGAL_CONSTRUCTION_HANDLING_LIMIT
        : CLEANING.test(row.name)
          ? CLEANING_HANDLING_LIMIT
          : HANDLING_LIMIT,
    severity,
    public: !PRIVATE.test(row.name),
  };
}

// Reports that people file under different categories for what is on the ground the same thing: a
// resident cannot tell a sewage cover from a rainwater one, nor a pile of garbage from a full bin.
const FAMILIES: readonly RegExp[] = [
  /井盖|箅子|沟槽盖板/,
  /暴露垃圾|积存垃圾|满溢|垃圾箱|垃圾间|乱堆杂物|废弃家具/,
  /乱停放|共享单车|违规设置停车场/,
  /小广告|散发广告|户外广告|标语宣传品/,
  /无照经营|店外经营|占道经营|早（夜）市|占道洗车|占道促销/,
  /私搭乱建|无证建设|违章接坡|违章开设道口|店面无证装修/,
  /道路破损|台阶破损|路缘石|盲道|无障碍坡道|道路不洁|道路遗撒/,
  /施工扰民|施工占道|施工废弃料|施工物料|工地/,
  /立杆|综合杆/,
  /^(路灯|地灯|景观灯)(异常)?$/,
];

/**
 * Keys whose open cases may duplicate a report in this category (SPEC §4.2): the same code in the
 * other kind (a 路灯 component and a 路灯异常 event), and the members of the same family above.
 */
export function relatedKeysFor(row: CatalogueRow, catalogue: readonly CatalogueRow[]): string[] {
  const self = keyOf(row.kind, row.code);
  const families = FAMILIES.filter((f) => f.test(row.name));
  const related = catalogue
    .filter((other) => {
      if (keyOf(other.kind, other.code) === self) return false;
      if (other.code === row.code) return true;
      return families.some((f) => f.test(other.name));
    })
    .map((other) => keyOf(other.kind, other.code));
  return [...new Set(related)].sort();
}

/** Defaults and related keys for a whole catalogue, keeping what a file already said. */
export function withDefaults<R extends CatalogueRow & { settings?: Partial<EntrySettings> }>(
  rows: readonly R[],
): (CatalogueRow & EntrySettings & { key: string })[] {
  return rows.map((r) => ({
    key: keyOf(r.kind, r.code),
    kind: r.kind,
    code: r.code,
    majorClass: r.majorClass,
    name: r.name,
    keywords: r.keywords,
    ...defaultsFor(r),
    relatedKeys: relatedKeysFor(r, rows),
    ...r.settings,
  }));
}
