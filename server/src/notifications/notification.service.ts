import type { Kysely } from 'kysely';
import type { Actor } from '../accounts/authorisation.ts';
import { BEIJING_OFFSET_MS } from '../calendar/working-calendar.ts';
import type { CaseEventSubscriber } from '../cases/case.apply.ts';
import type { StoredEvent } from '../cases/case.trail.ts';
import type { CaseRow, Database } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { type NewNotification, notificationRepository } from './notification.repository.ts';

export const NOTIFICATION_KINDS = [
  'assigned',
  'sent_back',
  'verified',
  'rework',
  'rated',
  'due_soon',
  'overdue',
  'supervised',
  'extension_requested',
  'extension_decided',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Who a notice goes to: the holder of the case (tier-1 handler, or the unit's people), the street, the
 * district administration that supervises the street and its units, or the one unit a joint task names.
 */
type Audience = 'assignees' | 'dispatchers' | 'supervisors' | 'taskUnit';

interface Rule {
  kind: NotificationKind;
  to: readonly Audience[];
  title: (e: StoredEvent) => string;
  /** Some events of an action are not worth a notice; see the rules that use it. */
  when?: (e: StoredEvent) => boolean;
}

const RATING_LABELS: Record<string, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

function payloadField(e: StoredEvent, key: string): unknown {
  return typeof e.payload === 'object' && e.payload !== null ? Reflect.get(e.payload, key) : undefined;
}

/**
 * Which case events tell whom. The person who fired the action is never told of it. Escalation on
 * overdue (SPEC §4.4) goes up a level: it tells the street, the unit and the district administration
 * that supervises them, once, with the `sla_red` event; the automatic 督办 that comes with it adds
 * nothing they have not been told, while a dispatcher's own 督办 is news for the unit.
 */
const RULES: Readonly<Record<string, Rule>> = {
  dispatch: { kind: 'assigned', to: ['assignees'], title: () => '新案件待办理' },
  redispatch: { kind: 'assigned', to: ['assignees'], title: () => '新案件待办理（重新派遣）' },
  send_back: { kind: 'sent_back', to: ['dispatchers'], title: () => '案件被退回，待重新派遣' },
  verify_pass: { kind: 'verified', to: ['assignees'], title: () => '案件核查通过，已结案' },
  verify_fail: { kind: 'rework', to: ['assignees'], title: () => '案件核查未通过，需返工' },
  accept_joint_action: { kind: 'verified', to: ['assignees'], title: () => '联合处置已验收，已结案' },
  refuse_joint_action: { kind: 'rework', to: ['assignees'], title: () => '联合处置验收未通过，需继续处置' },
  rate: {
    kind: 'rated',
    to: ['assignees'],
    title: (e) => `案件已获评价：${RATING_LABELS[String(payloadField(e, 'rating'))] ?? '已评价'}`,
  },
  // Only the first warning: a case that falls back from red to yellow after an extension is not "due soon".
  sla_yellow: {
    kind: 'due_soon',
    to: ['assignees'],
    title: () => '案件即将到期',
    when: (e) => payloadField(e, 'from') === 'green',
  },
  sla_red: {
    kind: 'overdue',
    to: ['dispatchers', 'assignees', 'supervisors'],
    title: () => '案件已超期，已督办',
  },
  supervise: {
    kind: 'supervised',
    to: ['assignees'],
    title: () => '案件被督办',
    when: (e) => e.actorRole !== 'system',
  },
  // The joint meeting's task is work for the unit it names, not for every unit at the table.
  joint_task_assign: { kind: 'assigned', to: ['taskUnit'], title: () => '联合处置任务待办理' },
  extension_request: { kind: 'extension_requested', to: ['dispatchers'], title: () => '延期申请待审批' },
  extension_approve: { kind: 'extension_decided', to: ['assignees'], title: () => '延期申请已批准' },
  extension_refuse: { kind: 'extension_decided', to: ['assignees'], title: () => '延期申请未获批准' },
};

/** Whether events of this action ever give anyone a notice. */
export function notifiesOn(action: string): boolean {
  return Object.hasOwn(RULES, action);
}

/** The in-app notices as a case-event subscriber: told only of the actions that notify anyone. */
export function notificationSubscriber(): CaseEventSubscriber {
  return {
    name: 'notifications',
    actions: Object.keys(RULES),
    onEvent: async (trx, event, _before, after) => {
      await notifyForEvent(trx, event, after);
    },
  };
}

/** The units and tier-1 handler a case is assigned to, from its snapshot. */
export function assigneesOf(c: Pick<CaseRow, 'snapshot'>): { userIds: string[]; organisationIds: string[] } {
  const a = c.snapshot.assignment;
  if (!a) return { userIds: [], organisationIds: [] };
  if (a.kind === 'handler') return { userIds: [a.userId], organisationIds: [] };
  if (a.kind === 'unit') return { userIds: [], organisationIds: [a.unitId] };
  return { userIds: [], organisationIds: [...a.unitIds] };
}

function beijingMinute(d: Date): string {
  return new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

const SHOWS_DEADLINE = new Set(['dispatch', 'redispatch', 'sla_yellow', 'sla_red', 'extension_approve']);

function bodyOf(e: StoredEvent, c: CaseRow): string {
  const summary = c.description.length > 60 ? `${c.description.slice(0, 60)}…` : c.description;
  const lines = [`${c.case_number}：${summary}`];
  if (e.reason && e.reason !== 'overdue') lines.push(`原因：${e.reason}`);
  if (c.handling_deadline && SHOWS_DEADLINE.has(e.action)) {
    const effective = payloadField(e, 'effectiveDeadline');
    const due = typeof effective === 'string' ? new Date(effective) : c.handling_deadline;
    lines.push(`办理时限：${beijingMinute(due)}`);
  }
  const task = payloadField(e, 'description');
  const taskDeadline = payloadField(e, 'deadline');
  if (e.action === 'joint_task_assign' && typeof task === 'string' && typeof taskDeadline === 'string') {
    lines.push(`任务：${task}`, `任务时限：${beijingMinute(new Date(taskDeadline))}`);
  }
  return lines.join('\n');
}

/**
 * Writes the in-app notices a case event calls for. Call it inside the transaction that appended the
 * event, with that transaction: notices commit with their event or not at all. Returns how many.
 */
export async function notifyForEvent(db: Kysely<Database>, event: StoredEvent, c: CaseRow): Promise<number> {
  const rule = RULES[event.action];
  if (!rule || (rule.when && !rule.when(event))) return 0;
  const repo = notificationRepository(db);
  const recipients = new Set<string>();
  if (rule.to.includes('assignees')) {
    const { userIds, organisationIds } = assigneesOf(c);
    for (const id of await repo.activeUsers(userIds)) recipients.add(id);
    for (const id of await repo.unitUsers(organisationIds)) recipients.add(id);
  }
  if (rule.to.includes('dispatchers')) {
    const codes = [c.district_code, c.street_code, c.community_code, c.grid_code].filter(
      (x): x is string => !!x,
    );
    for (const id of await repo.dispatchers(codes)) recipients.add(id);
  }
  if (rule.to.includes('supervisors')) {
    for (const id of await repo.districtAdmins(c.district_code)) recipients.add(id);
  }
  const taskUnit = payloadField(event, 'organisationId');
  if (rule.to.includes('taskUnit') && typeof taskUnit === 'string') {
    for (const id of await repo.unitUsers([taskUnit])) recipients.add(id);
  }
  if (event.actorUserId) recipients.delete(event.actorUserId);
  const title = rule.title(event);
  const body = bodyOf(event, c);
  const rows: NewNotification[] = [...recipients].sort().map((userId) => ({
    id: newId('ntf'),
    userId,
    districtCode: c.district_code,
    kind: rule.kind,
    caseId: c.id,
    title,
    body,
    // The event's own time, so a notice and its event agree, whichever clock wrote them.
    createdAt: event.at,
  }));
  await repo.insertMany(rows);
  return rows.length;
}

export interface NotificationView {
  id: string;
  kind: string;
  caseId: string | null;
  caseNumber: string | null;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

/** Each user's own inbox; nobody reads or marks anyone else's. */
export class NotificationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(
    actor: Actor,
    q: { unreadOnly: boolean; limit: number; offset: number },
  ): Promise<{ items: NotificationView[]; unread: number }> {
    const repo = notificationRepository(this.db);
    const rows = await repo.list(actor.userId, q);
    return {
      items: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        caseId: r.case_id,
        caseNumber: r.case_number ?? null,
        title: r.title,
        body: r.body,
        createdAt: r.created_at.toISOString(),
        readAt: r.read_at?.toISOString() ?? null,
      })),
      unread: await repo.unreadCount(actor.userId),
    };
  }

  /** Someone else's notification answers as a missing one: its existence is not the caller's business. */
  async markRead(actor: Actor, id: string): Promise<{ unread: number }> {
    const repo = notificationRepository(this.db);
    if (!(await repo.markRead(actor.userId, id, this.clock.now()))) {
      throw AppError.notFound('notification', id);
    }
    return { unread: await repo.unreadCount(actor.userId) };
  }

  async markAllRead(actor: Actor): Promise<{ unread: number }> {
    await notificationRepository(this.db).markAllRead(actor.userId, this.clock.now());
    return { unread: 0 };
  }
}
