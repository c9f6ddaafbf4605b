import { describe, expect, it } from 'vitest';
// The server's state machine is pure and imported here only to keep the console's mirror honest; the
// web bundle never imports it.
import {
  type CaseSnapshot,
  initialSnapshot,
  ACTION_ROLES as SERVER_ACTION_ROLES,
  type CaseState as ServerCaseState,
  allowedActions as serverAllowedActions,
} from '../../../server/src/cases/case.state.ts';
import type { User } from '../api/types';
import { ACTION_ROLES, availableActions, type CaseFacts, caseFacts, stateAllows } from './actions';
import { ACTION_TYPES, CASE_STATES, type CaseDto, type CaseEventDto, type CaseState } from './caseTypes';

const NOW = new Date('2026-11-20T04:00:00Z');
const CONTEXT = { now: NOW, reopenWindowDays: 7 };

/** A snapshot in `state` that obeys the server's invariants, with the facts the mirror reads. */
function snapshotFor(state: CaseState, facts: CaseFacts): CaseSnapshot {
  const base = initialSnapshot();
  const filed = !['reported', 'rejected', 'merged'].includes(state);
  const joint = state === 'joint_action' || state === 'awaiting_acceptance';
  const working = state === 'suspended' ? 'handling' : state;
  return {
    ...base,
    state: state as ServerCaseState,
    categoryKey: filed ? 'event:06010' : null,
    deadline: filed ? NOW.toISOString() : null,
    originalDeadline: filed ? NOW.toISOString() : null,
    rejectReason: state === 'rejected' ? 'duplicate' : null,
    mergedInto: state === 'merged' ? 'case_x' : null,
    tier: joint
      ? 3
      : ['dispatched', 'handling', 'awaiting_verification', 'closed', 'suspended'].includes(state)
        ? 2
        : null,
    assignment: joint
      ? {
          kind: 'joint',
          unitIds: ['u1', 'u2'],
          reportedIn: facts.assignment?.kind === 'joint' ? facts.assignment.reportedIn : ['u1', 'u2'],
        }
      : ['dispatched', 'handling', 'awaiting_verification', 'closed', 'suspended'].includes(state)
        ? { kind: 'unit', unitId: 'u1' }
        : null,
    suspendedFrom: state === 'suspended' ? 'handling' : null,
    suspendedAt: state === 'suspended' ? NOW.toISOString() : null,
    suspensionReason: state === 'suspended' ? 'weather' : null,
    closedAt: state === 'closed' ? NOW.toISOString() : null,
    rating: state === 'closed' && facts.rated ? 'satisfied' : null,
    pendingExtension:
      facts.pendingExtension && ['handling', 'joint_action'].includes(working)
        ? { requestedDeadline: NOW.toISOString(), reason: 'rain', requestedAt: NOW.toISOString() }
        : null,
  };
}

const FACT_VARIANTS: { name: string; facts: CaseFacts }[] = [
  { name: 'plain', facts: { assignment: null, pendingExtension: false, rated: false } },
  { name: 'extension pending', facts: { assignment: null, pendingExtension: true, rated: false } },
  { name: 'rated', facts: { assignment: null, pendingExtension: false, rated: true } },
  {
    name: 'joint, one unit yet to report in',
    facts: {
      assignment: { kind: 'joint', unitIds: ['u1', 'u2'], reportedIn: ['u1'] },
      pendingExtension: false,
      rated: false,
    },
  },
];

describe('the mirror of the state machine', () => {
  it('gives every action the same roles as the server', () => {
    for (const action of ACTION_TYPES) {
      expect([...ACTION_ROLES[action]].sort(), action).toEqual([...SERVER_ACTION_ROLES[action]].sort());
    }
  });

  for (const variant of FACT_VARIANTS) {
    it.each(CASE_STATES)(`allows the same actions as the server in %s (${variant.name})`, (state) => {
      const snapshot = snapshotFor(state, variant.facts);
      const facts: CaseFacts = {
        ...variant.facts,
        assignment:
          snapshot.assignment?.kind === 'joint'
            ? {
                kind: 'joint',
                unitIds: [...snapshot.assignment.unitIds],
                reportedIn: [...snapshot.assignment.reportedIn],
              }
            : snapshot.assignment?.kind === 'unit'
              ? { kind: 'unit', unitId: snapshot.assignment.unitId }
              : null,
        pendingExtension: snapshot.pendingExtension !== null,
      };
      const mirrored = ACTION_TYPES.filter((action) => stateAllows(action, state, facts));
      expect(mirrored).toEqual(serverAllowedActions(snapshot, CONTEXT));
    });
  }
});

