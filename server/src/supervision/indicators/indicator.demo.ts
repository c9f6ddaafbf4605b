import type { IndicatorInput } from './indicator.rules.ts';

/**
 * The demo district's environment check indicators: four first-level indicators (市容环境, 生态环境,
 * 设施环境, 秩序环境) in the shape of the published example (4 / 55 / 134), with second- and third-level
 * items written for the demo from the GB/T 47678.5 catalogue and the 十有十无 list. ILLUSTRATIVE: not
 * any district's official system; a district imports its own (`hutong indicators import`).
 *
 * Each second-level row: name, the event code a finding becomes, the department type, the 十有十无
 * key it checks (or null), whether it is a 门前三包 item, and its third-level standards. A standard is
 * `name` or `name/points/cap` when it deducts more than the default 1 point per finding, capped at 5.
 */
type Row = readonly [string, string, string, string | null, boolean, readonly string[]];

const LEVEL_ONE: readonly [string, readonly Row[]][] = [
  [
    '市容环境',
    [
      [
        '垃圾暴露',
        '06010',
        'sanitation',
        null,
        false,
        ['路面暴露垃圾/2/10', '墙角积存垃圾', '绿地内暴露垃圾'],
      ],
      ['门前三包', '06036', 'street_office', null, true, ['门前杂物未清', '门前积水积雪未除', '责任牌缺失']],
      [
        '乱贴小广告',
        '07001',
        'urban_management',
        'small_adverts',
        false,
        ['责任区内乱贴小广告', '立杆箱体小广告'],
      ],
      ['建筑垃圾暴露', '06011', 'urban_management', null, false, ['装修垃圾未苫盖/2/10', '渣土堆放超时']],
      ['道路不洁', '06012', 'sanitation', null, false, ['路面污渍', '便道积尘', '雨箅子堵塞']],
      ['外立面污损', '06004', 'housing', null, false, ['墙面污损涂鸦', '外墙脱落']],
      ['沿街晾挂', '06007', 'street_office', 'disorderly_posting', false, ['临街晾晒衣物', '树木间拉绳晾挂']],
      ['非装饰性吊挂', '06019', 'urban_management', 'disorderly_posting', false, ['条幅吊挂', '杂物悬挂']],
      ['牌匾标识', '07006', 'urban_management', null, true, ['牌匾破损', '牌匾设置不规范', '灯箱残缺']],
      ['户外广告', '07003', 'urban_management', null, false, ['违规设置户外广告', '广告设施破损']],
      ['标语宣传品', '07007', 'street_office', null, false, ['过期宣传品未撤', '宣传品缺损']],
      ['废弃家具', '06035', 'sanitation', null, false, ['废弃家具堆放', '大件垃圾未清运']],
      ['垃圾分类', '06041', 'sanitation', null, false, ['垃圾未分类投放', '分类容器标识缺失', '桶站脏污']],
      ['垃圾容器满溢', '06042', 'sanitation', null, false, ['垃圾桶满溢/2/10', '垃圾站周边散落']],
      ['临街阳台屋顶', '06005', 'housing', null, false, ['屋顶堆物', '阳台脏乱']],
      ['遮阳篷', '06043', 'urban_management', null, true, ['遮阳篷破损', '私设遮阳篷']],
      ['废弃车辆', '06034', 'public_security', null, false, ['僵尸车', '废弃自行车']],
      ['公厕环境', '03001', 'sanitation', 'facilities', false, ['公厕异味', '公厕设施破损', '公厕指示缺失']],
    ],
  ],
  [
    '生态环境',
    [
      ['绿地脏乱', '06017', 'landscaping', 'greenery', false, ['绿地内杂物', '绿篱内垃圾', '树池脏乱']],
      ['绿化弃料', '06018', 'landscaping', null, false, ['修剪弃料未清', '落叶堆积', '枝干堆放占道']],
      ['毁绿占绿', '06045', 'landscaping', 'greenery', false, ['侵占绿地/3/15', '踩踏绿地']],
      ['病虫害', '06021', 'landscaping', null, false, ['树木病虫害', '枯死树未补植']],
      ['焚烧', '06020', 'urban_management', null, false, ['焚烧垃圾树叶/3/15', '焚烧杂物']],
      [
        '油烟污染',
        '06027',
        'urban_management',
        null,
        false,
        ['餐饮油烟直排', '净化设施未运行', '油烟管道破损'],
      ],
      ['噪声扰民', '06028', 'public_security', null, false, ['商业噪声', '夜间施工噪声']],
      ['露天烧烤', '06029', 'urban_management', null, false, ['店外露天烧烤', '流动烧烤']],
      ['污水乱排', '06030', 'water', null, false, ['污水倒入雨箅', '污水漫溢路面', '洗车污水']],
      ['扬尘', '08004', 'urban_management', null, false, ['工地扬尘', '裸土未覆盖', '物料运输遗撒']],
    ],
  ],
  [
    '设施环境',
    [
      [
        '道路破损',
        '06013',
        'urban_management',
        'damaged_road',
        false,
        ['路面坑槽/2/10', '便道砖松动', '路面沉陷'],
      ],
      ['井盖', '01002', 'water', null, false, ['井盖缺失/5/20', '井盖破损', '井盖移位']],
      ['路灯', '01037', 'power', 'facilities', false, ['路灯不亮', '灯杆倾斜', '景观灯损坏']],
      [
        '架空线缆',
        '10002',
        'telecom',
        'tangled_cables',
        false,
        ['线缆乱拉乱挂', '线缆脱落下垂', '废弃线缆未拆'],
      ],
      ['电力设施', '01028', 'power', null, false, ['配电箱破损', '箱体门未关']],
      ['通信设施', '01027', 'telecom', null, false, ['交接箱破损', '通信杆倾斜']],
      ['公示牌', '01065', 'street_office', 'notice_board', false, ['街巷长公示牌缺失', '公示信息过期']],
      ['路名牌门牌', '02012', 'street_office', null, false, ['路名牌缺损', '门牌缺失']],
      ['交通设施', '02010', 'traffic', null, false, ['标志牌破损', '标线不清', '护栏缺损']],
      ['无障碍设施', '06051', 'traffic', null, false, ['盲道缺损', '无障碍坡道破损']],
      ['垃圾箱', '03005', 'sanitation', 'facilities', false, ['垃圾箱破损', '垃圾箱缺失']],
      ['休憩设施', '04007', 'landscaping', 'facilities', false, ['座椅破损', '健身器材损坏']],
      ['台阶路缘', '06050', 'urban_management', null, false, ['路缘石缺损', '台阶破损']],
      ['消防设施', '01013', 'fire', null, false, ['消火栓损坏/3/15', '消防标识缺失']],
      ['充电设施', '01054', 'power', null, false, ['充电桩破损', '私拉电线充电/3/15', '充电设施无标识']],
    ],
  ],
  [
    '秩序环境',
    [
      [
        '机动车乱停',
        '09009',
        'traffic',
        'disorderly_parking',
        false,
        ['占用便道停车', '占用消防通道停车/3/15', '停车不入位'],
      ],
      [
        '非机动车乱停',
        '09010',
        'traffic',
        'disorderly_parking',
        false,
        ['自行车乱停', '共享单车堆积', '电动车乱停'],
      ],
      ['占道经营', '09006', 'urban_management', 'illegal_business', false, ['摊点占道', '流动商贩']],
      ['店外经营', '09005', 'market_regulation', 'illegal_business', true, ['出店经营', '门前摆放商品']],
      [
        '违法建设',
        '06001',
        'planning',
        'illegal_construction',
        false,
        ['新增违建/5/20', '私搭棚亭', '违建未拆除'],
      ],
      ['开墙打洞', '06039', 'planning', 'wall_openings', false, ['新开墙洞/5/20', '擅改门窗']],
      [
        '堆物堆料',
        '06036',
        'urban_management',
        'piled_materials',
        false,
        ['公共空间堆物', '楼道口堆料', '私设地桩地锁'],
      ],
      ['施工管理', '08002', 'urban_management', null, false, ['施工占道', '围挡破损', '施工物料乱堆']],
      ['废品收购', '09004', 'market_regulation', null, false, ['废品露天堆放', '收购点占道', '收购车辆乱停']],
      ['无证餐饮', '09015', 'food_drug', 'illegal_business', false, ['无证经营餐饮', '食品摊点无证']],
      ['违规出租', '06040', 'housing', 'illegal_letting', false, ['群租', '地下空间违规出租']],
      ['文明秩序', '09012', 'public_security', null, false, ['占用消防通道', '乱扔烟头', '遛犬不牵绳']],
    ],
  ],
];

