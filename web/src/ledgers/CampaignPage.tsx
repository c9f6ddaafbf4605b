import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  Result,
  Row,
  Skeleton,
  Space,
  Spin,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client';
import { useCan } from '../auth/currentUser';
import { formatDateTime } from '../cases/CaseLabels';
import { LevelTag } from '../cases/LevelTag';
import type { SlaLevel } from '../cases/sla';
import { burndownSeries } from './burndown';
import { campaignError } from './campaignErrors';
import { type ItemsFormValues, itemsBody } from './campaignForms';
import {
  campaignExportUrl,
  useAddCampaignItems,
  useBurndown,
  useCampaign,
  useCampaignItems,
  useClearPoint,
} from './ledgersApi';
import type { CampaignItem } from './ledgerTypes';

// ECharts comes with this chart only: neither the console's entry nor the other pages wait for it.
const BurndownChart = lazy(() => import('./BurndownChart'));

const STATUS_LEVEL: Record<CampaignItem['status'], SlaLevel> = {
  open: 'yellow',
  cleared: 'green',
  not_added: 'none',
};

function AddItemsForm({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ItemsFormValues>();
  const add = useAddCampaignItems(campaignId);
  const [errors, setErrors] = useState<string[]>([]);

  const submit = (values: ItemsFormValues) => {
    setErrors([]);
    const parsed = itemsBody(values);
    if (!parsed.ok) {
      if (parsed.reason === 'points')
        form.setFields([{ name: 'points', errors: [t('campaigns.pointsInvalid', { line: parsed.line })] }]);
      else setErrors([t('campaigns.addNothing')]);
      return;
    }
    add.mutate(parsed.body, {
      onSuccess: (result) => {
        form.resetFields();
        void message.success(t('campaigns.added', { count: result.added }));
        setErrors(
          result.skipped.map((s) =>
            t('campaigns.skipped', { ref: s.ref, reason: t(`campaigns.skipCode.${s.code}`) }),
          ),
        );
      },
      onError: (e) => setErrors([campaignError(t, e).general ?? '']),
    });
  };

  return (
    <Form<ItemsFormValues> form={form} layout="vertical" name="campaign-items" onFinish={submit}>
      {errors.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={errors.join('\n')}
          style={{ marginBottom: 12, whiteSpace: 'pre-line' }}
        />
      )}
      <Row gutter={12}>
        <Col xs={24} md={12}>
          <Form.Item name="caseRefs" label={t('campaigns.caseRefs')} extra={t('campaigns.caseRefsHint')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="points" label={t('campaigns.points')} extra={t('campaigns.pointsHint')}>
            <Input.TextArea rows={3} placeholder="116.3701, 39.9087, …" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="addMatching" valuePropName="checked">
        <Checkbox>{t('campaigns.addMatching')}</Checkbox>
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={add.isPending}>
        {t('campaigns.addItems')}
      </Button>
    </Form>
  );
}

/** One campaign: its burn-down to dynamic zero, its ledger of items, and for the street the means to fill it. */
export function CampaignPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const can = useCan();
  const campaign = useCampaign(id);
  const items = useCampaignItems(id);
  const burndown = useBurndown(id);
  const clear = useClearPoint(id);
  const series = useMemo(() => burndownSeries(burndown.data ?? []), [burndown.data]);
  const canWrite = can('campaign.write');

  if (campaign.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (campaign.isError) {
    const back = <Link to="/campaigns">{t('campaigns.back')}</Link>;
    if (campaign.error instanceof ApiError && campaign.error.status === 404) {
      return <Result status="404" title={t('campaigns.notFound')} extra={back} />;
    }
    return <Result status="error" title={campaignError(t, campaign.error).general} extra={back} />;
  }
  const c = campaign.data;

  const columns: TableColumnsType<CampaignItem> = [
    {
      title: t('campaigns.itemColumn.label'),
      dataIndex: 'label',
      render: (label: string, item) =>
        item.caseId ? (
          <Link to={`/cases/${encodeURIComponent(item.caseId)}`}>{item.caseNumber ?? label}</Link>
        ) : (
          label
        ),
    },
    {
      title: t('campaigns.itemColumn.kind'),
      dataIndex: 'kind',
      render: (kind: CampaignItem['kind']) => t(`campaigns.itemKind.${kind}`),
    },
    { title: t('campaigns.itemColumn.problemType'), dataIndex: 'problemType', responsive: ['md'] },
    {
      title: t('campaigns.itemColumn.location'),
      dataIndex: 'location',
      render: (location: string) => (
        <Typography.Text ellipsis={{ tooltip: location }} style={{ maxWidth: 220 }}>
          {location}
        </Typography.Text>
      ),
      responsive: ['lg'],
    },
    {
      title: t('campaigns.itemColumn.status'),
      dataIndex: 'status',
      render: (status: CampaignItem['status']) => (
        <LevelTag level={STATUS_LEVEL[status]}>{t(`campaigns.itemStatus.${status}`)}</LevelTag>
      ),
    },
    {
      title: t('campaigns.itemColumn.clearedAt'),
      dataIndex: 'clearedAt',
      render: (at: string | null) => formatDateTime(at, i18n.language),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, item) =>
        canWrite && item.kind === 'point' && item.status === 'open' ? (
          <Button
            size="small"
            loading={clear.isPending && clear.variables === item.id}
            onClick={() =>
              clear.mutate(item.id, {
                onSuccess: () => void message.success(t('campaigns.pointCleared')),
                onError: (e) => void message.error(campaignError(t, e).general),
              })
            }
          >
            {t('campaigns.clear')}
          </Button>
        ) : null,
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Link to="/campaigns">← {t('campaigns.back')}</Link>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap align="center">
          <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
            {c.name}
          </Typography.Title>
          {c.atZero ? (
            <LevelTag level="green">{t('campaigns.atZero')}</LevelTag>
          ) : (
            <LevelTag level="yellow">{t('campaigns.notAtZero')}</LevelTag>
          )}
        </Space>
        <Button href={campaignExportUrl(c.id)} download>
          {t('campaigns.export')}
        </Button>
      </Flex>
      <Card size="small">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'target', label: t('campaigns.target'), children: `${c.open} / ${c.items}` },
            { key: 'scope', label: t('campaigns.scope'), children: c.scopeName ?? c.scopeCode },
            {
              key: 'categories',
              label: t('campaigns.categories'),
              children:
                c.categories.length > 0
                  ? c.categories.map((cat) => cat.name).join('、')
                  : t('campaigns.anyCategory'),
            },
            {
              key: 'starts',
              label: t('campaigns.startsAt'),
              children: formatDateTime(c.startsAt, i18n.language),
            },
            { key: 'ends', label: t('campaigns.endsAt'), children: formatDateTime(c.endsAt, i18n.language) },
            ...(c.description
              ? [{ key: 'description', label: t('campaigns.description'), children: c.description }]
              : []),
          ]}
        />
      </Card>
      <Card size="small" title={t('campaigns.burndown')}>
        {burndown.isError ? (
          <Alert type="error" showIcon title={campaignError(t, burndown.error).general} />
        ) : burndown.isPending ? (
          <Spin description={t('campaigns.chartLoading')} />
        ) : series.dates.length === 0 ? (
          <Typography.Text type="secondary">{t('campaigns.noDays')}</Typography.Text>
        ) : (
          <Suspense fallback={<Spin description={t('campaigns.chartLoading')} />}>
            <BurndownChart series={series} />
          </Suspense>
        )}
      </Card>
      <Card size="small" title={t('campaigns.items')}>
        <Flex vertical gap={16}>
          {items.isError && <Alert type="error" showIcon title={campaignError(t, items.error).general} />}
          <Table<CampaignItem>
            rowKey="id"
            size="small"
            loading={items.isPending}
            dataSource={items.data ?? []}
            columns={columns}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: t('campaigns.empty') }}
          />
          {canWrite && <AddItemsForm campaignId={c.id} />}
        </Flex>
      </Card>
    </Flex>
  );
}
