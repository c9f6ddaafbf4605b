import { describe, expect, it } from 'vitest';
import {
  defaultRoutingRules,
  keyMatch,
  majorClassOf,
  type OrganisationLike,
  type RuleLike,
  route,
} from './taxonomy.routing.ts';

const S1 = '110102001';
const S2 = '110102003';
const C1 = '110102001001';

const rule = (id: string, keyPattern: string, territoryPrefix: string, priority = 0): RuleLike => ({
  id,
  keyPattern,
  territoryPrefix,
  organisationId: `org-${id}`,
  priority,
});

describe('keyMatch', () => {
  it('tells an exact key from its major class and from anything', () => {
    expect(keyMatch('event:06010', 'event:06010')).toBe('exact');
    expect(keyMatch('event:06', 'event:06010')).toBe('major_class');
    expect(keyMatch('*', 'component:01001')).toBe('any');
    expect(keyMatch('event:06', 'component:06010')).toBeNull();
    expect(keyMatch('event:06010', 'event:06011')).toBeNull();
    expect(keyMatch('event:0', 'event:06010')).toBeNull();
    expect(majorClassOf('component:01001')).toBe('component:01');
  });
});

describe('route', () => {
  it('prefers the exact key over the major class over anything, whatever the territory', () => {
    const rules = [
      rule('any', '*', C1),
      rule('major', 'event:06', S1),
      rule('exact', 'event:06010', '110102'),
    ];
    expect(route(rules, 'event:06010', { streetCode: S1, communityCode: C1 })?.ruleId).toBe('exact');
    expect(route(rules, 'event:06011', { streetCode: S1, communityCode: C1 })?.ruleId).toBe('major');
    expect(route(rules, 'event:07001', { streetCode: S1, communityCode: C1 })?.ruleId).toBe('any');
  });

  it('prefers the narrower territory among equally specific keys, then the higher priority, then the id', () => {
    const rules = [
      rule('district', 'event:06', '110102', 100),
      rule('street', 'event:06', S1),
      rule('b', '*', S2, 5),
      rule('a', '*', S2, 5),
      rule('low', '*', S2, 1),
    ];
    expect(route(rules, 'event:06010', { streetCode: S1 })?.ruleId).toBe('street');
    expect(route(rules, 'event:06010', { streetCode: S2 })?.ruleId).toBe('district');
    expect(route(rules, 'event:07001', { streetCode: S2 })?.ruleId).toBe('a');
    // The order rules arrive in never matters.
    expect(route([...rules].reverse(), 'event:07001', { streetCode: S2 })?.ruleId).toBe('a');
  });

  it('places a report by its deepest code, so grid and community rules apply inside them', () => {
    const rules = [rule('street', '*', S1), rule('grid', '*', `${C1}002`)];
    expect(
      route(rules, 'event:06010', { streetCode: S1, communityCode: C1, gridCode: `${C1}002` })?.ruleId,
    ).toBe('grid');
    expect(
      route(rules, 'event:06010', { streetCode: S1, communityCode: C1, gridCode: `${C1}001` })?.ruleId,
    ).toBe('street');
  });

  it('says why, and returns null where no rule covers the place', () => {
    const found = route([rule('x', 'event:06', S1, 3)], 'event:06010', { streetCode: S1 });
    expect(found).toEqual({
      organisationId: 'org-x',
      ruleId: 'x',
      match: { key: 'major_class', territoryPrefix: S1, priority: 3 },
      reason: expect.stringContaining('major class event:06'),
    });
    expect(route([rule('x', 'event:06', S1)], 'event:06010', { streetCode: S2 })).toBeNull();
  });
});

