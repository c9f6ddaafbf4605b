import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  type Action,
  type Actor,
  caseListFilter,
  decide,
  hotlineMeasureFilter,
  ledgerFilter,
  listScope,
  withinScope,
} from './authorisation.ts';
import { ROLES, type Role } from './roles.ts';

const STREET = '110102001';
const OTHER_STREET = '110102012';

function actor(role: Role, scopeCode: string | null): Actor {
  return { userId: `u-${role}`, username: role, role, scopeCode, organisationId: null };
}

describe('withinScope', () => {
  it('treats territory codes as nested prefixes', () => {
    expect(withinScope('110102', ['110102001001001'])).toBe(true);
    expect(withinScope('110102001', ['110102001'])).toBe(true);
    expect(withinScope('110102001', ['110102012', '110102001003'])).toBe(true);
    expect(withinScope('110102001', ['110102012001'])).toBe(false);
    // A street-scoped actor does not hold the whole district.
    expect(withinScope('110102001', ['110102'])).toBe(false);
    expect(withinScope(null, ['110102'])).toBe(false);
  });
});

/**
 * The full role × action × place matrix. Each cell is the expected outcome for an actor of that role
 * scoped to 西长安街 (district roles to 西城区), acting inside 西长安街 and inside 什刹海.
 */
type Outcome = 'allow' | 'FORBIDDEN' | 'OUT_OF_SCOPE';
const scopeOf: Record<Role, string | null> = {
  resident: null,
  volunteer: STREET,
  alley_chief: STREET,
  grid_worker: `${STREET}001001`,
  street_dispatcher: STREET,
  department_handler: STREET,
  contractor: STREET,
  inspector: STREET,
  district_admin: '110102',
  leader: '110102',
  system_admin: null,
};

