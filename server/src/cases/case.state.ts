import type { Role } from '../accounts/roles.ts';

/**
 * The case loop of SPEC §4.2–4.7 as a pure state machine: given a case's snapshot and an action, either
 * the next snapshot plus the event to append to the trail, or the reason why not. No I/O, no clock of
 * its own, no knowledge of who is acting: the service loads the snapshot, asks `accounts/
 * authorisation.ts` (fed by `ACTION_ROLES`), calls `transition`, and writes snapshot and event in one
 * transaction.
 *
 * Time is stored in the snapshot as ISO-8601 strings so that the snapshot is plain JSON: it goes into
 * the `snapshot` jsonb column and comes back unchanged, and events hash the same before and after a
 * round trip (see `case.trail.ts`). Actions take `Date`s because the service computes them.
 */

// ---------------------------------------------------------------------------------------------------
// States

/**
 * The suggested states, plus `awaiting_acceptance`: a tier-3 case whose joint action has reported its
 * result waits for the street's acceptance (验收), which is not an inspector's verification (核查) —
 * different people, different action, different measure — so it gets a state of its own instead of
 * overloading `awaiting_verification` with a tier test.
 */
export const CASE_STATES = [
  'reported', // a report awaiting filing (待受理)
  'rejected', // not filed (不予立案), terminal
  'merged', // merged into another case as a duplicate (并案), terminal
  'accepted', // filed (立案), awaiting dispatch
  'dispatched', // sent to one unit at tier 2, awaiting its signature (签收) or sending back (退单)
  'handling', // tier 1 on the spot, or tier 2 once signed for; also where rework and reopening land
  'returned', // sent back by the unit with a reason; the dispatcher must redispatch
  'joint_action', // tier 3: the whistle is blown; summoned units report in (报到) and work
  'awaiting_verification', // feedback given (tiers 1–2), an inspector re-checks (待核查)
  'awaiting_acceptance', // feedback given (tier 3), the street accepts or refuses the result
  'suspended', // clock stopped (挂起), remembers the state to resume to
  'closed', // closed and struck from the ledger (结案/销账); may be reopened within a window, and rated
] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** No action at all is possible from these. */
export const TERMINAL_STATES: ReadonlySet<CaseState> = new Set(['rejected', 'merged']);

/** States a case can be suspended from: filed and not yet closed. */
export const SUSPENDABLE_STATES = [
  'accepted',
  'dispatched',
  'handling',
  'returned',
  'joint_action',
  'awaiting_verification',
  'awaiting_acceptance',
] as const;
export type SuspendableState = (typeof SUSPENDABLE_STATES)[number];

/** Open ledger entries (挂账): filed or awaiting filing, not closed, not terminal. */
export function isOpen(s: Pick<CaseSnapshot, 'state'>): boolean {
  return s.state !== 'closed' && !TERMINAL_STATES.has(s.state);
}

/** The state that governs the case's work: the one it will resume to when suspended. */
export function workingState(s: Pick<CaseSnapshot, 'state' | 'suspendedFrom'>): CaseState {
  return s.state === 'suspended' && s.suspendedFrom ? s.suspendedFrom : s.state;
}

// ---------------------------------------------------------------------------------------------------
// Snapshot

