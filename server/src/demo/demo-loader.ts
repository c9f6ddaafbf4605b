import { readFileSync } from 'node:fs';
import path from 'node:path';
import { accountRepository } from '../accounts/account.repository.ts';
import { SYSTEM_ACTOR } from '../accounts/authorisation.ts';
import { hashPassword } from '../accounts/password.ts';
import { ROLES, type Role } from '../accounts/roles.ts';
import type { AppContext } from '../http/context.ts';
import { seedParticipationDemo } from '../participation/participation.demo.ts';
import { newId } from '../shared/ids.ts';
import { repoPath } from '../shared/paths.ts';
import { seedSupervisionDemo } from '../supervision/supervision.demo.ts';
import { seedDefaultTaxonomy } from '../taxonomy/taxonomy.seed.ts';
import { generateDemoCity } from '../territory/demo-city.ts';
import { territoryRepository } from '../territory/territory.repository.ts';
import { demoRepository } from './demo.repository.ts';

export const DEMO_PASSWORD = 'demo';
const XICHENG = '110102';
const XICHANGANJIE = '110102001';

export interface DemoAccount {
  username: string;
  role: Role;
  scopeCode: string | null;
}

/** Who each demo account is: the street roles work in 西长安街街道, the district roles over 西城区. */
function demoAccountPlan(
  firstGrid: string,
): (DemoAccount & { displayName: string; organisationId: string | null })[] {
  const plan: Record<Role, { scopeCode: string | null; organisationId: string | null; displayName: string }> =
    {
      resident: { scopeCode: null, organisationId: null, displayName: '示例居民' },
      volunteer: { scopeCode: XICHANGANJIE, organisationId: null, displayName: '示例志愿者（小巷管家）' },
      alley_chief: {
        scopeCode: XICHANGANJIE,
        organisationId: `org-street-${XICHANGANJIE}`,
        displayName: '示例街巷长',
      },
      grid_worker: {
        scopeCode: firstGrid,
        organisationId: `org-street-${XICHANGANJIE}`,
        displayName: '示例网格员',
      },
      street_dispatcher: {
        scopeCode: XICHANGANJIE,
        organisationId: `org-street-${XICHANGANJIE}`,
        displayName: '示例街道指挥中心',
      },
      department_handler: {
        scopeCode: XICHANGANJIE,
        organisationId: `org-cg-${XICHANGANJIE}`,
        displayName: '示例城管执法队',
      },
      contractor: { scopeCode: XICHANGANJIE, organisationId: null, displayName: '示例街巷服务企业' },
      inspector: { scopeCode: XICHANGANJIE, organisationId: null, displayName: '示例第三方检查员' },
      district_admin: { scopeCode: XICHENG, organisationId: null, displayName: '示例区城市管理委' },
      leader: { scopeCode: XICHENG, organisationId: null, displayName: '示例领导' },
      system_admin: { scopeCode: null, organisationId: null, displayName: '示例系统管理员' },
    };
  return ROLES.map((role) => ({ username: `demo-${role}`, role, ...plan[role] }));
}

/**
 * Loads the demo city (territory, 1+5+N organisations, one account per role) once. Idempotent: a
 * database that already has it, or already holds other territory, is left alone.
 */
/** The demo's gazetteer of 西城's main roads and landmarks (hotline.places.ts). */
export const DEMO_PLACES = repoPath('server/src/hotline/data/xicheng-places.tsv');

