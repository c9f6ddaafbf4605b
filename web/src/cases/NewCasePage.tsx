import { Alert, Button, Card, Col, Flex, Form, Input, Radio, Row, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, apiRequest } from '../api/client';
import { describeError } from '../api/describeError';
import { fieldIssueText } from '../api/fieldIssues';
import { useUsualFilingChannel } from '../auth/currentUser';
import { CategoryField } from '../resident/CategoryField';
import { type DraftPhoto, randomId } from '../resident/draft';
import { I18nProvider } from '../resident/i18n';
import { LocationField, type PickedPoint } from '../resident/LocationField';
import { PhotoPicker } from '../resident/PhotoPicker';
import { applyPalette } from '../resident/palette';
import './staffFiling.css';

/** The ways staff file a case from the console: the desk, a phone call, a patrol, an inspection. */
export const FILING_CHANNELS = ['staff', 'hotline', 'patrol', 'inspection'] as const;
export type FilingChannel = (typeof FILING_CHANNELS)[number];

interface TextValues {
  channel: FilingChannel;
  description: string;
  address?: string;
  reporterName?: string;
  reporterContact?: string;
}

export interface StaffFiling extends TextValues {
  point: PickedPoint;
  categoryCode: string | null;
  photos: DraftPhoto[];
}

/** The multipart body of POST /api/cases: the form's text fields and the photos. */
export function filingBody(filing: StaffFiling): FormData {
  const form = new FormData();
  form.append('channel', filing.channel);
  form.append('description', filing.description.trim());
  form.append('lng', String(filing.point.lng));
  form.append('lat', String(filing.point.lat));
  form.append('crs', 'wgs84');
  if (filing.categoryCode) form.append('categoryCode', filing.categoryCode);
  for (const field of ['address', 'reporterName', 'reporterContact'] as const) {
    const value = filing[field]?.trim();
    if (value) form.append(field, value);
  }
  for (const photo of filing.photos) form.append('photos', photo.blob, photo.name);
  return form;
}

