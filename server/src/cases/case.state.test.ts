import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES } from '../accounts/roles.ts';
import {
  ACTION_ROLES,
  ACTION_TYPES,
  type ActionType,
  allowedActions,
  CASE_STATES,
  type CaseAction,
  type CaseEvent,
  type CaseSnapshot,
  type CaseState,
  initialSnapshot,
  isValidSnapshot,
  RATINGS,
  REJECT_REASONS,
  ROLE_LINK,
  snapshotProblems,
  type TransitionContext,
  type TransitionResult,
  transition,
} from './case.state.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = new Date('2025-11-17T01:00:00Z');
const DEADLINE = new Date('2025-11-20T09:30:00Z');

const ctxAt = (now: Date, reopenWindowDays = 7): TransitionContext => ({ now, reopenWindowDays });

function ok(r: TransitionResult): Extract<TransitionResult, { ok: true }> {
  if (!r.ok) throw new Error(`expected success, got ${r.code}: ${r.message}`);
  return r;
}

/** Applies actions one hour apart from `from`, failing the test on the first refusal. */
function run(actions: CaseAction[], from: CaseSnapshot = initialSnapshot(), start = T0) {
  let snapshot = from;
  let now = start;
  const events: CaseEvent[] = [];
  for (const action of actions) {
    const r = ok(transition(snapshot, action, ctxAt(now)));
    expect(snapshotProblems(r.next)).toEqual([]);
    snapshot = r.next;
    events.push(r.event);
    now = new Date(now.getTime() + HOUR);
  }
  return { snapshot, events, now };
}

const accept: CaseAction = { type: 'accept', categoryKey: 'event:06001', deadline: DEADLINE };
const tier1: CaseAction = { type: 'dispatch', tier: 1, handlerUserId: 'user-grid-1' };
const tier2: CaseAction = { type: 'dispatch', tier: 2, unitId: 'org-cleaning' };
const tier3: CaseAction = { type: 'dispatch', tier: 3, unitIds: ['org-chengguan', 'org-fangguan'] };
const feedback: CaseAction = { type: 'feedback', note: 'cleared', afterPhotoIds: ['photo-1'] };
const accepted = () => run([accept]).snapshot;
const handlingTier2 = () => run([accept, tier2, { type: 'sign' }]).snapshot;
const closedTier2 = () => run([accept, tier2, { type: 'sign' }, feedback, { type: 'verify_pass' }]);

function refusedWith(
  r: TransitionResult,
  code: 'TRANSITION_NOT_ALLOWED' | 'VALIDATION_FAILED',
  field?: string,
) {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.code).toBe(code);
  if (field !== undefined) expect(r.field).toBe(field);
}