function event(seq: number, action: string, payload: Record<string, unknown> = {}): CaseEventDto {
  return {
    seq,
    at: NOW.toISOString(),
    actorRole: 'street_dispatcher',
    action,
    fromState: null,
    toState: 'handling',
    reason: null,
    payload,
  };
}

describe('caseFacts', () => {
  it('follows assignment, extension and rating through the trail', () => {
    const facts = caseFacts([
      event(1, 'report'),
      event(2, 'dispatch', { assignment: { kind: 'joint', unitIds: ['a', 'b'], reportedIn: [] } }),
      event(3, 'report_in', { unitId: 'a' }),
      event(4, 'extension_request'),
    ]);
    expect(facts).toEqual({
      assignment: { kind: 'joint', unitIds: ['a', 'b'], reportedIn: ['a'] },
      pendingExtension: true,
      rated: false,
    });
    expect(caseFacts([event(2, 'rate'), event(1, 'verify_pass')]).rated).toBe(true);
    expect(caseFacts([event(1, 'rate'), event(2, 'reopen')]).rated).toBe(false);
    expect(caseFacts([event(1, 'extension_request'), event(2, 'send_back')])).toEqual({
      assignment: null,
      pendingExtension: false,
      rated: false,
    });
  });
});

function user(role: User['role'], organisationId: string | null = null, id = 'usr_1'): User {
  return {
    id,
    username: `demo-${role}`,
    displayName: role,
    role,
    scopeCode: '110102001',
    scopeName: null,
    organisationId,
    organisationName: null,
  };
}

function caseIn(state: CaseState, assignedOrgId: string | null = null): CaseDto {
  return {
    id: 'case_1',
    caseNumber: '110102-20261120-00001',
    trackingCode: 'ABC',
    channel: 'resident',
    state,
    tier: null,
    categoryKey: 'event:06010',
    description: 'garbage',
    address: null,
    location: { lng: 116.38, lat: 39.91, crsIn: 'wgs84' },
    streetCode: '110102001',
    communityCode: null,
    gridCode: null,
    alleyId: null,
    severity: 'normal',
    assignedOrgId,
    supporters: 0,
    mergedInto: null,
    reporter: { name: null, contact: null },
    responseDeadline: null,
    handlingDeadline: null,
    originalHandlingDeadline: null,
    slaState: 'green',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    closedAt: null,
    version: 1,
  };
}

describe('availableActions', () => {
  const tier2 = [
    event(1, 'report'),
    event(2, 'accept'),
    event(3, 'dispatch', { assignment: { kind: 'unit', unitId: 'org-cg' } }),
  ];

  it('offers the dispatcher filing actions on a new report, and nothing of the units', () => {
    expect(availableActions(user('street_dispatcher'), caseIn('reported'), [event(1, 'report')])).toEqual([
      'accept',
      'reject',
      'merge',
      'supervise',
    ]);
  });

  it('offers a department signing only for its own organisation', () => {
    expect(
      availableActions(user('department_handler', 'org-cg'), caseIn('dispatched', 'org-cg'), tier2),
    ).toEqual(['sign', 'send_back']);
    expect(
      availableActions(user('department_handler', 'org-other'), caseIn('dispatched', 'org-cg'), tier2),
    ).toEqual([]);
  });

  it('offers the inspector verification and the leader nothing', () => {
    expect(availableActions(user('inspector'), caseIn('awaiting_verification', 'org-cg'), tier2)).toEqual([
      'verify_pass',
      'verify_fail',
    ]);
    expect(availableActions(user('leader'), caseIn('awaiting_verification', 'org-cg'), tier2)).toEqual([]);
  });

  it('offers a tier-1 handler only the cases dispatched to them', () => {
    const tier1 = [event(1, 'dispatch', { assignment: { kind: 'handler', userId: 'usr_grid' } })];
    expect(availableActions(user('grid_worker', null, 'usr_grid'), caseIn('handling'), tier1)).toContain(
      'feedback',
    );
    expect(availableActions(user('grid_worker', null, 'usr_other'), caseIn('handling'), tier1)).toEqual([]);
  });

  it('lets each summoned unit report in once', () => {
    const joint = [
      event(1, 'dispatch', { assignment: { kind: 'joint', unitIds: ['a', 'b'], reportedIn: [] } }),
      event(2, 'report_in', { unitId: 'a' }),
    ];
    expect(availableActions(user('department_handler', 'b'), caseIn('joint_action', 'a'), joint)).toContain(
      'report_in',
    );
    expect(
      availableActions(user('department_handler', 'a'), caseIn('joint_action', 'a'), joint),
    ).not.toContain('report_in');
  });
});