export const DEMO_INDICATOR_LABEL = '示例指标体系（示意，非官方）';

/** The demo system as rows in file order: each first-level item, then its children. */
export function demoIndicators(): IndicatorInput[] {
  const out: IndicatorInput[] = [];
  for (const [i, [l1, rows]] of LEVEL_ONE.entries()) {
    const c1 = String(i + 1).padStart(2, '0');
    out.push(item(c1, 1, null, l1));
    for (const [j, [l2, code, dept, checklistKey, frontage, standards]] of rows.entries()) {
      const c2 = `${c1}${String(j + 1).padStart(2, '0')}`;
      out.push({ ...item(c2, 2, c1, l2), checklistKey, frontage });
      for (const [k, s] of standards.entries()) {
        const [name, points, cap] = s.split('/');
        out.push({
          ...item(`${c2}${String(k + 1).padStart(2, '0')}`, 3, c2, name!),
          standard: `${name}：每处扣${points ?? 1}分，本项最多扣${cap ?? 5}分`,
          deductionPoints: Number(points ?? 1),
          deductionCap: Number(cap ?? 5),
          categoryKey: `event:${code}`,
          departmentType: dept,
          checklistKey,
          frontage,
        });
      }
    }
  }
  return out;
}

function item(code: string, level: 1 | 2 | 3, parentCode: string | null, name: string): IndicatorInput {
  return {
    code,
    level,
    parentCode,
    name,
    standard: '',
    deductionPoints: 0,
    deductionCap: 0,
    categoryKey: null,
    departmentType: null,
    checklistKey: null,
    frontage: false,
  };
}
