import { Checkbox, Col, Flex, Form, Row, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AlleyChecklist } from '../api/types';
import { type Compliance, countCompliance, HAVE_KEYS, NOT_KEYS } from './checklist';

export function ComplianceCount({ compliance }: { compliance: Compliance }) {
  const { t } = useTranslation();
  return <Tag color="cyan">{t('alley.compliance', { ...compliance })}</Tag>;
}

function Mark({ ok }: { ok: boolean }) {
  const { t } = useTranslation();
  return (
    <Typography.Text
      type={ok ? 'success' : 'danger'}
      role="img"
      aria-label={ok ? t('alley.itemMet') : t('alley.itemUnmet')}
    >
      {ok ? '✓' : '✗'}
    </Typography.Text>
  );
}

interface ChecklistGroupProps {
  title: string;
  items: { key: string; label: string; ok: boolean }[];
}

function ChecklistGroup({ title, items }: ChecklistGroupProps) {
  return (
    <>
      <Typography.Title level={4} style={{ fontSize: 14 }}>
        {title}
      </Typography.Title>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {items.map(({ key, label, ok }) => (
          <li key={key}>
            <Flex gap={8}>
              <Mark ok={ok} />
              <span>{label}</span>
            </Flex>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ChecklistView({ checklist }: { checklist: AlleyChecklist }) {
  const { t } = useTranslation();
  const haves = HAVE_KEYS.map((key) => ({
    key,
    label: t(`checklist.haves.${key}`),
    ok: checklist.haves?.[key] === true,
  }));
  const nots = NOT_KEYS.map((key) => ({
    key,
    label: t(`checklist.nots.${key}`),
    ok: checklist.nots?.[key] === true,
  }));
  return (
    <Flex vertical gap={8}>
      <ComplianceCount compliance={countCompliance(checklist)} />
      <Row gutter={[24, 8]}>
        <Col xs={24} md={12}>
          <ChecklistGroup title={t('alley.haves')} items={haves} />
        </Col>
        <Col xs={24} md={12}>
          <ChecklistGroup title={t('alley.nots')} items={nots} />
        </Col>
      </Row>
    </Flex>
  );
}

/** The editable checklist inside the registry form; field names match the API's `checklist` shape. */
export function ChecklistFields() {
  const { t } = useTranslation();
  const checklist = Form.useWatch<AlleyChecklist | undefined>('checklist');
  return (
    <Flex vertical gap={8}>
      <ComplianceCount compliance={countCompliance(checklist)} />
      <Row gutter={[24, 0]}>
        <Col xs={24} md={12}>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 14, fontWeight: 600 }}>{t('alley.haves')}</legend>
            {HAVE_KEYS.map((key) => (
              <Form.Item
                key={key}
                name={['checklist', 'haves', key]}
                valuePropName="checked"
                style={{ marginBottom: 4 }}
              >
                <Checkbox>{t(`checklist.haves.${key}`)}</Checkbox>
              </Form.Item>
            ))}
          </fieldset>
        </Col>
        <Col xs={24} md={12}>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 14, fontWeight: 600 }}>{t('alley.nots')}</legend>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('alley.notsHint')}
            </Typography.Paragraph>
            {NOT_KEYS.map((key) => (
              <Form.Item
                key={key}
                name={['checklist', 'nots', key]}
                valuePropName="checked"
                style={{ marginBottom: 4 }}
              >
                <Checkbox>{t(`checklist.nots.${key}`)}</Checkbox>
              </Form.Item>
            ))}
          </fieldset>
        </Col>
      </Row>
    </Flex>
  );
}
