import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Segmented,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../auth/currentUser';
import { formatDateTime, StateTag } from '../cases/CaseLabels';
import { CategoryLabel } from '../cases/categories';
import { RaiseWhistleModal } from './RaiseWhistleModal';
import { useJointActions } from './whistleApi';
import { describeWhistleError } from './whistleErrors';
import type { JointActionListItem, JointActionStatus } from './whistleTypes';

const STATUSES: readonly JointActionStatus[] = ['open', 'closed', 'all'];
const EMPTY_KEYS = { open: 'whistle.empty', closed: 'whistle.emptyClosed', all: 'whistle.emptyAll' } as const;

/**
 * The joint actions (吹哨) in the user's scope, those under way first by default, the ended ones on
 * request; the street raises new ones here.
 */
export function WhistleListPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const [status, setStatus] = useState<JointActionStatus>('open');
  const list = useJointActions(status);
  const [raising, setRaising] = useState(false);
  const when = (iso: string | null) => formatDateTime(iso, i18n.language);

  const columns: TableColumnsType<JointActionListItem> = [
    {
      title: t('whistle.column.caseNumber'),
      dataIndex: 'caseNumber',
      render: (caseNumber: string, item) => (
        <Link
          to={`/whistle/${encodeURIComponent(item.caseId)}`}
          aria-label={`${t('whistle.open')} ${caseNumber}`}
        >
          {caseNumber}
        </Link>
      ),
    },
    {
      title: t('whistle.column.category'),
      dataIndex: 'categoryKey',
      render: (key: string | null) => <CategoryLabel categoryKey={key} />,
      responsive: ['lg'],
    },
    {
      title: t('whistle.column.street'),
      dataIndex: 'streetName',
      render: (name: string | null, item) => name ?? item.streetCode,
      responsive: ['md'],
    },
    {
      title: t('whistle.column.state'),
      dataIndex: 'state',
      render: (_: unknown, item) => <StateTag state={item.state} />,
    },
    {
      title: t('whistle.column.units'),
      key: 'units',
      render: (_: unknown, item) => (
        <Flex vertical gap={2}>
          {item.units.map((unit) => (
            <span key={unit.organisationId}>
              {unit.name ?? unit.organisationId}
              {unit.reportedIn && (
                <Tag color="green" style={{ marginInlineStart: 4 }}>
                  {t('whistle.reportedInMark')}
                </Tag>
              )}
            </span>
          ))}
        </Flex>
      ),
    },
    {
      title: t('whistle.column.reportInDeadline'),
      dataIndex: 'reportInDeadline',
      render: (iso: string | null) => when(iso),
      responsive: ['md'],
    },
    {
      title: t('whistle.column.openTasks'),
      dataIndex: 'openTasks',
      render: (count: number) => (count > 0 ? <Tag color="orange">{count}</Tag> : '—'),
    },
    {
      title: t('whistle.column.whistleAt'),
      dataIndex: 'whistleAt',
      render: (iso: string | null) => when(iso),
      responsive: ['lg'],
    },
    {
      title: t('whistle.column.closedAt'),
      dataIndex: 'closedAt',
      render: (iso: string | null) => when(iso),
      responsive: ['lg'],
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('whistle.listTitle')}
        </Typography.Title>
        {can('joint_action.write') && (
          <Button type="primary" onClick={() => setRaising(true)}>
            {t('whistle.raise')}
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('whistle.listHint')}
      </Typography.Paragraph>
      <Segmented<JointActionStatus>
        aria-label={t('whistle.statusFilter')}
        value={status}
        onChange={setStatus}
        options={STATUSES.map((value) => ({ value, label: t(`whistle.status.${value}`) }))}
        style={{ alignSelf: 'flex-start' }}
      />
      {list.isError && <Alert type="error" showIcon title={describeWhistleError(t, list.error)} />}
      <Card size="small">
        <Table<JointActionListItem>
          rowKey="caseId"
          size="small"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          columns={columns}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t(EMPTY_KEYS[status]) }}
        />
      </Card>
      {raising && (
        <RaiseWhistleModal
          onClose={() => setRaising(false)}
          onRaised={(caseIds) => {
            setRaising(false);
            void message.success(t('whistle.raised', { count: caseIds.length }));
          }}
        />
      )}
    </Flex>
  );
}
