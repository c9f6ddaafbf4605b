import { Flex, Timeline, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../api/types';
import { parseAssignment } from './assignment';
import { formatDateTime } from './CaseLabels';
import {
  ACTION_TYPES,
  CASE_STATES,
  type CaseEventDto,
  type CaseState,
  RATINGS,
  REJECT_REASONS,
} from './caseTypes';
import { useCategoryText } from './categories';

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}

// What the joint meeting records sits on the case's trail beside the case loop's own actions.
const JOINT_TRAIL_ACTIONS = [
  'joint_minutes',
  'joint_task_assign',
  'joint_task_done',
  'joint_unit_refusal',
] as const;

function actionLabel(t: TFunction, action: string): string {
  if (action === 'report') return t('cases.action.report');
  if (isOneOf(JOINT_TRAIL_ACTIONS, action)) return t(`whistle.trail.${action}`);
  return isOneOf(ACTION_TYPES, action) ? t(`cases.action.${action}`) : action;
}

function stateLabel(t: TFunction, state: CaseState | null): string {
  return state && isOneOf(CASE_STATES, state) ? t(`cases.state.${state}`) : '—';
}

function roleLabel(t: TFunction, role: string): string {
  return isOneOf<Role>(ROLES, role) ? t(`role.${role}`) : role;
}

/** The lines worth reading in an event's payload, in words; ids of units become their names. */
function details(
  t: TFunction,
  event: CaseEventDto,
  unitName: (id: string) => string,
  categoryText: (key: string) => string,
): string[] {
  const lines: string[] = [];
  const line = (label: string, value: string) => t('cases.page.labelled', { label, value });
  const { payload } = event;
  if (event.reason) {
    const reason = isOneOf(REJECT_REASONS, event.reason)
      ? t(`cases.rejectReason.${event.reason}`)
      : event.reason;
    lines.push(t('cases.page.reasonLabel', { reason }));
  }
  if (typeof payload.categoryKey === 'string')
    lines.push(line(t('cases.page.category'), categoryText(payload.categoryKey)));
  const assignment = parseAssignment(payload.assignment);
  if (assignment?.kind === 'unit')
    lines.push(line(t('cases.page.assignedUnit'), unitName(assignment.unitId)));
  if (assignment?.kind === 'joint') {
    lines.push(
      line(t('cases.form.unitIds'), assignment.unitIds.map(unitName).join(t('cases.page.separator'))),
    );
  }
  if (assignment?.kind === 'handler') lines.push(line(t('cases.form.handlerUserIdId'), assignment.userId));
  if (typeof payload.onBehalfOf === 'string' && typeof payload.onWordOf === 'string') {
    lines.push(
      t('cases.timeline.recordedFor', { unit: unitName(payload.onBehalfOf), word: payload.onWordOf }),
    );
  } else if (typeof payload.unitId === 'string') lines.push(unitName(payload.unitId));
  if (typeof payload.note === 'string' && payload.note)
    lines.push(t('cases.page.noteLabel', { note: payload.note }));
  if (typeof payload.noPhotoReason === 'string') {
    lines.push(line(t('cases.form.noPhotoReason'), payload.noPhotoReason));
  }
  if (isOneOf(RATINGS, payload.rating))
    lines.push(line(t('cases.form.rating'), t(`cases.rating.${payload.rating}`)));
  if (typeof payload.comment === 'string') lines.push(payload.comment);
  return lines;
}

export function CaseTimeline({
  events,
  unitName,
}: {
  events: CaseEventDto[];
  unitName: (id: string) => string;
}) {
  const { t, i18n } = useTranslation();
  const categoryText = useCategoryText();
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  return (
    <Timeline
      items={ordered.map((event) => ({
        key: event.seq,
        color: event.toState === 'closed' ? 'green' : event.action === 'reject' ? 'gray' : 'blue',
        content: (
          <Flex vertical gap={2}>
            <Typography.Text strong>{actionLabel(t, event.action)}</Typography.Text>
            <Typography.Text type="secondary">
              {formatDateTime(event.at, i18n.language)} ·{' '}
              {t('cases.page.actor', { role: roleLabel(t, event.actorRole) })}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('cases.page.transition', {
                from: stateLabel(t, event.fromState),
                to: stateLabel(t, event.toState),
              })}
            </Typography.Text>
            {details(t, event, unitName, categoryText).map((line) => (
              <Typography.Text key={line}>{line}</Typography.Text>
            ))}
          </Flex>
        ),
      }))}
    />
  );
}
