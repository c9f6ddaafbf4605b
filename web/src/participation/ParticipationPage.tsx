import { Alert, Button, Card, Select, Space, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/describeError';
import { useSession } from '../auth/authApi';
import {
  confirmAttendance,
  confirmRedemption,
  decideMember,
  useActivities,
  useMembers,
  useParticipationAction,
  useReservedRedemptions,
  useSignups,
  useTeams,
} from './participationApi';

/**
 * Participation for the community's staff: approve volunteers, confirm who came to an activity (the
 * server turns the minutes into hours and points), and hand reserved rewards over. Every rule is the
 * server's; this page shows its answers and its refusals.
 */
export function ParticipationPage() {
  const { t } = useTranslation();
  return (
    <Card title={t('participation.title')}>
      <Tabs
        items={[
          { key: 'volunteers', label: t('participation.tabs.volunteers'), children: <VolunteersTab /> },
          { key: 'redemptions', label: t('participation.tabs.redemptions'), children: <RedemptionsTab /> },
        ]}
      />
    </Card>
  );
}

function Failure({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return error ? <Alert type="warning" showIcon message={describeError(t, error)} /> : null;
}

function VolunteersTab() {
  const { t } = useTranslation();
  const session = useSession();
  const scope = session.data?.user.scopeCode ?? null;
  const teams = useTeams(scope && scope.length >= 9 ? scope.slice(0, 9) : null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [activityId, setActivityId] = useState<string | null>(null);
  const members = useMembers(teamId);
  const activities = useActivities(teamId);
  const signups = useSignups(activityId);
  const decide = useParticipationAction(decideMember);
  const attend = useParticipationAction(confirmAttendance);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Failure error={teams.error} />
      <Select
        aria-label={t('participation.team')}
        placeholder={t('participation.team')}
        style={{ minWidth: 320 }}
        value={teamId ?? undefined}
        onChange={(value: string) => {
          setTeamId(value);
          setActivityId(null);
        }}
        options={(teams.data ?? []).map((team) => ({
          value: team.id,
          label: t('participation.teamOption', { name: team.name, members: team.members, hours: team.hours }),
        }))}
      />
      <Failure error={members.error ?? decide.error} />
      {teamId && (
        <Table
          rowKey="userId"
          size="small"
          pagination={false}
          loading={members.isLoading}
          dataSource={members.data ?? []}
          columns={[
            { title: t('participation.member'), dataIndex: 'displayName' },
            { title: t('participation.note'), dataIndex: 'note' },
            {
              title: t('participation.state'),
              render: (_, m) => <Tag>{t(`participation.memberState.${m.state}`)}</Tag>,
            },
            { title: t('participation.hours'), dataIndex: 'hours' },
            {
              title: '',
              render: (_, m) =>
                m.state === 'applied' ? (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => decide.mutate({ teamId, userId: m.userId, approve: true })}
                    >
                      {t('participation.approve')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => decide.mutate({ teamId, userId: m.userId, approve: false })}
                    >
                      {t('participation.reject')}
                    </Button>
                  </Space>
                ) : null,
            },
          ]}
        />
      )}
      {teamId && (
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          loading={activities.isLoading}
          dataSource={activities.data ?? []}
          rowClassName={(a) => (a.id === activityId ? 'ant-table-row-selected' : '')}
          onRow={(a) => ({ onClick: () => setActivityId(a.id) })}
          columns={[
            { title: t('participation.activity'), dataIndex: 'title' },
            { title: t('participation.place'), dataIndex: 'place' },
            { title: t('participation.startsAt'), render: (_, a) => new Date(a.startsAt).toLocaleString() },
            {
              title: t('participation.signedUp'),
              render: (_, a) => `${a.signedUp}${a.capacity ? ` / ${a.capacity}` : ''}`,
            },
          ]}
        />
      )}
      <Failure error={signups.error ?? attend.error} />
      {activityId && (
        <Table
          rowKey="userId"
          size="small"
          pagination={false}
          loading={signups.isLoading}
          dataSource={signups.data ?? []}
          columns={[
            { title: t('participation.member'), dataIndex: 'displayName' },
            {
              title: t('participation.attendance'),
              render: (_, s) =>
                s.confirmedAt === null ? (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      onClick={() => attend.mutate({ activityId, userId: s.userId, attended: true })}
                    >
                      {t('participation.attended')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() => attend.mutate({ activityId, userId: s.userId, attended: false })}
                    >
                      {t('participation.absent')}
                    </Button>
                  </Space>
                ) : s.attended ? (
                  t('participation.minutes', { minutes: s.minutes ?? 0 })
                ) : (
                  t('participation.absent')
                ),
            },
          ]}
        />
      )}
    </Space>
  );
}

function RedemptionsTab() {
  const { t } = useTranslation();
  const redemptions = useReservedRedemptions();
  const confirm = useParticipationAction(confirmRedemption);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Failure error={redemptions.error ?? confirm.error} />
      <Table
        rowKey="id"
        size="small"
        loading={redemptions.isLoading}
        dataSource={redemptions.data ?? []}
        columns={[
          { title: t('participation.reward'), dataIndex: 'rewardName' },
          { title: t('participation.cost'), dataIndex: 'cost' },
          { title: t('participation.reservedAt'), render: (_, r) => new Date(r.createdAt).toLocaleString() },
          {
            title: '',
            render: (_, r) => (
              <Button size="small" type="primary" onClick={() => confirm.mutate(r.id)}>
                {t('participation.handOver')}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}
