import type { Kysely } from 'kysely';
import { type Actor, authorise, caseListFilter, decide } from '../accounts/authorisation.ts';
import type { WorkingCalendar } from '../calendar/working-calendar.ts';
import { actionsFor } from '../cases/case.allowed.ts';
import { applyToCase, type CaseChange, CaseEventSubscribers, type CasePlan } from '../cases/case.apply.ts';
import { caseRepository } from '../cases/case.repository.ts';
import { assertCaseVisible, caseNotFound, caseResource, MIN_JOINT_UNITS } from '../cases/case.service.ts';
import {
  type CaseSnapshot,
  type CaseState,
  isOpen,
  type JsonValue,
  workingState,
} from '../cases/case.state.ts';
import type { CaseRow, Database } from '../db/schema.ts';
import { attachMedia } from '../media/media.repository.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { JOINT_TASKS_OPEN } from './whistle.precheck.ts';
import {
  type RecordedForUnit,
  reportInStanding,
  UNIT_REFUSAL_ACTION,
  whistleHistory,
} from './whistle.report-in.ts';
import { whistleRepository } from './whistle.repository.ts';

export interface WhistleOptions {
  /** Working hours after being summoned within which a unit must report in (报到). */
  reportInWorkingHours: number;
  /** Days after closing in which a reporter may reopen: only to say which case actions are open now. */
  reopenWindowDays?: number;
  /** Told of the meeting's events in their transaction (case.apply.ts); share the case service's. */
  subscribers?: CaseEventSubscribers;
}

export const DEFAULT_WHISTLE_OPTIONS: WhistleOptions = { reportInWorkingHours: 2 };

/** Trail actions for what the joint meeting records; they change no state, so from = to. */
export const WHISTLE_TRAIL_ACTIONS = {
  minutes: 'joint_minutes',
  task: 'joint_task_assign',
  done: 'joint_task_done',
} as const;

export interface MinutesInput {
  minutes: string;
  decisions: readonly string[];
  /** When the joint meeting (联席会议) sat; ISO date-time. */
  meetingAt?: string;
}

export interface TaskInput {
  organisationId: string;
  description: string;
  /** ISO date-time; or `workingDays` from now; else the case's handling deadline. */
  deadline?: string;
  workingDays?: number;
}

/** What the street desk records on behalf of a summoned unit that has no account or did not use it. */
export type RecordForUnitInput =
  | { kind: 'report_in'; onWordOf: string; note?: string; attachmentIds: string[] }
  | { kind: 'task_done'; taskId: string; onWordOf: string; note?: string; attachmentIds: string[] }
  | { kind: 'refusal'; reason: string; onWordOf: string; attachmentIds: string[] };

/** What the joint-action page may offer; decided here from the case's state machine and authorisation. */
export type WhistleAction =
  | 'report_in'
  | 'record_minutes'
  | 'assign_task'
  | 'complete_task'
  | 'record_for_unit'
  | 'feedback'
  | 'accept'
  | 'refuse'
  | 'resummon';

const AT_WORK: readonly CaseState[] = ['joint_action'];
const OPEN_JOINT: readonly CaseState[] = ['joint_action', 'awaiting_acceptance'];

/**
 * The whistle (吹哨, SPEC §4.3) beyond what the case's state machine holds: the report-in deadline and
 * who came within it, the joint meeting's minutes and decisions, and the tasks it gave each summoned
 * unit. Summoning, reporting in, feeding back and the street's acceptance stay case actions; this
 * service only refuses the acceptance while a task is open (see `whistle.precheck.ts`).
 *
 * Every change is written with an event on the case's trail in the same transaction, with the case row
 * locked, so the meeting's record is ordered with the case's own events and as tamper-evident.
 */
