import { Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/describeError';
import type { Street } from '../api/types';
import { ApproximateTag } from './labels';
import { useStreets } from './territoryApi';

interface StreetTableProps {
  selected: string | null;
  onSelect: (code: string) => void;
}

export function StreetTable({ selected, onSelect }: StreetTableProps) {
  const { t } = useTranslation();
  const streets = useStreets();

  const columns: TableColumnsType<Street> = [
    {
      title: t('territory.streetName'),
      dataIndex: 'name',
      render: (name: string, street) => (
        <>
          {name} <ApproximateTag approximate={street.approximate} />
        </>
      ),
    },
    { title: t('territory.streetCode'), dataIndex: 'code', responsive: ['xl'] },
    { title: t('territory.communityCount'), dataIndex: 'communityCount', align: 'right' },
    { title: t('territory.alleyCount'), dataIndex: 'alleyCount', align: 'right' },
  ];

  return (
    <>
      {streets.isError && (
        <Typography.Text type="danger" role="alert">
          {describeError(t, streets.error)}
        </Typography.Text>
      )}
      <Table<Street>
        rowKey="code"
        size="small"
        columns={columns}
        dataSource={streets.data ?? []}
        loading={streets.isPending}
        pagination={false}
        locale={{ emptyText: t('territory.noStreets') }}
        rowSelection={{
          type: 'radio',
          selectedRowKeys: selected ? [selected] : [],
          onChange: (keys) => {
            const [code] = keys;
            if (typeof code === 'string') onSelect(code);
          },
          getCheckboxProps: (street) => ({
            'aria-label': t('territory.selectStreetNamed', { name: street.name }),
          }),
        }}
        onRow={(street) => ({ onClick: () => onSelect(street.code), style: { cursor: 'pointer' } })}
        scroll={{ y: 480 }}
      />
    </>
  );
}
