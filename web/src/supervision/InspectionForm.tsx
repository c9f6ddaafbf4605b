import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
  type UploadFile,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../api/describeError';
import { applyFieldErrors } from '../api/formErrors';
import { StateTag } from '../cases/CaseLabels';
import type { CaseState } from '../cases/caseTypes';
import { useAlleyShops } from '../participation/frontageApi';
import {
  type CoverageAlley,
  type InspectionFormItem,
  type InspectionSummary,
  useCreateInspection,
  useInspection,
  useInspectionForm,
} from './supervisionApi';

interface FindingValues {
  indicatorCode?: string;
  /** The registered shop a 门前三包 finding names: it becomes that shop's check. */
  shopId?: string;
  note?: string;
  photos?: UploadFile[];
  at?: [number, number];
}

interface FormValues {
  findings: FindingValues[];
}

/** The middle vertex of an alley's line: where a finding is placed unless the inspector locates it. */
export function alleyMidpoint(alley: Pick<CoverageAlley, 'geometry'>): [number, number] | undefined {
  const coords = alley.geometry?.coordinates ?? [];
  // The contract types a position as number[] (OpenAPI 3.0 has no tuples); the server sends [lng, lat].
  const [lng, lat] = coords[Math.floor(coords.length / 2)] ?? [];
  return lng === undefined || lat === undefined ? undefined : [lng, lat];
}

/**
 * The indicators a finding may name, grouped under their second-level item (and its first-level
 * heading): the server sends only those of the active version that apply to the chosen alley.
 */