export type Tier = 1 | 2 | 3;
export const REJECT_REASONS = ['not_in_remit', 'insufficient_information', 'duplicate'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

/** An instant as `Date.prototype.toISOString()` writes it. */
export type Instant = string;

/** Who holds the case. The kind follows the tier: 1 → handler, 2 → unit, 3 → joint. */
export type Assignment =
  | { readonly kind: 'handler'; readonly userId: string }
  | { readonly kind: 'unit'; readonly unitId: string }
  | { readonly kind: 'joint'; readonly unitIds: readonly string[]; readonly reportedIn: readonly string[] };

export interface PendingExtension {
  readonly requestedDeadline: Instant;
  readonly reason: string;
  readonly requestedAt: Instant;
}

export interface CaseSnapshot {
  readonly state: CaseState;
  /** Taxonomy key, set when filed. */
  readonly categoryKey: string | null;
  readonly tier: Tier | null;
  readonly assignment: Assignment | null;
  readonly rejectReason: RejectReason | null;
  readonly mergedInto: string | null;
  /** The handling deadline now in force, and the one set at filing, which extensions never move. */
  readonly deadline: Instant | null;
  readonly originalDeadline: Instant | null;
  /** An extension request awaiting a decision: a flag on the case, not a state, so work goes on. */
  readonly pendingExtension: PendingExtension | null;
  readonly extensionCount: number;
  readonly suspendedFrom: SuspendableState | null;
  readonly suspendedAt: Instant | null;
  readonly suspensionReason: string | null;
  /** Verification or acceptance failures (返工). */
  readonly reworkCount: number;
  /** Times a unit sent the case back (退单). */
  readonly returnCount: number;
  readonly reopenCount: number;
  /** Supervision notices (督办). */
  readonly superviseCount: number;
  readonly closedAt: Instant | null;
  readonly rating: Rating | null;
  /**
   * By when the unit(s) the case was last dispatched to must sign for it (tier 2) or report in
   * (tier 3): set by the dispatch, null once they have (or when nobody is awaited). Absent on
   * snapshots written before it existed.
   */
  readonly responseDeadline?: Instant | null;
  /** The sweep has recorded that the response deadline passed (`response_overdue`), once per dispatch. */
  readonly responseOverdue?: boolean;
}

export function initialSnapshot(): CaseSnapshot {
  return {
    state: 'reported',
    categoryKey: null,
    tier: null,
    assignment: null,
    rejectReason: null,
    mergedInto: null,
    deadline: null,
    originalDeadline: null,
    pendingExtension: null,
    extensionCount: 0,
    suspendedFrom: null,
    suspendedAt: null,
    suspensionReason: null,
    reworkCount: 0,
    returnCount: 0,
    reopenCount: 0,
    superviseCount: 0,
    closedAt: null,
    rating: null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Actions

export const ACTION_TYPES = [
  'accept',
  'reject',
  'merge',
  'dispatch',
  'redispatch',
  'sign',
  'send_back',
  'report_in',
  'feedback',
  'verify_pass',
  'verify_fail',
  'accept_joint_action',
  'refuse_joint_action',
  'reopen',
  'rate',
  'extension_request',
  'extension_approve',
  'extension_refuse',
  'suspend',
  'resume',
  'supervise',
  'handle_on_spot',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** Where a dispatch sends the case (三级过滤). */
export type DispatchTarget =
  /** Tier 1: the grid worker or alley chief handles it on the spot; nobody signs. */
  | { readonly tier: 1; readonly handlerUserId: string }
  /** Tier 2: one department or the contractor, which must sign for it or send it back. */
  | { readonly tier: 2; readonly unitId: string }
  /** Tier 3: the whistle (吹哨) summons these units to a joint action. */
  | { readonly tier: 3; readonly unitIds: readonly string[] };

export type CaseAction =
  | { readonly type: 'accept'; readonly categoryKey: string; readonly deadline: Date }
  | { readonly type: 'reject'; readonly reason: RejectReason; readonly note?: string }
  | { readonly type: 'merge'; readonly targetCaseId: string }
  | ({ readonly type: 'dispatch'; readonly responseDeadline?: Date } & DispatchTarget)
  | ({
      readonly type: 'redispatch';
      readonly note?: string;
      readonly responseDeadline?: Date;
    } & DispatchTarget)
  | { readonly type: 'sign' }
  | { readonly type: 'send_back'; readonly reason: string }
  | { readonly type: 'report_in'; readonly unitId: string }
  | {
      readonly type: 'feedback';
      readonly note: string;
      readonly afterPhotoIds: readonly string[];
      /** Required when there is no after-photo (e.g. the fix is inside a private courtyard). */
      readonly noPhotoReason?: string;
    }
  | { readonly type: 'verify_pass'; readonly note?: string }
  | { readonly type: 'verify_fail'; readonly reason: string }
  | { readonly type: 'accept_joint_action'; readonly note?: string }
  | { readonly type: 'refuse_joint_action'; readonly reason: string }
  | {
      readonly type: 'reopen';
      readonly reason: string;
      /** A fresh handling deadline for the reopened work, computed by the service; the old one was met. */
      readonly deadline?: Date;
    }
  | {
      readonly type: 'rate';
      readonly rating: Rating;
      readonly comment?: string;
      /** The reporter rating online, or the dispatcher recording the hotline's follow-up call (回访). */
      readonly via?: 'reporter' | 'follow_up_call';
    }
  | { readonly type: 'extension_request'; readonly requestedDeadline: Date; readonly reason: string }
  | {
      readonly type: 'extension_approve';
      /** Defaults to the requested deadline; the approver may grant a different one. */
      readonly deadline?: Date;
      readonly note?: string;
    }
  | { readonly type: 'extension_refuse'; readonly reason: string }
  | { readonly type: 'suspend'; readonly reason: string }
  | { readonly type: 'resume'; readonly note?: string }
  | { readonly type: 'supervise'; readonly note?: string }
  | {
      /**
       * A problem the finder fixed on the spot during a patrol (SPEC §5): filed, handled at tier 1 by
       * the finder and closed in one step, with the after-photos as evidence. Counted apart (its own
       * trail action) so that on-the-spot fixes never inflate the loop's closing figures.
       */
      readonly type: 'handle_on_spot';
      readonly categoryKey: string;
      readonly deadline: Date;
      readonly handlerUserId: string;
      readonly note: string;
      readonly afterPhotoIds: readonly string[];
      readonly noPhotoReason?: string;
    };

export type ActionOf<T extends ActionType> = Extract<CaseAction, { type: T }>;

// ---------------------------------------------------------------------------------------------------
// Who may fire what

/**
 * The roles that may fire each action. This is data for `accounts/authorisation.ts`; on top of the
 * role, each role ties the actor to the case as `ROLE_LINK` says (a department_handler may sign only
 * for its own organisation's case, a resident may rate only their own report).
 *
 * Choices worth knowing:
 * - suspend is the dispatcher's, not the unit's: a stopped clock is a favour to the unit being
 *   measured, so, like an extension, it is granted by the street, never taken. Resuming only restarts
 *   the unit's own clock, so the unit may do that itself.
 * - feedback comes from those who did the work. For tier 3 a summoned unit reports the joint result;
 *   the street does not, because it is the one that accepts it.
 * - verification by the reporter (resident, volunteer) is allowed only where the district configures
 *   it (SPEC §4.6); that setting is checked by the service, not here.
 * - rate is also open to the dispatcher to record the answer given on the follow-up call (回访).
 * - leader (read-only) and system_admin (technical) fire no case actions.
 */
const dispatchers: readonly Role[] = ['street_dispatcher', 'district_admin'];
const units: readonly Role[] = ['department_handler', 'contractor'];
const handlers: readonly Role[] = ['department_handler', 'contractor', 'grid_worker', 'alley_chief'];
const reporters: readonly Role[] = ['resident', 'volunteer'];

export const ACTION_ROLES: Readonly<Record<ActionType, readonly Role[]>> = {
  accept: dispatchers,
  reject: dispatchers,
  merge: dispatchers,
  dispatch: dispatchers,
  redispatch: dispatchers,
  sign: units,
  // Tier-1 handlers escalate a matter they cannot settle on the spot by sending it back.
  send_back: handlers,
  report_in: units,
  feedback: handlers,
  verify_pass: ['inspector', ...reporters],
  verify_fail: ['inspector', ...reporters],
  accept_joint_action: dispatchers,
  refuse_joint_action: dispatchers,
  reopen: reporters,
  rate: [...reporters, 'street_dispatcher'],
  extension_request: handlers,
  extension_approve: dispatchers,
  extension_refuse: dispatchers,
  suspend: dispatchers,
  resume: [...dispatchers, ...handlers],
  supervise: dispatchers,
  // Only those who walk their alleys fix on the spot what they found themselves (ROLE_LINK aside: the
  // service ties the actor to the case as its reporter).
  handle_on_spot: ['alley_chief', 'grid_worker', 'contractor'],
};

/**
 * What ties an actor of a given role to a case, on top of the role:
 * - `in_scope`: the case lies inside the actor's jurisdiction;
 * - `assigned`: the actor is the tier-1 handler, or belongs to the tier-2 unit or a summoned tier-3 unit;
 * - `reporter`: the actor reported the case.
 */
export type CaseLink = 'in_scope' | 'assigned' | 'reporter';

export const ROLE_LINK: Readonly<Partial<Record<Role, CaseLink>>> = {
  street_dispatcher: 'in_scope',
  district_admin: 'in_scope',
  inspector: 'in_scope',
  department_handler: 'assigned',
  contractor: 'assigned',
  grid_worker: 'assigned',
  alley_chief: 'assigned',
  resident: 'reporter',
  volunteer: 'reporter',
};

// ---------------------------------------------------------------------------------------------------
// Transition

export interface TransitionContext {
  readonly now: Date;
  /** Calendar days after closing during which the reporter may reopen; 0 turns reopening off. */
  readonly reopenWindowDays: number;
}

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

export interface CaseEvent {
  readonly from: CaseState;
  readonly to: CaseState;
  readonly action: ActionType;
  readonly at: Instant;
  readonly reason?: string;
  readonly payload: { readonly [k: string]: JsonValue };
}

export type TransitionErrorCode = 'TRANSITION_NOT_ALLOWED' | 'VALIDATION_FAILED';

export type TransitionResult =
  | { readonly ok: true; readonly next: CaseSnapshot; readonly event: CaseEvent }
  | {
      readonly ok: false;
      readonly code: TransitionErrorCode;
      readonly message: string;
      readonly field?: string;
    };

interface Invalid {
  readonly field: string;
  readonly message: string;
}

interface Applied {
  readonly next: CaseSnapshot;
  readonly reason?: string;
  readonly payload?: { readonly [k: string]: JsonValue };
}

interface Rule<A extends CaseAction> {
  /** Why the action cannot be fired from this snapshot whatever its fields, or null when it can. */
  refusal(s: CaseSnapshot, ctx: TransitionContext): string | null;
  /** The first field that is wrong, in the order a form shows them. */
  validate(a: A, s: CaseSnapshot, ctx: TransitionContext): Invalid | null;
  apply(s: CaseSnapshot, a: A, ctx: TransitionContext): Applied;
}

type Rules = { readonly [T in ActionType]: Rule<ActionOf<T>> };

const DAY_MS = 86_400_000;

const onlyFrom =
  (...states: CaseState[]) =>
  (s: CaseSnapshot): string | null =>
    states.includes(s.state)
      ? null
      : `not possible while the case is ${s.state} (only when ${states.join(' or ')})`;

const none = (): Invalid | null => null;

const RULES: Rules = {
  accept: {
    refusal: onlyFrom('reported'),
    validate: (a) => text(a.categoryKey, 'categoryKey') ?? date(a.deadline, 'deadline'),
    apply: (s, a) => ({
      next: {
        ...s,
        state: 'accepted',
        categoryKey: a.categoryKey.trim(),
        deadline: a.deadline.toISOString(),
        originalDeadline: a.deadline.toISOString(),
      },
      payload: { categoryKey: a.categoryKey.trim(), deadline: a.deadline.toISOString() },
    }),
  },

  reject: {
    refusal: onlyFrom('reported'),
    validate: (a) => oneOf(a.reason, REJECT_REASONS, 'reason') ?? optionalText(a.note, 'note'),
    apply: (s, a) => ({
      next: { ...s, state: 'rejected', rejectReason: a.reason },
      reason: a.reason,
      payload: withOptional({}, { note: a.note }),
    }),
  },

  // Only a report awaiting filing is merged (SPEC §4.2); whether the target exists and is open, and is
  // not this case, needs the database and is the service's check.
  merge: {
    refusal: onlyFrom('reported'),
    validate: (a) => text(a.targetCaseId, 'targetCaseId'),
    apply: (s, a) => ({
      next: { ...s, state: 'merged', mergedInto: a.targetCaseId },
      payload: { targetCaseId: a.targetCaseId },
    }),
  },

  dispatch: {
    refusal: onlyFrom('accepted'),
    validate: (a) => dispatchTarget(a) ?? optionalDate(a.responseDeadline, 'responseDeadline'),
    apply: (s, a) => dispatchTo(s, a, undefined),
  },

  // Also from `dispatched` (the dispatcher changes their mind before the unit signs) and from
  // `joint_action` (the street summons more units, or finds the whistle was not needed).
  // And from `handling` at tier 1: nobody signs for a tier-1 case, so a handler who cannot act (left,
  // or named wrongly) would strand it; the street desk takes it back by redispatching it.
  redispatch: {
    refusal: (s) =>
      s.state === 'handling' && s.tier === 1 ? null : onlyFrom('returned', 'dispatched', 'joint_action')(s),
    validate: (a) =>
      dispatchTarget(a) ??
      optionalText(a.note, 'note') ??
      optionalDate(a.responseDeadline, 'responseDeadline'),
    apply: (s, a) => dispatchTo(s, a, a.note),
  },

  sign: {
    refusal: onlyFrom('dispatched'),
    validate: none,
    apply: (s) => ({ next: { ...s, state: 'handling', ...responded() } }),
  },

  // A unit may decline before signing, or after signing once the work shows the case is not its own;
  // a tier-1 handler sends back to escalate. Tier 3 cannot be sent back: "事不完，人不走".
  send_back: {
    refusal: onlyFrom('dispatched', 'handling'),
    validate: (a) => text(a.reason, 'reason'),
    apply: (s, a) => ({
      next: {
        ...s,
        state: 'returned',
        tier: null,
        assignment: null,
        pendingExtension: null,
        returnCount: s.returnCount + 1,
        ...responded(),
      },
      reason: a.reason.trim(),
      payload: { previousTier: s.tier, previousAssignment: assignmentJson(s.assignment), ...lapsed(s) },
    }),
  },

  report_in: {
    refusal: onlyFrom('joint_action'),
    validate: (a, s) => {
      const bad = text(a.unitId, 'unitId');
      if (bad) return bad;
      const joint = s.assignment?.kind === 'joint' ? s.assignment : null;
      if (!joint?.unitIds.includes(a.unitId))
        return { field: 'unitId', message: 'this unit was not summoned' };
      if (joint.reportedIn.includes(a.unitId))
        return { field: 'unitId', message: 'this unit has already reported in' };
      return null;
    },
    apply: (s, a) => {
      const joint = s.assignment as Extract<Assignment, { kind: 'joint' }>;
      const reported = [...joint.reportedIn, a.unitId];
      // The response deadline stays while a summoned unit is still awaited.
      const all = joint.unitIds.every((u) => reported.includes(u));
      return {
        next: { ...s, assignment: { ...joint, reportedIn: reported }, ...(all && responded()) },
        payload: { unitId: a.unitId },
      };
    },
  },

  feedback: {
    refusal: (s) => {
      const from = onlyFrom('handling', 'joint_action')(s);
      if (from) return from;
      const joint = s.assignment?.kind === 'joint' ? s.assignment : null;
      const missing = joint ? joint.unitIds.filter((u) => !joint.reportedIn.includes(u)) : [];
      if (missing.length > 0)
        return `not every summoned unit has reported in (missing: ${missing.join(', ')})`;
      return null;
    },
    validate: (a) => {
      const bad = text(a.note, 'note');
      if (bad) return bad;
      if (
        !Array.isArray(a.afterPhotoIds) ||
        a.afterPhotoIds.some((p) => typeof p !== 'string' || p.trim() === '')
      ) {
        return { field: 'afterPhotoIds', message: 'must be a list of photo ids' };
      }
      if (a.afterPhotoIds.length === 0 && !isText(a.noPhotoReason)) {
        return { field: 'afterPhotoIds', message: 'at least one after-photo, or a reason why there is none' };
      }
      return optionalText(a.noPhotoReason, 'noPhotoReason');
    },
    apply: (s, a) => ({
      next: {
        ...s,
        state: s.state === 'joint_action' ? 'awaiting_acceptance' : 'awaiting_verification',
        pendingExtension: null,
      },
      payload: withOptional(
        { note: a.note.trim(), afterPhotoIds: [...a.afterPhotoIds], ...lapsed(s) },
        { noPhotoReason: a.afterPhotoIds.length === 0 ? a.noPhotoReason?.trim() : undefined },
      ),
    }),
  },

  verify_pass: {
    refusal: onlyFrom('awaiting_verification'),
    validate: (a) => optionalText(a.note, 'note'),
    apply: (s, a, ctx) => ({
      next: { ...s, state: 'closed', closedAt: ctx.now.toISOString() },
      payload: withOptional({}, { note: a.note }),
    }),
  },

  verify_fail: {
    refusal: onlyFrom('awaiting_verification'),
    validate: (a) => text(a.reason, 'reason'),
    apply: (s, a) => ({
      next: { ...s, state: 'handling', reworkCount: s.reworkCount + 1 },
      reason: a.reason.trim(),
      payload: { reworkCount: s.reworkCount + 1 },
    }),
  },

  accept_joint_action: {
    refusal: onlyFrom('awaiting_acceptance'),
    validate: (a) => optionalText(a.note, 'note'),
    apply: (s, a, ctx) => ({
      next: { ...s, state: 'closed', closedAt: ctx.now.toISOString() },
      payload: withOptional({}, { note: a.note }),
    }),
  },

  refuse_joint_action: {
    refusal: onlyFrom('awaiting_acceptance'),
    validate: (a) => text(a.reason, 'reason'),
    apply: (s, a) => ({
      next: { ...s, state: 'joint_action', reworkCount: s.reworkCount + 1 },
      reason: a.reason.trim(),
      payload: { reworkCount: s.reworkCount + 1 },
    }),
  },

  /**
   * Reopening sends the case straight back to whoever handled it (handling, or joint_action for tier 3),
   * not to `accepted`: the reporter says the same problem at the same place is not fixed, and the
   * unit that closed it answers for that. If the unit finds it is not its matter after all, it sends
   * the case back to the dispatcher as usual. It is counted apart from rework (`reopenCount`): rework
   * is a failed check, a reopening is a claim not yet checked. A rating given before is cleared (the
   * trail keeps it) so that the next closing can be rated afresh.
   */
  reopen: {
    refusal: (s, ctx) => {
      const from = onlyFrom('closed')(s);
      if (from) return from;
      if (!(ctx.reopenWindowDays > 0)) return 'reopening is turned off';
      if (!withinReopenWindow(s, ctx))
        return `the ${ctx.reopenWindowDays}-day window for reopening has passed`;
      return null;
    },
    validate: (a, _s, ctx) => {
      const bad = text(a.reason, 'reason');
      if (bad || a.deadline === undefined) return bad;
      return date(a.deadline, 'deadline') ?? after(a.deadline, ctx.now, 'deadline', 'now');
    },
    apply: (s, a) => ({
      next: {
        ...s,
        state: s.assignment?.kind === 'joint' ? 'joint_action' : 'handling',
        closedAt: null,
        rating: null,
        reopenCount: s.reopenCount + 1,
        deadline: a.deadline ? a.deadline.toISOString() : s.deadline,
      },
      reason: a.reason.trim(),
      payload: withOptional(
        { closedAt: s.closedAt, previousRating: s.rating },
        { deadline: a.deadline?.toISOString() },
      ),
    }),
  },

  /**
   * One rating per closing; a rating is not edited. A reporter who is dissatisfied reopens instead,
   * which clears the rating so the outcome of the rework can be rated — the satisfaction rate counts
   * the result people were left with, and the trail keeps every rating ever given.
   */
  rate: {
    refusal: (s) => onlyFrom('closed')(s) ?? (s.rating ? 'the case has already been rated' : null),
    validate: (a) =>
      oneOf(a.rating, RATINGS, 'rating') ??
      optionalText(a.comment, 'comment') ??
      (a.via === undefined ? null : oneOf(a.via, ['reporter', 'follow_up_call'] as const, 'via')),
    apply: (s, a) => ({
      next: { ...s, rating: a.rating },
      payload: withOptional({ rating: a.rating, via: a.via ?? 'reporter' }, { comment: a.comment }),
    }),
  },

  // Only while a unit is at work and not suspended: a suspended clock does not run out.
  extension_request: {
    refusal: (s) =>
      onlyFrom('handling', 'joint_action')(s) ??
      (s.pendingExtension ? 'an extension request is already awaiting a decision' : null),
    validate: (a, s) =>
      date(a.requestedDeadline, 'requestedDeadline') ??
      after(a.requestedDeadline, new Date(s.deadline ?? 0), 'requestedDeadline', 'the current deadline') ??
      text(a.reason, 'reason'),
    apply: (s, a, ctx) => ({
      next: {
        ...s,
        pendingExtension: {
          requestedDeadline: a.requestedDeadline.toISOString(),
          reason: a.reason.trim(),
          requestedAt: ctx.now.toISOString(),
        },
      },
      reason: a.reason.trim(),
      payload: { requestedDeadline: a.requestedDeadline.toISOString(), deadline: s.deadline },
    }),
  },

  // A decision may be taken while the case is suspended: it concerns the deadline, not the work.
  extension_approve: {
    refusal: (s) => (s.pendingExtension ? null : 'there is no extension request to decide'),
    validate: (a, s) =>
      (a.deadline === undefined
        ? null
        : (date(a.deadline, 'deadline') ??
          after(a.deadline, new Date(s.deadline ?? 0), 'deadline', 'the current deadline'))) ??
      optionalText(a.note, 'note'),
    apply: (s, a) => {
      const granted = a.deadline ? a.deadline.toISOString() : (s.pendingExtension?.requestedDeadline ?? null);
      return {
        next: { ...s, deadline: granted, pendingExtension: null, extensionCount: s.extensionCount + 1 },
        payload: withOptional(
          {
            previousDeadline: s.deadline,
            deadline: granted,
            originalDeadline: s.originalDeadline,
            requestedDeadline: s.pendingExtension?.requestedDeadline ?? null,
          },
          { note: a.note },
        ),
      };
    },
  },

  extension_refuse: {
    refusal: (s) => (s.pendingExtension ? null : 'there is no extension request to decide'),
    validate: (a) => text(a.reason, 'reason'),
    apply: (s, a) => ({
      next: { ...s, pendingExtension: null },
      reason: a.reason.trim(),
      payload: { requestedDeadline: s.pendingExtension?.requestedDeadline ?? null },
    }),
  },

  suspend: {
    refusal: onlyFrom(...SUSPENDABLE_STATES),
    validate: (a) => text(a.reason, 'reason'),
    apply: (s, a, ctx) => ({
      next: {
        ...s,
        state: 'suspended',
        suspendedFrom: s.state as SuspendableState,
        suspendedAt: ctx.now.toISOString(),
        suspensionReason: a.reason.trim(),
      },
      reason: a.reason.trim(),
      payload: {},
    }),
  },

  // The event carries the wall-clock length; the service turns it into working time with the calendar.
  resume: {
    refusal: onlyFrom('suspended'),
    validate: (a) => optionalText(a.note, 'note'),
    apply: (s, a, ctx) => ({
      next: {
        ...s,
        state: s.suspendedFrom ?? 'accepted',
        suspendedFrom: null,
        suspendedAt: null,
        suspensionReason: null,
      },
      payload: withOptional(
        {
          suspendedAt: s.suspendedAt,
          suspendedMs: s.suspendedAt ? Math.max(0, ctx.now.getTime() - Date.parse(s.suspendedAt)) : 0,
          suspensionReason: s.suspensionReason,
        },
        { note: a.note },
      ),
    }),
  },

  supervise: {
    refusal: (s) => (isOpen(s) ? null : `a ${s.state} case is not open`),
    validate: (a) => optionalText(a.note, 'note'),
    apply: (s, a) => ({
      next: { ...s, superviseCount: s.superviseCount + 1 },
      payload: withOptional({ superviseCount: s.superviseCount + 1 }, { note: a.note }),
    }),
  },

  // Files, handles at tier 1 and closes at once: the finder fixed it on the spot.
  handle_on_spot: {
    refusal: onlyFrom('reported'),
    validate: (a) =>
      text(a.categoryKey, 'categoryKey') ??
      date(a.deadline, 'deadline') ??
      text(a.handlerUserId, 'handlerUserId') ??
      text(a.note, 'note') ??
      (!Array.isArray(a.afterPhotoIds) ||
      a.afterPhotoIds.some((p) => typeof p !== 'string' || p.trim() === '')
        ? { field: 'afterPhotoIds', message: 'must be a list of photo ids' }
        : a.afterPhotoIds.length === 0 && !isText(a.noPhotoReason)
          ? { field: 'afterPhotoIds', message: 'at least one after-photo, or a reason why there is none' }
          : optionalText(a.noPhotoReason, 'noPhotoReason')),
    apply: (s, a, ctx) => ({
      next: {
        ...s,
        state: 'closed',
        categoryKey: a.categoryKey.trim(),
        tier: 1,
        assignment: { kind: 'handler', userId: a.handlerUserId },
        deadline: a.deadline.toISOString(),
        originalDeadline: a.deadline.toISOString(),
        closedAt: ctx.now.toISOString(),
      },
      payload: withOptional(
        {
          categoryKey: a.categoryKey.trim(),
          handlerUserId: a.handlerUserId,
          note: a.note.trim(),
          afterPhotoIds: [...a.afterPhotoIds],
          onSpot: true,
        },
        { noPhotoReason: a.afterPhotoIds.length === 0 ? a.noPhotoReason?.trim() : undefined },
      ),
    }),
  },
};

function ruleFor<A extends CaseAction>(a: A): Rule<A> {
  return RULES[a.type] as unknown as Rule<A>;
}

function isActionType(value: unknown): value is ActionType {
  return typeof value === 'string' && (ACTION_TYPES as readonly string[]).includes(value);
}

/**
 * Applies one action. Refuses with TRANSITION_NOT_ALLOWED when the action cannot be fired from this
 * snapshot at all (exactly when `allowedActions` leaves it out), and with VALIDATION_FAILED, naming the
 * field, when it could be but a field is missing or wrong. Never throws on bad input: actions arrive
 * from HTTP bodies and imports.
 */
export function transition(
  snapshot: CaseSnapshot,
  action: CaseAction,
  context: TransitionContext,
): TransitionResult {
  if (!isActionType((action as { type?: unknown }).type)) {
    return { ok: false, code: 'VALIDATION_FAILED', message: 'unknown action', field: 'type' };
  }
  if (Number.isNaN(context.now.getTime())) {
    return { ok: false, code: 'VALIDATION_FAILED', message: 'now is not a valid date', field: 'now' };
  }
  const rule = ruleFor(action);
  const refusal = rule.refusal(snapshot, context);
  if (refusal !== null) {
    return { ok: false, code: 'TRANSITION_NOT_ALLOWED', message: `${action.type}: ${refusal}` };
  }
  const invalid = rule.validate(action, snapshot, context);
  if (invalid) {
    return {
      ok: false,
      code: 'VALIDATION_FAILED',
      message: `${action.type}: ${invalid.field} ${invalid.message}`,
      field: invalid.field,
    };
  }
  const { next, reason, payload } = rule.apply(snapshot, action, context);
  const event: CaseEvent = {
    from: snapshot.state,
    to: next.state,
    action: action.type,
    at: context.now.toISOString(),
    ...(reason === undefined ? {} : { reason }),
    payload: payload ?? {},
  };
  return { ok: true, next, event };
}

/** The actions that can be fired from this snapshot, whatever their fields: what a UI offers. */
export function allowedActions(snapshot: CaseSnapshot, context: TransitionContext): ActionType[] {
  return ACTION_TYPES.filter((t) => RULES[t].refusal(snapshot, context) === null);
}

// ---------------------------------------------------------------------------------------------------
// Invariants

/**
 * Every rule a snapshot must obey, as sentences; empty when valid. The service can run it on a
 * snapshot read back from the database, and the property tests run it after every transition.
 */
export function snapshotProblems(s: CaseSnapshot): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const effective = workingState(s);
  const filed = !['reported', 'rejected', 'merged'].includes(s.state);

  check((CASE_STATES as readonly string[]).includes(s.state), 'unknown state');
  for (const key of [
    'extensionCount',
    'reworkCount',
    'returnCount',
    'reopenCount',
    'superviseCount',
  ] as const) {
    check(Number.isInteger(s[key]) && s[key] >= 0, `${key} must be a whole number ≥ 0`);
  }
  check((s.state === 'rejected') === (s.rejectReason !== null), 'rejected ⇔ rejectReason');
  check((s.state === 'merged') === (s.mergedInto !== null), 'merged ⇔ mergedInto');
  check(filed === (s.categoryKey !== null), 'filed ⇔ categoryKey');
  check(filed === (s.deadline !== null) && filed === (s.originalDeadline !== null), 'filed ⇔ deadlines');
  check(isInstantOrNull(s.deadline) && isInstantOrNull(s.originalDeadline), 'deadlines must be instants');

  check((s.state === 'closed') === (s.closedAt !== null), 'closed ⇔ closedAt');
  check(isInstantOrNull(s.closedAt), 'closedAt must be an instant');
  check(s.rating === null || s.state === 'closed', 'a rating only on a closed case');

  const suspended = s.state === 'suspended';
  check(
    suspended === (s.suspendedFrom !== null) &&
      suspended === (s.suspendedAt !== null) &&
      suspended === (s.suspensionReason !== null),
    'suspended ⇔ suspendedFrom, suspendedAt and suspensionReason',
  );
  check(
    s.suspendedFrom === null || (SUSPENDABLE_STATES as readonly string[]).includes(s.suspendedFrom),
    'suspendedFrom must be a suspendable state',
  );
  check(isInstantOrNull(s.suspendedAt), 'suspendedAt must be an instant');

  // Who holds the case follows from where it is.
  const expectedTier: Record<CaseState, readonly (Tier | null)[]> = {
    reported: [null],
    rejected: [null],
    merged: [null],
    accepted: [null],
    returned: [null],
    dispatched: [2],
    handling: [1, 2],
    awaiting_verification: [1, 2],
    joint_action: [3],
    awaiting_acceptance: [3],
    closed: [1, 2, 3],
    suspended: [],
  };
  check(expectedTier[effective].includes(s.tier), `a ${effective} case cannot be at tier ${s.tier}`);
  const kind = s.assignment?.kind ?? null;
  check(
    (s.tier === null && kind === null) ||
      (s.tier === 1 && kind === 'handler') ||
      (s.tier === 2 && kind === 'unit') ||
      (s.tier === 3 && kind === 'joint'),
    'the assignment must match the tier',
  );
  if (s.assignment?.kind === 'joint') {
    const { unitIds, reportedIn } = s.assignment;
    check(
      unitIds.length > 0 && new Set(unitIds).size === unitIds.length,
      'summoned units: at least one, no repeats',
    );
    check(
      new Set(reportedIn).size === reportedIn.length && reportedIn.every((u) => unitIds.includes(u)),
      'only summoned units report in, once each',
    );
    if (effective === 'awaiting_acceptance' || s.state === 'closed') {
      check(reportedIn.length === unitIds.length, 'every summoned unit reported in before the result');
    }
  }

  check(
    s.pendingExtension === null || effective === 'handling' || effective === 'joint_action',
    'an extension request is pending only while a unit is at work',
  );
  check(
    s.pendingExtension === null ||
      (isInstantOrNull(s.pendingExtension.requestedDeadline) &&
        isInstantOrNull(s.pendingExtension.requestedAt)),
    'the pending extension must carry instants',
  );
  check(s.extensionCount === 0 || filed, 'extensions only on a filed case');
  return problems;
}

export function isValidSnapshot(s: CaseSnapshot): boolean {
  return snapshotProblems(s).length === 0;
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function text(value: unknown, field: string): Invalid | null {
  return isText(value) ? null : { field, message: 'is required' };
}

function optionalText(value: unknown, field: string): Invalid | null {
  return value === undefined || typeof value === 'string' ? null : { field, message: 'must be text' };
}

function optionalDate(value: unknown, field: string): Invalid | null {
  return value === undefined ? null : date(value, field);
}

/** Nobody is awaited any more: the response deadline is met (or moot) and its overdue mark goes with it. */
function responded(): Pick<CaseSnapshot, 'responseDeadline' | 'responseOverdue'> {
  return { responseDeadline: null, responseOverdue: false };
}

function date(value: unknown, field: string): Invalid | null {
  return value instanceof Date && !Number.isNaN(value.getTime())
    ? null
    : { field, message: 'must be a valid date' };
}

function after(value: Date, bound: Date, field: string, boundName: string): Invalid | null {
  return value.getTime() > bound.getTime() ? null : { field, message: `must be after ${boundName}` };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): Invalid | null {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? null
    : { field, message: `must be one of ${allowed.join(', ')}` };
}

function isInstantOrNull(value: string | null): boolean {
  return value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));
}

function reportedIn(s: CaseSnapshot): readonly string[] {
  return s.assignment?.kind === 'joint' ? s.assignment.reportedIn : [];
}

function withinReopenWindow(s: CaseSnapshot, ctx: TransitionContext): boolean {
  return s.closedAt !== null && ctx.now.getTime() <= Date.parse(s.closedAt) + ctx.reopenWindowDays * DAY_MS;
}

/** Adds the optional entries that are present; JSON has no `undefined`. */
function withOptional(
  base: { readonly [k: string]: JsonValue },
  optional: { readonly [k: string]: JsonValue | undefined },
): { [k: string]: JsonValue } {
  const out: { [k: string]: JsonValue } = { ...base };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) out[k] = v;
  return out;
}

/** Marks in the event that a pending extension request died with the assignment it belonged to. */
function lapsed(s: CaseSnapshot): { [k: string]: JsonValue } {
  return s.pendingExtension ? { lapsedExtension: { ...s.pendingExtension } } : {};
}

function assignmentJson(a: Assignment | null): JsonValue {
  if (a === null) return null;
  if (a.kind === 'joint') return { kind: a.kind, unitIds: [...a.unitIds], reportedIn: [...a.reportedIn] };
  return { ...a };
}

function dispatchTarget(a: DispatchTarget): Invalid | null {
  switch (a.tier) {
    case 1:
      return text(a.handlerUserId, 'handlerUserId');
    case 2:
      return text(a.unitId, 'unitId');
    case 3: {
      const ids: unknown = a.unitIds;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every(isText)) {
        return { field: 'unitIds', message: 'at least one unit to summon' };
      }
      return new Set(ids).size === ids.length
        ? null
        : { field: 'unitIds', message: 'a unit is summoned once' };
    }
    default:
      return { field: 'tier', message: 'must be 1, 2 or 3' };
  }
}

