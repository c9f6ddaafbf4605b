import { beijingDateOf } from '../calendar/working-calendar.ts';
import type { AppContext } from '../http/context.ts';
import { newId } from '../shared/ids.ts';
import { frontageRepository } from './frontage/frontage.repository.ts';
import { DUTIES } from './frontage/frontage.rules.ts';
import { parkingRepository } from './parking/parking.repository.ts';
import { pointsRepository } from './points/points.repository.ts';
import { DEMO_RULES, DEMO_RULES_LABEL } from './points/points.rules.ts';
import { visitRepository } from './visits/visit.repository.ts';
import { volunteerRepository } from './volunteers/volunteer.repository.ts';

/** The demo community's small rewards catalogue (illustrative items a community office would stock). */
export const DEMO_REWARDS: readonly { name: string; description: string; cost: number; stock: number }[] = [
  { name: '环保购物袋', description: '可重复使用的帆布袋', cost: 20, stock: 30 },
  { name: '洗衣液一瓶', description: '社区服务站领取', cost: 50, stock: 20 },
  { name: '理发服务一次', description: '社区便民理发点', cost: 80, stock: 10 },
  { name: '绿植一盆', description: '绿萝或吊兰，美化门前', cost: 120, stock: 8 },
];

/** The demo community's shared parking (错时停车): units' spaces open in the evenings and at weekends. */
export const DEMO_PARKING_SPACES: readonly {
  name: string;
  unitName: string;
  note: string;
  windows: { days: number[]; start: string; end: string }[];
}[] = [
  {
    name: '小学操场东侧车位 A1',
    unitName: '示例小学',
    note: '从校门东侧进入，早上 7:30 前驶离',
    windows: [
      { days: [1, 2, 3, 4, 5], start: '18:00', end: '07:30' },
      { days: [6, 7], start: '00:00', end: '00:00' },
    ],
  },
  {
    name: '小学操场东侧车位 A2',
    unitName: '示例小学',
    note: '从校门东侧进入，早上 7:30 前驶离',
    windows: [{ days: [1, 2, 3, 4, 5], start: '18:00', end: '07:30' }],
  },
  {
    name: '办公楼地面车位 B1',
    unitName: '示例办公楼',
    note: '凭预约在门卫处登记',
    windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '19:00', end: '08:00' }],
  },
];

/**
 * The demo community's households to visit (十必访), illustrative: invented labels and addresses, no
 * real person; `visitedDaysAgo` null means never visited yet, so the console shows every due state.
 */
export const DEMO_HOUSEHOLDS: readonly {
  label: string;
  address: string;
  kinds: string[];
  visitedDaysAgo: number | null;
  notes: string;
}[] = [
  {
    label: '示例户·王奶奶',
    address: '示例胡同 3 号院',
    kinds: ['elderly_alone'],
    visitedDaysAgo: 10,
    notes: '身体尚可，冬季取暖已落实',
  },
  {
    label: '示例户·李家',
    address: '示例胡同 8 号院',
    kinds: ['hardship', 'disability'],
    visitedDaysAgo: 33,
    notes: '低保手续已协助办理',
  },
  {
    label: '示例户·赵家',
    address: '示例胡同 12 号院',
    kinds: ['left_behind_children'],
    visitedDaysAgo: 50,
    notes: '孩子由祖父母照看',
  },
  {
    label: '示例户·新住户',
    address: '示例胡同 15 号院',
    kinds: ['newcomer'],
    visitedDaysAgo: null,
    notes: '',
  },
];

/**
 * The demo shops along two alleys of the demo street (门前三包), each with a signed agreement and checks:
 * `checks` are [days before today, appearance, sanitation, order] — the ones of this month rate the shop
 * now; 光明胡同's 小卖部 was checked last month only, so the board shows that month's stars.
 */
export const DEMO_SHOPS: readonly {
  alley: string;
  name: string;
  kind: 'shop' | 'restaurant' | 'unit' | 'hotel';
  address: string;
  stretch: string;
  lengthM: number;
  checks: readonly (readonly [number, boolean, boolean, boolean])[];
}[] = [
  {
    alley: '东斜街',
    name: '示例老北京炸酱面馆',
    kind: 'restaurant',
    address: '东斜街12号',
    stretch: '12号至14号门前',
    lengthM: 18,
    checks: [
      [0, true, true, true],
      [40, true, false, true],
    ],
  },
  {
    alley: '东斜街',
    name: '示例便民超市',
    kind: 'shop',
    address: '东斜街20号',
    stretch: '20号门前',
    lengthM: 9,
    checks: [
      [0, true, false, true],
      [35, true, true, true],
    ],
  },
  {
    alley: '东斜街',
    name: '示例社区卫生服务站',
    kind: 'unit',
    address: '东斜街31号',
    stretch: '29号至33号门前',
    lengthM: 25,
    checks: [[0, true, true, true]],
  },
  {
    alley: '光明胡同',
    name: '示例胡同小卖部',
    kind: 'shop',
    address: '光明胡同8号',
    stretch: '8号门前',
    lengthM: 6,
    checks: [[35, true, true, false]],
  },
];

/**
 * The illustrative participation data of the demo district: a points rules version and, for the first
 * community of the demo street, a rewards catalogue, a volunteer team, shared parking spaces, households to visit and shops along two alleys (门前三包). Idempotent, so that demo
 * databases made before participation existed get it on their next start.
 */
