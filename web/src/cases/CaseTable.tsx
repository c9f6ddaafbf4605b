import { Table, type TableColumnsType, type TablePaginationConfig, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ChannelLabel, formatDateTime, SlaTag, StateTag, useNow } from './CaseLabels';
import type { CaseDto } from './caseTypes';
import { CategoryLabel } from './categories';

interface CaseTableProps {
  items: CaseDto[];
  loading?: boolean;
  pagination?: false | TablePaginationConfig;
  /** Compact tables on the home page leave out the less urgent columns. */
  compact?: boolean;
  caption?: string;
}

export function CaseTable({ items, loading, pagination = false, compact, caption }: CaseTableProps) {
  const { t, i18n } = useTranslation();
  const now = useNow();

  const columns: TableColumnsType<CaseDto> = [
    {
      title: t('cases.column.caseNumber'),
      dataIndex: 'caseNumber',
      render: (caseNumber: string, dto) => (
        <Link to={`/cases/${encodeURIComponent(dto.id)}`}>{caseNumber}</Link>
      ),
    },
    {
      title: t('cases.column.description'),
      dataIndex: 'description',
      render: (description: string) => (
        <Typography.Text ellipsis={{ tooltip: description }} style={{ maxWidth: 280 }}>
          {description}
        </Typography.Text>
      ),
    },
    {
      title: t('cases.column.state'),
      dataIndex: 'state',
      render: (_: unknown, dto) => <StateTag state={dto.state} />,
    },
    {
      title: t('cases.column.sla'),
      key: 'sla',
      render: (_: unknown, dto) => <SlaTag dto={dto} now={now} />,
    },
  ];
  if (!compact) {
    columns.push(
      {
        title: t('cases.column.category'),
        dataIndex: 'categoryKey',
        render: (key: string | null) => <CategoryLabel categoryKey={key} />,
        responsive: ['lg'],
      },
      {
        title: t('cases.column.channel'),
        dataIndex: 'channel',
        render: (channel: string) => <ChannelLabel channel={channel} />,
        responsive: ['xl'],
      },
    );
  }
  columns.push({
    title: t('cases.column.reportedAt'),
    dataIndex: 'createdAt',
    render: (createdAt: string) => formatDateTime(createdAt, i18n.language),
    responsive: ['md'],
  });

  return (
    <Table<CaseDto>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={pagination}
      locale={{ emptyText: t('cases.queue.empty') }}
      title={caption ? () => caption : undefined}
    />
  );
}
