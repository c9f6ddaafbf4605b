import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, login, type TestEnv } from '../../test/harness.ts';
import { ACTION_ROLES, ROLE_LINK } from '../cases/case.state.ts';
import { type Actor, caseListFilter, decide } from './authorisation.ts';
import { ACTION_CAPABILITIES, CAPABILITIES, type Capability, capabilitiesOf } from './capabilities.ts';
import { ROLES, type Role } from './roles.ts';

/**
 * What the web offers each role. Written out by hand: if a rule of the authorisation module moves,
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
const UNIT: Capability[] = [
  'case.read',
  'case.create',
  'ledger.read',
  'campaign.read',
  'case.read_assigned',
  'case.sign',
  'case.feedback',
];
/** What residents and volunteers do on the resident pages. */
const MEMBER: Capability[] = [
  'report.own',
  'points.own',
  'volunteer.apply',
  'proposal.take_part',
  'parking.book',
  // A reporter verifies their own report where the district lets them (the service checks that).
  'case.verify',
];
/** The participation tabs of the community's and street's staff. */
const COMMUNITY_STAFF: Capability[] = [
  'volunteer.manage',
  'reward.write',
  'proposal.manage',
  'parking.manage',
  'visit.manage',
  'frontage.read',
  'frontage.manage',
];
const EXPECTED: Record<Role, Capability[]> = {
  resident: MEMBER,
  volunteer: [...MEMBER, 'patrol.walk'],
  alley_chief: [...TERRITORY_READER, ...COMMUNITY_STAFF, 'patrol.walk', 'case.feedback'],
  grid_worker: [...TERRITORY_READER, 'visit.manage', 'patrol.walk', 'case.feedback'],
  street_dispatcher: [
    ...TERRITORY_READER,
    'campaign.write',
    'joint_action.write',
    'hotline.import',
    'proactive_task.decide',
    'theme.read',
    'measure.read',
    ...COMMUNITY_STAFF,
    'case.dispatch',
  ],
  department_handler: UNIT,
  contractor: [...UNIT, 'patrol.walk'],
  inspector: [...TERRITORY_READER, 'measure.read', 'frontage.read', 'case.verify'],
  district_admin: CAPABILITIES.filter(
    (c) =>
      ![...MEMBER, 'patrol.walk', 'case.read_assigned', 'case.sign', 'case.feedback', 'case.verify'].includes(
        c,
      ),
  ),
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
  // The operator's account runs the installation: no household register or frontage phones, no
  // community's own decisions (campaigns, whistles, themes), and nothing of a resident's.
  system_admin: CAPABILITIES.filter(
    (c) =>
      ![
        'campaign.write',
        'joint_action.write',
        'proactive_task.decide',
        'theme.propose',
        'theme.adopt',
        'visit.manage',
        'frontage.read',
        'frontage.manage',
        'patrol.walk',
        'case.read_assigned',
        'case.dispatch',
        'case.sign',
        'case.feedback',
        ...MEMBER,
      ].includes(c),
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

  it('agrees with decide() for every role and capability named after an action', () => {
    for (const role of ROLES) {
      const granted = new Set(capabilitiesOf(actorOf(role)));
      for (const capability of ACTION_CAPABILITIES) {
        expect({ role, capability, granted: granted.has(capability) }).toEqual({
          role,
          capability,
          granted: decide(actorOf(role), capability).allowed,
        });
      }
    }
  });

  it('offers the case actions the queues gather exactly where the state machine lists the role and ties it to cases', () => {
    const queued = {
      'case.dispatch': 'dispatch',
      'case.sign': 'sign',
      'case.feedback': 'feedback',
      'case.verify': 'verify_pass',
    } as const;
    for (const role of ROLES) {
      const granted = new Set(capabilitiesOf(actorOf(role)));
      for (const [capability, type] of Object.entries(queued)) {
        const fires = ACTION_ROLES[type].includes(role) && ROLE_LINK[role] !== undefined;
        expect({ role, capability, granted: granted.has(capability as Capability) }).toEqual({
          role,
          capability,
          granted: fires,
        });
      }
    }
  });

  it('says case.read_assigned exactly where case lists are narrowed to the organisation, not a territory', () => {
    for (const role of ROLES) {
      const actor = { ...actorOf(role), organisationId: 'org-1' };
      const byOrganisation =
        decide(actor, 'case.read').allowed && caseListFilter(actor).organisationId !== null;
      expect({ role, assigned: capabilitiesOf(actor).includes('case.read_assigned') }).toEqual({
        role,
        assigned: byOrganisation,
      });
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
