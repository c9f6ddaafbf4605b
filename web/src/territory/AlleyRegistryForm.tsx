import { App, Button, Card, Col, Flex, Form, Input, Row, Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { describeError } from '../api/describeError';
import { applyFieldErrors } from '../api/formErrors';
import { ALLEY_TIERS, type AlleyDetail } from '../api/types';
import { ChecklistFields } from './ChecklistPanels';
import { normaliseRegistry, type RegistryFormValues, registryPatch, registryValues } from './registryForm';
import { useOrganisations, usePatchAlley } from './territoryApi';

export type SaveOutcome = 'saved' | 'conflict' | 'forbidden';

interface AlleyRegistryFormProps {
  alley: AlleyDetail;
  onDone: (outcome: SaveOutcome) => void;
  onCancel: () => void;
}

function useContractorOptions(alley: AlleyDetail) {
  const organisations = useOrganisations();
  return useMemo(() => {
    const options = (organisations.data ?? [])
      .filter((organisation) => organisation.kind === 'contractor')
      .map((organisation) => ({ value: organisation.id, label: organisation.name }));
    // The current contractor may lie outside what the picker lists (e.g. another district's company).
    if (alley.contractorId && !options.some((option) => option.value === alley.contractorId)) {
      options.unshift({ value: alley.contractorId, label: alley.contractorName ?? alley.contractorId });
    }
    return { options, loading: organisations.isPending };
  }, [organisations.data, organisations.isPending, alley.contractorId, alley.contractorName]);
}

export function AlleyRegistryForm({ alley, onDone, onCancel }: AlleyRegistryFormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<RegistryFormValues>();
  const original = useMemo(() => registryValues(alley), [alley]);
  const patchAlley = usePatchAlley(alley.id);
  const contractors = useContractorOptions(alley);

  const tierOptions = ALLEY_TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }));

  const save = (values: RegistryFormValues) => {
    const patch = registryPatch(original, normaliseRegistry(values, original), alley.version);
    if (!patch) {
      void message.info(t('alley.noChanges'));
      onCancel();
      return;
    }
    patchAlley.mutate(patch, {
      onSuccess: () => {
        void message.success(t('alley.saved'));
        onDone('saved');
      },
      onError: (error) => {
        if (error instanceof ApiError && error.code === 'CONFLICT') onDone('conflict');
        else if (error instanceof ApiError && ['FORBIDDEN', 'OUT_OF_SCOPE'].includes(error.code))
          onDone('forbidden');
        else if (!applyFieldErrors(form, error, t)) void message.error(describeError(t, error));
      },
    });
  };

  const text = (
    name: keyof RegistryFormValues | ['chief', keyof RegistryFormValues['chief']],
    label: string,
  ) => (
    <Form.Item name={name} label={label}>
      <Input />
    </Form.Item>
  );
  const paragraph = (name: keyof RegistryFormValues | ['chief', 'duties'], label: string) => (
    <Form.Item name={name} label={label}>
      <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} />
    </Form.Item>
  );

  return (
    <Form<RegistryFormValues>
      form={form}
      layout="vertical"
      initialValues={original}
      onFinish={save}
      name="alley-registry"
      disabled={patchAlley.isPending}
    >
      <Flex vertical gap={16}>
        <Card size="small" title={t('alley.basics')}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="currentTier" label={t('alley.currentTier')}>
                <Select options={tierOptions} allowClear placeholder={t('tier.none')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="targetTier" label={t('alley.targetTier')}>
                <Select options={tierOptions} allowClear placeholder={t('tier.none')} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('alley.chiefSection')}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              {text(['chief', 'name'], t('alley.chiefName'))}
            </Col>
            <Col xs={24} md={8}>
              {text(['chief', 'title'], t('alley.chiefTitle'))}
            </Col>
            <Col xs={24} md={8}>
              {text(['chief', 'phone'], t('alley.chiefPhone'))}
            </Col>
            <Col span={24}>{paragraph(['chief', 'duties'], t('alley.chiefDuties'))}</Col>
          </Row>
        </Card>
        <Card size="small" title={t('alley.governance')}>
          <Row gutter={16}>
            <Col xs={24} md={8}>
              {text('council', t('alley.council'))}
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="contractorId" label={t('alley.contractor')}>
                <Select
                  options={contractors.options}
                  loading={contractors.loading}
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder={t('alley.noContractor')}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              {text('volunteerTeam', t('alley.volunteerTeam'))}
            </Col>
            <Col span={24}>{paragraph('plan', t('alley.plan'))}</Col>
            <Col span={24}>{paragraph('residentsPact', t('alley.residentsPact'))}</Col>
            <Col span={24}>{paragraph('noticeBoard', t('alley.noticeBoard'))}</Col>
            <Col span={24}>{paragraph('cultureNote', t('alley.cultureNote'))}</Col>
          </Row>
        </Card>
        <Card size="small" title={t('alley.checklist')}>
          <ChecklistFields />
        </Card>
        <Flex gap={8}>
          <Button type="primary" htmlType="submit" loading={patchAlley.isPending}>
            {t('alley.save')}
          </Button>
          <Button onClick={onCancel} disabled={false}>
            {t('alley.cancelEdit')}
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}