export class WhistleService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly calendar: WorkingCalendar,
    private readonly options: WhistleOptions = DEFAULT_WHISTLE_OPTIONS,
  ) {}

  /** The case, or CASE_NOT_FOUND when there is none or the actor may not know of it. */
  private async findCase(actor: Actor, ref: string): Promise<CaseRow> {
    const c = await caseRepository(this.db).findByAnyId(ref);
    if (!c) throw caseNotFound(ref);
    assertCaseVisible(actor, c, ref);
    return c;
  }

  /**
   * The joint actions the actor may read, as `case.read` scopes cases: the street and district those of
   * cases in their territory, a department or contractor those it was summoned to, wherever they lie.
   * Only the case's identity, category, street and the meeting's progress: nothing about the reporter.
   */
  async list(actor: Actor, q: { status: 'open' | 'closed' | 'all'; limit: number; offset: number }) {
    const filter = caseListFilter(actor);
    const repo = whistleRepository(this.db);
    const { items, total } = await repo.listJointActions({ ...q, ...filter });
    const trails = new Map<string, { at: Date; action: string; payload: unknown }[]>();
    for (const e of await repo.whistleTrails(items.map((r) => r.id))) {
      trails.set(e.case_id, [...(trails.get(e.case_id) ?? []), e]);
    }
    const joints = items.map((r) => {
      const snapshot = r.snapshot;
      return snapshot.assignment?.kind === 'joint' ? snapshot.assignment : null;
    });
    const names = await repo.organisationNames(joints.flatMap((j) => j?.unitIds ?? []));
    return {
      total,
      items: items.map((r, i) => {
        const joint = joints[i];
        const whistleAt = whistleHistory(trails.get(r.id) ?? []).whistleAt ?? r.whistle_at ?? null;
        const hours = r.report_in_hours ?? this.options.reportInWorkingHours;
        const closed = !isOpen({ state: r.state as CaseState });
        return {
          caseId: r.id,
          caseNumber: r.case_number,
          categoryKey: r.category_key,
          streetCode: r.street_code,
          streetName: r.street_name,
          state: r.state as CaseState,
          status: closed ? ('closed' as const) : ('open' as const),
          units: (joint?.unitIds ?? []).map((unitId) => ({
            organisationId: unitId,
            name: names.get(unitId) ?? null,
            reportedIn: joint?.reportedIn.includes(unitId) ?? false,
          })),
          whistleAt: whistleAt?.toISOString() ?? null,
          reportInDeadline: whistleAt ? this.calendar.addWorkingHours(whistleAt, hours).toISOString() : null,
          handlingDeadline: r.handling_deadline?.toISOString() ?? null,
          openTasks: Number(r.open_tasks ?? 0),
          recorded: r.record_case_id !== null,
          closedAt: r.closed_at?.toISOString() ?? null,
        };
      }),
    };
  }

  async view(actor: Actor, ref: string) {
    const c = await this.findCase(actor, ref);
    authorise(actor, 'case.read', caseResource(c));
    const [record, events, tasks] = await Promise.all([
      whistleRepository(this.db).findJointAction(c.id),
      caseRepository(this.db).events(c.id),
      whistleRepository(this.db).tasks(c.id),
    ]);
    const snapshot = c.snapshot;
    const joint = snapshot.assignment?.kind === 'joint' ? snapshot.assignment : null;
    if (!joint && !record) {
      throw new AppError('NOT_FOUND', 'This case has no joint action: the whistle was not blown for it', {
        id: c.id,
      });
    }
    const now = this.clock.now();
    const hours = record?.report_in_hours ?? this.options.reportInWorkingHours;
    const history = whistleHistory(events);
    const orgNames = await whistleRepository(this.db).organisationNames([
      ...history.units.map((u) => u.unitId),
      ...history.refusals.map((r) => r.unitId),
      ...(joint?.unitIds ?? []),
    ]);
    const userNames = await whistleRepository(this.db).userNames([
      ...history.units.map((u) => u.reportedInRecorded?.recordedBy ?? null),
      ...history.refusals.map((r) => r.recordedBy),
    ]);
    const recordedView = (r: RecordedForUnit | null) =>
      r && {
        recordedBy: r.recordedBy,
        recordedByName: (r.recordedBy && userNames.get(r.recordedBy)) ?? null,
        onWordOf: r.onWordOf,
        attachmentIds: [...r.attachmentIds],
      };
    const whistleAt = history.whistleAt ?? record?.whistle_at ?? null;
    const units = (joint?.unitIds ?? []).map((unitId) => {
      const s = history.units.find((u) => u.unitId === unitId);
      const summonedAt = s?.summonedAt ?? whistleAt ?? c.updated_at;
      const deadline = this.calendar.addWorkingHours(summonedAt, hours);
      const reportedIn = joint?.reportedIn.includes(unitId) ?? false;
      // The trail always holds the report-in; were it ever missing, the unit is not marked late for it.
      const reportedInAt = reportedIn ? (s?.reportedInAt ?? null) : null;
      const standing = reportInStanding(reportedIn ? (reportedInAt ?? summonedAt) : null, deadline, now);
      return {
        organisationId: unitId,
        name: orgNames.get(unitId) ?? null,
        summonedAt: summonedAt.toISOString(),
        reportInDeadline: deadline.toISOString(),
        reportedIn,
        reportedInAt: reportedInAt?.toISOString() ?? null,
        onTime: reportedIn ? standing === 'on_time' : null,
        standing,
        reportInRecorded: reportedIn ? recordedView(s?.reportedInRecorded ?? null) : null,
      };
    });
    const openTasks = tasks.filter((t) => t.status === 'open').length;
    const state = c.state as CaseState;
    const caseActions = actionsFor(actor, c, { now, reopenWindowDays: this.options.reopenWindowDays ?? 7 });
    const desk = decide(actor, 'joint_action.write', caseResource(c)).allowed;
    const working = workingState(snapshot);
    const canComplete = (t: { status: string; organisation_id: string }) =>
      t.status === 'open' &&
      OPEN_JOINT.includes(working) &&
      decide(actor, 'joint_task.complete', {
        territoryCodes: caseResource(c).territoryCodes,
        organisationIds: [t.organisation_id],
      }).allowed;
    const allowed: WhistleAction[] = [];
    if (caseActions.includes('report_in')) allowed.push('report_in');
    if (desk && joint && OPEN_JOINT.includes(working)) allowed.push('record_minutes');
    if (desk && joint && state === 'joint_action') allowed.push('assign_task', 'record_for_unit');
    if (tasks.some(canComplete)) allowed.push('complete_task');
    if (caseActions.includes('feedback')) allowed.push('feedback');
    if (caseActions.includes('accept_joint_action') && openTasks === 0) allowed.push('accept');
    if (caseActions.includes('refuse_joint_action')) allowed.push('refuse');
    if (caseActions.includes('redispatch') && state === 'joint_action') allowed.push('resummon');
    return {
      caseId: c.id,
      caseNumber: c.case_number,
      state,
      active: joint !== null && OPEN_JOINT.includes(workingState(snapshot)),
      recorded: record !== undefined,
      whistleAt: whistleAt?.toISOString() ?? null,
      reportInWorkingHours: hours,
      reportInDeadline: whistleAt ? this.calendar.addWorkingHours(whistleAt, hours).toISOString() : null,
      units,
      refusals: history.refusals.map((r) => ({
        organisationId: r.unitId,
        name: orgNames.get(r.unitId) ?? null,
        at: r.at.toISOString(),
        reason: r.reason,
        ...recordedView(r)!,
      })),
      meeting: {
        meetingAt: record?.meeting_at?.toISOString() ?? null,
        minutes: record?.minutes ?? '',
        decisions: record?.decisions ?? [],
        updatedAt: record?.minutes_at?.toISOString() ?? null,
        updatedBy: record?.minutes_by ?? null,
      },
      tasks: tasks.map((t) => ({
        id: t.id,
        seq: t.seq,
        organisationId: t.organisation_id,
        organisationName: t.organisation_name,
        description: t.description,
        deadline: t.deadline.toISOString(),
        status: t.status,
        overdue: t.status === 'open' && t.deadline.getTime() < now.getTime(),
        createdAt: t.created_at.toISOString(),
        createdBy: t.created_by,
        doneAt: t.done_at?.toISOString() ?? null,
        doneBy: t.done_by,
        note: t.note,
        doneOnWordOf: t.done_on_word_of ?? null,
        canComplete: canComplete(t),
      })),
      allowedActions: allowed,
      openTasks,
      acceptance: {
        awaiting: state === 'awaiting_acceptance',
        // What `accept_joint_action` would answer now, so a console can say so before anyone clicks.
        blockedBy:
          state !== 'awaiting_acceptance'
            ? ('NOT_AWAITING_ACCEPTANCE' as const)
            : openTasks > 0
              ? JOINT_TASKS_OPEN
              : null,
      },
    };
  }

  /**
   * Runs a change to the joint action with the case row locked: checks the working state, makes sure the
   * joint action's record exists for the current whistle, applies the change and appends its event.
   */
  private async change(
    actor: Actor,
    found: CaseRow,
    allowedIn: readonly CaseState[],
    what: string,
    apply: (
      trx: Kysely<Database>,
      c: CaseRow,
      snapshot: CaseSnapshot,
      now: Date,
    ) => Promise<{ action: string; payload: { [k: string]: JsonValue } } | { changes: CaseChange[] }>,
  ): Promise<void> {
    const now = this.clock.now();
    await applyToCase(
      this.db,
      found.id,
      async (c, trx): Promise<CasePlan> => {
        const snapshot = c.snapshot;
        if (snapshot.assignment?.kind !== 'joint' || !allowedIn.includes(workingState(snapshot))) {
          throw new AppError(
            'TRANSITION_NOT_ALLOWED',
            `${what}: only while the joint action is ${allowedIn.join(' or ')}`,
            { state: c.state },
          );
        }
        const history = whistleHistory(await caseRepository(trx).events(c.id));
        const whistleAt = history.whistleAt ?? c.updated_at;
        const existing = await whistleRepository(trx).findJointAction(c.id);
        const hours = existing?.report_in_hours ?? this.options.reportInWorkingHours;
        if (!existing || existing.whistle_at.getTime() !== whistleAt.getTime()) {
          await whistleRepository(trx).ensureJointAction({
            case_id: c.id,
            district_code: c.district_code,
            whistle_at: whistleAt,
            report_in_hours: hours,
            report_in_deadline: this.calendar.addWorkingHours(whistleAt, hours),
            created_at: now,
            updated_at: now,
          });
        }
        const applied = await apply(trx, c, snapshot, now);
        // The meeting's record is appended like the case's own events, and is news for the same people
        // and systems.
        const changes: CaseChange[] =
          'changes' in applied ? applied.changes : [{ record: applied.action, payload: applied.payload }];
        return { actor: { userId: actor.userId, role: actor.role }, changes };
      },
      { now, reopenWindowDays: 0, subscribers: this.options.subscribers ?? new CaseEventSubscribers() },
    );
  }

  /** Records the joint meeting's minutes and decisions (联席会议纪要), replacing the previous version. */
  async putMinutes(actor: Actor, ref: string, input: MinutesInput) {
    const c = await this.findCase(actor, ref);
    authorise(actor, 'joint_action.write', caseResource(c));
    const meetingAt = input.meetingAt ? new Date(input.meetingAt) : null;
    if (meetingAt && Number.isNaN(meetingAt.getTime())) {
      throw AppError.validation([{ field: 'meetingAt', message: 'not a date-time' }]);
    }
    const decisions = input.decisions.map((d) => d.trim()).filter(Boolean);
    await this.change(actor, c, OPEN_JOINT, 'minutes', async (trx, locked, _s, now) => {
      await whistleRepository(trx).saveMinutes(locked.id, {
        meetingAt,
        minutes: input.minutes.trim(),
        decisions,
        by: actor.userId,
        at: now,
      });
      return {
        action: WHISTLE_TRAIL_ACTIONS.minutes,
        payload: { meetingAt: meetingAt?.toISOString() ?? null, minutes: input.minutes.trim(), decisions },
      };
    });
    return this.view(actor, c.id);
  }

  /** Gives one summoned unit a task with its own deadline. */
  async addTask(actor: Actor, ref: string, input: TaskInput) {
    const c = await this.findCase(actor, ref);
    authorise(actor, 'joint_action.write', caseResource(c));
    const now = this.clock.now();
    let deadline: Date;
    if (input.deadline !== undefined) {
      deadline = new Date(input.deadline);
      if (Number.isNaN(deadline.getTime()))
        throw AppError.validation([{ field: 'deadline', message: 'not a date-time' }]);
    } else if (input.workingDays !== undefined) {
      deadline = this.calendar.addWorkingDays(now, input.workingDays);
    } else if (c.handling_deadline) {
      deadline = c.handling_deadline;
    } else {
      throw AppError.validation([{ field: 'deadline', message: 'give a deadline or workingDays' }]);
    }
    if (deadline.getTime() <= now.getTime()) {
      throw AppError.validation([{ field: 'deadline', message: 'must be in the future' }]);
    }
    const id = newId('jtask');
    await this.change(actor, c, AT_WORK, 'tasks', async (trx, locked, snapshot) => {
      const joint = snapshot.assignment?.kind === 'joint' ? snapshot.assignment : null;
      if (!joint?.unitIds.includes(input.organisationId)) {
        throw AppError.validation([
          { field: 'organisationId', message: 'this unit was not summoned to the joint action' },
        ]);
      }
      const seq = await whistleRepository(trx).insertTask({
        id,
        case_id: locked.id,
        district_code: locked.district_code,
        organisation_id: input.organisationId,
        description: input.description.trim(),
        deadline,
        status: 'open',
        created_by: actor.userId,
        created_at: now,
        done_at: null,
        done_by: null,
        note: null,
      });
      return {
        action: WHISTLE_TRAIL_ACTIONS.task,
        payload: {
          taskId: id,
          seq,
          organisationId: input.organisationId,
          description: input.description.trim(),
          deadline: deadline.toISOString(),
        },
      };
    });
    return this.view(actor, c.id);
  }

  /** The unit that was given a task reports it done. */
  async completeTask(actor: Actor, ref: string, taskId: string, note?: string) {
    const c = await this.findCase(actor, ref);
    const task = await whistleRepository(this.db).findTask(c.id, taskId);
    if (!task) throw AppError.notFound('joint task', taskId);
    authorise(actor, 'joint_task.complete', {
      territoryCodes: caseResource(c).territoryCodes,
      organisationIds: [task.organisation_id],
    });
    await this.change(actor, c, OPEN_JOINT, 'task done', async (trx, _locked, _s, now) => {
      if (!(await whistleRepository(trx).completeTask(task.id, now, actor.userId, note?.trim() || null))) {
        throw new AppError('CONFLICT', 'This task is already done', { taskId });
      }
      return {
        action: WHISTLE_TRAIL_ACTIONS.done,
        payload: { taskId: task.id, organisationId: task.organisation_id, note: note?.trim() || null },
      };
    });
    return this.view(actor, c.id);
  }

  /**
   * The street desk records, on behalf of a summoned unit, what the unit would record itself: its
   * report-in, a task done, or its refusal of the summons. Many units have no account, or answer by
   * phone; the record says who wrote it (the event's actor), on whose word and with what evidence, and
   * is appended to the case's trail like the unit's own. A refusal takes the unit off the table (a
   * re-dispatch without it, in the same transaction), which must leave at least two units: summon a
   * replacement first otherwise.
   */
  async recordForUnit(actor: Actor, ref: string, organisationId: string, input: RecordForUnitInput) {
    const c = await this.findCase(actor, ref);
    authorise(actor, 'joint_action.write', caseResource(c));
    const onWordOf = input.onWordOf.trim();
    const attachmentIds = [...new Set(input.attachmentIds)];
    const recorded = { unitId: organisationId, onBehalfOf: organisationId, onWordOf, attachmentIds };
    const attach = (trx: Kysely<Database>, locked: CaseRow) =>
      attachMedia(trx, attachmentIds, { kind: 'case', id: locked.id, districtCode: locked.district_code });
    const summoned = (snapshot: CaseSnapshot) => {
      const joint = snapshot.assignment?.kind === 'joint' ? snapshot.assignment : null;
      if (!joint?.unitIds.includes(organisationId)) {
        throw AppError.validation([
          { field: 'organisationId', message: 'this unit was not summoned to the joint action' },
        ]);
      }
      return joint;
    };
    if (input.kind === 'report_in') {
      await this.change(actor, c, AT_WORK, 'report-in', async (trx, locked, snapshot) => {
        summoned(snapshot);
        await attach(trx, locked);
        const note = input.note?.trim();
        return {
          changes: [
            {
              action: { type: 'report_in', unitId: organisationId },
              payload: { ...recorded, ...(note ? { note } : {}) },
            },
          ],
        };
      });
    } else if (input.kind === 'task_done') {
      const task = await whistleRepository(this.db).findTask(c.id, input.taskId);
      if (!task || task.organisation_id !== organisationId)
        throw AppError.notFound('joint task', input.taskId);
      const note = input.note?.trim() || null;
      await this.change(actor, c, OPEN_JOINT, 'task done', async (trx, locked, _s, now) => {
        if (!(await whistleRepository(trx).completeTask(task.id, now, actor.userId, note, onWordOf))) {
          throw new AppError('CONFLICT', 'This task is already done', { taskId: task.id });
        }
        await attach(trx, locked);
        return {
          action: WHISTLE_TRAIL_ACTIONS.done,
          payload: { taskId: task.id, organisationId, note, ...recorded },
        };
      });
    } else {
      await this.change(actor, c, AT_WORK, 'refusal', async (trx, locked, snapshot) => {
        const joint = summoned(snapshot);
        const remaining = joint.unitIds.filter((u) => u !== organisationId);
        if (remaining.length < MIN_JOINT_UNITS) {
          throw AppError.validation([
            {
              field: 'organisationId',
              message: `a joint action keeps at least ${MIN_JOINT_UNITS} units: summon another unit before this one leaves`,
            },
          ]);
        }
        const open = (await whistleRepository(trx).tasks(locked.id)).filter(
          (t) => t.status === 'open' && t.organisation_id === organisationId,
        );
        if (open.length > 0) {
          throw new AppError('JOINT_TASKS_OPEN', 'This unit still has open tasks of the joint action', {
            openTasks: open.map((t) => ({ id: t.id, seq: t.seq })),
          });
        }
        await attach(trx, locked);
        const reason = input.reason.trim();
        return {
          changes: [
            { record: UNIT_REFUSAL_ACTION, reason, payload: { ...recorded, reason } },
            { action: { type: 'redispatch', tier: 3, unitIds: remaining, note: reason } },
          ],
        };
      });
    }
    return this.view(actor, c.id);
  }
}
