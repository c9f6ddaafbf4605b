import { Form, Input, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { BodyOf } from '../api/contract';
import type { Role } from '../api/types';
import { useSession } from '../auth/authApi';
import { Failure } from './Failure';
import { useCommunities } from './parkingApi';
import { useParticipationAction } from './participationApi';
import { registerHousehold, useOfficials, type VisitKind } from './visitsApi';

interface HouseholdValues {
  communityCode: string;
  label: string;
  address: string;
  kinds: BodyOf<'/api/visits/households', 'post'>['kinds'];
  contactName?: string;
  contactPhone?: string;
  officialUserId?: string;
}

/**
 * Registers a household to visit (十必访): its community, its kinds from the list, its contact (personal
 * data, for the staff of the scope) and the official who answers for its visits (default: whoever
 * registers it). The server checks the scope, the kinds and that the official keeps visits there.
 */
export function HouseholdModal({
  open,
  kinds,
  onClose,
  onRegistered,
}: {
  open: boolean;
  kinds: readonly VisitKind[];
  onClose: () => void;
  onRegistered: (label: string) => void;
}) {
  const { t } = useTranslation();
  const session = useSession();
  const scope = session.data?.user.scopeCode ?? null;
  const street = scope && scope.length >= 9 ? scope.slice(0, 9) : null;
  const communities = useCommunities(street);
  const [form] = Form.useForm<HouseholdValues>();
  const communityCode = Form.useWatch('communityCode', form) ?? null;
  const officials = useOfficials(communityCode);
  const register = useParticipationAction(registerHousehold);
  const own = scope && scope.length >= 12 ? scope.slice(0, 12) : null;
  useEffect(() => {
    if (!open) return;
    register.reset();
    form.resetFields();
    form.setFieldsValue({ communityCode: own ?? communities.data?.[0]?.code, kinds: [] });
  }, [open, own, communities.data, form, register.reset]);
  return (
    <Modal
      open={open}
      title={t('participation.visits.register')}
      okText={t('participation.visits.register')}
      confirmLoading={register.isPending}
      onCancel={onClose}
      onOk={() =>
        form
          .validateFields()
          .then((v) =>
            register.mutate(
              {
                communityCode: v.communityCode,
                label: v.label,
                address: v.address,
                kinds: v.kinds,
                contactName: v.contactName || undefined,
                contactPhone: v.contactPhone || undefined,
                officialUserId: v.officialUserId || undefined,
              },
              { onSuccess: () => onRegistered(v.label) },
            ),
          )
          .catch(() => undefined)
      }
    >
      <Failure error={register.error} />
      <Form form={form} name="visitHousehold" layout="vertical">
        <Form.Item
          name="communityCode"
          label={t('participation.setup.community')}
          rules={[{ required: true }]}
        >
          <Select
            disabled={own !== null}
            options={(communities.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
            onChange={() => form.setFieldValue('officialUserId', undefined)}
          />
        </Form.Item>
        <Form.Item
          name="label"
          label={t('participation.visits.household')}
          rules={[{ required: true, max: 100 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item
          name="address"
          label={t('participation.visits.address')}
          rules={[{ required: true, max: 200 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="kinds" label={t('participation.visits.kinds')} rules={[{ required: true }]}>
          <Select
            mode="multiple"
            optionFilterProp="label"
            options={kinds.map((k) => ({
              value: k.code,
              label: t('participation.visits.kindOption', { name: k.name, days: k.intervalDays }),
            }))}
          />
        </Form.Item>
        <Form.Item name="contactName" label={t('participation.visits.contactName')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('participation.visits.contactPhone')}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="officialUserId" label={t('participation.visits.official')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            loading={officials.isLoading}
            placeholder={t('participation.visits.officialDefault')}
            options={(officials.data ?? []).map((o) => ({
              value: o.userId,
              label: `${o.displayName}（${t(`role.${o.role as Role}`)}）`,
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
