import { describe, expect, it } from 'vitest';
import { loadOfficialCalendar } from '../calendar/holiday-data.ts';
import { beijingTime } from '../calendar/working-calendar.ts';
import { Gazetteer } from './hotline.address.ts';
import { CategoryResolver } from './hotline.category.ts';
import { DEFAULT_MAPPING, mappingFrom, parseCrs, resolveColumns } from './hotline.fields.ts';
import { parseHotlineTime, parseOrder } from './hotline.order.ts';
import { decodeText, parseCsv, readSource } from './hotline.read.ts';
import { resultRecord, resultsCsv } from './hotline.results.ts';
import { compositeScore, computeSanlv, type SanlvCase } from './hotline.sanlv.ts';
import { caseFacts, type TrailEventFact } from './hotline.trail.ts';

const at = (hhmm: string, day = '2026-11-02') => beijingTime(day, hhmm);

describe('column mapping', () => {
  it('finds the usual 12345 headers, ignoring spaces and required-marks', () => {
    const r = resolveColumns(
      ['工单编号 *', '诉求内容（必填）', '事发地址', '经度', '纬度'],
      DEFAULT_MAPPING.columns,
    );
    expect(r.index).toMatchObject({ workOrderNo: 0, description: 1, address: 2, lng: 3, lat: 4 });
    expect(r.missingRequired).toEqual([]);
    expect(resolveColumns(['编号', '内容'], DEFAULT_MAPPING.columns).missingRequired).toEqual([
      'workOrderNo',
      'description',
    ]);
  });

  it('lets a mapping file rename, drop and default fields, and refuses unknown keys', () => {
    const m = mappingFrom({
      columns: { workOrderNo: 'ID', category: null },
      crs: 'gcj02',
      categories: { 垃圾: '06010' },
    });
    expect(m.columns.workOrderNo).toEqual(['ID']);
    expect(m.columns.category).toEqual([]);
    expect(m.columns.description).toContain('诉求内容');
    expect(m.crs).toBe('gcj02');
    expect(() => mappingFrom({ colums: {} })).toThrow(/colums/);
    expect(() => mappingFrom({ columns: { description: null } })).toThrow(/description/);
  });

  it('reads coordinate systems as hotlines spell them', () => {
    expect(parseCrs('GCJ-02')).toBe('gcj02');
    expect(parseCrs('百度坐标')).toBe('bd09');
    expect(parseCrs('CGCS2000')).toBe('wgs84');
    expect(parseCrs('高德地图')).toBe('gcj02');
    expect(parseCrs('北京54')).toBeNull();
  });
});

