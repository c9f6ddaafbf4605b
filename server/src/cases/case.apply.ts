import type { Kysely } from 'kysely';
import type { CaseRow, Database } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { caseRepository } from './case.repository.ts';
import {
  type CaseAction,
  type CaseSnapshot,
  type JsonValue,
  type TransitionContext,
  transition,
} from './case.state.ts';
import type { StoredEvent } from './case.trail.ts';

/**
 * The one way a case changes (SPEC §4.9): lock the case row FOR UPDATE → transition with the pure
 * state machine → project the new snapshot onto the case row → append the events to the hash-chained
 * trail → tell the case-event subscribers, all in one transaction. `CaseService.act` and `autoAccept`,
 * the SLA sweep and the whistle's meeting record all come through here; only intake's first `report`
 * event is written elsewhere (the case does not exist yet, see `case.report-writer.ts`), and it reaches
 * the same subscribers.
 */

type JsonObject = { readonly [k: string]: JsonValue };

/** Who appends an event: a person, or the system (`userId` null, role `system`). */
export interface EventActor {
  readonly userId: string | null;
  readonly role: string;
}

/** Events appended by the platform itself (auto-rules, the SLA sweep). */
export const SYSTEM_ACTOR: EventActor = { userId: null, role: 'system' };

/** One event to append: an action of the state machine, or a record that changes no state. */
export type CaseChange =
  | {
      readonly action: CaseAction;
      /** Replaces the reason the state machine gives (`auto_rule`, `overdue`…). */
      readonly reason?: string | null;
      /** Added to the state machine's payload (an auto-rule's evidence, what triggered it). */
      readonly payload?: JsonObject;
    }
  | {
      /**
       * The trail action of an event that moves no state (`joint_minutes`, `sla_yellow`…): it is
       * appended from = to the current state, and may still change the snapshot (`snapshot`).
       */
      readonly record: string;
      readonly reason?: string | null;
      readonly payload: JsonObject;
      /** The snapshot after the record, when it changes one (rare: the state machine's actions do). */
      readonly snapshot?: CaseSnapshot;
    };

/** Columns that the snapshot does not decide. */
export type CaseColumns = Partial<Pick<CaseRow, 'sla_state' | 'public' | 'severity' | 'response_deadline'>>;

/** What the caller wants done to the locked case. */
export interface CasePlan {
  readonly actor: EventActor;
  /** Applied in order: each sees the snapshot the previous one left. */
  readonly changes: readonly CaseChange[];
  /** Set on the case row with the first change (sla_state; public and severity at filing). */
  readonly columns?: CaseColumns;
  /**
   * When the state machine refuses a change: `throw` (the default) answers 409 TRANSITION_NOT_ALLOWED
   * or 400 VALIDATION_FAILED naming the field; `skip` writes nothing and answers null (an auto-rule
   * that finds a person's decision already taken).
   */
  readonly ifRefused?: 'throw' | 'skip';
  /**
   * Writes that belong with the events (a merge's follower, after-photos, classifier labels): run in
   * the same transaction after the case row and the events are written and before the subscribers;
   * use only `trx`.
   */
  readonly alongside?: (trx: Kysely<Database>, applied: AppliedChange) => Promise<void>;
}

/** What was applied: the row as it was locked and as it is now, and the events appended. */
export interface AppliedChange {
  readonly before: CaseRow;
  readonly after: CaseRow;
  readonly events: readonly StoredEvent[];
}

/**
 * A subscriber to case events (notifications, the webhook outbox, measure rollups…). It runs inside
 * the transaction that appended the event, so what it writes commits with the event or not at all,
 * and a subscriber that throws rolls the event back. Use only `trx` (on the embedded engine a query on
 * another handle waits for the transaction forever).
 */
