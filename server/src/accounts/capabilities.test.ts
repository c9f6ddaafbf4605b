import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { type Actor, decide } from './authorisation.ts';
import { CAPABILITIES, type Capability, capabilitiesOf } from './capabilities.ts';
import { ROLES, type Role } from './roles.ts';

/**
 * What the console offers each role. Written out by hand: if a rule of the authorisation module moves,
 * this table (and the console behind it) must be looked at again.
 */
const TERRITORY_READER: Capability[] = [
  'case.read',
  'case.create',
  'ledger.read',
  'campaign.read',
  'hot_issue.read',
  'forecast.read',
  'inspection.read',
];
const UNIT: Capability[] = ['case.read', 'case.create', 'ledger.read', 'campaign.read'];
const EXPECTED: Record<Role, Capability[]> = {
  resident: [],
  volunteer: [],
  alley_chief: [...TERRITORY_READER, 'volunteer.manage'],
  grid_worker: TERRITORY_READER,
  street_dispatcher: [
    ...TERRITORY_READER,
    'campaign.write',
    'joint_action.write',
    'hotline.import',
    'proactive_task.decide',
    'theme.read',
    'measure.read',
    'volunteer.manage',
  ],
  department_handler: UNIT,
  contractor: UNIT,
  inspector: [...TERRITORY_READER, 'measure.read'],
  district_admin: [...CAPABILITIES],
  leader: [
    'case.read',
    'ledger.read',
    'campaign.read',
    'hot_issue.read',
    'forecast.read',
    'theme.read',
    'inspection.read',
    'measure.read',
  ],
  system_admin: CAPABILITIES.filter(
    (c) => !['campaign.write', 'joint_action.write', 'proactive_task.decide'].includes(c),
  ),
};

const actorOf = (role: Role): Actor => ({
  userId: `u-${role}`,
  username: `demo-${role}`,
  role,
  scopeCode: role === 'system_admin' ? null : '110102',
  organisationId: null,
});

const sorted = (list: readonly string[]) => [...list].sort();

describe('capabilities', () => {
  it.each(ROLES)('gives %s exactly the expected console areas', (role) => {
    expect(sorted(capabilitiesOf(actorOf(role)))).toEqual(sorted(EXPECTED[role]));
  });

  it('agrees with decide() for every role and capability', () => {
    for (const role of ROLES) {
      const granted = new Set(capabilitiesOf(actorOf(role)));
      for (const capability of CAPABILITIES) {
        expect({ role, capability, granted: granted.has(capability) }).toEqual({
          role,
          capability,
          granted: decide(actorOf(role), capability).allowed,
        });
      }
    }
  });
});

describe('the session carries the capabilities', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await createTestEnv();
  });
  afterAll(async () => {
    await env?.close();
  });

  it('answers each demo account, at sign-in and from /api/auth/me, with its role’s capabilities', async () => {
    for (const role of ROLES) {
      const res = await env.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: `demo-${role}`, password: 'demo' },
      });
      expect(res.statusCode, role).toBe(200);
      expect(sorted(res.json().capabilities), role).toEqual(sorted(EXPECTED[role]));
      const session = await login(env.app, `demo-${role}`);
      const me = await env.app.inject({
        method: 'GET',
        url: '/api/auth/me',
        headers: { cookie: session.cookie },
      });
      expect(sorted(me.json().capabilities), role).toEqual(sorted(EXPECTED[role]));
    }
  });
});