export function indicatorOptions(items: InspectionFormItem[]) {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const groups = new Map<
    string,
    { label: string; options: { value: string; label: string; title: string }[] }
  >();
  for (const item of items) {
    if (item.level !== 3) continue;
    const parent = item.parentCode ? byCode.get(item.parentCode) : undefined;
    const top = parent?.parentCode ? byCode.get(parent.parentCode) : undefined;
    const key = parent?.code ?? '';
    const group = groups.get(key) ?? {
      label: [top?.name, parent?.name].filter(Boolean).join(' · '),
      options: [],
    };
    group.options.push({ value: item.code, label: `${item.code} ${item.name}`, title: item.standard });
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * A weekly check or third-party inspection of one alley: the form is the server's (the active indicator
 * version filtered to the alley), each finding carries its indicator, a note, photos and a position,
 * and is sent as one multipart request so the findings and their photos are stored or refused together.
 * The score is the server's answer, never computed here.
 */
export function InspectionForm({ alleys }: { alleys: CoverageAlley[] }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const [alleyId, setAlleyId] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const alley = alleys.find((a) => a.id === alleyId);
  const sheet = useInspectionForm(alleyId);
  const shops = useAlleyShops(alleyId);
  const create = useCreateInspection();
  const options = useMemo(() => indicatorOptions(sheet.data?.items ?? []), [sheet.data]);
  const deductions = useMemo(() => new Map((sheet.data?.items ?? []).map((i) => [i.code, i])), [sheet.data]);

  const submit = (values: FormValues) => {
    if (!alley || !sheet.data) return;
    const midpoint = alleyMidpoint(alley);
    const findings = values.findings ?? [];
    const body = new FormData();
    body.set('alleyId', alley.id);
    body.set('versionId', sheet.data.versionId);
    const owners: number[] = [];
    const listed = findings.map((f, index) => {
      for (const photo of f.photos ?? []) {
        if (photo.originFileObj) {
          body.append('photos', photo.originFileObj, photo.name);
          owners.push(index);
        }
      }
      const at = f.at ?? midpoint ?? [0, 0];
      const shopId = f.shopId && deductions.get(f.indicatorCode ?? '')?.frontage ? f.shopId : undefined;
      return { indicatorCode: f.indicatorCode, note: f.note ?? '', lng: at[0], lat: at[1], shopId };
    });
    body.set('findings', JSON.stringify(listed));
    body.set('photoFindings', owners.join(','));
    setFailure(undefined);
    create.mutate(body, {
      onSuccess: () => form.resetFields(),
      onError: (error) => {
        if (!applyFieldErrors(form, error, t)) setFailure(describeError(t, error));
      },
    });
  };

  const locate = (index: number) =>
    navigator.geolocation?.getCurrentPosition((p) =>
      form.setFieldValue(['findings', index, 'at'], [p.coords.longitude, p.coords.latitude]),
    );

  return (
    <Card size="small" title={t('supervision.inspections.new')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          showSearch
          optionFilterProp="label"
          aria-label={t('supervision.inspections.alley')}
          placeholder={t('supervision.inspections.alley')}
          style={{ width: 280, maxWidth: '100%' }}
          value={alleyId}
          onChange={(id) => {
            // The form is mounted only once a sheet is shown: clear the previous alley's findings then.
            if (sheet.data) form.resetFields();
            setAlleyId(id);
            create.reset();
          }}
          options={alleys.map((a) => ({ value: a.id, label: a.name }))}
        />
        {sheet.error && <Alert type="warning" showIcon title={describeError(t, sheet.error)} />}
        {sheet.data && (
          <Typography.Text type="secondary" data-testid="inspection-sheet">
            {t('supervision.inspections.sheet', { count: options.reduce((n, g) => n + g.options.length, 0) })}
            {sheet.data.previous &&
              ` · ${t('supervision.inspections.previous', {
                score: sheet.data.previous.score,
                at: sheet.data.previous.at.slice(0, 10),
              })}`}
          </Typography.Text>
        )}
        {alley && sheet.data && (
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{ findings: [] }}>
            <Form.List name="findings">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {fields.map((field, index) => (
                    <Card
                      key={field.key}
                      size="small"
                      title={t('supervision.inspections.finding', { n: index + 1 })}
                      extra={
                        <Button type="link" danger onClick={() => remove(field.name)}>
                          {t('supervision.inspections.remove')}
                        </Button>
                      }
                    >
                      <Form.Item
                        name={[field.name, 'indicatorCode']}
                        label={t('supervision.inspections.indicator')}
                        rules={[{ required: true, message: t('supervision.inspections.indicatorRequired') }]}
                      >
                        <Select showSearch optionFilterProp="label" options={options} />
                      </Form.Item>
                      <Form.Item noStyle shouldUpdate>
                        {() => {
                          const code = form.getFieldValue(['findings', field.name, 'indicatorCode']);
                          const item = code ? deductions.get(code) : undefined;
                          return item ? (
                            <>
                              <Typography.Paragraph type="secondary">
                                {item.standard}{' '}
                                <Tag>
                                  {t('supervision.inspections.deduction', {
                                    points: item.deductionPoints,
                                    cap: item.deductionCap,
                                  })}
                                </Tag>
                              </Typography.Paragraph>
                              {item.frontage && (shops.data?.length ?? 0) > 0 && (
                                <Form.Item
                                  name={[field.name, 'shopId']}
                                  label={t('supervision.inspections.shop')}
                                  extra={t('supervision.inspections.shopHint')}
                                >
                                  <Select
                                    allowClear
                                    showSearch
                                    optionFilterProp="label"
                                    aria-label={t('supervision.inspections.shop')}
                                    options={(shops.data ?? []).map((s) => ({
                                      value: s.id,
                                      label: `${s.name}（${s.address}）`,
                                    }))}
                                  />
                                </Form.Item>
                              )}
                            </>
                          ) : null;
                        }}
                      </Form.Item>
                      <Form.Item name={[field.name, 'note']} label={t('supervision.inspections.note')}>
                        <Input.TextArea rows={2} maxLength={2000} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'photos']}
                        label={t('supervision.inspections.photos')}
                        valuePropName="fileList"
                        getValueFromEvent={(event: { fileList: UploadFile[] }) => event.fileList}
                      >
                        <Upload
                          listType="picture-card"
                          accept="image/*"
                          multiple
                          maxCount={3}
                          beforeUpload={() => false}
                        >
                          {t('supervision.inspections.addPhoto')}
                        </Upload>
                      </Form.Item>
                      <Form.Item name={[field.name, 'at']} hidden>
                        <Input />
                      </Form.Item>
                      <Form.Item noStyle shouldUpdate>
                        {() => {
                          const at = form.getFieldValue(['findings', field.name, 'at']) as
                            | [number, number]
                            | undefined;
                          return (
                            <Space wrap>
                              <Typography.Text type="secondary">
                                {at
                                  ? t('supervision.inspections.atHere', {
                                      lng: at[0].toFixed(5),
                                      lat: at[1].toFixed(5),
                                    })
                                  : t('supervision.inspections.atAlley')}
                              </Typography.Text>
                              <Button size="small" onClick={() => locate(field.name)}>
                                {t('supervision.inspections.locate')}
                              </Button>
                            </Space>
                          );
                        }}
                      </Form.Item>
                    </Card>
                  ))}
                  <Space wrap>
                    <Button onClick={() => add({})}>{t('supervision.inspections.addFinding')}</Button>
                    <Button type="primary" htmlType="submit" loading={create.isPending}>
                      {t('supervision.inspections.submit')}
                    </Button>
                  </Space>
                  {fields.length === 0 && (
                    <Typography.Text type="secondary">
                      {t('supervision.inspections.noFindings')}
                    </Typography.Text>
                  )}
                </Space>
              )}
            </Form.List>
          </Form>
        )}
        {create.data && (
          <Alert
            type="success"
            showIcon
            data-testid="inspection-created"
            title={t('supervision.inspections.created', { score: create.data.score })}
            description={
              <Space wrap>
                {create.data.caseNumbers.map((n) => (
                  <Link key={n} to={`/cases/${encodeURIComponent(n)}`}>
                    {n}
                  </Link>
                ))}
              </Space>
            }
          />
        )}
        {failure && <Alert type="warning" showIcon title={failure} />}
      </Space>
    </Card>
  );
}

/** One inspection's findings and the cases they became, opened from the list. */
export function InspectionFindings({ inspection }: { inspection: InspectionSummary }) {
  const { t } = useTranslation();
  const detail = useInspection(inspection.id);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={{ xs: 1, sm: 3 }}>
        <Descriptions.Item label={t('supervision.inspections.score')}>{inspection.score}</Descriptions.Item>
        <Descriptions.Item label={t('supervision.inspections.inspector')}>
          {inspection.inspector.name}
        </Descriptions.Item>
        <Descriptions.Item label={t('supervision.inspections.previousLink')}>
          {inspection.previousId ? t('supervision.inspections.reinspection') : '—'}
        </Descriptions.Item>
      </Descriptions>
      <Table
        rowKey={(f) => f.caseId}
        size="small"
        pagination={false}
        loading={detail.isLoading}
        dataSource={detail.data?.findings ?? []}
        columns={[
          {
            title: t('supervision.inspections.indicator'),
            render: (_, f) => `${f.indicatorCode} ${f.indicatorName}`,
          },
          { title: t('supervision.inspections.deductionColumn'), dataIndex: 'deduction' },
          { title: t('supervision.inspections.note'), dataIndex: 'note' },
          {
            title: t('supervision.inspections.case'),
            render: (_, f) => (
              <Space>
                <Link to={`/cases/${encodeURIComponent(f.caseId)}`}>{f.caseNumber}</Link>
                <StateTag state={f.caseState as CaseState} />
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
