import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../api/describeError';
import { applyFieldErrors } from '../api/formErrors';
import { formatDateTime } from '../cases/CaseLabels';
import {
  type IssuedClient,
  type Open311Client,
  useAddOpen311Client,
  useOpen311Clients,
  useRevokeOpen311Client,
} from './open311Api';

function RevokeButton({ client }: { client: Open311Client }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const revoke = useRevokeOpen311Client();
  if (!client.active) return null;
  return (
    <Popconfirm
      title={t('open311.confirmRevoke', { name: client.name })}
      okText={t('open311.revoke')}
      cancelText={t('common.cancel')}
      onConfirm={() =>
        revoke.mutate(client.id, {
          onSuccess: () => void message.success(t('open311.revoked', { name: client.name })),
          onError: (error) => void message.error(describeError(t, error)),
        })
      }
    >
      <Button size="small" danger loading={revoke.isPending}>
        {t('open311.revoke')}
      </Button>
    </Popconfirm>
  );
}

/**
 * The new key, shown once: only its hash is kept, so closing this dialog loses it for good. It is
 * mounted only while open, so the key leaves the page with it.
 */
function IssuedKeyModal({ issued, onClose }: { issued: IssuedClient; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t('open311.keyTitle', { name: issued.client.name })}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('open311.keySaved')}
        </Button>
      }
      mask={{ closable: false }}
    >
      <Flex vertical gap={12}>
        <Alert type="warning" showIcon title={t('open311.keyOnce')} />
        <Typography.Paragraph copyable={{ text: issued.apiKey }} code style={{ wordBreak: 'break-all' }}>
          {issued.apiKey}
        </Typography.Paragraph>
        <Typography.Text type="secondary">
          {t('open311.keyUsage', { district: issued.client.districtCode })}
        </Typography.Text>
      </Flex>
    </Modal>
  );
}

function AddClientModal({
  open,
  onClose,
  onIssued,
}: {
  open: boolean;
  onClose: () => void;
  onIssued: (issued: IssuedClient) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const add = useAddOpen311Client();
  const submit = ({ name }: { name: string }) =>
    add.mutate(
      { name: name.trim() },
      {
        onSuccess: (issued) => {
          form.resetFields();
          onClose();
          onIssued(issued);
        },
        onError: (error) => {
          if (!applyFieldErrors(form, error, t)) void message.error(describeError(t, error));
        },
      },
    );
  return (
    <Modal
      open={open}
      title={t('open311.addTitle')}
      okText={t('open311.add')}
      cancelText={t('common.cancel')}
      confirmLoading={add.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="name"
          label={t('open311.name')}
          extra={t('open311.nameHint')}
          rules={[{ required: true, whitespace: true, max: 100, message: t('open311.nameRequired') }]}
        >
          <Input autoFocus maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function Open311ClientsPage() {
  const { t, i18n } = useTranslation();
  const clients = useOpen311Clients();
  const [adding, setAdding] = useState(false);
  const [issued, setIssued] = useState<IssuedClient | null>(null);

  const columns: TableColumnsType<Open311Client> = [
    { title: t('open311.name'), dataIndex: 'name' },
    { title: t('open311.id'), dataIndex: 'id', responsive: ['md'] },
    { title: t('open311.district'), dataIndex: 'districtCode' },
    {
      title: t('open311.status'),
      dataIndex: 'active',
      render: (active: boolean) =>
        active ? <Tag color="green">{t('open311.active')}</Tag> : <Tag>{t('open311.inactive')}</Tag>,
    },
    {
      title: t('open311.createdAt'),
      dataIndex: 'createdAt',
      render: (at: string) => formatDateTime(at, i18n.language),
      responsive: ['lg'],
    },
    { title: t('common.actions'), key: 'actions', render: (_, client) => <RevokeButton client={client} /> },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('open311.title')}
        </Typography.Title>
        <Flex gap={12} align="center">
          <Link to="/admin/open311/attributes">{t('open311.attributesLink')}</Link>
          <Button type="primary" onClick={() => setAdding(true)}>
            {t('open311.add')}
          </Button>
        </Flex>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('open311.intro')}
      </Typography.Paragraph>
      {clients.isError && (
        <Typography.Text type="danger" role="alert">
          {describeError(t, clients.error)}
        </Typography.Text>
      )}
      <Table<Open311Client>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={clients.data?.items ?? []}
        loading={clients.isFetching}
        pagination={false}
      />
      <AddClientModal open={adding} onClose={() => setAdding(false)} onIssued={setIssued} />
      {issued && <IssuedKeyModal issued={issued} onClose={() => setIssued(null)} />}
    </Flex>
  );
}