export async function seedParticipationDemo(
  ctx: AppContext,
  districtCode: string,
  streetCode: string,
): Promise<void> {
  const { points } = ctx.participation;
  await points.seedRules(districtCode, DEMO_RULES, DEMO_RULES_LABEL);
  const community = await ctx.db
    .selectFrom('community')
    .select('code')
    .where('street_code', '=', streetCode)
    .orderBy('code')
    .executeTakeFirst();
  if (!community) return;
  const now = ctx.clock.now();
  const repo = pointsRepository(ctx.db);
  if ((await repo.rewards({ communityCode: community.code, activeOnly: false })).length === 0) {
    for (const r of DEMO_REWARDS) {
      await repo.insertReward({
        district_code: districtCode,
        id: newId('rwd'),
        community_code: community.code,
        name: r.name,
        description: r.description,
        cost: r.cost,
        stock: r.stock,
        created_at: now,
      });
    }
  }
  const volunteers = volunteerRepository(ctx.db);
  if ((await volunteers.teams({ communityPrefix: community.code })).length === 0) {
    await volunteers.insertTeam({
      district_code: districtCode,
      id: newId('vteam'),
      community_code: community.code,
      alley_id: null,
      name: '西城大妈志愿服务队（示例）',
      created_at: now,
    });
  }
  const visits = visitRepository(ctx.db);
  if ((await visits.households({ prefix: community.code })).length === 0) {
    const chief = await ctx.db
      .selectFrom('app_user')
      .select('id')
      .where('username', '=', 'demo-alley_chief')
      .executeTakeFirst();
    for (const h of DEMO_HOUSEHOLDS) {
      const id = newId('hh');
      await visits.insertHousehold({
        district_code: districtCode,
        id,
        community_code: community.code,
        grid_code: null,
        label: h.label,
        address: h.address,
        kinds: JSON.stringify(h.kinds),
        contact_name: '',
        contact_phone: '',
        official_user_id: chief?.id ?? null,
        created_at: new Date(now.getTime() - 120 * 86_400_000),
        created_by: null,
      });
      if (h.visitedDaysAgo !== null)
        await visits.insertVisit({
          district_code: districtCode,
          id: newId('hv'),
          household_id: id,
          visitor_user_id: chief?.id ?? null,
          visited_at: new Date(now.getTime() - h.visitedDaysAgo * 86_400_000),
          notes: h.notes,
          case_id: null,
          case_number: null,
          created_at: now,
        });
    }
  }

  const parking = parkingRepository(ctx.db);
  if ((await parking.spaces({ prefix: community.code, openOnly: false })).length === 0) {
    for (const p of DEMO_PARKING_SPACES) {
      await parking.insertSpace({
        district_code: districtCode,
        id: newId('pks'),
        community_code: community.code,
        alley_id: null,
        name: p.name,
        unit_name: p.unitName,
        note: p.note,
        windows: JSON.stringify(p.windows),
        created_at: now,
        created_by: null,
      });
    }
  }

  await seedFrontageDemo(ctx, districtCode, streetCode);
}

/** The demo shops (DEMO_SHOPS), once per alley: an alley that has shops already is left as it is. */
async function seedFrontageDemo(ctx: AppContext, districtCode: string, streetCode: string): Promise<void> {
  const repo = frontageRepository(ctx.db);
  const now = ctx.clock.now();
  const today = beijingDateOf(now);
  const dayBefore = (days: number) => beijingDateOf(new Date(now.getTime() - days * 86_400_000));
  const year = Number(today.slice(0, 4));
  for (const alleyName of new Set(DEMO_SHOPS.map((s) => s.alley))) {
    const alley = await ctx.db
      .selectFrom('alley')
      .selectAll()
      .where('street_code', '=', streetCode)
      .where('name', '=', alleyName)
      .executeTakeFirst();
    if (!alley) continue;
    if ((await repo.listShops({ prefix: null, alleyId: alley.id })).length > 0) continue;
    for (const s of DEMO_SHOPS.filter((x) => x.alley === alleyName)) {
      const id = newId('shop');
      await repo.insertShop({
        district_code: districtCode,
        id,
        alley_id: alley.id,
        street_code: alley.street_code,
        community_code: alley.community_code,
        name: s.name,
        kind: s.kind,
        address: s.address,
        responsible_name: '示例负责人',
        responsible_phone: '010-6600 0000',
        created_at: now,
        created_by: null,
      });
      await repo.insertAgreement({
        district_code: districtCode,
        id: newId('fagr'),
        shop_id: id,
        version: 1,
        duties: JSON.stringify(DUTIES),
        stretch: s.stretch,
        length_m: s.lengthM,
        signed_on: `${year}-01-05`,
        valid_until: `${year + 1}-01-04`,
        signatory: '示例负责人',
        recorded_by: null,
        created_at: now,
      });
      for (const [days, appearance, sanitation, order] of s.checks)
        await repo.insertCheck({
          district_code: districtCode,
          id: newId('fchk'),
          shop_id: id,
          checked_on: dayBefore(days),
          appearance_ok: appearance,
          sanitation_ok: sanitation,
          order_ok: order,
          note: '示例检查',
          source: 'staff',
          inspection_id: null,
          recorded_by: null,
          created_at: now,
        });
    }
  }
}
