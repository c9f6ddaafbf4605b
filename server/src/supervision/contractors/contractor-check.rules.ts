/**
 * Contractor assessment (SPEC §5, §6): checks on a district's item list, scored 100 minus deductions.
 * A finding on an item already found against the same contractor in the same month deducts more: the
 * n-th finding of the month deducts n times the item's points, so neglect that persists costs more
 * than a slip.
 */

export interface ContractorItem {
  code: string;
  area: string;
  name: string;
  points: number;
}

/** The deduction of a finding that is the `occurrence`-th (1-based) on its item this month. */
export function repeatDeduction(points: number, occurrence: number): number {
  return points * Math.max(1, occurrence);
}

export function checkScore(deductions: readonly number[]): number {
  return Math.max(0, Math.round((100 - deductions.reduce((a, b) => a + b, 0)) * 100) / 100);
}

/** An illustrative item list of five areas and 31 items, for the demo district. */
const AREAS: readonly [string, readonly (readonly [string, number])[]][] = [
  [
    '道路清扫保洁',
    [
      ['路面有明显垃圾、烟头', 1],
      ['便道及树池积存杂物', 1],
      ['雨箅子周边淤积', 1],
      ['墙根、角落积尘', 1],
      ['清扫作业未按时段进行', 2],
      ['作业人员未着装上岗', 1],
      ['冬季积雪未及时清除', 2],
      ['清扫后垃圾未及时清运', 2],
    ],
  ],
  [
    '垃圾收集运输',
    [
      ['垃圾桶站满溢', 2],
      ['桶站周边散落垃圾', 1],
      ['垃圾桶破损、缺盖', 1],
      ['分类桶标识不清', 1],
      ['混装混运', 2],
      ['收运车辆滴漏遗撒', 2],
      ['收运未按时到达', 1],
    ],
  ],
  [
    '公厕管理',
    [
      ['公厕地面不洁', 1],
      ['便器污垢、堵塞', 2],
      ['异味明显', 1],
      ['设施损坏未报修', 1],
      ['开放时间不符', 1],
      ['管理员脱岗', 2],
    ],
  ],
  [
    '绿化养护',
    [
      ['绿地内杂物未清', 1],
      ['枯枝落叶堆积', 1],
      ['苗木缺株未补植', 1],
      ['病虫害未防治', 2],
      ['修剪弃料未清运', 1],
    ],
  ],
  [
    '设施维护',
    [
      ['果皮箱破损', 1],
      ['公示牌信息缺失', 1],
      ['座椅护栏损坏', 1],
      ['井盖周边保洁不到位', 1],
      ['作业工具乱放', 1],
    ],
  ],
];

export function demoContractorItems(): ContractorItem[] {
  const out: ContractorItem[] = [];
  for (const [a, [area, items]] of AREAS.entries())
    for (const [i, [name, points]] of items.entries())
      out.push({ code: `C${a + 1}${String(i + 1).padStart(2, '0')}`, area, name, points });
  return out;
}
