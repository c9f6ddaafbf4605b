import { Form, Input, InputNumber, Modal, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAlleys } from '../territory/territoryApi';
import { beijingInputToInstant } from '../time/beijing';
import { Failure } from './Failure';
import { useCommunities } from './parkingApi';
import {
  ACTIVITY_KINDS,
  type ActivityKind,
  createActivity,
  createTeam,
  type Team,
  updateTeam,
  useParticipationAction,
} from './participationApi';

/** The alleys of a street, optionally only those of one community (and the street's shared ones). */
export function useAlleyOptions(street: string | null, communityCode?: string | null) {
  const alleys = useAlleys({ street: street ?? undefined, limit: 500, offset: 0 }, street !== null);
  return (alleys.data?.items ?? [])
    .filter((a) => !communityCode || a.communityCode === null || a.communityCode === communityCode)
    .map((a) => ({ value: a.id, label: a.name, communityCode: a.communityCode }));
}

interface TeamValues {
  communityCode: string;
  name: string;
  alleyId?: string | null;
}

/**
 * Sets up a volunteer team of a community (optionally of one of its alleys), or renames one and changes
 * its alley. The server checks the scope and that the alley lies in the community's street.
 */
export function TeamModal({
  street,
  team,
  open,
  onClose,
  onSaved,
}: {
  street: string | null;
  /** The team to edit; null sets up a new one. */
  team: Team | null;
  open: boolean;
  onClose: () => void;
  onSaved: (team: Team) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<TeamValues>();
  const communities = useCommunities(street);
  const communityCode = Form.useWatch('communityCode', form);
  const alleys = useAlleyOptions(street, communityCode);
  const save = useParticipationAction((v: TeamValues) =>
    team
      ? updateTeam({ id: team.id, name: v.name, alleyId: v.alleyId ?? null })
      : createTeam({ communityCode: v.communityCode, name: v.name, alleyId: v.alleyId ?? undefined }),
  );
  useEffect(() => {
    if (!open) return;
    save.reset();
    form.setFieldsValue(
      team
        ? { communityCode: team.communityCode, name: team.name, alleyId: team.alleyId }
        : { communityCode: communities.data?.[0]?.code, name: '', alleyId: null },
    );
  }, [open, team, communities.data, form, save.reset]);
  return (
    <Modal
      open={open}
      title={team ? t('participation.setup.editTeam') : t('participation.setup.newTeam')}
      okText={t('participation.proposals.save')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() =>
        form
          .validateFields()
          .then((v) => save.mutate(v, { onSuccess: (saved) => onSaved(saved as Team) }))
          .catch(() => undefined)
      }
    >
      <Failure error={save.error} />
      <Form form={form} name="volunteerTeam" layout="vertical">
        <Form.Item
          name="communityCode"
          label={t('participation.setup.community')}
          rules={[{ required: true }]}
        >
          <Select
            disabled={team !== null}
            options={(communities.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('participation.setup.teamName')}
          rules={[{ required: true, max: 100 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item name="alleyId" label={t('participation.setup.alley')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('participation.setup.wholeCommunity')}
            options={alleys}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ActivityValues {
  kind: ActivityKind;
  title: string;
  place: string;
  alleyId?: string;
  /** `datetime-local` values, read as Beijing time. */
  startsAt: string;
  endsAt: string;
  capacity?: number | null;
}

/** Organises an activity of a team: kind, title, place (and alley), Beijing times and places available. */
export function ActivityModal({
  street,
  team,
  open,
  onClose,
}: {
  street: string | null;
  team: Team | null;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ActivityValues>();
  const alleys = useAlleyOptions(street, team?.communityCode);
  const save = useParticipationAction((v: ActivityValues & { teamId: string }) =>
    createActivity({
      teamId: v.teamId,
      kind: v.kind,
      title: v.title,
      place: v.place,
      alleyId: v.alleyId ?? undefined,
      startsAt: beijingInputToInstant(v.startsAt),
      endsAt: beijingInputToInstant(v.endsAt),
      capacity: v.capacity ?? undefined,
    }),
  );
  useEffect(() => {
    if (!open) return;
    save.reset();
    form.resetFields();
    form.setFieldsValue({ kind: 'patrol', alleyId: team?.alleyId ?? undefined });
  }, [open, team, form, save.reset]);
  return (
    <Modal
      open={open}
      title={t('participation.setup.newActivity', { team: team?.name ?? '' })}
      okText={t('participation.proposals.save')}
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() =>
        team &&
        form
          .validateFields()
          .then((v) => save.mutate({ ...v, teamId: team.id }, { onSuccess: onClose }))
          .catch(() => undefined)
      }
    >
      <Failure error={save.error} />
      <Form form={form} name="volunteerActivity" layout="vertical">
        <Form.Item name="kind" label={t('participation.setup.kind')} rules={[{ required: true }]}>
          <Select
            options={ACTIVITY_KINDS.map((k) => ({
              value: k,
              label: t(`participation.setup.activityKind.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="title" label={t('participation.activity')} rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="place" label={t('participation.place')} rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="alleyId" label={t('participation.setup.alley')}>
          <Select allowClear showSearch optionFilterProp="label" options={alleys} />
        </Form.Item>
        <Form.Item name="startsAt" label={t('participation.setup.startsAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="endsAt" label={t('participation.setup.endsAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="capacity" label={t('participation.setup.capacity')}>
          <InputNumber min={1} max={10_000} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
