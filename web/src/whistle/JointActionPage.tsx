import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { applyFieldErrors } from '../api/formErrors';
import { useCurrentUser } from '../auth/currentUser';
import { ActionForm } from '../cases/ActionForm';
import { formatDateTime, StateTag } from '../cases/CaseLabels';
import { useCase } from '../cases/casesApi';
import type { ActionType, CaseDetail } from '../cases/caseTypes';
import { LevelTag } from '../cases/LevelTag';
import type { SlaLevel } from '../cases/sla';
import { RecordForUnitModal, type RecordTarget } from './RecordForUnitModal';
import { useAddTask, useCompleteTask, useJointAction, usePutMinutes } from './whistleApi';
import { describeWhistleError } from './whistleErrors';
import {
  type MinutesFormValues,
  minutesBody,
  type TaskFormValues,
  taskBody,
  toLocalInput,
} from './whistleForms';
import type {
  JointAction,
  JointTask,
  RecordedForUnit,
  ReportInStanding,
  SummonedUnit,
  WhistleAction,
} from './whistleTypes';

/** The case action behind a whistle action that the case loop itself carries. */
const CASE_ACTION_OF: Partial<Record<WhistleAction, ActionType>> = {
  report_in: 'report_in',
  feedback: 'feedback',
  accept: 'accept_joint_action',
  refuse: 'refuse_joint_action',
};

/** "由 X 代为记录，依据：Y" under what the street desk wrote down for a unit. */
function RecordedNote({ recorded }: { recorded: RecordedForUnit }) {
  const { t } = useTranslation();
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="recorded-for-unit">
      {t('whistle.record.by', {
        name: recorded.recordedByName ?? t('whistle.record.desk'),
        word: recorded.onWordOf,
      })}
      {recorded.attachmentIds.length > 0 &&
        ` · ${t('whistle.record.attachmentCount', { count: recorded.attachmentIds.length })}`}
    </Typography.Text>
  );
}

const STANDING_LEVEL: Record<ReportInStanding, SlaLevel> = {
  on_time: 'green',
  late: 'yellow',
  awaiting: 'none',
  overdue: 'red',
};

