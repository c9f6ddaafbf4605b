import { Alert, Button, Checkbox, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatBeijing } from '../time/beijing';
import { Failure } from './Failure';
import { HouseholdModal } from './HouseholdForm';
import { useParticipationAction } from './participationApi';
import {
  type DueState,
  type Household,
  recordVisit,
  useDue,
  useHouseholds,
  useVisitKinds,
} from './visitsApi';

const STATE_COLOUR: Record<DueState, string> = { ok: 'green', due: 'orange', overdue: 'red' };

interface Draft {
  household: Household;
  notes: string;
  withIssue: boolean;
  description: string;
  lng: string;
  lat: string;
}

/**
 * Household visits (十必访) for the community's and street's staff: the households of their scope with
 * the server's due state, recording a visit (an issue raised opens a case), and what is due and
 * overdue per official. The server decides intervals, states and scope.
 */
export function VisitsTab() {
  const { t, i18n } = useTranslation();
  const kinds = useVisitKinds();
  const households = useHouseholds();
  const due = useDue();
  const record = useParticipationAction(recordVisit);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const [registered, setRegistered] = useState<string | null>(null);
  const when = (iso: string | null) => (iso ? formatBeijing(iso, i18n.language) : '—');
  const kindName = (code: string) => kinds.data?.items.find((k) => k.code === code)?.name ?? code;
  const stateTag = (h: Household) => (
    <Tag color={STATE_COLOUR[h.state]}>
      {t(`participation.visits.state.${h.state}`)}
      {h.state === 'overdue' ? ` ${t('participation.visits.daysOverdue', { days: h.daysOverdue })}` : ''}
    </Tag>
  );

  const submit = () => {
    if (!draft) return;
    record.mutate(
      {
        householdId: draft.household.id,
        notes: draft.notes || undefined,
        issue: draft.withIssue
          ? { description: draft.description, lng: Number(draft.lng), lat: Number(draft.lat) }
          : undefined,
      },
      {
        onSuccess: (v) => {
          setOpened((v as { caseNumber: string | null }).caseNumber);
          setDraft(null);
        },
      },
    );
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {kinds.data?.illustrative && (
        <Alert type="info" showIcon message={t('participation.visits.illustrative')} />
      )}
      {opened && (
        <Alert
          type="success"
          showIcon
          closable
          message={t('participation.visits.caseOpened', { number: opened })}
        />
      )}
      {registered && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setRegistered(null)}
          message={t('participation.visits.registered', { label: registered })}
        />
      )}
      <Failure error={households.error ?? due.error} />
      <Typography.Title level={5}>{t('participation.visits.households')}</Typography.Title>
      <Button type="primary" style={{ alignSelf: 'flex-start' }} onClick={() => setRegistering(true)}>
        {t('participation.visits.register')}
      </Button>
      <HouseholdModal
        open={registering}
        kinds={kinds.data?.items ?? []}
        onClose={() => setRegistering(false)}
        onRegistered={(label) => {
          setRegistering(false);
          setRegistered(label);
        }}
      />
      <Table
        rowKey="id"
        size="small"
        loading={households.isLoading}
        dataSource={households.data ?? []}
        pagination={false}
        columns={[
          { title: t('participation.visits.household'), dataIndex: 'label' },
          { title: t('participation.visits.address'), dataIndex: 'address' },
          {
            title: t('participation.visits.kinds'),
            render: (_, h: Household) => h.kinds.map((k) => <Tag key={k}>{kindName(k)}</Tag>),
          },
          {
            title: t('participation.visits.contact'),
            render: (_, h: Household) => [h.contactName, h.contactPhone].filter(Boolean).join(' ') || '—',
          },
          { title: t('participation.visits.official'), render: (_, h: Household) => h.officialName ?? '—' },
          { title: t('participation.visits.lastVisit'), render: (_, h: Household) => when(h.lastVisitAt) },
          { title: t('participation.visits.dueAt'), render: (_, h: Household) => when(h.dueAt) },
          { title: t('participation.state'), render: (_, h: Household) => stateTag(h) },
          {
            title: '',
            render: (_, h: Household) => (
              <Button
                size="small"
                onClick={() =>
                  setDraft({ household: h, notes: '', withIssue: false, description: '', lng: '', lat: '' })
                }
              >
                {t('participation.visits.record')}
              </Button>
            ),
          },
        ]}
      />
      <Typography.Title level={5}>{t('participation.visits.perOfficial')}</Typography.Title>
      <Table
        rowKey={(o) => o.officialUserId ?? '-'}
        size="small"
        loading={due.isLoading}
        dataSource={due.data?.officials ?? []}
        pagination={false}
        columns={[
          {
            title: t('participation.visits.official'),
            render: (_, o) => o.officialName ?? t('participation.visits.noOfficial'),
          },
          { title: t('participation.visits.total'), dataIndex: 'total' },
          { title: t('participation.visits.state.due'), dataIndex: 'due' },
          { title: t('participation.visits.state.overdue'), dataIndex: 'overdue' },
        ]}
      />
      <Typography.Title level={5}>{t('participation.visits.dueList')}</Typography.Title>
      <Table
        rowKey="id"
        size="small"
        loading={due.isLoading}
        dataSource={due.data?.households ?? []}
        pagination={false}
        columns={[
          { title: t('participation.visits.household'), dataIndex: 'label' },
          { title: t('participation.visits.official'), render: (_, h: Household) => h.officialName ?? '—' },
          { title: t('participation.visits.dueAt'), render: (_, h: Household) => when(h.dueAt) },
          { title: t('participation.state'), render: (_, h: Household) => stateTag(h) },
        ]}
      />
      <Modal
        open={!!draft}
        title={draft ? t('participation.visits.recordTitle', { label: draft.household.label }) : ''}
        okText={t('participation.visits.record')}
        confirmLoading={record.isPending}
        onOk={submit}
        onCancel={() => setDraft(null)}
      >
        {draft && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Failure error={record.error} />
            <Input.TextArea
              rows={3}
              placeholder={t('participation.visits.notes')}
              value={draft.notes}
              onChange={(e) => setDraft({ ...draft, notes: e.target.value })}
            />
            <Checkbox
              checked={draft.withIssue}
              onChange={(e) => setDraft({ ...draft, withIssue: e.target.checked })}
            >
              {t('participation.visits.withIssue')}
            </Checkbox>
            {draft.withIssue && (
              <>
                <Input.TextArea
                  rows={2}
                  placeholder={t('participation.visits.issueDescription')}
                  value={draft.description}
                  onChange={(e) => setDraft({ ...draft, description: e.target.value })}
                />
                <Space>
                  <Input
                    placeholder={t('participation.visits.lng')}
                    value={draft.lng}
                    onChange={(e) => setDraft({ ...draft, lng: e.target.value })}
                  />
                  <Input
                    placeholder={t('participation.visits.lat')}
                    value={draft.lat}
                    onChange={(e) => setDraft({ ...draft, lat: e.target.value })}
                  />
                </Space>
              </>
            )}
          </Space>
        )}
      </Modal>
    </Space>
  );
}
