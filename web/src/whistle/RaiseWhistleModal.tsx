import { Alert, Form, Input, Modal, Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCaseRules } from '../cases/casesApi';
import type { CaseDto } from '../cases/caseTypes';
import { useOrganisations } from '../territory/territoryApi';
import { raiseActionFor, raiseRequests, unitsServingAll } from './raise';
import { useRaisableCases, useRaiseWhistle } from './whistleApi';
import { describeWhistleError } from './whistleErrors';

/**
 * Narrows the fetch to the states a dispatch is usually fired from; which of these cases the user may
 * really raise a whistle on is the server's answer, in each case's `allowedActions`.
 */
const CANDIDATE_STATES: readonly CaseDto['state'][] = ['accepted', 'returned', 'dispatched'];

interface RaiseValues {
  caseIds: string[];
  unitIds: string[];
  note?: string;
}

/**
 * Blows the whistle on one or more cases at once: each case is dispatched at tier 3 to the same units.
 * Cases that fail are named with the reason, and the others still go through.
 */
export function RaiseWhistleModal({
  onClose,
  onRaised,
}: {
  onClose: () => void;
  onRaised: (caseIds: string[]) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RaiseValues>();
  const candidates = useRaisableCases(CANDIDATE_STATES, true);
  const organisations = useOrganisations();
  const raise = useRaiseWhistle();
  // The least number of units a whistle summons is the server's rule; the dialog says so before sending.
  const minUnits = useCaseRules().data?.whistle.minUnits;
  const [failures, setFailures] = useState<string[]>([]);
  const chosenIds = Form.useWatch('caseIds', form) ?? [];

  const cases = (candidates.data?.items ?? []).filter((c) => raiseActionFor(c.allowedActions) !== null);
  const chosen = cases.filter((c) => chosenIds.includes(c.id));
  const unitOptions = useMemo(
    () =>
      unitsServingAll(
        organisations.data ?? [],
        chosen.map((c) => c.streetCode),
      ).map((org) => ({ value: org.id, label: org.name })),
    [organisations.data, chosen],
  );

  const submit = (values: RaiseValues) => {
    setFailures([]);
    const selected = cases.filter((c) => values.caseIds.includes(c.id));
    raise.mutate(raiseRequests(selected, values.unitIds, values.note), {
      onSuccess: (outcomes) => {
        const byId = new Map<string, CaseDto>(selected.map((c) => [c.id, c]));
        const failed = outcomes.filter((o) => !o.ok);
        const raised = outcomes.filter((o) => o.ok).map((o) => o.caseId);
        if (failed.length === 0) {
          onRaised(raised);
          return;
        }
        setFailures(
          failed.map((o) =>
            t('whistle.raiseFailed', {
              caseNumber: byId.get(o.caseId)?.caseNumber ?? o.caseId,
              message: describeWhistleError(t, o.error),
            }),
          ),
        );
        // The cases that went through are no longer candidates; only the failed ones stay chosen.
        form.setFieldValue(
          'caseIds',
          failed.map((o) => o.caseId),
        );
      },
    });
  };

  return (
    <Modal
      open
      title={t('whistle.raiseTitle')}
      okText={t('whistle.raise')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={raise.isPending}
      destroyOnHidden
    >
      {candidates.isError && (
        <Alert
          type="error"
          showIcon
          title={describeWhistleError(t, candidates.error)}
          style={{ marginBottom: 16 }}
        />
      )}
      {failures.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={failures.join('\n')}
          style={{ marginBottom: 16, whiteSpace: 'pre-line' }}
        />
      )}
      <Form<RaiseValues> form={form} layout="vertical" name="raise-whistle" onFinish={submit} requiredMark>
        <Form.Item
          name="caseIds"
          label={t('whistle.raiseCases')}
          extra={
            cases.length === 0 && !candidates.isPending
              ? t('whistle.noRaisable')
              : t('whistle.raiseCasesHint')
          }
          rules={[
            {
              required: true,
              type: 'array',
              min: 1,
              message: t('whistle.required', { field: t('whistle.raiseCases') }),
            },
          ]}
        >
          <Select
            mode="multiple"
            loading={candidates.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={cases.map((c) => ({
              value: c.id,
              label: `${c.caseNumber} · ${t(`cases.state.${c.state}`)} · ${c.description.slice(0, 40)}`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="unitIds"
          label={t('whistle.raiseUnits')}
          extra={t('whistle.raiseUnitsHint')}
          rules={[
            {
              required: true,
              type: 'array',
              min: 1,
              message: t('whistle.required', { field: t('whistle.raiseUnits') }),
            },
            { type: 'array', min: minUnits, message: t('whistle.raiseUnitsMin', { count: minUnits }) },
          ]}
        >
          <Select
            mode="multiple"
            loading={organisations.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={unitOptions}
          />
        </Form.Item>
        <Form.Item name="note" label={t('whistle.raiseNote')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
