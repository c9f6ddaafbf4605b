import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatCatalogue, type ParsedRow, parseCatalogue } from './taxonomy.catalogue.ts';
import {
  DEPARTMENT_TYPES,
  defaultsFor,
  departmentFor,
  relatedKeysFor,
  withDefaults,
} from './taxonomy.defaults.ts';
import type { CatalogueRow } from './taxonomy.schema.ts';
import { DEFAULT_CATALOGUE_PATH } from './taxonomy.seed.ts';

let rows: ParsedRow[];
const byKey = (key: string) => {
  const r = rows.find((x) => x.key === key);
  if (!r) throw new Error(`no ${key} in the catalogue`);
  return r;
};

beforeAll(() => {
  const parsed = parseCatalogue(fs.readFileSync(DEFAULT_CATALOGUE_PATH, 'utf8'));
  expect(parsed.issues).toEqual([]);
  rows = parsed.rows;
});

describe('the bundled GB/T 47678.5 catalogue', () => {
  it('has 403 categories: 153 components and 250 events, keyed by kind and code', () => {
    expect(rows).toHaveLength(403);
    expect(rows.filter((r) => r.kind === 'component')).toHaveLength(153);
    expect(rows.filter((r) => r.kind === 'event')).toHaveLength(250);
    expect(new Set(rows.map((r) => r.key)).size).toBe(403);
    // The same code names a component and the event of that component going wrong.
    expect(byKey('component:01001').name).toBe('供水井盖');
    expect(byKey('event:01001').name).toBe('供水井盖异常');
    expect(byKey('event:06001').name).toBe('私搭乱建');
  });

  it('splits keywords on |', () => {
    expect(byKey('event:06042').keywords).toContain('垃圾桶满溢');
  });
});

describe('defaultsFor', () => {
  const d = (key: string) => defaultsFor(byKey(key));

  it('gives exposed garbage (暴露垃圾) to the street 城管 with one working day to handle', () => {
    expect(d('event:06010')).toEqual({
      departmentType: 'urban_management',
      responseLimit: { amount: 2, unit: 'working_hours' },
      handlingLimit: { amount: 1, unit: 'working_days' },
      severity: 'normal',
      public: true,
    });
  });

  it('gives illegal construction 15 working days, to 城管 or, without a permit, to planning', () => {
    expect(d('event:06001')).toMatchObject({
      departmentType: 'urban_management',
      handlingLimit: { amount: 15, unit: 'working_days' },
    });
    expect(d('event:08016')).toMatchObject({
      departmentType: 'planning',
      handlingLimit: { amount: 15, unit: 'working_days' },
    });
  });

  it('treats a manhole cover as urgent: half an hour to respond, 24 calendar hours to make safe', () => {
    for (const key of ['event:01001', 'event:01023', 'component:01011', 'event:01004']) {
      expect(d(key), key).toMatchObject({
        severity: 'urgent',
        responseLimit: { amount: 0.5, unit: 'calendar_hours' },
        handlingLimit: { amount: 24, unit: 'calendar_hours' },
      });
    }
  });

  it('defaults to 2 working hours to respond and 3 working days to handle (an inspection finding)', () => {
    expect(d('event:06036')).toMatchObject({
      responseLimit: { amount: 2, unit: 'working_hours' },
      handlingLimit: { amount: 3, unit: 'working_days' },
      severity: 'normal',
    });
  });

  it('names the owner of each utility, and the street where the owner is unknown', () => {
    const cases: [string, string][] = [
      ['event:01001', 'water'],
      ['event:01002', 'water'],
      ['event:01005', 'power'],
      ['event:01037', 'power'],
      ['event:01010', 'heating'],
      ['event:01011', 'gas'],
      ['event:01057', 'gas'],
      ['event:01007', 'telecom'],
      ['event:10002', 'telecom'],
      ['event:01012', 'public_security'],
      ['event:01015', 'traffic'],
      ['event:02014', 'traffic'],
      ['event:09009', 'traffic'],
      ['event:04002', 'landscaping'],
      ['event:06021', 'landscaping'],
      ['event:01013', 'fire'],
      ['event:09012', 'fire'],
      ['event:09015', 'food_drug'],
      ['event:09001', 'market_regulation'],
      ['event:05002', 'housing'],
      ['event:05009', 'culture'],
      ['event:03001', 'sanitation'],
      ['event:07001', 'urban_management'],
      ['event:08001', 'urban_management'],
      ['event:09006', 'urban_management'],
      ['event:09010', 'urban_management'],
      ['event:01023', 'street_office'],
      ['event:01065', 'street_office'],
    ];
    for (const [key, type] of cases)
      expect(departmentFor(byKey(key)), `${key} ${byKey(key).name}`).toBe(type);
  });

  it('marks categories about a person or a household private, and nothing about public space', () => {
    const hidden = rows.filter((r) => !defaultsFor(r).public).map((r) => r.name);
    expect(hidden).toEqual(
      expect.arrayContaining(['流浪乞讨', '噪声扰民', '擅自饲养家禽家畜', '沿街晾挂', '公房地下室']),
    );
    expect(hidden.length).toBeLessThan(15);
    expect(d('event:08001').public).toBe(true);
  });

  it('gives every category a known department, positive limits and a severity', () => {
    for (const r of rows) {
      const x = defaultsFor(r);
      expect(DEPARTMENT_TYPES, r.key).toContain(x.departmentType);
      expect(x.responseLimit.amount).toBeGreaterThan(0);
      expect(x.handlingLimit.amount).toBeGreaterThan(0);
    }
    const severities = new Set(rows.map((r) => defaultsFor(r).severity));
    expect([...severities].sort()).toEqual(['high', 'low', 'normal', 'urgent']);
  });

  it('is pure: the same row gives the same answer', () => {
    const row: CatalogueRow = {
      kind: 'event',
      code: '06010',
      majorClass: '市容环境类',
      name: '暴露垃圾',
      keywords: [],
    };
    expect(defaultsFor(row)).toEqual(defaultsFor({ ...row }));
  });
});

