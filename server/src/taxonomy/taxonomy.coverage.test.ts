import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../test/harness.ts';
import { route } from './taxonomy.routing.ts';
import type { TaxonomyEntry } from './taxonomy.schema.ts';

/**
 * The demo city's seeded taxonomy and default rules: every category, in every street, reaches an
 * active unit that serves that street, and the unit of its department where the district has one.
 */
let env: TestEnv;
let entries: TaxonomyEntry[];
let streets: string[];
let organisations: Awaited<ReturnType<TestEnv['ctx']['territory']['listOrganisations']>>;

beforeAll(async () => {
  env = await createTestEnv();
  entries = (await env.ctx.taxonomy.list(null, { district: '110102' })).items;
  streets = (await env.ctx.territory.listStreets({ districtCode: '110102' })).map((s) => s.code);
  organisations = await env.ctx.territory.listOrganisations({});
});
afterAll(async () => {
  await env?.close();
});

describe('the demo city routing', () => {
  it('seeds the default taxonomy as the active version 1 of 西城区', async () => {
    expect(entries).toHaveLength(403);
    expect(streets).toHaveLength(15);
    const versions = await env.ctx.taxonomy.listVersions(null, '110102');
    expect(versions).toMatchObject([{ number: 1, active: true, entryCount: 403, createdBy: null }]);
  });

  it('routes every category to an active unit of the right department in each of the 15 streets', async () => {
    const rules = await env.ctx.taxonomy.rulesInForce('110102');
    const orgById = new Map(organisations.map((o) => [o.id, o]));
    const departmentTypes = new Set(organisations.map((o) => o.departmentType).filter(Boolean));
    let checked = 0;
    for (const streetCode of streets) {
      for (const e of entries) {
        const found = route(rules, e.key, { streetCode });
        expect(found, `${e.key} in ${streetCode}`).not.toBeNull();
        const org = orgById.get(found!.organisationId)!;
        expect(org.active).toBe(true);
        expect(streetCode.startsWith(org.scopeCode), `${e.key} → ${org.id} outside ${streetCode}`).toBe(true);
        if (departmentTypes.has(e.departmentType)) {
          expect(org.departmentType, `${e.key} ${e.name} in ${streetCode}`).toBe(e.departmentType);
        } else {
          expect(org.id, `${e.key} ${e.name} (${e.departmentType}) in ${streetCode}`).toBe(
            `org-street-${streetCode}`,
          );
        }
        checked++;
      }
    }
    expect(checked).toBe(15 * 403);
  });

  it('sends the familiar cases where a dispatcher would', async () => {
    const at = async (key: string, streetCode: string) =>
      (await env.ctx.taxonomy.route(key, { streetCode }))?.organisationId;
    expect(await at('event:06010', '110102012')).toBe('org-cg-110102012');
    expect(await at('event:06001', '110102001')).toBe('org-cg-110102001');
    expect(await at('event:08016', '110102001')).toBe('org-planning');
    expect(await at('event:01011', '110102003')).toBe('org-gas');
    expect(await at('event:01037', '110102003')).toBe('org-power');
    expect(await at('event:09009', '110102013')).toBe('org-traffic');
    expect(await at('event:03001', '110102013')).toBe('org-street-110102013');
    expect(await at('event:01023', '110102020')).toBe('org-street-110102020');
  });

  it('keeps the generated rules few enough for a person to read', async () => {
    const all = await env.ctx.taxonomy.rulesInForce('110102');
    expect(all.filter((r) => r.keyPattern === '*')).toHaveLength(15);
    expect(all.length).toBeLessThan(400);
  });
});