function UnitsCard({
  joint,
  canRecord,
  onRecord,
}: {
  joint: JointAction;
  canRecord: boolean;
  onRecord: (target: RecordTarget) => void;
}) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<SummonedUnit> = [
    {
      title: t('whistle.unit'),
      dataIndex: 'name',
      render: (name: string | null, u) => name ?? u.organisationId,
    },
    {
      title: t('whistle.summonedAt'),
      dataIndex: 'summonedAt',
      render: (at: string) => formatDateTime(at, i18n.language),
      responsive: ['lg'],
    },
    {
      title: t('whistle.reportInDeadline'),
      dataIndex: 'reportInDeadline',
      render: (at: string) => formatDateTime(at, i18n.language),
    },
    {
      title: t('whistle.reportedInAt'),
      dataIndex: 'reportedInAt',
      render: (at: string | null, u) => (
        <Flex vertical gap={2}>
          <Space wrap>
            <LevelTag level={STANDING_LEVEL[u.standing]}>{t(`whistle.standing.${u.standing}`)}</LevelTag>
            {at && formatDateTime(at, i18n.language)}
          </Space>
          {u.reportInRecorded && <RecordedNote recorded={u.reportInRecorded} />}
        </Flex>
      ),
    },
    ...(canRecord
      ? [
          {
            title: t('whistle.record.column'),
            key: 'record',
            render: (_: unknown, u: SummonedUnit) => {
              const unitName = u.name ?? u.organisationId;
              return (
                <Space wrap size={4}>
                  {!u.reportedIn && (
                    <Button
                      size="small"
                      onClick={() =>
                        onRecord({ kind: 'report_in', organisationId: u.organisationId, unitName })
                      }
                    >
                      {t('whistle.record.reportIn')}
                    </Button>
                  )}
                  {joint.units.length > 2 && (
                    <Button
                      size="small"
                      danger
                      onClick={() =>
                        onRecord({ kind: 'refusal', organisationId: u.organisationId, unitName })
                      }
                    >
                      {t('whistle.record.refusal')}
                    </Button>
                  )}
                </Space>
              );
            },
          },
        ]
      : []),
  ];
  return (
    <Card size="small" title={t('whistle.units')}>
      {joint.reportInDeadline && (
        <Typography.Paragraph type="secondary">
          {t('whistle.reportInRule', {
            hours: joint.reportInWorkingHours,
            deadline: formatDateTime(joint.reportInDeadline, i18n.language),
          })}
        </Typography.Paragraph>
      )}
      <Table<SummonedUnit>
        rowKey="organisationId"
        size="small"
        pagination={false}
        dataSource={joint.units}
        columns={columns}
        scroll={{ x: 'max-content' }}
        data-testid="summoned-units"
      />
      {joint.refusals.length > 0 && (
        <List
          size="small"
          style={{ marginTop: 12 }}
          header={<Typography.Text strong>{t('whistle.record.refusals')}</Typography.Text>}
          dataSource={joint.refusals}
          renderItem={(r) => (
            <List.Item>
              <Flex vertical gap={2}>
                <Typography.Text>
                  {t('whistle.record.refusedLine', {
                    unit: r.name ?? r.organisationId,
                    at: formatDateTime(r.at, i18n.language),
                    reason: r.reason,
                  })}
                </Typography.Text>
                <RecordedNote recorded={r} />
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

function MeetingCard({ joint, caseId, canEdit }: { joint: JointAction; caseId: string; canEdit: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [form] = Form.useForm<MinutesFormValues>();
  const save = usePutMinutes(caseId);
  const [error, setError] = useState<string | null>(null);
  const { meeting } = joint;

  const submit = (values: MinutesFormValues) => {
    setError(null);
    save.mutate(minutesBody(values), {
      onSuccess: () => {
        setEditing(false);
        void message.success(t('whistle.minutesSaved'));
      },
      onError: (e) => {
        if (!applyFieldErrors(form, e, t)) setError(describeWhistleError(t, e));
      },
    });
  };

  return (
    <Card
      size="small"
      title={t('whistle.meeting')}
      extra={
        canEdit && !editing ? (
          <Button size="small" onClick={() => setEditing(true)}>
            {t('whistle.editMinutes')}
          </Button>
        ) : null
      }
    >
      {editing ? (
        <Form<MinutesFormValues>
          form={form}
          layout="vertical"
          name="joint-minutes"
          onFinish={submit}
          initialValues={{
            minutes: meeting.minutes,
            decisions: meeting.decisions.join('\n'),
            meetingAt: meeting.meetingAt ? toLocalInput(meeting.meetingAt) : undefined,
          }}
        >
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Form.Item name="meetingAt" label={t('whistle.meetingAt')}>
            <Input type="datetime-local" />
          </Form.Item>
          <Form.Item
            name="minutes"
            label={t('whistle.minutes')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('whistle.required', { field: t('whistle.minutes') }),
              },
            ]}
          >
            <Input.TextArea rows={4} maxLength={20_000} />
          </Form.Item>
          <Form.Item name="decisions" label={t('whistle.decisions')} extra={t('whistle.decisionsHint')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t('whistle.editMinutes')}
            </Button>
            <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
          </Space>
        </Form>
      ) : meeting.minutes || meeting.decisions.length > 0 ? (
        <Flex vertical gap={8}>
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'at',
                label: t('whistle.meetingAt'),
                children: meeting.meetingAt ? formatDateTime(meeting.meetingAt, i18n.language) : '—',
              },
              {
                key: 'minutes',
                label: t('whistle.minutes'),
                children: <span style={{ whiteSpace: 'pre-wrap' }}>{meeting.minutes || '—'}</span>,
              },
            ]}
          />
          {meeting.decisions.length > 0 && (
            <List
              size="small"
              header={<Typography.Text strong>{t('whistle.decisions')}</Typography.Text>}
              dataSource={meeting.decisions}
              renderItem={(decision, index) => (
                <List.Item>
                  {index + 1}. {decision}
                </List.Item>
              )}
            />
          )}
        </Flex>
      ) : (
        <Typography.Text type="secondary">{t('whistle.noMinutes')}</Typography.Text>
      )}
    </Card>
  );
}

function AddTaskForm({ joint, caseId }: { joint: JointAction; caseId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TaskFormValues>();
  const add = useAddTask(caseId);
  const [error, setError] = useState<string | null>(null);

  const submit = (values: TaskFormValues) => {
    setError(null);
    add.mutate(taskBody(values), {
      onSuccess: () => {
        form.resetFields();
        void message.success(t('whistle.taskAdded'));
      },
      onError: (e) => {
        if (!applyFieldErrors(form, e, t)) setError(describeWhistleError(t, e));
      },
    });
  };

  return (
    <Form<TaskFormValues> form={form} layout="vertical" name="joint-task" onFinish={submit}>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t('whistle.addTask')}
      </Typography.Title>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item
            name="organisationId"
            label={t('whistle.taskUnit')}
            rules={[{ required: true, message: t('whistle.required', { field: t('whistle.taskUnit') }) }]}
          >
            <Select
              options={joint.units.map((u) => ({
                value: u.organisationId,
                label: u.name ?? u.organisationId,
              }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item
            name="description"
            label={t('whistle.taskDescription')}
            rules={[
              {
                required: true,
                whitespace: true,
                min: 2,
                message: t('whistle.required', { field: t('whistle.taskDescription') }),
              },
            ]}
          >
            <Input maxLength={2000} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item name="workingDays" label={t('whistle.taskWorkingDays')}>
            <InputNumber min={1} max={60} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col xs={12} md={8}>
          <Form.Item
            name="deadline"
            label={t('whistle.taskDeadline')}
            dependencies={['workingDays']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_: unknown, value: string | undefined) =>
                  value && getFieldValue('workingDays')
                    ? Promise.reject(new Error(t('whistle.taskBoth')))
                    : Promise.resolve(),
              }),
            ]}
          >
            <Input type="datetime-local" />
          </Form.Item>
        </Col>
      </Row>
      <Typography.Paragraph type="secondary">{t('whistle.taskDeadlineHint')}</Typography.Paragraph>
      <Button htmlType="submit" type="primary" loading={add.isPending}>
        {t('whistle.addTask')}
      </Button>
    </Form>
  );
}