const A: Outcome = 'allow';
const F: Outcome = 'FORBIDDEN';
const O: Outcome = 'OUT_OF_SCOPE';
// [inside, outside] per role, in ROLES order.
const matrix: Record<Action, Record<Role, [Outcome, Outcome]>> = {
  'territory.read': Object.fromEntries(ROLES.map((r) => [r, [A, A]])) as Record<Role, [Outcome, Outcome]>,
  'territory.export': Object.fromEntries(ROLES.map((r) => [r, [A, A]])) as Record<Role, [Outcome, Outcome]>,
  'territory.import': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'alley.update': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'organisation.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, A],
    grid_worker: [A, A],
    street_dispatcher: [A, A],
    department_handler: [A, A],
    contractor: [A, A],
    inspector: [A, A],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'organisation.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'user.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'user.create': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'user.update': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'user.read_handlers': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'case.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [A, O],
    contractor: [A, O],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'case.create': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [A, O],
    contractor: [A, O],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  // Only a resident's or volunteer's own reports are linked to their account; staff file in the console.
  'report.own': {
    resident: [A, A],
    volunteer: [A, A],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [F, F],
    leader: [F, F],
    system_admin: [F, F],
  },
  'media.read_original': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [A, O],
    contractor: [A, O],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'taxonomy.read': Object.fromEntries(ROLES.map((r) => [r, [A, A]])) as Record<Role, [Outcome, Outcome]>,
  'taxonomy.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'routing.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, A],
    grid_worker: [A, A],
    street_dispatcher: [A, A],
    department_handler: [A, A],
    contractor: [A, A],
    inspector: [A, A],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'routing.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'webhook.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'webhook.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'open311_client.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'open311_client.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'open311_attribute.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'classifier.use': Object.fromEntries(ROLES.map((r) => [r, [A, A]])) as Record<Role, [Outcome, Outcome]>,
  'operator.run': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [F, F],
    leader: [F, F],
    system_admin: [A, A],
  },
  'classifier.manage': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'hot_issue.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'forecast.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'proactive_task.decide': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  'theme.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'theme.propose': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  'theme.adopt': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  'indicator.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, A],
    grid_worker: [A, A],
    street_dispatcher: [A, A],
    department_handler: [A, A],
    contractor: [A, A],
    inspector: [A, A],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'indicator.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'patrol.walk': {
    resident: [F, F],
    volunteer: [A, O],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [A, O],
    inspector: [F, F],
    district_admin: [F, F],
    leader: [F, F],
    system_admin: [F, F],
  },
  'patrol.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'patrol.live': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'coverage.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'inspection.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'inspection.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  'contractor_check.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [A, O],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'contractor_check.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  'tier_plan.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'tier_plan.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'ledger.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [A, O],
    contractor: [A, O],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'campaign.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [A, O],
    contractor: [A, O],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'campaign.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  'joint_action.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  'joint_task.complete': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [A, O],
    contractor: [A, O],
    inspector: [F, F],
    district_admin: [F, F],
    leader: [F, F],
    system_admin: [F, F],
  },
  'hotline.import': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'hotline.push': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'hotline.export': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'hotline.sanlv': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [A, O],
    contractor: [A, O],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'measure.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'evaluation.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'token.create': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, A],
    grid_worker: [A, A],
    street_dispatcher: [A, A],
    department_handler: [A, A],
    contractor: [A, A],
    inspector: [A, A],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'points.own': {
    resident: [A, A],
    volunteer: [A, A],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [F, F],
    leader: [F, F],
    system_admin: [F, F],
  },
  'points.read_catalogue': {
    resident: [A, A],
    volunteer: [A, A],
    alley_chief: [A, A],
    grid_worker: [A, A],
    street_dispatcher: [A, A],
    department_handler: [A, A],
    contractor: [A, A],
    inspector: [A, A],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'points.award': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'points.rules_write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'reward.write': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'volunteer.read': {
    resident: [A, A],
    volunteer: [A, A],
    alley_chief: [A, A],
    grid_worker: [A, A],
    street_dispatcher: [A, A],
    department_handler: [A, A],
    contractor: [A, A],
    inspector: [A, A],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'volunteer.apply': {
    resident: [A, A],
    volunteer: [A, A],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [F, F],
    leader: [F, F],
    system_admin: [F, F],
  },
  'volunteer.manage': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'proposal.read': {
    resident: [A, A],
    volunteer: [A, A],
    alley_chief: [A, A],
    grid_worker: [A, A],
    street_dispatcher: [A, A],
    department_handler: [A, A],
    contractor: [A, A],
    inspector: [A, A],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'proposal.take_part': {
    resident: [A, A],
    volunteer: [A, A],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [F, F],
    leader: [F, F],
    system_admin: [F, F],
  },
  'proposal.manage': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  'parking.read': {
    resident: [A, A],
    volunteer: [A, A],
    alley_chief: [A, A],
    grid_worker: [A, A],
    street_dispatcher: [A, A],
    department_handler: [A, A],
    contractor: [A, A],
    inspector: [A, A],
    district_admin: [A, A],
    leader: [A, A],
    system_admin: [A, A],
  },
  'parking.book': {
    resident: [A, A],
    volunteer: [A, A],
    alley_chief: [F, F],
    grid_worker: [F, F],
    street_dispatcher: [F, F],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [F, F],
    leader: [F, F],
    system_admin: [F, F],
  },
  'parking.manage': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [A, A],
  },
  // Household visits: the community and street staff within their scope; the households' contacts are
  // personal data, so neither the public nor the operator's account reads them.
  'visit.manage': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [O, O],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  // Frontage responsibility: the register (with responsible persons' phones) for the staff who keep or
  // check it, inside their scope; an inspector checks but does not register.
  'frontage.read': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  'frontage.manage': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [F, F],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
  'frontage.check': {
    resident: [F, F],
    volunteer: [F, F],
    alley_chief: [A, O],
    grid_worker: [F, F],
    street_dispatcher: [A, O],
    department_handler: [F, F],
    contractor: [F, F],
    inspector: [A, O],
    district_admin: [A, A],
    leader: [F, F],
    system_admin: [F, F],
  },
};

const outcome = (r: ReturnType<typeof decide>): Outcome => (r.allowed ? 'allow' : (r.code as Outcome));

