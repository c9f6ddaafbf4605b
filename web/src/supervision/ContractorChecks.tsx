import { Alert, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/describeError';
import { applyFieldErrors } from '../api/formErrors';
import { formatDateTime } from '../cases/CaseLabels';
import {
  type ContractorItem,
  type CoverageAlley,
  useContractorChecks,
  useContractorItems,
  useContractors,
  useCreateContractorCheck,
} from './supervisionApi';

interface FormValues {
  organisationId?: string;
  alleyId?: string;
  findings: { itemCode?: string; note?: string }[];
}

/** The district's check items grouped by area, as the form offers them. */
export function itemOptions(items: ContractorItem[]) {
  const areas = new Map<string, { label: string; options: { value: string; label: string }[] }>();
  for (const item of items) {
    const area = areas.get(item.area) ?? { label: item.area, options: [] };
    area.options.push({ value: item.code, label: `${item.code} ${item.name}（${item.points}）` });
    areas.set(item.area, area);
  }
  return [...areas.values()];
}

/**
 * A check of a contractor (保洁, 绿化…) in one alley: the items found wanting, each with a note. The
 * server deducts more for the n-th finding on the same item in the month and answers the score and each
 * finding's occurrence; this form shows that answer, and the month's checks below it.
 */
export function ContractorCheckForm({ alleys, month }: { alleys: CoverageAlley[]; month: string }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const [failure, setFailure] = useState<string>();
  const contractors = useContractors();
  const items = useContractorItems();
  const create = useCreateContractorCheck();
  const checks = useContractorChecks(month);
  const options = useMemo(() => itemOptions(items.data ?? []), [items.data]);
  const names = useMemo(() => new Map((items.data ?? []).map((i) => [i.code, i.name])), [items.data]);

  const submit = (values: FormValues) => {
    const alley = alleys.find((a) => a.id === values.alleyId);
    setFailure(undefined);
    create.mutate(
      {
        organisationId: values.organisationId ?? '',
        alleyId: alley?.id,
        streetCode: alley?.streetCode,
        findings: (values.findings ?? []).map((f) => ({ itemCode: f.itemCode ?? '', note: f.note })),
      },
      {
        onSuccess: () => form.setFieldValue('findings', []),
        onError: (error) => {
          if (!applyFieldErrors(form, error, t)) setFailure(describeError(t, error));
        },
      },
    );
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card size="small" title={t('supervision.contractors.new')}>
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ findings: [] }}>
          <Space wrap align="start">
            <Form.Item
              name="organisationId"
              label={t('supervision.contractors.name')}
              rules={[{ required: true, message: t('supervision.contractors.nameRequired') }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                style={{ width: 260, maxWidth: '100%' }}
                loading={contractors.isLoading}
                options={(contractors.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
              />
            </Form.Item>
            <Form.Item
              name="alleyId"
              label={t('supervision.inspections.alley')}
              rules={[{ required: true, message: t('supervision.contractors.alleyRequired') }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                style={{ width: 240, maxWidth: '100%' }}
                options={alleys.map((a) => ({ value: a.id, label: a.name }))}
              />
            </Form.Item>
          </Space>
          <Form.List name="findings">
            {(fields, { add, remove }) => (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {fields.map((field) => (
                  <Space key={field.key} wrap align="start">
                    <Form.Item
                      name={[field.name, 'itemCode']}
                      label={t('supervision.contractors.item')}
                      rules={[{ required: true, message: t('supervision.contractors.itemRequired') }]}
                    >
                      <Select
                        showSearch
                        optionFilterProp="label"
                        style={{ width: 320, maxWidth: '100%' }}
                        options={options}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'note']} label={t('supervision.inspections.note')}>
                      <Input maxLength={1000} style={{ width: 240, maxWidth: '100%' }} />
                    </Form.Item>
                    <Form.Item label=" ">
                      <Button type="link" danger onClick={() => remove(field.name)}>
                        {t('supervision.inspections.remove')}
                      </Button>
                    </Form.Item>
                  </Space>
                ))}
                <Space wrap>
                  <Button onClick={() => add({})}>{t('supervision.inspections.addFinding')}</Button>
                  <Button type="primary" htmlType="submit" loading={create.isPending}>
                    {t('supervision.contractors.submit')}
                  </Button>
                </Space>
              </Space>
            )}
          </Form.List>
        </Form>
        {create.data && (
          <Alert
            style={{ marginTop: 12 }}
            type="success"
            showIcon
            data-testid="contractor-check-created"
            title={t('supervision.contractors.created', { score: create.data.score })}
            description={
              <Space wrap>
                {create.data.findings.map((f) => (
                  <Tag key={`${f.itemCode}-${f.occurrence}`} color={f.occurrence > 1 ? 'red' : undefined}>
                    {t('supervision.contractors.finding', {
                      item: names.get(f.itemCode) ?? f.itemCode,
                      n: f.occurrence,
                      deduction: f.deduction,
                    })}
                  </Tag>
                ))}
              </Space>
            }
          />
        )}
        {failure && <Alert style={{ marginTop: 12 }} type="warning" showIcon title={failure} />}
      </Card>
      {checks.error && <Alert type="warning" showIcon title={describeError(t, checks.error)} />}
      <Typography.Text strong>{t('supervision.contractors.checksOfMonth')}</Typography.Text>
      <Table
        rowKey="id"
        size="small"
        scroll={{ x: true }}
        loading={checks.isLoading}
        dataSource={checks.data ?? []}
        expandable={{
          rowExpandable: (c) => c.findings.length > 0,
          expandedRowRender: (c) => (
            <Space wrap>
              {c.findings.map((f) => (
                <Tag key={`${f.itemCode}-${f.occurrence}`}>
                  {t('supervision.contractors.finding', {
                    item: names.get(f.itemCode) ?? f.itemCode,
                    n: f.occurrence,
                    deduction: f.deduction,
                  })}
                  {f.note ? `：${f.note}` : ''}
                </Tag>
              ))}
            </Space>
          ),
        }}
        columns={[
          { title: t('supervision.contractors.name'), dataIndex: 'organisationName' },
          {
            title: t('supervision.inspections.alley'),
            render: (_, c) => alleys.find((a) => a.id === c.alleyId)?.name ?? c.streetCode,
          },
          { title: t('supervision.inspections.score'), dataIndex: 'score' },
          {
            title: t('supervision.inspections.at'),
            render: (_, c) => formatDateTime(c.createdAt, i18n.language),
          },
        ]}
      />
    </Space>
  );
}
