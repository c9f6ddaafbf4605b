import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useCan, useCurrentUser } from '../auth/currentUser';
import { formatDateTime } from '../cases/CaseLabels';
import { useTaxonomy } from '../cases/casesApi';
import { LevelTag } from '../cases/LevelTag';
import { type CampaignField, campaignError } from './campaignErrors';
import { type CampaignFormValues, campaignBody } from './campaignForms';
import { useCampaigns, useCreateCampaign } from './ledgersApi';
import type { CampaignSummary } from './ledgerTypes';

function CreateCampaignModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (id: string) => void;
}) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const [form] = Form.useForm<CampaignFormValues>();
  const create = useCreateCampaign();
  const taxonomy = useTaxonomy();
  const [error, setError] = useState<string | null>(null);
  const required = (field: string) => [
    { required: true, whitespace: true, message: t('whistle.required', { field }) },
  ];

  return (
    <Modal
      open
      title={t('campaigns.create')}
      okText={t('campaigns.create')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={create.isPending}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<CampaignFormValues>
        form={form}
        layout="vertical"
        name="create-campaign"
        initialValues={{ scopeCode: user.scopeCode ?? '' }}
        onFinish={(values) => {
          setError(null);
          create.mutate(campaignBody(values), {
            onSuccess: (campaign) => onCreated(campaign.id),
            onError: (e) => {
              const found = campaignError(t, e);
              form.setFields(
                (Object.keys(found.fields) as CampaignField[]).map((name) => ({
                  name,
                  errors: [found.fields[name] ?? ''],
                })),
              );
              setError(found.general ?? null);
            },
          });
        }}
      >
        <Form.Item
          name="name"
          label={t('campaigns.name')}
          rules={[...required(t('campaigns.name')), { min: 2 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('campaigns.description')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="categoryKeys"
          label={t('campaigns.categories')}
          extra={t('campaigns.categoriesHint')}
        >
          <Select
            mode="multiple"
            showSearch={{ optionFilterProp: 'label' }}
            loading={taxonomy.isPending}
            options={(taxonomy.data ?? []).map((entry) => ({
              value: entry.key,
              label: t('categories.withClass', { name: entry.name, majorClass: entry.majorClass }),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="scopeCode"
          label={t('campaigns.scope')}
          extra={t('campaigns.scopeHint')}
          rules={[
            ...required(t('campaigns.scope')),
            { pattern: /^\d{6}(\d{3}){0,3}$/, message: t('campaigns.scopeInvalid') },
          ]}
        >
          <Input autoComplete="off" inputMode="numeric" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="startsAt" label={t('campaigns.startsAt')} style={{ flex: 1 }}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="endsAt" label={t('campaigns.endsAt')} style={{ flex: 1 }}>
            <Input type="date" />
          </Form.Item>
        </Flex>
      </Form>
    </Modal>
  );
}

/** Campaign ledgers (清零行动) in the user's scope, each with how far it is from dynamic zero. */
export function CampaignListPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const can = useCan();
  const campaigns = useCampaigns();
  const [creating, setCreating] = useState(false);

  const columns: TableColumnsType<CampaignSummary> = [
    {
      title: t('campaigns.column.name'),
      dataIndex: 'name',
      render: (name: string, c) => <Link to={`/campaigns/${encodeURIComponent(c.id)}`}>{name}</Link>,
    },
    { title: t('campaigns.column.scope'), dataIndex: 'scopeCode' },
    {
      title: t('campaigns.column.startsAt'),
      dataIndex: 'startsAt',
      render: (at: string) => formatDateTime(at, i18n.language),
      responsive: ['md'],
    },
    { title: t('campaigns.column.items'), dataIndex: 'items' },
    { title: t('campaigns.column.open'), dataIndex: 'open' },
    { title: t('campaigns.column.cleared'), dataIndex: 'cleared' },
    {
      title: t('campaigns.column.progress'),
      key: 'progress',
      render: (_: unknown, c) => (
        <Flex align="center" gap={8}>
          <Progress
            percent={c.items === 0 ? 0 : Math.round((c.cleared / c.items) * 100)}
            size="small"
            style={{ width: 120, margin: 0 }}
            aria-label={t('campaigns.column.progress')}
          />
          {c.items > 0 && c.open === 0 ? (
            <LevelTag level="green">{t('campaigns.atZero')}</LevelTag>
          ) : (
            <LevelTag level="yellow">{t('campaigns.notAtZero')}</LevelTag>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('campaigns.title')}
        </Typography.Title>
        {can('campaign.write') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('campaigns.create')}
          </Button>
        )}
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('campaigns.hint')}
      </Typography.Paragraph>
      {campaigns.isError && <Alert type="error" showIcon title={campaignError(t, campaigns.error).general} />}
      <Card size="small">
        <Table<CampaignSummary>
          rowKey="id"
          size="small"
          loading={campaigns.isPending}
          dataSource={campaigns.data ?? []}
          columns={columns}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('campaigns.empty') }}
        />
      </Card>
      {creating && (
        <CreateCampaignModal
          onClose={() => setCreating(false)}
          onCreated={(id) => {
            setCreating(false);
            void message.success(t('campaigns.created'));
            void navigate(`/campaigns/${encodeURIComponent(id)}`);
          }}
        />
      )}
    </Flex>
  );
}