describe('the role × action × scope matrix', () => {
  it('covers every action', () => {
    expect(Object.keys(matrix).sort()).toEqual([...ACTIONS].sort());
  });
  for (const action of ACTIONS) {
    for (const role of ROLES) {
      it(`${role} ${action}`, () => {
        const a = actor(role, scopeOf[role]);
        const [inside, outside] = matrix[action][role];
        expect(outcome(decide(a, action, { territoryCodes: [`${STREET}003`] }))).toBe(inside);
        expect(outcome(decide(a, action, { territoryCodes: [`${OTHER_STREET}002`] }))).toBe(outside);
      });
    }
  }

  it('refuses anonymous callers everything but public reading, public notices and category suggestions', () => {
    for (const action of ACTIONS) {
      const expected =
        action === 'territory.read' ||
        action === 'territory.export' ||
        action === 'taxonomy.read' ||
        action === 'classifier.use' ||
        // The points catalogue and rules, and the volunteer teams, are public notices.
        action === 'points.read_catalogue' ||
        action === 'volunteer.read' ||
        // Proposals, their discussion and closed tallies are community notices.
        action === 'proposal.read' ||
        // Parking spaces and their windows are a public notice.
        action === 'parking.read'
          ? 'allow'
          : 'UNAUTHENTICATED';
      const d = decide(null, action);
      expect(d.allowed ? 'allow' : d.code).toBe(expected);
    }
  });

  it('lets no district administrator grant the roles that would equal or exceed its own', () => {
    const admin = actor('district_admin', '110102');
    expect(decide(admin, 'user.create', { role: 'system_admin', territoryCodes: ['110102'] })).toMatchObject({
      allowed: false,
      code: 'FORBIDDEN',
    });
    expect(
      decide(admin, 'user.create', { role: 'district_admin', territoryCodes: ['110102'] }),
    ).toMatchObject({ allowed: false });
    expect(
      decide(admin, 'user.create', { role: 'grid_worker', territoryCodes: ['110102012001001'] }).allowed,
    ).toBe(true);
    // …nor reach outside its district.
    expect(
      decide(admin, 'user.create', { role: 'grid_worker', territoryCodes: ['110101001'] }),
    ).toMatchObject({ code: 'OUT_OF_SCOPE' });
  });

  it('binds departments and contractors to the cases assigned to their organisation', () => {
    const dept = { ...actor('department_handler', STREET), organisationId: 'org-cg' };
    expect(
      decide(dept, 'case.read', { territoryCodes: [OTHER_STREET], organisationIds: ['org-cg'] }).allowed,
    ).toBe(true);
    expect(
      decide(dept, 'case.read', { territoryCodes: [STREET], organisationIds: ['org-other'] }),
    ).toMatchObject({ code: 'OUT_OF_SCOPE' });
    expect(decide(dept, 'case.read', { territoryCodes: [STREET], organisationIds: [] })).toMatchObject({
      code: 'OUT_OF_SCOPE',
    });
    const dispatcher = actor('street_dispatcher', STREET);
    expect(
      decide(dispatcher, 'case.read', { territoryCodes: [STREET], organisationIds: ['org-cg'] }).allowed,
    ).toBe(true);
  });

  it('lets the unit a case is assigned to read its original photos, and no other unit', () => {
    const dept = { ...actor('department_handler', STREET), organisationId: 'org-cg' };
    expect(
      decide(dept, 'media.read_original', { territoryCodes: [OTHER_STREET], organisationIds: ['org-cg'] })
        .allowed,
    ).toBe(true);
    expect(
      decide(dept, 'media.read_original', { territoryCodes: [STREET], organisationIds: ['org-other'] }),
    ).toMatchObject({ code: 'OUT_OF_SCOPE' });
    // A photo known only by its district admits district-wide roles, not a street's staff.
    expect(
      decide(actor('street_dispatcher', STREET), 'media.read_original', { territoryCodes: ['110102'] }),
    ).toMatchObject({ code: 'OUT_OF_SCOPE' });
    expect(
      decide(actor('district_admin', '110102'), 'media.read_original', { territoryCodes: ['110102'] }),
    ).toMatchObject({ allowed: true });
  });

  it("keeps a district administrator's webhooks inside its district", () => {
    const admin = actor('district_admin', '110102');
    for (const action of ['webhook.read', 'webhook.write'] as const) {
      expect(decide(admin, action, { territoryCodes: ['110102'] }).allowed).toBe(true);
      expect(decide(admin, action, { territoryCodes: ['110101'] })).toMatchObject({ code: 'OUT_OF_SCOPE' });
      // A street's staff never hold a district-wide integration, even inside their street's district.
      expect(
        decide(actor('street_dispatcher', STREET), action, { territoryCodes: ['110102'] }),
      ).toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    expect(listScope(actor('district_admin', '110102'), 'webhook.read')).toBe('110102');
    expect(listScope(actor('system_admin', null), 'webhook.read')).toBeNull();
  });

  it("keeps a district administrator's taxonomy and routing edits inside its district", () => {
    const admin = actor('district_admin', '110102');
    for (const action of ['taxonomy.write', 'routing.write'] as const) {
      expect(decide(admin, action, { territoryCodes: ['110102'] }).allowed).toBe(true);
      expect(decide(admin, action, { territoryCodes: ['110101'] })).toMatchObject({ code: 'OUT_OF_SCOPE' });
    }
  });

  it('lets a joint task be done only by the unit it was given to, wherever the case lies', () => {
    const dept = { ...actor('department_handler', STREET), organisationId: 'org-cg' };
    expect(
      decide(dept, 'joint_task.complete', { territoryCodes: [OTHER_STREET], organisationIds: ['org-cg'] })
        .allowed,
    ).toBe(true);
    expect(
      decide(dept, 'joint_task.complete', { territoryCodes: [STREET], organisationIds: ['org-planning'] }),
    ).toMatchObject({ code: 'OUT_OF_SCOPE' });
  });

  it('filters ledgers by jurisdiction, by the street asked for, or by organisation', () => {
    expect(ledgerFilter(actor('district_admin', '110102'))).toEqual({
      territoryPrefix: '110102',
      organisationId: null,
    });
    expect(ledgerFilter(actor('district_admin', '110102'), OTHER_STREET)).toEqual({
      territoryPrefix: OTHER_STREET,
      organisationId: null,
    });
    expect(ledgerFilter(actor('street_dispatcher', STREET), STREET).territoryPrefix).toBe(STREET);
    expect(() => ledgerFilter(actor('street_dispatcher', STREET), OTHER_STREET)).toThrow(
      expect.objectContaining({ code: 'OUT_OF_SCOPE' }),
    );
    expect(ledgerFilter(actor('system_admin', null))).toEqual({
      territoryPrefix: null,
      organisationId: null,
    });
    // A department's ledger is its organisation's cases; a street only narrows it.
    const dept = { ...actor('department_handler', STREET), organisationId: 'org-cg' };
    expect(ledgerFilter(dept, OTHER_STREET)).toEqual({
      territoryPrefix: OTHER_STREET,
      organisationId: 'org-cg',
    });
    expect(() => ledgerFilter(actor('resident', null))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('lists cases by jurisdiction, or for a department or contractor by its organisation', () => {
    expect(caseListFilter(actor('street_dispatcher', STREET))).toEqual({
      territoryPrefix: STREET,
      organisationId: null,
    });
    expect(caseListFilter(actor('system_admin', null))).toEqual({
      territoryPrefix: null,
      organisationId: null,
    });
    for (const role of ['department_handler', 'contractor'] as const) {
      expect(caseListFilter({ ...actor(role, STREET), organisationId: 'org-cg' })).toEqual({
        territoryPrefix: null,
        organisationId: 'org-cg',
      });
      // Without an organisation a unit's account lists nothing rather than everything.
      expect(caseListFilter(actor(role, STREET)).organisationId).toBe('\u0000');
    }
    expect(() => caseListFilter(actor('resident', null))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => caseListFilter(null)).toThrow();
  });

  it('gives the 三率 the jurisdiction, or a department only its own row over its district', () => {
    expect(hotlineMeasureFilter(actor('street_dispatcher', STREET))).toEqual({
      territoryPrefix: STREET,
      organisationId: null,
    });
    expect(hotlineMeasureFilter(actor('system_admin', null))).toEqual({
      territoryPrefix: null,
      organisationId: null,
    });
    const dept = { ...actor('department_handler', STREET), organisationId: 'org-cg' };
    expect(hotlineMeasureFilter(dept)).toEqual({ territoryPrefix: '110102', organisationId: 'org-cg' });
    expect(() => hotlineMeasureFilter(actor('inspector', STREET))).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('gives list queries the actor scope, and a scoped role without a jurisdiction sees nothing', () => {
    expect(listScope(actor('district_admin', '110102'), 'user.read')).toBe('110102');
    expect(listScope(actor('system_admin', null), 'user.read')).toBeNull();
    expect(listScope(actor('district_admin', null), 'user.read')).toBe('\u0000');
    expect(() => listScope(actor('leader', '110102'), 'user.read')).toThrow(/may not/);
  });
});
