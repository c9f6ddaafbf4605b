/**
 * 十有十无: the checklist every alley is held to (SPEC §2). The keys are what the database and the
 * import format store; the labels are what a street office reads on a form.
 */

export interface ChecklistItem {
  readonly key: string;
  readonly label: string;
}

const HAVES = [
  { key: 'representative', label: '有政府代表（街长、巷长）' },
  { key: 'council', label: '有自治共建理事会' },
  { key: 'service_company', label: '有物业管理单位' },
  { key: 'volunteer_team', label: '有社区志愿服务团队' },
  { key: 'plan', label: '有街区治理导则和实施方案' },
  { key: 'residents_pact', label: '有居民公约' },
  { key: 'notice_board', label: '有责任公示牌' },
  { key: 'facilities', label: '有配套设施' },
  { key: 'greenery', label: '有绿植景观' },
  { key: 'culture', label: '有文化内涵' },
] as const satisfies readonly ChecklistItem[];

// true means the problem is absent, so a fully compliant alley is all true in both lists.
const NOTS = [
  { key: 'disorderly_parking', label: '无乱停车' },
  { key: 'illegal_construction', label: '无违章建筑' },
  { key: 'wall_openings', label: '无开墙打洞' },
  { key: 'illegal_letting', label: '无违规出租' },
  { key: 'illegal_business', label: '无违法经营' },
  { key: 'tangled_cables', label: '无线缆乱挂' },
  { key: 'piled_materials', label: '无堆物堆料' },
  { key: 'damaged_road', label: '无道路破损' },
  { key: 'disorderly_posting', label: '无乱贴乱挂' },
  { key: 'small_adverts', label: '无非法小广告' },
] as const satisfies readonly ChecklistItem[];

export type HaveKey = (typeof HAVES)[number]['key'];
export type NotKey = (typeof NOTS)[number]['key'];

// Typed with plain string keys so that callers can test arbitrary input against them.
export const TEN_HAVES: readonly ChecklistItem[] = HAVES;
export const TEN_NOTS: readonly ChecklistItem[] = NOTS;

export const HAVE_KEYS: readonly HaveKey[] = HAVES.map((h) => h.key);
export const NOT_KEYS: readonly NotKey[] = NOTS.map((n) => n.key);

/** How many of the ten haves are present and how many of the ten problems are absent. */
export function checklistCounts(checklist: {
  haves?: Record<string, boolean>;
  nots?: Record<string, boolean>;
}): { haves: number; nots: number } {
  return {
    haves: HAVE_KEYS.filter((k) => checklist.haves?.[k] === true).length,
    nots: NOT_KEYS.filter((k) => checklist.nots?.[k] === true).length,
  };
}
