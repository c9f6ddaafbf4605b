import { Flex, Input, Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../api/describeError';
import type { AlleySummary, AlleyTier, AlleyType } from '../api/types';
import { AlleyTypeTag, ApproximateTag, Length, TierTag } from './labels';
import { ALLEY_PAGE_SIZE, useAlleys } from './territoryApi';

interface AlleyTableProps {
  streetCode: string;
  streetName: string;
  search: string;
  page: number;
  onSearch: (text: string) => void;
  onPage: (page: number) => void;
}

export function AlleyTable({ streetCode, streetName, search, page, onSearch, onPage }: AlleyTableProps) {
  const { t } = useTranslation();
  const alleys = useAlleys({
    street: streetCode,
    q: search || undefined,
    limit: ALLEY_PAGE_SIZE,
    offset: (page - 1) * ALLEY_PAGE_SIZE,
  });

  const columns: TableColumnsType<AlleySummary> = [
    {
      title: t('territory.alleyName'),
      dataIndex: 'name',
      render: (name: string, alley) => (
        <>
          <Link to={`/territory/alleys/${encodeURIComponent(alley.id)}`}>{name}</Link>{' '}
          <ApproximateTag approximate={alley.approximate === true} />
        </>
      ),
    },
    {
      title: t('territory.alleyType'),
      dataIndex: 'alleyType',
      render: (alleyType: AlleyType) => <AlleyTypeTag alleyType={alleyType} />,
    },
    {
      title: t('territory.length'),
      dataIndex: 'lengthM',
      align: 'right',
      render: (lengthM: number) => <Length meters={lengthM} />,
    },
    {
      title: t('territory.currentTier'),
      dataIndex: 'currentTier',
      render: (tier: AlleyTier | null) => <TierTag tier={tier} />,
    },
    {
      title: t('territory.targetTier'),
      dataIndex: 'targetTier',
      render: (tier: AlleyTier | null) => <TierTag tier={tier} />,
      responsive: ['md'],
    },
    {
      title: t('territory.chief'),
      dataIndex: 'chiefName',
      render: (chiefName: string | null) => chiefName ?? '—',
      responsive: ['lg'],
    },
  ];

  return (
    <Flex vertical gap={8}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ fontSize: 16, margin: 0 }}>
          {t('territory.selectedStreet', { name: streetName })}
        </Typography.Title>
        <Input.Search
          key={streetCode}
          aria-label={t('territory.searchAlleys')}
          placeholder={t('territory.searchAlleys')}
          defaultValue={search}
          allowClear
          onSearch={(text) => onSearch(text.trim())}
          style={{ maxWidth: 280 }}
        />
      </Flex>
      {alleys.isError && (
        <Typography.Text type="danger" role="alert">
          {describeError(t, alleys.error)}
        </Typography.Text>
      )}
      <Table<AlleySummary>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={alleys.data?.items ?? []}
        loading={alleys.isFetching}
        locale={{ emptyText: t('territory.noAlleys') }}
        pagination={{
          current: page,
          pageSize: ALLEY_PAGE_SIZE,
          total: alleys.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: onPage,
        }}
      />
    </Flex>
  );
}