describe('reading files', () => {
  it('parses quoted CSV fields with separators, quotes and line breaks', () => {
    const rows = parseCsv('a,b,c\r\n1,"x, ""y""\nz",3\n\n');
    expect(rows[0]).toEqual({ rowNumber: 1, cells: ['a', 'b', 'c'] });
    expect(rows[1]).toEqual({ rowNumber: 2, cells: ['1', 'x, "y"\nz', '3'] });
    expect(parseCsv('a\tb\n1\t2')[1]!.cells).toEqual(['1', '2']);
  });

  it('decodes GB18030 CSV from a Chinese Excel, and UTF-8 with a BOM', () => {
    // 工单编号 in GBK.
    const gbk = Uint8Array.from([0xb9, 0xa4, 0xb5, 0xa5, 0xb1, 0xe0, 0xba, 0xc5]);
    expect(decodeText(gbk)).toBe('工单编号');
    expect(decodeText(new TextEncoder().encode('\uFEFF工单编号'))).toBe('工单编号');
  });

  it('finds the header row below a title and skips empty rows', async () => {
    const csv =
      '12345工单导出,,\n工单编号,诉求内容,问题分类\nA1,路面有坑很危险,道路破损\n,,\nA2,垃圾没人清,\n';
    const t = await readSource(new TextEncoder().encode(csv), DEFAULT_MAPPING, { filename: 'x.csv' });
    expect(t.headerRow).toBe(2);
    expect(t.rows.map((r) => r.rowNumber)).toEqual([3, 5]);
  });

  it('reads JSON as an array or as an object holding one', async () => {
    const doc = { total: 1, data: [{ 工单编号: 7, 诉求内容: '噪音扰民严重' }] };
    const t = await readSource(new TextEncoder().encode(JSON.stringify(doc)), DEFAULT_MAPPING);
    expect(t.format).toBe('json');
    expect(t.headers).toEqual(['工单编号', '诉求内容']);
    expect(t.rows[0]!.values).toEqual([7, '噪音扰民严重']);
  });

  it('refuses the old .xls format with advice', async () => {
    const xls = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]);
    await expect(readSource(xls, DEFAULT_MAPPING)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('one work order', () => {
  const ok = { workOrderNo: 'W1', description: '路面有个大坑' };

  it('collects every fault of a row, naming the field', () => {
    const { order, issues } = parseOrder(
      { workOrderNo: '', description: '坑', lng: '116.3x', crs: '北京54' },
      {
        crs: 'wgs84',
      },
    );
    expect(order).toBeNull();
    expect(issues.map((i) => `${i.field}:${i.code}`)).toEqual([
      'workOrderNo:required',
      'description:too_short',
      'crs:unknown_crs',
      'lat:incomplete',
      'lng:not_a_number',
    ]);
  });

  it('says when latitude and longitude look swapped', () => {
    const { issues } = parseOrder({ ...ok, lng: 39.91, lat: 116.38 }, { crs: 'wgs84' });
    expect(issues[0]).toMatchObject({ field: 'lat', code: 'out_of_range' });
    expect(issues[0]!.message).toContain('填反');
  });

  it('reads coordinates typed with full-width digits and keeps the system sent', () => {
    const { order } = parseOrder(
      { ...ok, lng: '１１６．３８', lat: '39.91', crs: 'GCJ02' },
      { crs: 'wgs84' },
    );
    expect(order?.coordinates).toEqual({ lng: 116.38, lat: 39.91, crs: 'gcj02' });
  });

  it('reads hotline times as Beijing wall time', () => {
    const expected = at('09:30');
    expect(parseHotlineTime('2026-11-02 09:30:00')).toEqual(expected);
    expect(parseHotlineTime('2026/11/2 9:30')).toEqual(expected);
    expect(parseHotlineTime('2026年11月2日 9时30分')).toEqual(expected);
    expect(parseHotlineTime(new Date('2026-11-02T09:30:00Z'))).toEqual(expected);
    expect(parseHotlineTime('2026-02-30 10:00')).toBeNull();
    expect(parseHotlineTime('昨天')).toBeNull();
  });
});

describe('placing by address', () => {
  const line = (x: number): [number, number][] => [
    [x, 39.9],
    [x + 0.002, 39.9],
  ];
  const g = new Gazetteer({
    alleys: [
      { id: 'a1', name: '星辰胡同', streetCode: '110102001', coordinates: line(116.38) },
      { id: 'a2', name: '大星辰胡同', streetCode: '110102001', coordinates: line(116.39) },
      { id: 'a3', name: '光明胡同', streetCode: '110102001', coordinates: line(116.37) },
      { id: 'a4', name: '光明胡同', streetCode: '110102012', coordinates: line(116.4) },
      { id: 'a5', name: '长安街', streetCode: '110102001', coordinates: line(116.41) },
    ],
    streets: [
      { code: '110102001', name: '西长安街街道', center: [116.38, 39.91] },
      { code: '110102012', name: '什刹海街道', center: [116.39, 39.94] },
    ],
    places: [
      { streetCode: '110102012', name: '地安门外大街', kind: 'road' },
      { streetCode: '110102001', name: '西单北大街', kind: 'road' },
      { streetCode: '110102012', name: '西单北大街', kind: 'road' },
      { streetCode: '110102012', name: '烟袋斜街商场', kind: 'landmark' },
    ],
  });

  it('prefers the longest alley name and places at the middle of the alley', () => {
    const m = g.locate('北京市西城区大星辰胡同12号', null);
    expect(m).toMatchObject({ precision: 'alley', alleyId: 'a2' });
    if (m.precision === 'alley') expect(m.point[0]).toBeCloseTo(116.391, 6);
  });

  it('does not find an alley inside a longer unknown name (大石碑胡同 is not 石碑胡同)', () => {
    const h = new Gazetteer({
      alleys: [{ id: 's1', name: '石碑胡同', streetCode: '110102001', coordinates: line(116.38) }],
      streets: [{ code: '110102001', name: '西长安街街道', center: [116.38, 39.91] }],
    });
    expect(h.locate('西城区大石碑胡同5号', null)).toMatchObject({ precision: 'none' });
    expect(h.locate('西城区石碑胡同5号', null)).toMatchObject({ precision: 'alley', alleyId: 's1' });
    expect(h.locate('西长安街石碑胡同', null)).toMatchObject({ precision: 'alley', alleyId: 's1' });
  });

  it('tells same-named alleys apart by the street or the 所属街道 column, and places none at a guess', () => {
    expect(g.locate('什刹海光明胡同3号', null)).toMatchObject({ precision: 'alley', alleyId: 'a4' });
    expect(g.locate('光明胡同3号', '什刹海街道')).toMatchObject({ precision: 'alley', alleyId: 'a4' });
    expect(g.locate('光明胡同3号', null)).toMatchObject({ precision: 'none' });
  });

  it('flags an alley found only in another street than the one named, and keeps the named street', () => {
    const m = g.locate('星辰胡同8号', '什刹海街道');
    expect(m).toMatchObject({ precision: 'street', streetCode: '110102012' });
    if (m.precision === 'street') expect(m.flag).toContain('星辰胡同');
  });

  it('places a road or landmark at street level, never at an alley', () => {
    expect(g.locate('地安门外大街120号', null)).toMatchObject({
      precision: 'street',
      streetCode: '110102012',
      point: [116.39, 39.94],
    });
    // A road through two streets needs the street: the column settles it.
    expect(g.locate('西单北大街88号', null)).toMatchObject({ precision: 'none' });
    expect(g.locate('西单北大街88号', '西长安街街道')).toMatchObject({
      precision: 'street',
      streetCode: '110102001',
    });
    const elsewhere = g.locate('烟袋斜街商场门口', '西长安街街道');
    expect(elsewhere).toMatchObject({ precision: 'street', streetCode: '110102001' });
    if (elsewhere.precision === 'street') expect(elsewhere.flag).toContain('烟袋斜街商场');
  });

  it('falls back to the street, and does not read an alley inside a street name', () => {
    expect(g.locate('西城区西长安街街道某小区', null)).toMatchObject({
      precision: 'street',
      streetCode: '110102001',
    });
    expect(g.locate('朝阳区某地', null)).toMatchObject({ precision: 'none' });
    expect(g.locate('某小区5号楼', '什刹海')).toMatchObject({ precision: 'street', streetCode: '110102012' });
  });
});

describe('categories', () => {
  const r = new CategoryResolver(
    [
      { key: 'component:06010', kind: 'component', code: '06010', name: '暴露垃圾' },
      { key: 'event:06010', kind: 'event', code: '06010', name: '暴露垃圾' },
      { key: 'event:07001', kind: 'event', code: '07001', name: '非法小广告' },
    ],
    new Map([['乱贴广告', '07001']]),
  );

  it('resolves codes, names, paths of names and the mapping aliases, events first', () => {
    expect(r.resolve('06010')).toBe('event:06010');
    expect(r.resolve('component:06010')).toBe('component:06010');
    expect(r.resolve('暴露垃圾')).toBe('event:06010');
    expect(r.resolve('城市管理-市容环境-非法小广告')).toBe('event:07001');
    expect(r.resolve('乱贴广告')).toBe('event:07001');
    expect(r.resolve('外星人入侵')).toBeNull();
    expect(r.resolve('99999')).toBeNull();
  });
});

describe('trail facts', () => {
  const ev = (action: string, time: string, payload: Record<string, unknown> = {}): TrailEventFact => ({
    action,
    at: at(time),
    payload,
  });
  const unit = (unitId: string) => ({ assignment: { kind: 'unit', unitId } });

  it('attributes a case to the unit that holds it, with its signature as the response', () => {
    const f = caseFacts(
      { state: 'closed', rating: 'satisfied' },
      [
        ev('dispatch', '09:00', unit('org-a')),
        ev('send_back', '09:10'),
        ev('redispatch', '09:30', unit('org-b')),
        ev('sign', '10:00'),
        ev('feedback', '11:00', { note: '已清理' }),
        ev('rate', '12:00', { rating: 'satisfied', via: 'follow_up_call' }),
      ],
      'org-street',
    );
    expect(f.holds).toEqual([
      { unitId: 'org-b', tier: 2, assignedAt: at('09:30'), respondedAt: at('10:00') },
    ]);
    expect(f).toMatchObject({ feedbackNote: '已清理', resolved: true, ratingVia: 'follow_up_call' });
  });

  it('measures tier 3 per summoned unit by its report-in, and tier 1 on the street office', () => {
    const joint = caseFacts(
      { state: 'joint_action', rating: null },
      [
        ev('dispatch', '09:00', { assignment: { kind: 'joint', unitIds: ['u1', 'u2'], reportedIn: [] } }),
        ev('report_in', '09:20', { unitId: 'u2' }),
      ],
      'org-street',
    );
    expect(joint.holds.map((h) => [h.unitId, h.respondedAt])).toEqual([
      ['u1', null],
      ['u2', at('09:20')],
    ]);
    const tier1 = caseFacts(
      { state: 'handling', rating: null },
      [ev('dispatch', '09:00', { assignment: { kind: 'handler', userId: 'x' } })],
      'org-street',
    );
    expect(tier1.holds).toEqual([
      { unitId: 'org-street', tier: 1, assignedAt: at('09:00'), respondedAt: at('09:00') },
    ]);
  });
});

describe('三率', () => {
  const calendar = loadOfficialCalendar();
  const limit = { amount: 2, unit: 'working_hours' } as const;
  const hold = (unitId: string, assigned: string, responded: string | null) => ({
    unitId,
    tier: 2 as const,
    assignedAt: at(assigned),
    respondedAt: responded ? at(responded) : null,
  });
  const c = (
    caseNumber: string,
    holds: ReturnType<typeof hold>[],
    extra: Partial<SanlvCase> & { rating?: 'satisfied' | 'basically_satisfied' | 'dissatisfied' } = {},
  ): SanlvCase => ({
    caseNumber,
    state: extra.state ?? 'handling',
    handlingDeadline: extra.handlingDeadline ?? at('17:00', '2026-11-05'),
    responseLimit: limit,
    facts: {
      holds,
      feedbackNote: null,
      resolved: (extra.state ?? 'handling') === 'closed',
      rating: extra.rating ?? null,
      ratingVia: null,
    },
  });

  it('counts, rates and scores each unit, and lists the cases behind each count', () => {
    // 2026-11-02 is a Monday: 2 working hours from 09:00 end at 11:00.
    const now = at('12:00', '2026-11-06');
    const { units, unattributed } = computeSanlv(
      [
        c('C1', [hold('A', '09:00', '10:30')], { state: 'closed', rating: 'satisfied' }),
        c('C2', [hold('A', '09:00', '11:30')], { state: 'closed', rating: 'basically_satisfied' }),
        c('C3', [hold('A', '09:00', null)], { handlingDeadline: at('17:00', '2026-11-03') }),
        c('C4', [hold('A', '11:00', null)], { state: 'closed', rating: 'dissatisfied' }),
        c('C5', [], {}),
      ],
      { now, calendar, weights: { response: 30, resolution: 35, satisfaction: 35 } },
    );
    expect(unattributed).toEqual(['C5']);
    const a = units[0]!;
    expect(a.counts).toMatchObject({
      dueResponse: 4,
      respondedOnTime: 1,
      respondedLate: 1,
      notResponded: 2,
      dueResolution: 4,
      resolved: 3,
      unresolved: 1,
      rated: 3,
      satisfied: 1,
      basicallySatisfied: 1,
      dissatisfied: 1,
    });
    expect(a.cases.respondedLate).toEqual(['C2']);
    expect(a.cases.unresolved).toEqual(['C3']);
    expect(a.rates).toEqual({ response: 0.25, resolution: 0.75, satisfaction: 0.6667 });
    // 100 × (30×0.25 + 35×0.75 + 35×0.6667) / 100
    expect(a.score).toBe(57.08);
  });

  it('leaves what is not yet due out of every rate, and rescales the weights over the rates it has', () => {
    const now = at('10:00');
    const { units } = computeSanlv([c('C1', [hold('A', '09:00', null)])], {
      now,
      calendar,
      weights: { response: 30, resolution: 35, satisfaction: 35 },
    });
    expect(units[0]!.counts).toMatchObject({ awaitingResponse: 1, dueResponse: 0, inProgress: 1, rated: 0 });
    expect(units[0]!.score).toBeNull();
    expect(
      compositeScore(
        { response: 1, resolution: 0.5, satisfaction: null },
        { response: 30, resolution: 35, satisfaction: 35 },
      ),
    ).toBe(73.08);
  });
});

describe('results for the hotline', () => {
  it('writes exactly the hotline columns, times in Beijing', () => {
    const r = {
      workOrderNo: 'W1',
      units: ['城管执法队', '房管局'],
      signedAt: at('09:30'),
      closedAt: null,
      feedbackNote: '已处理, "完毕"',
      resolved: false,
      rating: 'basically_satisfied' as const,
    };
    expect(resultRecord(r)).toEqual({
      工单编号: 'W1',
      承办单位: '城管执法队、房管局',
      签收时间: '2026-11-02 09:30:00',
      办结时间: '',
      办理结果: '已处理, "完毕"',
      是否解决: '否',
      满意度: '基本满意',
    });
    expect(resultsCsv([r]).split('\r\n')[1]).toBe(
      'W1,城管执法队、房管局,2026-11-02 09:30:00,,"已处理, ""完毕""",否,基本满意',
    );
  });
});