function dispatchTo(
  s: CaseSnapshot,
  a: DispatchTarget & { readonly responseDeadline?: Date },
  note: string | undefined,
): Applied {
  let assignment: Assignment;
  let state: CaseState;
  switch (a.tier) {
    case 1:
      assignment = { kind: 'handler', userId: a.handlerUserId };
      state = 'handling';
      break;
    case 2:
      assignment = { kind: 'unit', unitId: a.unitId };
      state = 'dispatched';
      break;
    case 3: {
      // Units already at the table keep their report-in when the street summons more.
      const kept = reportedIn(s).filter((u) => a.unitIds.includes(u));
      assignment = { kind: 'joint', unitIds: [...a.unitIds], reportedIn: kept };
      state = 'joint_action';
      break;
    }
  }
  // A tier-1 handler has nothing to sign for; at tiers 2 and 3 the dispatch starts the response clock
  // (签收 / 报到), and a fresh dispatch starts it afresh.
  const awaited = a.tier !== 1 && a.responseDeadline !== undefined;
  const responseDeadline = awaited ? (a.responseDeadline as Date).toISOString() : null;
  return {
    next: {
      ...s,
      state,
      tier: a.tier,
      assignment,
      pendingExtension: null,
      responseDeadline,
      responseOverdue: false,
    },
    payload: withOptional(
      {
        tier: a.tier,
        assignment: assignmentJson(assignment),
        previousAssignment: assignmentJson(s.assignment),
        ...lapsed(s),
      },
      { note, responseDeadline: responseDeadline ?? undefined },
    ),
  };
}
