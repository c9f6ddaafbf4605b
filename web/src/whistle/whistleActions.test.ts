import { describe, expect, it } from 'vitest';
import type { Organisation, Role, User } from '../api/types';
import {
  canCompleteTask,
  canRaiseWhistle,
  raiseRequests,
  unitsServingAll,
  whistleActionsFor,
} from './whistleActions';
import type { JointAction, JointTask, SummonedUnit } from './whistleTypes';

const CG = 'org-cg-110102001';
const GA = 'org-ga-110102001';

function unit(organisationId: string, reportedIn: boolean): SummonedUnit {
  return {
    organisationId,
    name: organisationId,
    summonedAt: '2026-12-01T02:00:00Z',
    reportInDeadline: '2026-12-01T04:00:00Z',
    reportedIn,
    reportedInAt: reportedIn ? '2026-12-01T03:00:00Z' : null,
    onTime: reportedIn ? true : null,
    standing: reportedIn ? 'on_time' : 'awaiting',
  };
}

function task(organisationId: string, status: JointTask['status']): JointTask {
  return {
    id: `jtask-${organisationId}`,
    seq: 1,
    organisationId,
    organisationName: null,
    description: '拆除违建',
    deadline: '2026-12-04T09:30:00Z',
    status,
    overdue: false,
    createdAt: '2026-12-01T05:00:00Z',
    createdBy: null,
    doneAt: null,
    doneBy: null,
    note: null,
  };
}

function joint(overrides: Partial<JointAction> = {}): JointAction {
  return {
    caseId: 'case_1',
    caseNumber: '110102-20261201-00001',
    state: 'joint_action',
    active: true,
    recorded: false,
    whistleAt: '2026-12-01T02:00:00Z',
    reportInWorkingHours: 2,
    reportInDeadline: '2026-12-01T04:00:00Z',
    units: [unit(CG, false), unit(GA, false)],
    meeting: { meetingAt: null, minutes: '', decisions: [], updatedAt: null, updatedBy: null },
    tasks: [],
    openTasks: 0,
    acceptance: { awaiting: false, blockedBy: 'NOT_AWAITING_ACCEPTANCE' },
    ...overrides,
  };
}

const as = (role: Role, organisationId: string | null = null): Pick<User, 'role' | 'organisationId'> => ({
  role,
  organisationId,
});

describe('who may raise the whistle', () => {
  it('is the street desk and the district, nobody else', () => {
    expect(canRaiseWhistle('street_dispatcher')).toBe(true);
    expect(canRaiseWhistle('district_admin')).toBe(true);
    for (const role of ['department_handler', 'grid_worker', 'inspector', 'leader', 'resident'] as const) {
      expect(canRaiseWhistle(role)).toBe(false);
    }
  });

  it('dispatches accepted cases and redispatches returned or unsigned ones, each to the same units', () => {
    const requests = raiseRequests(
      [
        { id: 'a', state: 'accepted' },
        { id: 'b', state: 'returned' },
        { id: 'c', state: 'handling' },
      ],
      [CG, GA],
      '  多部门联合整治  ',
    );
    expect(requests).toEqual([
      { caseId: 'a', action: 'dispatch', body: { tier: 3, unitIds: [CG, GA] } },
      { caseId: 'b', action: 'redispatch', body: { tier: 3, unitIds: [CG, GA], note: '多部门联合整治' } },
    ]);
  });

  it('offers only the units that serve every chosen street', () => {
    const orgs: Organisation[] = [
      { id: CG, name: '城管', kind: 'department', scopeCode: '110102001' },
      { id: 'org-district', name: '区园林', kind: 'department', scopeCode: '110102' },
      { id: 'org-street', name: '街道办', kind: 'street_office', scopeCode: '110102001' },
      { id: 'org-old', name: '撤销单位', kind: 'department', scopeCode: '110102', active: false },
    ];
    expect(unitsServingAll(orgs, ['110102001']).map((o) => o.id)).toEqual([CG, 'org-district']);
    expect(unitsServingAll(orgs, ['110102001', '110102012']).map((o) => o.id)).toEqual(['org-district']);
    expect(unitsServingAll(orgs, [])).toEqual([]);
  });
});

describe('the whistle actions a user gets', () => {
  it('gives the street the meeting and the tasks while the units work', () => {
    expect(whistleActionsFor(as('street_dispatcher'), joint())).toEqual(['record_minutes', 'assign_task']);
  });

  it('lets the street accept only once no task is open, and refuse at any time it awaits', () => {
    const awaiting = { state: 'awaiting_acceptance' as const };
    expect(
      whistleActionsFor(
        as('street_dispatcher'),
        joint({ ...awaiting, acceptance: { awaiting: true, blockedBy: null } }),
      ),
    ).toEqual(['record_minutes', 'accept', 'refuse']);
    expect(
      whistleActionsFor(
        as('district_admin'),
        joint({ ...awaiting, acceptance: { awaiting: true, blockedBy: 'JOINT_TASKS_OPEN' } }),
      ),
    ).toEqual(['record_minutes', 'refuse']);
  });

  it('lets a summoned unit report in once, and feed back only when every unit has reported in', () => {
    expect(whistleActionsFor(as('department_handler', CG), joint())).toEqual(['report_in']);
    const oneIn = joint({ units: [unit(CG, true), unit(GA, false)] });
    expect(whistleActionsFor(as('department_handler', CG), oneIn)).toEqual([]);
    const allIn = joint({ units: [unit(CG, true), unit(GA, true)] });
    expect(whistleActionsFor(as('contractor', GA), allIn)).toEqual(['feedback']);
  });

  it('lets a unit complete its own open tasks only', () => {
    const withTasks = joint({
      units: [unit(CG, true), unit(GA, true)],
      tasks: [task(CG, 'open'), task(GA, 'done')],
    });
    expect(whistleActionsFor(as('department_handler', CG), withTasks)).toEqual(['complete_task', 'feedback']);
    expect(whistleActionsFor(as('department_handler', GA), withTasks)).toEqual(['feedback']);
    const [open, done] = withTasks.tasks as [JointTask, JointTask];
    expect(canCompleteTask(as('department_handler', CG), withTasks, open)).toBe(true);
    expect(canCompleteTask(as('department_handler', GA), withTasks, done)).toBe(false);
    expect(canCompleteTask(as('street_dispatcher', CG), withTasks, open)).toBe(false);
  });

  it('gives nothing to a unit that was not summoned, to other roles, or after closing', () => {
    expect(whistleActionsFor(as('department_handler', 'org-other'), joint())).toEqual([]);
    expect(whistleActionsFor(as('department_handler', null), joint())).toEqual([]);
    expect(whistleActionsFor(as('inspector'), joint())).toEqual([]);
    expect(whistleActionsFor(as('leader'), joint())).toEqual([]);
    const closed = joint({
      state: 'closed',
      acceptance: { awaiting: false, blockedBy: 'NOT_AWAITING_ACCEPTANCE' },
    });
    expect(whistleActionsFor(as('street_dispatcher'), closed)).toEqual([]);
    expect(whistleActionsFor(as('department_handler', CG), { ...closed, tasks: [task(CG, 'open')] })).toEqual(
      [],
    );
  });
});
