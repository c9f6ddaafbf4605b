import { Alert, App, Button, Card, Flex, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../auth/currentUser';
import { formatDateTime, SlaTag, StateTag, useNow } from '../cases/CaseLabels';
import type { CaseDto } from '../cases/caseTypes';
import { useOrganisations } from '../territory/territoryApi';
import { RaiseWhistleModal } from './RaiseWhistleModal';
import { canRaiseWhistle } from './whistleActions';
import { useJointActions } from './whistleApi';
import { describeWhistleError } from './whistleErrors';

/** The joint actions (吹哨) at work or awaiting acceptance in the user's scope; the street raises new ones here. */
export function WhistleListPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const user = useCurrentUser();
  const list = useJointActions();
  const organisations = useOrganisations();
  const now = useNow();
  const [raising, setRaising] = useState(false);
  const unitName = (id: string | null) =>
    id ? (organisations.data?.find((org) => org.id === id)?.name ?? id) : '—';

  const columns: TableColumnsType<CaseDto> = [
    {
      title: t('whistle.column.caseNumber'),
      dataIndex: 'caseNumber',
      render: (caseNumber: string, dto) => (
        <Link to={`/whistle/${encodeURIComponent(dto.id)}`} aria-label={`${t('whistle.open')} ${caseNumber}`}>
          {caseNumber}
        </Link>
      ),
    },
    {
      title: t('whistle.column.description'),
      dataIndex: 'description',
      render: (description: string) => (
        <Typography.Text ellipsis={{ tooltip: description }} style={{ maxWidth: 320 }}>
          {description}
        </Typography.Text>
      ),
    },
    {
      title: t('whistle.column.state'),
      dataIndex: 'state',
      render: (_: unknown, dto) => <StateTag state={dto.state} />,
    },
    {
      title: t('whistle.column.unit'),
      dataIndex: 'assignedOrgId',
      render: (id: string | null) => unitName(id),
      responsive: ['md'],
    },
    {
      title: t('whistle.column.deadline'),
      key: 'deadline',
      render: (_: unknown, dto) => (
        <Flex vertical gap={2}>
          <span>{formatDateTime(dto.handlingDeadline, i18n.language)}</span>
          <SlaTag dto={dto} now={now} />
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('whistle.listTitle')}
        </Typography.Title>
        {canRaiseWhistle(user.role) && (
          <Button type="primary" onClick={() => setRaising(true)}>
            {t('whistle.raise')}
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('whistle.listHint')}
      </Typography.Paragraph>
      {list.isError && <Alert type="error" showIcon title={describeWhistleError(t, list.error)} />}
      <Card size="small">
        <Table<CaseDto>
          rowKey="id"
          size="small"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          columns={columns}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('whistle.empty') }}
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
