import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';
import { describeError } from '../api/describeError';
import type { LineString } from '../api/types';
import { formatDateTime } from '../cases/CaseLabels';
import { useAlley, useAlleys } from '../territory/territoryApi';

export type UnlocatedOrder = ResponseOf<'/api/hotline/unlocated', 'get'>[number];
type Placed = ResponseOf<'/api/hotline/unlocated/{workOrderNo}/place', 'post'>;
type Placing = BodyOf<'/api/hotline/unlocated/{workOrderNo}/place', 'post'>;

/** The middle vertex of an alley's line: where an order placed "in this alley" is put. */
export function lineMidpoint(line: Pick<LineString, 'coordinates'> | null | undefined) {
  const coords = line?.coordinates ?? [];
  return coords[Math.floor(coords.length / 2)];
}

/**
 * Imported 12345 orders whose address the gazetteer could place nowhere (待定位): the desk reads the
 * address, finds the alley it means, and the order is filed there through the ordinary intake, once.
 */
export function UnlocatedPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const orders = useQuery({
    queryKey: ['hotline', 'unlocated'],
    queryFn: ({ signal }) => api.get<UnlocatedOrder[]>('/api/hotline/unlocated', {}, signal),
    retry: false,
  });
  const [placing, setPlacing] = useState<UnlocatedOrder | null>(null);
  const [placed, setPlaced] = useState<Placed | null>(null);
  return (
    <Card title={t('hotline.unlocated.title')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('hotline.unlocated.intro')}</Typography.Paragraph>
        {placed && (
          <Alert
            type="success"
            showIcon
            data-testid="order-placed"
            title={
              <>
                {t('hotline.unlocated.placed', { order: placed.workOrderNo })}{' '}
                <Link to={`/cases/${encodeURIComponent(placed.caseNumber)}`}>{placed.caseNumber}</Link>
              </>
            }
          />
        )}
        {orders.error && <Alert type="warning" showIcon title={describeError(t, orders.error)} />}
        <Table
          rowKey="workOrderNo"
          size="small"
          scroll={{ x: true }}
          loading={orders.isLoading}
          dataSource={orders.data ?? []}
          locale={{ emptyText: t('hotline.unlocated.none') }}
          columns={[
            { title: t('hotline.unlocated.order'), dataIndex: 'workOrderNo' },
            { title: t('hotline.unlocated.class'), dataIndex: 'sourceClass' },
            { title: t('hotline.unlocated.address'), dataIndex: 'address' },
            { title: t('hotline.unlocated.description'), dataIndex: 'description', ellipsis: true },
            { title: t('hotline.unlocated.reason'), dataIndex: 'reason' },
            {
              title: t('hotline.unlocated.importedAt'),
              render: (_, o) => formatDateTime(o.importedAt, i18n.language),
            },
            {
              title: '',
              render: (_, o) => (
                <Button size="small" type="primary" onClick={() => setPlacing(o)}>
                  {t('hotline.unlocated.place')}
                </Button>
              ),
            },
          ]}
        />
      </Space>
      {placing && (
        <PlaceModal
          order={placing}
          onClose={() => setPlacing(null)}
          onPlaced={(p) => {
            setPlaced(p);
            setPlacing(null);
            void qc.invalidateQueries({ queryKey: ['hotline', 'unlocated'] });
          }}
        />
      )}
    </Card>
  );
}

function PlaceModal({
  order,
  onClose,
  onPlaced,
}: {
  order: UnlocatedOrder;
  onClose: () => void;
  onPlaced: (p: Placed) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [alleyId, setAlleyId] = useState<string>();
  const alleys = useAlleys({ q: search || undefined, limit: 20, offset: 0 }, search.length > 0);
  const alley = useAlley(alleyId ?? '');
  // The registry's geometry is an alley's line (or nothing), typed loosely by the contract.
  const point = alleyId ? lineMidpoint(alley.data?.geometry as LineString | null | undefined) : undefined;
  const place = useMutation({
    mutationFn: (at: [number, number]) =>
      api.post<Placed>(`/api/hotline/unlocated/${encodeURIComponent(order.workOrderNo)}/place`, {
        lng: at[0],
        lat: at[1],
        crs: 'wgs84',
      } satisfies Placing),
    onSuccess: onPlaced,
  });
  return (
    <Modal
      open
      title={t('hotline.unlocated.placeTitle', { order: order.workOrderNo })}
      okText={t('hotline.unlocated.placeHere')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !point, loading: place.isPending }}
      onOk={() => point && place.mutate(point)}
      onCancel={onClose}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          {t('hotline.unlocated.address')}：{order.address ?? '—'}
        </Typography.Text>
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }}>
          {order.description}
        </Typography.Paragraph>
        <Select
          showSearch
          filterOption={false}
          aria-label={t('hotline.unlocated.alley')}
          placeholder={t('hotline.unlocated.alleySearch')}
          style={{ width: '100%' }}
          onSearch={setSearch}
          value={alleyId}
          onChange={setAlleyId}
          loading={alleys.isFetching}
          notFoundContent={search ? t('hotline.unlocated.noAlley') : null}
          options={(alleys.data?.items ?? []).map((a) => ({ value: a.id, label: a.name }))}
        />
        {alleyId && alley.data && !point && (
          <Alert type="warning" showIcon title={t('hotline.unlocated.noLine')} />
        )}
        {place.error && <Alert type="warning" showIcon title={describeError(t, place.error)} />}
      </Space>
    </Modal>
  );
}