describe('filing (立案)', () => {
  it('accepts a report with a category and a deadline', () => {
    const r = ok(transition(initialSnapshot(), accept, ctxAt(T0)));
    expect(r.next).toMatchObject({
      state: 'accepted',
      categoryKey: 'event:06001',
      deadline: DEADLINE.toISOString(),
      originalDeadline: DEADLINE.toISOString(),
    });
    expect(r.event).toEqual({
      from: 'reported',
      to: 'accepted',
      action: 'accept',
      at: T0.toISOString(),
      payload: { categoryKey: 'event:06001', deadline: DEADLINE.toISOString() },
    });
  });

  it('refuses to accept without a category or a valid deadline', () => {
    refusedWith(
      transition(initialSnapshot(), { ...accept, categoryKey: ' ' }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'categoryKey',
    );
    refusedWith(
      transition(initialSnapshot(), { ...accept, deadline: new Date(Number.NaN) }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'deadline',
    );
  });

  it.each(REJECT_REASONS)('rejects with the reason %s', (reason) => {
    const r = ok(transition(initialSnapshot(), { type: 'reject', reason, note: 'see 12345' }, ctxAt(T0)));
    expect(r.next).toMatchObject({ state: 'rejected', rejectReason: reason });
    expect(r.event).toMatchObject({ reason, payload: { note: 'see 12345' } });
  });

  it('refuses to reject without a known reason', () => {
    const bad = { type: 'reject', reason: 'bored' } as unknown as CaseAction;
    refusedWith(transition(initialSnapshot(), bad, ctxAt(T0)), 'VALIDATION_FAILED', 'reason');
  });

  it('merges into a target case', () => {
    const r = ok(transition(initialSnapshot(), { type: 'merge', targetCaseId: 'case_123' }, ctxAt(T0)));
    expect(r.next).toMatchObject({ state: 'merged', mergedInto: 'case_123' });
    refusedWith(
      transition(initialSnapshot(), { type: 'merge', targetCaseId: '' }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'targetCaseId',
    );
  });

  it('files a report only once', () => {
    for (const action of [
      accept,
      { type: 'reject', reason: 'duplicate' },
      { type: 'merge', targetCaseId: 'x' },
    ] as const) {
      refusedWith(transition(accepted(), action, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    }
  });

  it('lets nothing happen to a rejected or merged case', () => {
    const rejected = run([{ type: 'reject', reason: 'not_in_remit' }]).snapshot;
    const merged = run([{ type: 'merge', targetCaseId: 'case_1' }]).snapshot;
    for (const s of [rejected, merged]) {
      expect(allowedActions(s, ctxAt(T0))).toEqual([]);
      refusedWith(transition(s, { type: 'supervise' }, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
      refusedWith(transition(s, accept, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    }
  });
});

describe('dispatch by tier (三级过滤)', () => {
  it('tier 1 goes straight to handling by the grid worker', () => {
    const { snapshot } = run([accept, tier1]);
    expect(snapshot).toMatchObject({
      state: 'handling',
      tier: 1,
      assignment: { kind: 'handler', userId: 'user-grid-1' },
    });
    refusedWith(transition(snapshot, { type: 'sign' }, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
  });

  it('tier 2 waits for the unit to sign', () => {
    const { snapshot } = run([accept, tier2]);
    expect(snapshot).toMatchObject({
      state: 'dispatched',
      tier: 2,
      assignment: { kind: 'unit', unitId: 'org-cleaning' },
    });
    expect(ok(transition(snapshot, { type: 'sign' }, ctxAt(T0))).next.state).toBe('handling');
  });

  it('tier 3 blows the whistle and starts a joint action', () => {
    const { snapshot } = run([accept, tier3]);
    expect(snapshot).toMatchObject({
      state: 'joint_action',
      tier: 3,
      assignment: { kind: 'joint', unitIds: ['org-chengguan', 'org-fangguan'], reportedIn: [] },
    });
  });

  it('refuses a dispatch without its target', () => {
    const s = accepted();
    const bad = (a: unknown) => transition(s, a as CaseAction, ctxAt(T0));
    refusedWith(bad({ type: 'dispatch', tier: 1, handlerUserId: '' }), 'VALIDATION_FAILED', 'handlerUserId');
    refusedWith(bad({ type: 'dispatch', tier: 2 }), 'VALIDATION_FAILED', 'unitId');
    refusedWith(bad({ type: 'dispatch', tier: 3, unitIds: [] }), 'VALIDATION_FAILED', 'unitIds');
    refusedWith(bad({ type: 'dispatch', tier: 3, unitIds: ['a', 'a'] }), 'VALIDATION_FAILED', 'unitIds');
    refusedWith(bad({ type: 'dispatch', tier: 4, unitId: 'x' }), 'VALIDATION_FAILED', 'tier');
  });

  it('dispatches only a filed, undispatched case', () => {
    refusedWith(transition(initialSnapshot(), tier2, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    refusedWith(transition(handlingTier2(), tier2, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
  });
});

describe('sending back and redispatching (退单)', () => {
  it('a unit sends back before signing, with a reason; the dispatcher redispatches', () => {
    const { snapshot, events } = run([
      accept,
      tier2,
      { type: 'send_back', reason: 'gas main: not ours' },
      { type: 'redispatch', tier: 2, unitId: 'org-gas', note: 'to the gas company' },
    ]);
    expect(snapshot).toMatchObject({
      state: 'dispatched',
      returnCount: 1,
      assignment: { unitId: 'org-gas' },
    });
    expect(events[2]).toMatchObject({ from: 'dispatched', to: 'returned', reason: 'gas main: not ours' });
  });

  it('a tier-1 handler escalates by sending back; the dispatcher redispatches at tier 3', () => {
    const { snapshot } = run([
      accept,
      tier1,
      { type: 'send_back', reason: 'needs 城管 and 房管' },
      { type: 'redispatch', tier: 3, unitIds: ['org-chengguan', 'org-fangguan'] },
    ]);
    expect(snapshot).toMatchObject({ state: 'joint_action', tier: 3 });
  });

  it('requires a reason to send back', () => {
    const s = run([accept, tier2]).snapshot;
    refusedWith(transition(s, { type: 'send_back', reason: '' }, ctxAt(T0)), 'VALIDATION_FAILED', 'reason');
  });

  it('cannot send back a joint action or a case awaiting verification', () => {
    refusedWith(
      transition(run([accept, tier3]).snapshot, { type: 'send_back', reason: 'x' }, ctxAt(T0)),
      'TRANSITION_NOT_ALLOWED',
    );
    const awaiting = run([accept, tier1, feedback]).snapshot;
    refusedWith(
      transition(awaiting, { type: 'send_back', reason: 'x' }, ctxAt(T0)),
      'TRANSITION_NOT_ALLOWED',
    );
  });

  it('redispatch is for returned, dispatched and joint-action cases only', () => {
    const redispatch: CaseAction = { type: 'redispatch', tier: 2, unitId: 'org-b' };
    refusedWith(transition(accepted(), redispatch, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    refusedWith(transition(handlingTier2(), redispatch, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    expect(ok(transition(run([accept, tier2]).snapshot, redispatch, ctxAt(T0))).next.assignment).toEqual({
      kind: 'unit',
      unitId: 'org-b',
    });
  });
});

describe('feedback, verification and closing', () => {
  it('the full tier-2 loop closes and records when', () => {
    const { snapshot, events } = closedTier2();
    expect(snapshot.state).toBe('closed');
    expect(snapshot.closedAt).toBe(events.at(-1)?.at);
    expect(events.map((e) => e.action)).toEqual(['accept', 'dispatch', 'sign', 'feedback', 'verify_pass']);
  });

  it('feedback needs a note and an after-photo, or a reason for having none', () => {
    const s = handlingTier2();
    const fb = (a: Partial<Extract<CaseAction, { type: 'feedback' }>>) =>
      transition(s, { ...(feedback as Extract<CaseAction, { type: 'feedback' }>), ...a }, ctxAt(T0));
    refusedWith(fb({ note: '' }), 'VALIDATION_FAILED', 'note');
    refusedWith(fb({ afterPhotoIds: [] }), 'VALIDATION_FAILED', 'afterPhotoIds');
    refusedWith(fb({ afterPhotoIds: [''] }), 'VALIDATION_FAILED', 'afterPhotoIds');
    refusedWith(fb({ afterPhotoIds: [], noPhotoReason: '  ' }), 'VALIDATION_FAILED', 'afterPhotoIds');
    const r = ok(fb({ afterPhotoIds: [], noPhotoReason: 'inside a private courtyard' }));
    expect(r.next.state).toBe('awaiting_verification');
    expect(r.event.payload).toMatchObject({ afterPhotoIds: [], noPhotoReason: 'inside a private courtyard' });
  });

  it('a failed verification sends the case back to handling as counted rework', () => {
    const { snapshot, events } = run([
      accept,
      tier1,
      feedback,
      { type: 'verify_fail', reason: 'still there' },
      feedback,
      { type: 'verify_fail', reason: 'still there' },
      feedback,
      { type: 'verify_pass', note: 'gone' },
    ]);
    expect(snapshot).toMatchObject({ state: 'closed', reworkCount: 2 });
    expect(events[3]).toMatchObject({ from: 'awaiting_verification', to: 'handling', reason: 'still there' });
  });

  it('verify_fail needs a reason; verification needs feedback first', () => {
    const awaiting = run([accept, tier1, feedback]).snapshot;
    refusedWith(
      transition(awaiting, { type: 'verify_fail', reason: '' }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'reason',
    );
    refusedWith(transition(handlingTier2(), { type: 'verify_pass' }, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
  });
});

describe('joint action (吹哨报到)', () => {
  const [a, b] = ['org-chengguan', 'org-fangguan'];

  it('summoned units report in; the result waits for the street to accept it', () => {
    let s = run([accept, tier3]).snapshot;
    refusedWith(transition(s, feedback, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    expect(allowedActions(s, ctxAt(T0))).not.toContain('feedback');
    refusedWith(
      transition(s, { type: 'report_in', unitId: 'org-stranger' }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'unitId',
    );
    s = run([{ type: 'report_in', unitId: a }], s).snapshot;
    refusedWith(transition(s, { type: 'report_in', unitId: a }, ctxAt(T0)), 'VALIDATION_FAILED', 'unitId');
    const { snapshot, events } = run(
      [
        { type: 'report_in', unitId: b },
        feedback,
        { type: 'refuse_joint_action', reason: 'cables still hanging' },
        feedback,
        { type: 'accept_joint_action', note: '验收通过' },
      ],
      s,
    );
    expect(snapshot).toMatchObject({ state: 'closed', reworkCount: 1 });
    expect(events.map((e) => e.to)).toEqual([
      'joint_action',
      'awaiting_acceptance',
      'joint_action',
      'awaiting_acceptance',
      'closed',
    ]);
  });

  it('an inspector cannot verify a joint action, nor the street accept a tier-2 result', () => {
    const joint = run([
      accept,
      tier3,
      { type: 'report_in', unitId: a },
      { type: 'report_in', unitId: b },
      feedback,
    ]).snapshot;
    refusedWith(transition(joint, { type: 'verify_pass' }, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    const single = run([accept, tier1, feedback]).snapshot;
    refusedWith(transition(single, { type: 'accept_joint_action' }, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    refusedWith(
      transition(joint, { type: 'refuse_joint_action', reason: ' ' }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'reason',
    );
  });

  it('summoning more units keeps the report-ins of those already there', () => {
    const { snapshot } = run([
      accept,
      tier3,
      { type: 'report_in', unitId: a },
      { type: 'redispatch', tier: 3, unitIds: [a, b, 'org-power'] },
    ]);
    expect(snapshot.assignment).toEqual({ kind: 'joint', unitIds: [a, b, 'org-power'], reportedIn: [a] });
  });
});

describe('reopening and rating', () => {
  it('the reporter reopens within the window: back to handling, rating cleared, counted apart from rework', () => {
    const { snapshot, now } = closedTier2();
    const rated = ok(transition(snapshot, { type: 'rate', rating: 'dissatisfied' }, ctxAt(now))).next;
    const later = new Date(now.getTime() + 6 * DAY);
    const r = ok(transition(rated, { type: 'reopen', reason: 'garbage is back' }, ctxAt(later)));
    expect(r.next).toMatchObject({
      state: 'handling',
      closedAt: null,
      rating: null,
      reopenCount: 1,
      reworkCount: 0,
      assignment: { kind: 'unit', unitId: 'org-cleaning' },
    });
    expect(r.event).toMatchObject({ reason: 'garbage is back', payload: { previousRating: 'dissatisfied' } });
  });

  it('a reopened joint action goes back to the joint action', () => {
    const { snapshot, now } = run([
      accept,
      { type: 'dispatch', tier: 3, unitIds: ['u'] },
      { type: 'report_in', unitId: 'u' },
      feedback,
      { type: 'accept_joint_action' },
    ]);
    expect(ok(transition(snapshot, { type: 'reopen', reason: 'x' }, ctxAt(now))).next.state).toBe(
      'joint_action',
    );
  });

  it('refuses after the window, when reopening is off, or without a reason', () => {
    const { snapshot, events } = closedTier2();
    const closedAt = new Date(events.at(-1)!.at);
    const at = (days: number, window = 7) => ctxAt(new Date(closedAt.getTime() + days * DAY), window);
    expect(ok(transition(snapshot, { type: 'reopen', reason: 'x' }, at(7))).next.state).toBe('handling');
    refusedWith(transition(snapshot, { type: 'reopen', reason: 'x' }, at(7.01)), 'TRANSITION_NOT_ALLOWED');
    expect(allowedActions(snapshot, at(7.01))).not.toContain('reopen');
    refusedWith(transition(snapshot, { type: 'reopen', reason: 'x' }, at(0, 0)), 'TRANSITION_NOT_ALLOWED');
    refusedWith(transition(snapshot, { type: 'reopen', reason: '' }, at(1)), 'VALIDATION_FAILED', 'reason');
  });

  it('a reopening may set a fresh deadline, which must lie ahead', () => {
    const { snapshot, now } = closedTier2();
    const fresh = new Date(now.getTime() + 3 * DAY);
    const r = ok(transition(snapshot, { type: 'reopen', reason: 'x', deadline: fresh }, ctxAt(now)));
    expect(r.next).toMatchObject({ deadline: fresh.toISOString(), originalDeadline: DEADLINE.toISOString() });
    refusedWith(
      transition(
        snapshot,
        { type: 'reopen', reason: 'x', deadline: new Date(now.getTime() - 1) },
        ctxAt(now),
      ),
      'VALIDATION_FAILED',
      'deadline',
    );
  });

  it('rates a closed case once per closing', () => {
    const { snapshot, now } = closedTier2();
    refusedWith(
      transition(handlingTier2(), { type: 'rate', rating: 'satisfied' }, ctxAt(now)),
      'TRANSITION_NOT_ALLOWED',
    );
    refusedWith(
      transition(snapshot, { type: 'rate', rating: 'great' } as unknown as CaseAction, ctxAt(now)),
      'VALIDATION_FAILED',
      'rating',
    );
    const rated = ok(
      transition(
        snapshot,
        { type: 'rate', rating: 'basically_satisfied', via: 'follow_up_call' },
        ctxAt(now),
      ),
    );
    expect(rated.next.rating).toBe('basically_satisfied');
    expect(rated.event.payload).toMatchObject({ via: 'follow_up_call' });
    refusedWith(
      transition(rated.next, { type: 'rate', rating: 'satisfied' }, ctxAt(now)),
      'TRANSITION_NOT_ALLOWED',
    );
    // After a reopening and a new closing, the new result can be rated.
    const again = run(
      [
        { type: 'reopen', reason: 'back' },
        feedback,
        { type: 'verify_pass' },
        { type: 'rate', rating: 'satisfied' },
      ],
      rated.next,
      now,
    );
    expect(again.snapshot).toMatchObject({ state: 'closed', rating: 'satisfied', reopenCount: 1 });
  });
});

describe('extensions (延期)', () => {
  const later = new Date(DEADLINE.getTime() + 2 * DAY);

  it('a pending request is a flag: work goes on; approval keeps the original deadline', () => {
    const s = run(
      [{ type: 'extension_request', requestedDeadline: later, reason: 'awaiting parts' }],
      handlingTier2(),
    ).snapshot;
    expect(s).toMatchObject({
      state: 'handling',
      pendingExtension: { requestedDeadline: later.toISOString() },
    });
    refusedWith(
      transition(s, { type: 'extension_request', requestedDeadline: later, reason: 'again' }, ctxAt(T0)),
      'TRANSITION_NOT_ALLOWED',
    );
    const r = ok(transition(s, { type: 'extension_approve' }, ctxAt(T0)));
    expect(r.next).toMatchObject({
      deadline: later.toISOString(),
      originalDeadline: DEADLINE.toISOString(),
      pendingExtension: null,
      extensionCount: 1,
    });
    expect(r.event.payload).toMatchObject({
      previousDeadline: DEADLINE.toISOString(),
      deadline: later.toISOString(),
    });
  });

  it('the approver may grant a different deadline, but a later one', () => {
    const s = run(
      [{ type: 'extension_request', requestedDeadline: later, reason: 'x' }],
      handlingTier2(),
    ).snapshot;
    const shorter = new Date(DEADLINE.getTime() + DAY);
    expect(ok(transition(s, { type: 'extension_approve', deadline: shorter }, ctxAt(T0))).next.deadline).toBe(
      shorter.toISOString(),
    );
    refusedWith(
      transition(s, { type: 'extension_approve', deadline: DEADLINE }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'deadline',
    );
  });

  it('refusal clears the flag and keeps the deadline', () => {
    const s = run(
      [{ type: 'extension_request', requestedDeadline: later, reason: 'x' }],
      handlingTier2(),
    ).snapshot;
    refusedWith(
      transition(s, { type: 'extension_refuse', reason: '' }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'reason',
    );
    const r = ok(transition(s, { type: 'extension_refuse', reason: 'no' }, ctxAt(T0)));
    expect(r.next).toMatchObject({
      pendingExtension: null,
      deadline: DEADLINE.toISOString(),
      extensionCount: 0,
    });
  });

  it('refuses requests that do not move the deadline, and decisions with nothing pending', () => {
    const s = handlingTier2();
    refusedWith(
      transition(s, { type: 'extension_request', requestedDeadline: DEADLINE, reason: 'x' }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'requestedDeadline',
    );
    refusedWith(
      transition(s, { type: 'extension_request', requestedDeadline: later, reason: '' }, ctxAt(T0)),
      'VALIDATION_FAILED',
      'reason',
    );
    refusedWith(transition(s, { type: 'extension_approve' }, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    refusedWith(
      transition(s, { type: 'extension_refuse', reason: 'x' }, ctxAt(T0)),
      'TRANSITION_NOT_ALLOWED',
    );
    refusedWith(
      transition(
        run([accept, tier2]).snapshot,
        { type: 'extension_request', requestedDeadline: later, reason: 'x' },
        ctxAt(T0),
      ),
      'TRANSITION_NOT_ALLOWED',
    );
  });

  it('a pending request lapses with feedback, recorded in the event', () => {
    const s = run(
      [{ type: 'extension_request', requestedDeadline: later, reason: 'x' }],
      handlingTier2(),
    ).snapshot;
    const r = ok(transition(s, feedback, ctxAt(T0)));
    expect(r.next.pendingExtension).toBeNull();
    expect(r.event.payload).toHaveProperty('lapsedExtension');
  });
});

describe('suspension (挂起)', () => {
  it('stops with a reason and resumes to where it was', () => {
    const s = handlingTier2();
    refusedWith(transition(s, { type: 'suspend', reason: '' }, ctxAt(T0)), 'VALIDATION_FAILED', 'reason');
    const suspended = ok(transition(s, { type: 'suspend', reason: 'court ruling awaited' }, ctxAt(T0))).next;
    expect(suspended).toMatchObject({
      state: 'suspended',
      suspendedFrom: 'handling',
      suspendedAt: T0.toISOString(),
      suspensionReason: 'court ruling awaited',
    });
    expect(allowedActions(suspended, ctxAt(T0)).sort()).toEqual(['resume', 'supervise']);
    refusedWith(transition(suspended, feedback, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    refusedWith(
      transition(suspended, { type: 'suspend', reason: 'again' }, ctxAt(T0)),
      'TRANSITION_NOT_ALLOWED',
    );
    const resumed = ok(transition(suspended, { type: 'resume' }, ctxAt(new Date(T0.getTime() + 5 * HOUR))));
    expect(resumed.next).toMatchObject({ state: 'handling', suspendedFrom: null, suspendedAt: null });
    expect(resumed.event.payload).toMatchObject({ suspendedMs: 5 * HOUR, suspendedAt: T0.toISOString() });
  });

  it('an extension request may be decided while suspended', () => {
    const later = new Date(DEADLINE.getTime() + DAY);
    const s = run(
      [
        { type: 'extension_request', requestedDeadline: later, reason: 'x' },
        { type: 'suspend', reason: 'y' },
      ],
      handlingTier2(),
    ).snapshot;
    expect(ok(transition(s, { type: 'extension_approve' }, ctxAt(T0))).next).toMatchObject({
      state: 'suspended',
      deadline: later.toISOString(),
    });
  });

  it('cannot suspend a report, a closed case or a terminal one', () => {
    for (const s of [
      initialSnapshot(),
      closedTier2().snapshot,
      run([{ type: 'reject', reason: 'duplicate' }]).snapshot,
    ]) {
      refusedWith(transition(s, { type: 'suspend', reason: 'x' }, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
    }
    refusedWith(transition(handlingTier2(), { type: 'resume' }, ctxAt(T0)), 'TRANSITION_NOT_ALLOWED');
  });
});

describe('supervision (督办)', () => {
  it('counts on any open case without changing its state', () => {
    for (const s of [
      initialSnapshot(),
      accepted(),
      handlingTier2(),
      run([{ type: 'suspend', reason: 'x' }], accepted()).snapshot,
    ]) {
      const r = ok(transition(s, { type: 'supervise', note: 'overdue' }, ctxAt(T0)));
      expect(r.next).toEqual({ ...s, superviseCount: 1 });
      expect(r.event.from).toBe(r.event.to);
    }
    refusedWith(
      transition(closedTier2().snapshot, { type: 'supervise' }, ctxAt(T0)),
      'TRANSITION_NOT_ALLOWED',
    );
  });
});

describe('bad input', () => {
  it('names an unknown action instead of throwing', () => {
    refusedWith(
      transition(initialSnapshot(), { type: 'explode' } as unknown as CaseAction, ctxAt(T0)),
      'VALIDATION_FAILED',
      'type',
    );
  });

  it('refuses an invalid clock', () => {
    refusedWith(
      transition(initialSnapshot(), accept, ctxAt(new Date(Number.NaN))),
      'VALIDATION_FAILED',
      'now',
    );
  });

  it('spots broken snapshots', () => {
    const closed = closedTier2().snapshot;
    expect(isValidSnapshot(closed)).toBe(true);
    expect(isValidSnapshot({ ...closed, closedAt: null })).toBe(false);
    expect(isValidSnapshot({ ...handlingTier2(), rating: 'satisfied' })).toBe(false);
    expect(isValidSnapshot({ ...handlingTier2(), state: 'suspended' })).toBe(false);
    expect(isValidSnapshot({ ...handlingTier2(), tier: 3 })).toBe(false);
    expect(isValidSnapshot({ ...handlingTier2(), reworkCount: -1 })).toBe(false);
    expect(isValidSnapshot({ ...initialSnapshot(), state: 'rejected' })).toBe(false);
    expect(
      isValidSnapshot({
        ...accepted(),
        pendingExtension: { requestedDeadline: 'x', reason: 'r', requestedAt: 'y' },
      }),
    ).toBe(false);
  });
});

describe('ACTION_ROLES', () => {
  it('names at least one known role for every action, and none for leader or system_admin', () => {
    for (const type of ACTION_TYPES) {
      expect(ACTION_ROLES[type].length).toBeGreaterThan(0);
      for (const role of ACTION_ROLES[type]) expect(ROLES).toContain(role);
    }
    const used = new Set(Object.values(ACTION_ROLES).flat());
    expect(used.has('leader')).toBe(false);
    expect(used.has('system_admin')).toBe(false);
    for (const role of used) expect(ROLE_LINK[role]).toBeDefined();
  });

  it("keeps the dispatcher's powers with the street", () => {
    for (const type of [
      'accept',
      'reject',
      'merge',
      'dispatch',
      'redispatch',
      'supervise',
      'accept_joint_action',
      'extension_approve',
      'suspend',
    ] as const) {
      expect(ACTION_ROLES[type]).toEqual(['street_dispatcher', 'district_admin']);
    }
    expect(ACTION_ROLES.sign).toEqual(['department_handler', 'contractor']);
    expect(ACTION_ROLES.reopen).toContain('resident');
    expect(ACTION_ROLES.verify_pass).toContain('inspector');
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties

const UNITS = ['unit-a', 'unit-b', 'unit-c'];

/** A well-formed action of the given type for this snapshot; `variant` picks among the options. */
function validAction(type: ActionType, s: CaseSnapshot, now: Date, variant: number): CaseAction {
  const at = (ms: number) => new Date(now.getTime() + ms);
  const deadline = s.deadline ? Date.parse(s.deadline) : now.getTime();
  const target = ():
    | { tier: 1; handlerUserId: string }
    | { tier: 2; unitId: string }
    | { tier: 3; unitIds: string[] } => {
    switch (variant % 3) {
      case 0:
        return { tier: 1, handlerUserId: 'user-1' };
      case 1:
        return { tier: 2, unitId: UNITS[variant % UNITS.length]! };
      default:
        return { tier: 3, unitIds: UNITS.slice(0, 1 + (variant % UNITS.length)) };
    }
  };
  switch (type) {
    case 'accept':
      return { type, categoryKey: 'event:06001', deadline: at(3 * DAY) };
    case 'reject':
      return { type, reason: REJECT_REASONS[variant % REJECT_REASONS.length]! };
    case 'merge':
      return { type, targetCaseId: 'case-1' };
    case 'dispatch':
      return { type, ...target() };
    case 'redispatch':
      return { type, ...target() };
    case 'report_in': {
      const joint = s.assignment?.kind === 'joint' ? s.assignment : null;
      return { type, unitId: joint?.unitIds.find((u) => !joint.reportedIn.includes(u)) ?? UNITS[0]! };
    }
    case 'feedback':
      return variant % 2
        ? { type, note: 'done', afterPhotoIds: ['p1'] }
        : { type, note: 'done', afterPhotoIds: [], noPhotoReason: 'indoors' };
    case 'reopen':
      return variant % 2
        ? { type, reason: 'back again', deadline: at(2 * DAY) }
        : { type, reason: 'back again' };
    case 'rate':
      return { type, rating: RATINGS[variant % RATINGS.length]! };
    case 'extension_request':
      return { type, requestedDeadline: new Date(deadline + (1 + (variant % 5)) * HOUR), reason: 'parts' };
    case 'extension_approve':
      return variant % 2 ? { type } : { type, deadline: new Date(deadline + 30 * HOUR) };
    case 'send_back':
    case 'verify_fail':
    case 'refuse_joint_action':
    case 'extension_refuse':
    case 'suspend':
      return { type, reason: 'because' };
    case 'handle_on_spot':
      return variant % 2
        ? {
            type,
            categoryKey: 'event:06010',
            deadline: at(DAY),
            handlerUserId: 'user-1',
            note: 'fixed',
            afterPhotoIds: ['p1'],
          }
        : {
            type,
            categoryKey: 'event:06010',
            deadline: at(DAY),
            handlerUserId: 'user-1',
            note: 'fixed',
            afterPhotoIds: [],
            noPhotoReason: 'none',
          };
    case 'sign':
    case 'verify_pass':
    case 'accept_joint_action':
    case 'resume':
    case 'supervise':
      return { type };
  }
}

/** The same action with a field broken, where it has fields to break. */
function brokenAction(action: CaseAction, s: CaseSnapshot, variant: number): CaseAction {
  const broken = (extra: Record<string, unknown>) => ({ ...action, ...extra }) as unknown as CaseAction;
  const deadline = s.deadline ? Date.parse(s.deadline) : 0;
  switch (action.type) {
    case 'accept':
      return broken(variant % 2 ? { categoryKey: '' } : { deadline: new Date(Number.NaN) });
    case 'reject':
      return broken({ reason: 'whatever' });
    case 'merge':
      return broken({ targetCaseId: '' });
    case 'dispatch':
    case 'redispatch':
      return broken(variant % 2 ? { tier: 3, unitIds: [] } : { tier: 2, unitId: ' ' });
    case 'report_in':
      return broken({ unitId: 'stranger' });
    case 'feedback':
      return broken(variant % 2 ? { note: '' } : { afterPhotoIds: [], noPhotoReason: undefined });
    case 'reopen':
      return broken({ reason: '' });
    case 'handle_on_spot':
      return broken(variant % 2 ? { note: '' } : { afterPhotoIds: [], noPhotoReason: undefined });
    case 'rate':
      return broken({ rating: 'meh' });
    case 'extension_request':
      return broken({ requestedDeadline: new Date(deadline) });
    case 'extension_approve':
      return broken({ deadline: new Date(deadline - HOUR) });
    case 'send_back':
    case 'verify_fail':
    case 'refuse_joint_action':
    case 'extension_refuse':
    case 'suspend':
      return broken({ reason: '   ' });
    default:
      return action;
  }
}

interface Step {
  readonly guided: boolean;
  readonly broken: boolean;
  readonly pick: number;
  readonly variant: number;
  readonly gapMs: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  // Mostly follow the allowed actions so that walks get deep (closing, reopening, rating…).
  guided: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
  broken: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  pick: fc.nat(),
  variant: fc.nat(),
  gapMs: fc.integer({ min: 1, max: 4 * DAY }),
});

const walkArb = fc.record({
  steps: fc.array(stepArb, { minLength: 1, maxLength: 60, size: 'max' }),
  reopenWindowDays: fc.integer({ min: 0, max: 10 }),
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const DETOURS: ReadonlySet<ActionType> = new Set([
  'reject',
  'merge',
  'supervise',
  'suspend',
  'extension_request',
  'extension_refuse',
]);

const COUNTERS = ['reworkCount', 'returnCount', 'reopenCount', 'superviseCount', 'extensionCount'] as const;

/** Walks a case through random steps, checking every step; returns what it saw. */
function walk(steps: readonly Step[], reopenWindowDays: number) {
  let s = deepFreeze(initialSnapshot());
  let now = T0;
  const events: CaseEvent[] = [];
  const visited = new Set<CaseState>([s.state]);
  const fired = new Set<ActionType>();
  for (const step of steps) {
    now = new Date(now.getTime() + step.gapMs);
    const ctx = ctxAt(now, reopenWindowDays);
    const allowed = allowedActions(s, ctx);
    // Detours (ending at filing, supervision, suspension, extension requests) are picked less often so
    // that walks get round the loop, yet each still happens often.
    const forward = allowed.filter((t) => !DETOURS.has(t));
    const choices = step.pick % 3 === 0 || forward.length === 0 ? allowed : forward;
    const type =
      step.guided && choices.length > 0
        ? choices[Math.floor(step.pick / 3) % choices.length]!
        : ACTION_TYPES[step.pick % ACTION_TYPES.length]!;
    const valid = validAction(type, s, now, step.variant);
    const action = step.broken ? brokenAction(valid, s, step.variant) : valid;
    const r = transition(s, action, ctx);

    // allowedActions and transition agree on what is possible.
    if (!allowed.includes(type)) {
      expect(r).toMatchObject({ ok: false, code: 'TRANSITION_NOT_ALLOWED' });
      continue;
    }
    if (!r.ok) {
      expect(r.code).toBe('VALIDATION_FAILED');
      // A well-formed action fails validation only when every summoned unit has already reported in.
      if (action === valid) expect(type).toBe('report_in');
      continue;
    }
    // Pure: the same call gives the same answer.
    expect(transition(s, action, ctx)).toEqual(r);
    expect(snapshotProblems(r.next)).toEqual([]);
    expect(r.event.from).toBe(s.state);
    expect(r.event.to).toBe(r.next.state);
    expect(r.event.action).toBe(type);
    for (const key of COUNTERS) expect(r.next[key]).toBeGreaterThanOrEqual(s[key]);
    if (s.originalDeadline !== null) expect(r.next.originalDeadline).toBe(s.originalDeadline);
    // Plain JSON: survives the jsonb column and the trail's hashing unchanged.
    expect(JSON.parse(JSON.stringify(r.next))).toEqual(r.next);
    expect(JSON.parse(JSON.stringify(r.event))).toEqual(r.event);

    s = deepFreeze(r.next);
    events.push(r.event);
    visited.add(s.state);
    fired.add(type);
  }
  return { final: s, events, visited, fired, now };
}

/** Problems with a trail: broken chain, or a closing without the steps that must precede it. */
function historyProblems(events: readonly CaseEvent[]): string[] {
  const problems: string[] = [];
  events.forEach((e, i) => {
    const prev = events[i - 1];
    if (prev && prev.to !== e.from) problems.push(`event ${i} starts from ${e.from}, not ${prev.to}`);
    if (e.to !== 'closed' || e.from === 'closed') return;
    // A fix on the spot files, handles and closes a new report in one event.
    if (e.action === 'handle_on_spot') {
      if (e.from !== 'reported') problems.push(`handled on the spot at ${i} from ${e.from}`);
      return;
    }
    const before = events.slice(0, i).map((x) => x.action);
    // A reopened fix on the spot was filed and assigned by that fix.
    const onSpot = before.includes('handle_on_spot');
    for (const needed of ['accept', 'dispatch', 'feedback'] as const) {
      if (!before.includes(needed) && !(onSpot && needed !== 'feedback'))
        problems.push(`closed at ${i} without ${needed}`);
    }
    if (e.action !== 'verify_pass' && e.action !== 'accept_joint_action') {
      problems.push(`closed at ${i} by ${e.action}`);
    }
    // The last move that changed where the case stands, setting aside suspensions, is the feedback
    // that this verification or acceptance judged.
    let j = i - 1;
    while (
      j >= 0 &&
      (events[j]!.from === events[j]!.to || events[j]!.action === 'suspend' || events[j]!.action === 'resume')
    )
      j--;
    const judged = events[j];
    const expected = e.action === 'verify_pass' ? 'awaiting_verification' : 'awaiting_acceptance';
    if (judged?.action !== 'feedback' || judged.to !== expected) {
      problems.push(`closed at ${i} by ${e.action} without a feedback into ${expected} just before`);
    }
  });
  return problems;
}

describe('properties', () => {
  it('random walks only ever produce valid snapshots and well-formed trails', () => {
    fc.assert(
      fc.property(walkArb, ({ steps, reopenWindowDays }) => {
        const { events } = walk(steps, reopenWindowDays);
        expect(historyProblems(events)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('terminal cases refuse every action', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...REJECT_REASONS, 'merge'),
        walkArb,
        (end, { steps, reopenWindowDays }) => {
          const first: CaseAction =
            end === 'merge' ? { type: 'merge', targetCaseId: 'c' } : { type: 'reject', reason: end };
          let s = ok(transition(initialSnapshot(), first, ctxAt(T0))).next;
          let now = T0;
          for (const step of steps) {
            now = new Date(now.getTime() + step.gapMs);
            const type = ACTION_TYPES[step.pick % ACTION_TYPES.length]!;
            const r = transition(s, validAction(type, s, now, step.variant), ctxAt(now, reopenWindowDays));
            expect(r).toMatchObject({ ok: false, code: 'TRANSITION_NOT_ALLOWED' });
            if (r.ok) s = r.next;
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the walks reach every state and fire every action (the generator explores)', () => {
    const visited = new Set<CaseState>();
    const fired = new Set<ActionType>();
    let closing = 0;
    const walks = fc.sample(walkArb, { numRuns: 300, seed: 20261122 });
    for (const { steps, reopenWindowDays } of walks) {
      const seen = walk(steps, reopenWindowDays);
      for (const x of seen.visited) visited.add(x);
      for (const x of seen.fired) fired.add(x);
      if (seen.visited.has('closed')) closing++;
    }
    // Enough walks get round the whole loop for the closing checks above to mean something.
    expect(closing / walks.length).toBeGreaterThan(0.25);
    expect([...visited].sort()).toEqual([...CASE_STATES].sort());
    expect([...fired].sort()).toEqual([...ACTION_TYPES].sort());
  });

  it('the trail checker itself catches a skipped step', () => {
    const { events } = closedTier2();
    const withoutFeedback = events.filter((e) => e.action !== 'feedback');
    expect(historyProblems(withoutFeedback).length).toBeGreaterThan(0);
    expect(historyProblems(events)).toEqual([]);
  });
});