describe('relatedKeysFor', () => {
  it('relates a component to its event, and covers that residents cannot tell apart', () => {
    const related = relatedKeysFor(byKey('event:01002'), rows);
    expect(related).toContain('component:01002');
    expect(related).toContain('event:01003');
    expect(related).not.toContain('event:01002');
    expect(relatedKeysFor(byKey('event:06010'), rows)).toContain('event:06042');
  });

  it('is symmetric over the whole catalogue', () => {
    const rel = new Map(rows.map((r) => [r.key, new Set(relatedKeysFor(r, rows))]));
    for (const [key, set] of rel)
      for (const other of set) expect(rel.get(other)?.has(key), `${key} ↔ ${other}`).toBe(true);
  });
});

describe('the catalogue file', () => {
  it('reads back what it exported, settings included', () => {
    const entries = withDefaults(rows).map((e, i) =>
      i === 0 ? { ...e, severity: 'low' as const, public: false, relatedKeys: ['event:06010'] } : e,
    );
    const again = parseCatalogue(formatCatalogue(entries));
    expect(again.issues).toEqual([]);
    expect(withDefaults(again.rows)).toEqual(entries);
  });

  it('reports every faulty line with its field and imports nothing from them', () => {
    const text = [
      'code\tkind\tmajor_class\tname\tkeywords\tresponse_limit_amount\tresponse_limit_unit',
      '06010\t管理事项\t市容环境类\t暴露垃圾\t暴露垃圾\t\t',
      '6010\t管理事项\t市容环境类\t短码\t\t\t',
      '06011\t部件事项\t市容环境类\t未知种类\t\t\t',
      '06010\t管理事项\t市容环境类\t重复\t\t\t',
      '06012\t管理事项\t市容环境类\t坏单位\t\t2\tfortnights',
      '',
    ].join('\n');
    const { rows: ok, issues } = parseCatalogue(text);
    expect(ok.map((r) => r.key)).toEqual(['event:06010']);
    expect(issues.map((i) => [i.line, i.field])).toEqual([
      [3, 'code'],
      [4, 'kind'],
      [5, 'code'],
      [6, 'response_limit_unit'],
    ]);
  });

  it('refuses a file without the catalogue columns', () => {
    expect(parseCatalogue('code\tname\n01001\t井盖\n').issues[0]).toMatchObject({ line: 1, field: 'header' });
  });
});