export function fileCase(filing: StaffFiling, idempotencyKey: string) {
  return apiRequest<{ id: string; caseNumber: string; trackingCode: string }>('/api/cases', {
    method: 'POST',
    body: filingBody(filing),
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

const TEXT_FIELDS = ['description', 'address', 'reporterName', 'reporterContact'] as const;

/**
 * The server's refusal as words of this page: a text field it names gets its issue worded by
 * `fieldIssueText` (the server's own text is English and meant for developers); the location and
 * photos get this page's sentence; what no field explains goes on top.
 */
export function filingErrors(
  t: TFunction,
  error: unknown,
): {
  fields: Partial<Record<(typeof TEXT_FIELDS)[number] | 'location' | 'photos', string>>;
  general?: string;
} {
  if (!(error instanceof ApiError)) return { fields: {}, general: describeError(t, error) };
  if (error.code === 'OUTSIDE_TERRITORY') return { fields: { location: t('cases.new.invalid.outside') } };
  if (error.code === 'OUT_OF_SCOPE') return { fields: { location: t('cases.new.invalid.outOfScope') } };
  const fields: ReturnType<typeof filingErrors>['fields'] = {};
  let unexplained = false;
  for (const issue of error.fieldIssues) {
    const name = issue.field.split('.')[0] ?? '';
    const text = TEXT_FIELDS.find((field) => field === name);
    if (text) fields[text] = fieldIssueText(t, issue);
    else if (name === 'lng' || name === 'lat' || name === 'crs')
      fields.location = t('cases.new.invalid.location');
    else if (name === 'photos') fields.photos = t('cases.new.invalid.photos');
    else unexplained = true;
  }
  if (
    error.code === 'TOO_MANY_FILES' ||
    error.code === 'PAYLOAD_TOO_LARGE' ||
    error.code === 'UNSUPPORTED_MEDIA_TYPE'
  )
    fields.photos = t('cases.new.invalid.photos');
  const explained = Object.keys(fields).length > 0;
  return { fields, ...((!explained || unexplained) && { general: describeError(t, error) }) };
}

/**
 * 新建案件 / 巡查上报: staff file a case at the desk, from a phone call, on patrol or during an
 * inspection. The category, location and photo fields are the resident report's own; the console adds
 * the channel and the reporter's (caller's) name and number, which only staff ever see.
 */
export function NewCasePage() {
  const { t, i18n } = useTranslation();
  const usualChannel = useUsualFilingChannel();
  const navigate = useNavigate();
  const [form] = Form.useForm<TextValues>();
  const channel = Form.useWatch('channel', form) ?? usualChannel;
  const description = Form.useWatch('description', form) ?? '';
  const [category, setCategory] = useState<{ key: string; name: string } | null>(null);
  const [point, setPoint] = useState<PickedPoint | null>(null);
  const [photos, setPhotos] = useState<DraftPhoto[]>([]);
  const [locationError, setLocationError] = useState<string | null>(null);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  // One key for this form: a double click or a retry after a lost answer files one case.
  const [idempotencyKey] = useState(randomId);
  const residentFields = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (residentFields.current) applyPalette(residentFields.current);
  }, []);

  const submit = async (values: TextValues) => {
    setGeneral(null);
    setPhotoError(null);
    if (!point) {
      setLocationError(t('cases.new.locationRequired'));
      return;
    }
    setLocationError(null);
    setSending(true);
    try {
      const created = await fileCase(
        { ...values, point, categoryCode: category?.key ?? null, photos },
        idempotencyKey,
      );
      navigate(`/cases/${encodeURIComponent(created.id)}`);
    } catch (error) {
      const found = filingErrors(t, error);
      form.setFields(
        TEXT_FIELDS.filter((name) => found.fields[name]).map((name) => ({
          name,
          errors: [found.fields[name]!],
        })),
      );
      setLocationError(found.fields.location ?? null);
      setPhotoError(found.fields.photos ?? null);
      setGeneral(found.general ?? null);
    } finally {
      setSending(false);
    }
  };

  const contactWho = channel === 'hotline' ? 'caller' : channel === 'staff' ? 'visitor' : 'reporter';

  return (
    <Flex vertical gap={16}>
      <Link to="/cases">← {t('cases.new.back')}</Link>
      <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>
        {t('cases.new.title')}
      </Typography.Title>
      <Card size="small">
        <Form<TextValues>
          form={form}
          layout="vertical"
          name="staff-filing"
          initialValues={{ channel: usualChannel }}
          onFinish={submit}
        >
          {general && <Alert type="error" showIcon title={general} style={{ marginBottom: 12 }} />}
          <Form.Item name="channel" label={t('cases.new.channel')}>
            <Radio.Group
              optionType="button"
              options={FILING_CHANNELS.map((value) => ({ value, label: t(`cases.new.channels.${value}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('cases.new.description')}
            rules={[{ required: true, whitespace: true, message: t('cases.new.invalid.description') }]}
          >
            <Input.TextArea
              rows={4}
              maxLength={2000}
              showCount
              placeholder={t('cases.new.descriptionHint')}
            />
          </Form.Item>
          <I18nProvider initial={i18n.language === 'en' ? 'en' : 'zh-CN'}>
            <div ref={residentFields} className="staff-filing">
              <CategoryField selected={category} onChange={setCategory} description={description} />
              <LocationField
                point={point}
                error={locationError}
                onChange={(next) => {
                  setPoint(next);
                  setLocationError(null);
                }}
              />
              <PhotoPicker photos={photos} onChange={setPhotos} />
              {photoError && (
                <p className="field-error" role="alert">
                  {photoError}
                </p>
              )}
            </div>
          </I18nProvider>
          <Form.Item name="address" label={t('cases.new.address')} extra={t('cases.new.addressHint')}>
            <Input maxLength={200} autoComplete="off" />
          </Form.Item>
          <Row gutter={12}>
            <Col xs={24} md={12}>
              <Form.Item name="reporterName" label={t(`cases.new.contact.${contactWho}Name`)}>
                <Input maxLength={50} autoComplete="off" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="reporterContact" label={t(`cases.new.contact.${contactWho}Phone`)}>
                <Input maxLength={100} autoComplete="off" inputMode="tel" />
              </Form.Item>
            </Col>
          </Row>
          <Typography.Paragraph type="secondary">{t('cases.new.contactPrivate')}</Typography.Paragraph>
          <Button type="primary" htmlType="submit" loading={sending}>
            {t('cases.new.submit')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