export interface CaseEventSubscriber {
  /** For logs and tests. */
  readonly name: string;
  /**
   * The trail actions this subscriber is told of (`report`, `accept`, `sla_red`, `joint_minutes`…), or
   * `all`. A static list: intake reads it to decide whether a new report may keep its one-statement
   * write, and every other event is offered only to subscribers that list its action.
   */
  readonly actions: readonly string[] | 'all';
  /**
   * A finer, changing interest (webhook subscriptions of a district), asked only before a report is
   * written: answering false lets a report nobody listens for keep its one-statement write. It may
   * say false only when `onEvent` would write nothing for that district and action; absent means true.
   */
  wants?(districtCode: string, action: string): boolean | Promise<boolean>;
  /**
   * One event. `before` is the case row as locked before the event (null for the first `report`: the
   * case did not exist), `after` the row as the event left it. When one change appends several events
   * (the sweep's `sla_red` and its `supervise`) each event gets the rows around it.
   */
  onEvent(trx: Kysely<Database>, event: StoredEvent, before: CaseRow | null, after: CaseRow): Promise<void>;
  /**
   * Several new reports written by one statement (intake's group commit), in one transaction; absent
   * means `onEvent` for each. A subscriber that keeps counts can write them in one statement.
   */
  onReports?(
    trx: Kysely<Database>,
    reports: readonly { event: StoredEvent; after: CaseRow }[],
  ): Promise<void>;
}

/**
 * The subscribers of one process, in the order they were registered. `createContext` registers the
 * notifications and the webhook outbox; register more with `subscribe` before the server takes requests.
 */
export class CaseEventSubscribers {
  private readonly list: CaseEventSubscriber[] = [];

  constructor(initial: readonly CaseEventSubscriber[] = []) {
    for (const s of initial) this.subscribe(s);
  }

  /** Adds a subscriber; returns a function that removes it again. */
  subscribe(subscriber: CaseEventSubscriber): () => void {
    if (this.list.some((s) => s.name === subscriber.name)) {
      throw new Error(`a case-event subscriber named ${subscriber.name} is already registered`);
    }
    this.list.push(subscriber);
    return () => {
      const i = this.list.indexOf(subscriber);
      if (i >= 0) this.list.splice(i, 1);
    };
  }

  get names(): string[] {
    return this.list.map((s) => s.name);
  }

  private listening(action: string): CaseEventSubscriber[] {
    return this.list.filter((s) => s.actions === 'all' || s.actions.includes(action));
  }

  /** Whether any subscriber would write for an event of this action in this district. */
  async wants(districtCode: string, action: string): Promise<boolean> {
    for (const s of this.listening(action)) {
      if (!s.wants || (await s.wants(districtCode, action))) return true;
    }
    return false;
  }

  /** Tells every subscriber that lists the event's action; inside the event's transaction. */
  async publish(trx: Kysely<Database>, event: StoredEvent, before: CaseRow | null, after: CaseRow) {
    for (const s of this.listening(event.action)) await s.onEvent(trx, event, before, after);
  }

  /** Tells the subscribers of `report` of new reports written together, inside their transaction. */
  async publishReports(trx: Kysely<Database>, reports: readonly { event: StoredEvent; after: CaseRow }[]) {
    if (reports.length === 0) return;
    for (const s of this.listening('report')) {
      if (s.onReports) await s.onReports(trx, reports);
      else for (const r of reports) await s.onEvent(trx, r.event, null, r.after);
    }
  }
}

export interface ApplyContext {
  readonly now: Date;
  /** Days after closing in which a reporter may reopen (only `reopen` reads it). */
  readonly reopenWindowDays: number;
  readonly subscribers: CaseEventSubscribers;
}

/**
 * The columns of the case row that follow from its snapshot. A rule kept once: every writer of a
 * case's state projects it through here, so the row and the snapshot cannot disagree.
 */
export function projectSnapshot(
  row: Pick<CaseRow, 'category_key'>,
  next: CaseSnapshot,
): Pick<
  CaseRow,
  | 'state'
  | 'snapshot'
  | 'tier'
  | 'category_key'
  | 'assigned_org_id'
  | 'handling_deadline'
  | 'original_handling_deadline'
  | 'response_deadline'
  | 'closed_at'
  | 'merged_into'
> {
  const a = next.assignment;
  return {
    state: next.state,
    snapshot: next,
    tier: next.tier,
    // Until filing the snapshot has no category; the reporter's suggestion is kept meanwhile, also on a
    // report rejected or merged before filing.
    category_key: next.categoryKey ?? row.category_key,
    // A joint action is held by all its units (the snapshot); the column names the first for indexes.
    assigned_org_id: a?.kind === 'unit' ? a.unitId : a?.kind === 'joint' ? (a.unitIds[0] ?? null) : null,
    handling_deadline: next.deadline ? new Date(next.deadline) : null,
    original_handling_deadline: next.originalDeadline ? new Date(next.originalDeadline) : null,
    response_deadline: next.responseDeadline ? new Date(next.responseDeadline) : null,
    closed_at: next.closedAt ? new Date(next.closedAt) : null,
    merged_into: next.mergedInto,
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  return a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;
}

/** The columns of `after` that differ from `before`; `version` is bumped by the update itself. */
function changedColumns(
  before: CaseRow,
  after: CaseRow,
): Partial<Omit<CaseRow, 'id' | 'version' | 'supporters'>> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof CaseRow)[]) {
    if (key === 'id' || key === 'version' || key === 'supporters') continue;
    if (!sameValue(before[key], after[key])) out[key] = after[key];
  }
  return out as Partial<Omit<CaseRow, 'id' | 'version' | 'supporters'>>;
}

