import {
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import { describeError } from '../api/describeError';
import { applyFieldErrors } from '../api/formErrors';
import { useTaxonomy } from '../cases/casesApi';
import {
  isListDatatype,
  OPEN311_DATATYPES,
  type Open311Attribute,
  type Open311AttributeInput,
  type Open311Datatype,
  useDeleteOpen311Attribute,
  useOpen311Attributes,
  useSaveOpen311Attribute,
} from './open311Api';

interface AttributeForm {
  code: string;
  datatype: Open311Datatype;
  required: boolean;
  description: string;
  datatypeDescription?: string;
  order: number;
  values?: { key: string; name: string }[];
}

/** The dialog's state: closed, adding a question, or editing one. */
type Editing = { attribute: Open311Attribute | null } | null;

function toInput(values: AttributeForm): Open311AttributeInput {
  const list = isListDatatype(values.datatype);
  return {
    code: values.code.trim(),
    datatype: values.datatype,
    required: values.required,
    description: values.description.trim(),
    datatypeDescription: values.datatypeDescription?.trim() || null,
    order: values.order,
    // The server refuses values on the other datatypes, so a list typed before switching is dropped.
    values: list ? (values.values ?? []).map((v) => ({ key: v.key.trim(), name: v.name.trim() })) : [],
  };
}

function AttributeModal({
  serviceCode,
  editing,
  nextOrder,
  onClose,
}: {
  serviceCode: string;
  editing: { attribute: Open311Attribute | null };
  nextOrder: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AttributeForm>();
  const save = useSaveOpen311Attribute(serviceCode);
  const datatype = Form.useWatch('datatype', form);
  const current = editing.attribute;
  const initialValues: AttributeForm = current
    ? {
        code: current.code,
        datatype: current.datatype,
        required: current.required,
        description: current.description,
        datatypeDescription: current.datatypeDescription ?? '',
        order: current.order,
        values: current.values,
      }
    : { code: '', datatype: 'string', required: false, description: '', order: nextOrder, values: [] };

  const submit = (values: AttributeForm) =>
    save.mutate(
      { id: current?.id ?? null, input: toInput(values) },
      {
        onSuccess: (saved) => {
          void message.success(t('open311.attr.saved', { code: saved.code }));
          onClose();
        },
        onError: (error) => {
          if (applyFieldErrors(form, error, t)) return;
          // A code or order the service already uses comes back as ALREADY_EXISTS naming one field.
          const field = isApiError(error, 'ALREADY_EXISTS') ? error.details.field : undefined;
          if (field === 'code' || field === 'order') {
            form.setFields([{ name: field, errors: [t(`open311.attr.taken.${field}`)] }]);
            return;
          }
          void message.error(describeError(t, error));
        },
      },
    );

  return (
    <Modal
      open
      title={current ? t('open311.attr.editTitle', { code: current.code }) : t('open311.attr.addTitle')}
      okText={t('open311.attr.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={640}
    >
      <Form<AttributeForm> form={form} layout="vertical" initialValues={initialValues} onFinish={submit}>
        <Flex gap={12} wrap>
          <Form.Item
            name="code"
            label={t('open311.attr.code')}
            extra={t('open311.attr.codeHint')}
            style={{ flex: '1 1 200px' }}
            rules={[
              { required: true, pattern: /^[A-Za-z0-9_-]{1,50}$/, message: t('open311.attr.codeRule') },
            ]}
          >
            <Input maxLength={50} autoFocus />
          </Form.Item>
          <Form.Item
            name="order"
            label={t('open311.attr.order')}
            style={{ flex: '0 0 120px' }}
            rules={[{ required: true, message: t('open311.attr.orderRule') }]}
          >
            <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item name="datatype" label={t('open311.attr.datatype')} rules={[{ required: true }]}>
          <Select
            options={OPEN311_DATATYPES.map((d) => ({
              value: d,
              label: t(`open311.attr.datatypes.${d}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="description"
          label={t('open311.attr.description')}
          extra={t('open311.attr.descriptionHint')}
          rules={[
            { required: true, whitespace: true, max: 1000, message: t('open311.attr.descriptionRule') },
          ]}
        >
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Form.Item
          name="datatypeDescription"
          label={t('open311.attr.datatypeDescription')}
          extra={t('open311.attr.datatypeDescriptionHint')}
          rules={[{ max: 500 }]}
        >
          <Input maxLength={500} />
        </Form.Item>
        <Form.Item name="required" valuePropName="checked" label={t('open311.attr.required')}>
          <Checkbox>{t('open311.attr.requiredHint')}</Checkbox>
        </Form.Item>
        {datatype && isListDatatype(datatype) && (
          <Form.List
            name="values"
            rules={[
              {
                validator: async (_, list?: unknown[]) => {
                  if (!list?.length) throw new Error(t('open311.attr.valuesRule'));
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <Flex vertical gap={4}>
                <Typography.Text strong>{t('open311.attr.values')}</Typography.Text>
                {fields.map((field, index) => (
                  <Flex key={field.key} gap={8} align="start" wrap>
                    <Form.Item
                      name={[field.name, 'key']}
                      label={t('open311.attr.valueKey', { n: index + 1 })}
                      style={{ flex: '1 1 140px', marginBottom: 8 }}
                      rules={[
                        {
                          required: true,
                          whitespace: true,
                          max: 100,
                          message: t('open311.attr.valueKeyRule'),
                        },
                      ]}
                    >
                      <Input maxLength={100} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'name']}
                      label={t('open311.attr.valueName', { n: index + 1 })}
                      style={{ flex: '2 1 200px', marginBottom: 8 }}
                      rules={[
                        {
                          required: true,
                          whitespace: true,
                          max: 200,
                          message: t('open311.attr.valueNameRule'),
                        },
                      ]}
                    >
                      <Input maxLength={200} />
                    </Form.Item>
                    <Button
                      style={{ marginTop: 30 }}
                      onClick={() => remove(field.name)}
                      aria-label={t('open311.attr.removeValue', { n: index + 1 })}
                    >
                      {t('open311.attr.remove')}
                    </Button>
                  </Flex>
                ))}
                <Button type="dashed" onClick={() => add({ key: '', name: '' })}>
                  {t('open311.attr.addValue')}
                </Button>
                <Form.ErrorList errors={errors} />
              </Flex>
            )}
          </Form.List>
        )}
      </Form>
    </Modal>
  );
}

function DeleteButton({ attribute, serviceCode }: { attribute: Open311Attribute; serviceCode: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const remove = useDeleteOpen311Attribute(serviceCode);
  return (
    <Popconfirm
      title={t('open311.attr.confirmDelete', { code: attribute.code })}
      okText={t('open311.attr.delete')}
      cancelText={t('common.cancel')}
      onConfirm={() =>
        remove.mutate(attribute.id, {
          onSuccess: () => void message.success(t('open311.attr.deleted', { code: attribute.code })),
          onError: (error) => void message.error(describeError(t, error)),
        })
      }
    >
      <Button size="small" danger loading={remove.isPending}>
        {t('open311.attr.delete')}
      </Button>
    </Popconfirm>
  );
}

/** The extra questions (Open311 service attributes) a district asks with each service, one service at a time. */
export function Open311AttributesPage() {
  const { t } = useTranslation();
  const taxonomy = useTaxonomy();
  const [serviceCode, setServiceCode] = useState<string>();
  const attributes = useOpen311Attributes(serviceCode);
  const [editing, setEditing] = useState<Editing>(null);
  const items = [...(attributes.data?.items ?? [])].sort((a, b) => a.order - b.order);
  const nextOrder = items.reduce((max, a) => Math.max(max, a.order), 0) + 1;

  const columns: TableColumnsType<Open311Attribute> = [
    { title: t('open311.attr.order'), dataIndex: 'order', width: 72 },
    { title: t('open311.attr.code'), dataIndex: 'code' },
    {
      title: t('open311.attr.datatype'),
      dataIndex: 'datatype',
      render: (d: Open311Datatype) => t(`open311.attr.datatypes.${d}`),
    },
    {
      title: t('open311.attr.description'),
      dataIndex: 'description',
      render: (description: string, a) => (
        <Flex vertical gap={4}>
          <span>
            {description} {a.required && <Tag color="red">{t('open311.attr.requiredTag')}</Tag>}
            {!a.variable && <Tag>{t('open311.attr.informational')}</Tag>}
          </span>
          {a.values.length > 0 && (
            <Typography.Text type="secondary">
              {a.values.map((v) => `${v.key} = ${v.name}`).join('；')}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, a) => (
        <Flex gap={8}>
          <Button size="small" onClick={() => setEditing({ attribute: a })}>
            {t('open311.attr.edit')}
          </Button>
          {serviceCode && <DeleteButton attribute={a} serviceCode={serviceCode} />}
        </Flex>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
          {t('open311.attr.title')}
        </Typography.Title>
        <Link to="/admin/open311">{t('open311.attr.toClients')}</Link>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('open311.attr.intro')}
      </Typography.Paragraph>
      <Form layout="vertical">
        <Flex gap={8} align="end" wrap>
          <Form.Item
            label={t('open311.attr.service')}
            htmlFor="open311-service"
            style={{ flex: '1 1 320px', margin: 0 }}
          >
            <Select
              id="open311-service"
              value={serviceCode}
              onChange={setServiceCode}
              placeholder={t('open311.attr.servicePlaceholder')}
              showSearch={{ optionFilterProp: 'label' }}
              loading={taxonomy.isPending}
              options={(taxonomy.data ?? []).map((entry) => ({
                value: entry.key,
                label: `${entry.code} ${entry.name}`,
              }))}
            />
          </Form.Item>
          <Button type="primary" disabled={!serviceCode} onClick={() => setEditing({ attribute: null })}>
            {t('open311.attr.add')}
          </Button>
        </Flex>
      </Form>
      {taxonomy.isError && (
        <Typography.Text type="danger" role="alert">
          {describeError(t, taxonomy.error)}
        </Typography.Text>
      )}
      {attributes.isError && (
        <Typography.Text type="danger" role="alert">
          {describeError(t, attributes.error)}
        </Typography.Text>
      )}
      {serviceCode ? (
        <Table<Open311Attribute>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items}
          loading={attributes.isFetching}
          pagination={false}
          locale={{ emptyText: t('open311.attr.empty') }}
        />
      ) : (
        <Typography.Text type="secondary">{t('open311.attr.pickService')}</Typography.Text>
      )}
      {editing && serviceCode && (
        <AttributeModal
          serviceCode={serviceCode}
          editing={editing}
          nextOrder={nextOrder}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}