export async function loadDemoCity(
  ctx: AppContext,
  options: { unitAccounts?: boolean } = {},
): Promise<{ loaded: boolean; accounts: DemoAccount[] }> {
  const unitAccounts = options.unitAccounts ?? true;
  const demo = demoRepository(ctx.db);
  if (await demo.isLoaded()) {
    // The Open311 demo client came later than some demo databases; seeding it is idempotent.
    await ctx.open311.registry.seedDemoClient(XICHENG);
    await ctx.open311.registry.seedDemoAttributes(XICHENG);
    await seedSupervisionDemo(ctx, XICHENG);
    await seedParticipationDemo(ctx, XICHENG, XICHANGANJIE);
    // So did the accounts of the units a whistle summons; also idempotent.
    if (unitAccounts) await seedUnitAccounts(ctx);
    return { loaded: false, accounts: await demo.demoAccounts() };
  }
  const city = generateDemoCity();
  const areas = city.territory.features.filter((f) => f.properties.layer !== 'alley');
  const alleys = city.territory.features.filter((f) => f.properties.layer === 'alley');
  await ctx.territory.importTerritory(SYSTEM_ACTOR, { type: 'FeatureCollection', features: areas });
  await territoryRepository(ctx.db).upsertOrganisations(city.organisations, ctx.clock.now());
  await ctx.territory.importTerritory(SYSTEM_ACTOR, { type: 'FeatureCollection', features: alleys });
  // Real road and landmark names per street, so that 12345 orders naming them find their street.
  await ctx.hotline.importPlaces(SYSTEM_ACTOR, readFileSync(DEMO_PLACES, 'utf8'), path.basename(DEMO_PLACES));

  const contractor = city.organisations.find((o) => o.kind === 'contractor');
  const firstGrid = areas
    .map((f) => f.properties)
    .find((p) => p.layer === 'grid' && p.code.startsWith(XICHANGANJIE));
  const accounts = demoAccountPlan(firstGrid && 'code' in firstGrid ? firstGrid.code : XICHANGANJIE);
  for (const a of accounts) {
    await ctx.accounts.createUser(SYSTEM_ACTOR, {
      username: a.username,
      displayName: a.displayName,
      password: DEMO_PASSWORD,
      role: a.role,
      scopeCode: a.scopeCode,
      organisationId: a.role === 'contractor' ? (contractor?.id ?? null) : a.organisationId,
      demo: true,
    });
  }
  // The default taxonomy (GB/T 47678.5) and the routing rules derived from it and the 1+5+N units.
  await seedDefaultTaxonomy(ctx, XICHENG);
  // One Open311 client whose api_key is `demo`, so the GeoReport API can be tried at once.
  await ctx.open311.registry.seedDemoClient(XICHENG);
  // …and one service with questions (metadata true): 供水井盖异常 asks whether anyone was hurt.
  await ctx.open311.registry.seedDemoAttributes(XICHENG);
  // The illustrative indicator system, contractor items and tier plan (SPEC §3, §5).
  await seedSupervisionDemo(ctx, XICHENG);
  // An illustrative points rules version, a small rewards catalogue and a volunteer team (SPEC §8).
  await seedParticipationDemo(ctx, XICHENG, XICHANGANJIE);
  if (unitAccounts) await seedUnitAccounts(ctx);
  await demo.markLoaded(ctx.clock.now());
  return { loaded: true, accounts: await demo.demoAccounts() };
}

/** The username of a unit's demo account: `demo-` and the organisation's id (`demo-org-power`). */
export function unitAccountName(organisationId: string): string {
  return `demo-${organisationId}`.toLowerCase();
}

/**
 * One demo account for every department and contractor that can be dispatched to or summoned, so that
 * a whistle over 城管, 公安 and 供电 can be walked through to its end in the demo. Idempotent; the
 * password is hashed once for all of them, which keeps the first start short.
 */
export async function seedUnitAccounts(ctx: AppContext): Promise<number> {
  const demo = demoRepository(ctx.db);
  const units = await demo.summonableUnits();
  const taken = await demo.usernamesTaken(units.map((u) => unitAccountName(u.id)));
  const missing = units.filter((u) => !taken.has(unitAccountName(u.id)));
  if (missing.length === 0) return 0;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const accounts = accountRepository(ctx.db);
  for (const u of missing) {
    await accounts.insertUser({
      id: newId('usr'),
      username: unitAccountName(u.id),
      displayName: u.name,
      passwordHash,
      role: u.kind === 'contractor' ? 'contractor' : 'department_handler',
      scopeCode: u.scope_code,
      districtCode: u.scope_code.slice(0, 6),
      organisationId: u.id,
      phone: null,
      demo: true,
    });
  }
  return missing.length;
}