function refused(result: { code: string; message: string; field?: string }, c: CaseRow, type: string) {
  if (result.code === 'TRANSITION_NOT_ALLOWED') {
    return new AppError('TRANSITION_NOT_ALLOWED', result.message, { action: type, state: c.state });
  }
  return AppError.validation([{ field: result.field ?? 'body', message: result.message }], result.message);
}

/**
 * Applies a change to one case. Locks the row (FOR UPDATE), hands it to `plan`, which decides with
 * the row as it now is (authorise, compare, read what else it needs with `trx`) and answers what to
 * append, or null for nothing; then runs each change through `transition`, writes the projected row
 * once, appends the events to the trail and tells the subscribers. Opens a transaction unless `db`
 * already is one. Answers null when the case does not exist, the plan answers null, or a change is
 * refused under `ifRefused: 'skip'`.
 */
export async function applyToCase(
  db: Kysely<Database>,
  caseId: string,
  plan: (locked: CaseRow, trx: Kysely<Database>) => CasePlan | null | Promise<CasePlan | null>,
  context: ApplyContext,
): Promise<AppliedChange | null> {
  const run = async (trx: Kysely<Database>): Promise<AppliedChange | null> => {
    const repo = caseRepository(trx);
    const before = await repo.lockCase(caseId);
    if (!before) return null;
    const p = await plan(before, trx);
    if (!p || p.changes.length === 0) return null;
    const ctx: TransitionContext = { now: context.now, reopenWindowDays: context.reopenWindowDays };

    // Each change in turn, each event with the rows around it.
    const steps: { row: CaseRow; event: Omit<StoredEvent, 'seq' | 'prevHash' | 'hash'> }[] = [];
    let row: CaseRow = before;
    for (const [i, change] of p.changes.entries()) {
      let next: CaseSnapshot;
      let event: {
        action: string;
        fromState: string;
        toState: string;
        reason: string | null;
        payload: JsonObject;
      };
      if ('action' in change) {
        const result = transition(row.snapshot, change.action, ctx);
        if (!result.ok) {
          if (p.ifRefused === 'skip') return null;
          throw refused(result, row, change.action.type);
        }
        next = result.next;
        event = {
          action: result.event.action,
          fromState: result.event.from,
          toState: result.event.to,
          reason: change.reason !== undefined ? change.reason : (result.event.reason ?? null),
          payload: { ...result.event.payload, ...change.payload },
        };
      } else {
        next = change.snapshot ?? row.snapshot;
        event = {
          action: change.record,
          fromState: row.state,
          toState: next.state,
          reason: change.reason ?? null,
          payload: change.payload,
        };
      }
      const moved = next !== row.snapshot;
      row = {
        ...row,
        ...(moved && projectSnapshot(row, next)),
        ...(i === 0 && p.columns),
        ...((moved || (i === 0 && p.columns)) && { updated_at: context.now, version: before.version + 1 }),
      };
      steps.push({
        row,
        event: {
          caseId: before.id,
          districtCode: before.district_code,
          at: context.now,
          actorUserId: p.actor.userId,
          actorRole: p.actor.role,
          ...event,
        },
      });
    }

    // One write of the row, of the columns that changed; none for a meeting's minutes.
    const changed = changedColumns(before, row);
    if (Object.keys(changed).length > 0) await repo.updateCase(before.id, changed);
    const events: StoredEvent[] = [];
    for (const s of steps) events.push(await repo.appendEvent(s.event));
    const applied: AppliedChange = { before, after: row, events };
    if (p.alongside) await p.alongside(trx, applied);
    for (const [i, e] of events.entries()) {
      await context.subscribers.publish(trx, e, i === 0 ? before : steps[i - 1]!.row, steps[i]!.row);
    }
    return applied;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