describe('defaultRoutingRules', () => {
  const org = (
    id: string,
    kind: OrganisationLike['kind'],
    departmentType: string | null,
    scopeCode: string,
    active = true,
  ): OrganisationLike => ({ id, kind, departmentType, scopeCode, active });
  const organisations = [
    org('office-1', 'street_office', null, S1),
    org('office-2', 'street_office', null, S2),
    org('cg-1', 'department', 'urban_management', S1),
    // Street 2 has no 城管 of its own; a district-wide force covers it.
    org('cg-district', 'department', 'urban_management', '110102'),
    org('water', 'department', 'water', '110102'),
    org('water-c1', 'department', 'water', C1),
    org('gas-old', 'department', 'gas', '110102', false),
    org('elsewhere', 'department', 'water', '110101'),
  ];
  const entries = [
    { key: 'event:06010', departmentType: 'urban_management', majorClass: '市容环境类' },
    { key: 'event:06011', departmentType: 'urban_management', majorClass: '市容环境类' },
    { key: 'event:06012', departmentType: 'urban_management', majorClass: '市容环境类' },
    { key: 'event:06036', departmentType: 'urban_management', majorClass: '市容环境类' },
    { key: 'event:06026', departmentType: 'water', majorClass: '市容环境类' },
    { key: 'event:06037', departmentType: 'sanitation', majorClass: '市容环境类' },
    { key: 'event:01001', departmentType: 'water', majorClass: '市政公用设施类' },
    { key: 'event:01011', departmentType: 'gas', majorClass: '市政公用设施类' },
    { key: 'event:01065', departmentType: 'street_office', majorClass: '市政公用设施类' },
  ];
  const rules = defaultRoutingRules({
    districtCode: '110102',
    streetCodes: [S1, S2],
    entries,
    organisations,
  });
  const withIds = rules.map((r, i) => ({ ...r, id: `r${i}`, priority: 0 }));
  const at = (key: string, streetCode: string, gridCode?: string) =>
    route(withIds, key, { streetCode, gridCode })?.organisationId;

  it('sends each category to the narrowest active unit of its department, else to the street office', () => {
    expect(at('event:06010', S1)).toBe('cg-1');
    expect(at('event:06010', S2)).toBe('cg-district');
    expect(at('event:06026', S1)).toBe('water');
    expect(at('event:06026', S1, `${C1}001`)).toBe('water-c1');
    expect(at('event:01001', S2)).toBe('water');
    // No sanitation service, and the gas company is inactive: the street (属地) takes it.
    expect(at('event:06037', S1)).toBe('office-1');
    expect(at('event:06037', S2)).toBe('office-2');
    expect(at('event:01011', S2)).toBe('office-2');
    expect(at('event:01065', S1)).toBe('office-1');
  });

  it('is written compactly: a major-class rule per unit where it pays, exact rules for the exceptions', () => {
    expect(rules).toContainEqual(
      expect.objectContaining({ keyPattern: 'event:06', territoryPrefix: S1, organisationId: 'cg-1' }),
    );
    expect(rules).toContainEqual(
      expect.objectContaining({
        keyPattern: 'event:06026',
        territoryPrefix: '110102',
        organisationId: 'water',
      }),
    );
    expect(rules.filter((r) => r.keyPattern === '*').map((r) => r.organisationId)).toEqual([
      'office-1',
      'office-2',
    ]);
    expect(rules.some((r) => r.organisationId === 'elsewhere' || r.organisationId === 'gas-old')).toBe(false);
    // 市政公用设施 has no majority worth a rule: each category gets its own, the rest fall to '*'.
    expect(rules.filter((r) => r.keyPattern === 'event:01')).toEqual([]);
    expect(rules.length).toBeLessThan(entries.length + 6);
  });

  it('is deterministic', () => {
    expect(
      defaultRoutingRules({
        districtCode: '110102',
        streetCodes: [S2, S1],
        entries: [...entries].reverse(),
        organisations: [...organisations].reverse(),
      }),
    ).toEqual(rules);
  });

  it('writes nothing for a district without organisations', () => {
    expect(
      defaultRoutingRules({ districtCode: '110102', streetCodes: [S1], entries, organisations: [] }),
    ).toEqual([]);
  });
});