function CompleteTaskModal({
  task,
  caseId,
  onClose,
}: {
  task: JointTask;
  caseId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note?: string }>();
  const complete = useCompleteTask(caseId);
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal
      open
      title={t('whistle.completeTitle', { seq: task.seq })}
      okText={t('whistle.completeTask')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={complete.isPending}
      destroyOnHidden
    >
      <Typography.Paragraph>{task.description}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="joint-task-done"
        onFinish={(values) =>
          complete.mutate(
            { taskId: task.id, note: values.note?.trim() || undefined },
            {
              onSuccess: () => {
                onClose();
                void message.success(t('whistle.taskCompleted'));
              },
              onError: (e) => {
                if (!applyFieldErrors(form, e, t)) setError(describeWhistleError(t, e));
              },
            },
          )
        }
      >
        <Form.Item name="note" label={t('whistle.taskNote')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function TasksCard({
  joint,
  caseId,
  canAssign,
  canRecord,
  onRecord,
}: {
  joint: JointAction;
  caseId: string;
  canAssign: boolean;
  canRecord: boolean;
  onRecord: (target: RecordTarget) => void;
}) {
  const { t, i18n } = useTranslation();
  const [completing, setCompleting] = useState<JointTask | null>(null);
  const columns: TableColumnsType<JointTask> = [
    { title: t('whistle.seq'), dataIndex: 'seq', width: 64 },
    {
      title: t('whistle.taskUnit'),
      dataIndex: 'organisationName',
      render: (name: string | null, task) => name ?? task.organisationId,
    },
    { title: t('whistle.taskDescription'), dataIndex: 'description' },
    {
      title: t('whistle.taskDeadline'),
      dataIndex: 'deadline',
      render: (at: string) => formatDateTime(at, i18n.language),
    },
    {
      title: t('whistle.taskStatus'),
      key: 'status',
      render: (_: unknown, task) => (
        <Flex vertical gap={2}>
          <Space wrap>
            <LevelTag level={task.status === 'done' ? 'green' : task.overdue ? 'red' : 'none'}>
              {task.status === 'done'
                ? t('whistle.taskDone')
                : task.overdue
                  ? t('whistle.taskOverdue')
                  : t('whistle.taskOpen')}
            </LevelTag>
            {task.doneAt && formatDateTime(task.doneAt, i18n.language)}
          </Space>
          {task.note && <Typography.Text type="secondary">{task.note}</Typography.Text>}
          {task.doneOnWordOf && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('whistle.record.taskBy', { word: task.doneOnWordOf })}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, task) =>
        task.canComplete ? (
          <Button size="small" onClick={() => setCompleting(task)}>
            {t('whistle.completeTask')}
          </Button>
        ) : canRecord && task.status === 'open' ? (
          <Button
            size="small"
            onClick={() =>
              onRecord({
                kind: 'task_done',
                organisationId: task.organisationId,
                unitName: task.organisationName ?? task.organisationId,
                taskId: task.id,
                taskDescription: task.description,
              })
            }
          >
            {t('whistle.record.taskDone')}
          </Button>
        ) : null,
    },
  ];
  return (
    <Card size="small" title={t('whistle.tasks')}>
      <Flex vertical gap={16}>
        <Table<JointTask>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={joint.tasks}
          columns={columns}
          locale={{ emptyText: t('whistle.noTasks') }}
        />
        {canAssign && <AddTaskForm joint={joint} caseId={caseId} />}
      </Flex>
      {completing && (
        <CompleteTaskModal task={completing} caseId={caseId} onClose={() => setCompleting(null)} />
      )}
    </Card>
  );
}

function AcceptanceCard({
  joint,
  actions,
  summoned,
  onAct,
}: {
  joint: JointAction;
  actions: WhistleAction[];
  /** The user's own unit is one of those summoned. */
  summoned: boolean;
  onAct: (action: ActionType) => void;
}) {
  const { t } = useTranslation();
  const caseActions = actions.filter((a) => a !== 'report_in' && CASE_ACTION_OF[a]);
  let status: string;
  if (joint.state === 'closed') status = t('whistle.closed');
  else if (joint.state === 'awaiting_acceptance') status = t('whistle.awaiting');
  else if (joint.state === 'joint_action') status = t('whistle.atWork');
  else status = t('whistle.otherState', { state: t(`cases.state.${joint.state}`) });
  return (
    <Card size="small" title={t('whistle.acceptance')}>
      <Flex vertical gap={12}>
        <Typography.Text>{status}</Typography.Text>
        {joint.acceptance.awaiting && joint.acceptance.blockedBy === 'JOINT_TASKS_OPEN' && (
          <Alert type="warning" showIcon title={t('whistle.tasksOpen', { count: joint.openTasks })} />
        )}
        {joint.state === 'joint_action' && summoned && !actions.includes('feedback') && (
          <Typography.Text type="secondary">{t('whistle.feedbackWaiting')}</Typography.Text>
        )}
        {caseActions.length > 0 && (
          <Flex wrap gap={8}>
            {caseActions.map((a) => {
              const action = CASE_ACTION_OF[a] as ActionType;
              return (
                <Button
                  key={a}
                  type={a === 'refuse' ? 'default' : 'primary'}
                  danger={a === 'refuse'}
                  onClick={() => onAct(action)}
                >
                  {t(`cases.action.${action}`)}
                </Button>
              );
            })}
          </Flex>
        )}
      </Flex>
    </Card>
  );
}

function JointError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const back = <Link to="/whistle">{t('whistle.back')}</Link>;
  if (error instanceof ApiError && (error.code === 'OUT_OF_SCOPE' || error.code === 'FORBIDDEN')) {
    return <Result status="403" title={t('cases.page.outOfScope')} extra={back} />;
  }
  if (error instanceof ApiError && error.status === 404) {
    return (
      <Result
        status="404"
        title={error.code === 'NOT_FOUND' ? t('whistle.notFound') : t('cases.page.notFound')}
        extra={back}
      />
    );
  }
  return <Result status="error" title={describeWhistleError(t, error)} extra={back} />;
}

/** One joint action: who was summoned and came, the meeting, its tasks, and the street's acceptance. */
export function JointActionPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const user = useCurrentUser();
  const joint = useJointAction(id);
  const detail = useCase(id);
  const [open, setOpen] = useState<ActionType | null>(null);
  const [recording, setRecording] = useState<RecordTarget | null>(null);

  if (joint.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (joint.isError) return <JointError error={joint.error} />;
  const data = joint.data;
  const actions = data.allowedActions;
  const canRecord = actions.includes('record_for_unit');
  const caseDetail: CaseDetail | undefined = detail.data;

  return (
    <Flex vertical gap={16}>
      <Link to="/whistle">← {t('whistle.back')}</Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap align="center">
          <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
            {t('whistle.pageTitle', { caseNumber: data.caseNumber })}
          </Typography.Title>
          <StateTag state={data.state} />
        </Space>
        <Space wrap>
          {actions.includes('report_in') && (
            <Button type="primary" disabled={!caseDetail} onClick={() => setOpen('report_in')}>
              {t('whistle.reportIn')}
            </Button>
          )}
          <Link to={`/cases/${encodeURIComponent(data.caseId)}`}>{t('whistle.caseLink')}</Link>
        </Space>
      </Flex>
      {caseDetail && (
        <Card size="small">
          <Descriptions
            size="small"
            column={{ xs: 1, md: 2 }}
            items={[
              {
                key: 'description',
                label: t('cases.page.description'),
                children: caseDetail.description,
                span: 'filled',
              },
              { key: 'address', label: t('cases.page.address'), children: caseDetail.address ?? '—' },
              {
                key: 'whistleAt',
                label: t('whistle.whistleAt'),
                children: data.whistleAt ? formatDateTime(data.whistleAt, i18n.language) : '—',
              },
              {
                key: 'deadline',
                label: t('cases.page.deadline'),
                children: formatDateTime(caseDetail.handlingDeadline, i18n.language),
              },
            ]}
          />
        </Card>
      )}
      {actions.length === 0 && data.state !== 'closed' && (
        <Typography.Text type="secondary">{t('whistle.noActions')}</Typography.Text>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Flex vertical gap={16}>
            <UnitsCard joint={data} canRecord={canRecord} onRecord={setRecording} />
            <TasksCard
              joint={data}
              caseId={data.caseId}
              canAssign={actions.includes('assign_task')}
              canRecord={canRecord}
              onRecord={setRecording}
            />
          </Flex>
        </Col>
        <Col xs={24} xl={10}>
          <Flex vertical gap={16}>
            <AcceptanceCard
              joint={data}
              actions={caseDetail ? actions : []}
              summoned={data.units.some((u) => u.organisationId === user.organisationId)}
              onAct={setOpen}
            />
            <MeetingCard joint={data} caseId={data.caseId} canEdit={actions.includes('record_minutes')} />
          </Flex>
        </Col>
      </Row>
      {recording && (
        <RecordForUnitModal caseId={data.caseId} target={recording} onClose={() => setRecording(null)} />
      )}
      {open && caseDetail && (
        <ActionForm
          key={open}
          action={open}
          detail={caseDetail}
          user={user}
          onClose={() => setOpen(null)}
          onDone={(action) => {
            setOpen(null);
            void message.success(t('cases.page.done', { action: t(`cases.action.${action}`) }));
          }}
        />
      )}
    </Flex>
  );
}
