import { Button, Card, Drawer, Input, List, Modal, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/authApi';
import { useCan } from '../auth/currentUser';
import { CategoryPicker } from '../cases/categories';
import { formatBeijing } from '../time/beijing';
import { CatalogueTab } from './CatalogueTab';
import { Failure } from './Failure';
import { FrontageTab } from './FrontageTab';
import { ParkingTab } from './ParkingTab';
import {
  type ActivityKind,
  closeVote,
  confirmAttendance,
  confirmRedemption,
  type DecisionKind,
  decideMember,
  openVote,
  type Proposal,
  postComment,
  recordDecision,
  saveMinutes,
  useActivities,
  useComments,
  useMembers,
  useParticipationAction,
  useProposals,
  useReservedRedemptions,
  useSignups,
  useTeams,
} from './participationApi';
import { PARTICIPATION_TABS, type ParticipationTab } from './participationTabs';
import { ActivityModal, TeamModal, useAlleyOptions } from './TeamForms';
import { VisitsTab } from './VisitsTab';

const TAB_CONTENT: Record<ParticipationTab, () => ReactNode> = {
  volunteers: () => <VolunteersTab />,
  redemptions: () => <RedemptionsTab />,
  catalogue: () => <CatalogueTab />,
  proposals: () => <ProposalsTab />,
  parking: () => <ParkingTab />,
  visits: () => <VisitsTab />,
  frontage: () => <FrontageTab />,
};

/**
 * Participation for the community's staff: approve volunteers, confirm who came to an activity (the
 * server turns the minutes into hours and points), and hand reserved rewards over. Every rule is the
 * server's; this page shows its answers and its refusals, and only the tabs the session's capabilities
 * open (a grid worker sees the household visits, an inspector the frontage register).
 */
export function ParticipationPage() {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <Card title={t('participation.title')}>
      <Tabs
        items={PARTICIPATION_TABS.filter((tab) => can(tab.capability)).map((tab) => ({
          key: tab.key,
          label: t(`participation.tabs.${tab.key}`),
          children: TAB_CONTENT[tab.key](),
        }))}
      />
    </Card>
  );
}

function VolunteersTab() {
  const { t, i18n } = useTranslation();
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
  const street = scope && scope.length >= 9 ? scope.slice(0, 9) : null;
  const team = (teams.data ?? []).find((x) => x.id === teamId) ?? null;
  const [editing, setEditing] = useState<'new' | 'edit' | 'activity' | null>(null);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Failure error={teams.error} />
      <Space wrap>
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
            label: t('participation.teamOption', {
              name: team.name,
              members: team.members,
              hours: team.hours,
            }),
          }))}
        />
        <Button onClick={() => setEditing('new')}>{t('participation.setup.newTeam')}</Button>
        {team && <Button onClick={() => setEditing('edit')}>{t('participation.setup.editTeam')}</Button>}
        {team && (
          <Button type="primary" onClick={() => setEditing('activity')}>
            {t('participation.setup.addActivity')}
          </Button>
        )}
      </Space>
      <TeamModal
        street={street}
        team={editing === 'edit' ? team : null}
        open={editing === 'new' || editing === 'edit'}
        onClose={() => setEditing(null)}
        onSaved={(saved) => {
          setEditing(null);
          setTeamId(saved.id);
          setActivityId(null);
        }}
      />
      <ActivityModal
        street={street}
        team={team}
        open={editing === 'activity'}
        onClose={() => setEditing(null)}
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
            {
              title: t('participation.setup.kind'),
              render: (_, a) => t(`participation.setup.activityKind.${a.kind as ActivityKind}`),
            },
            { title: t('participation.place'), dataIndex: 'place' },
            {
              title: t('participation.startsAt'),
              render: (_, a) => formatBeijing(a.startsAt, i18n.language),
            },
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

const DECISION_KINDS: readonly DecisionKind[] = ['plan_item', 'case', 'campaign', 'none'];
const WEEK_MS = 7 * 86_400_000;

/**
 * Deliberation (议事协商) for the community's staff: open a proposal's vote, close it (the server
 * refuses before the deadline unless every eligible member voted, and shows no count until then),
 * record the minutes and the decision, which opens what it names.
 */
function ProposalsTab() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const scope = session.data?.user.scopeCode ?? null;
  const proposals = useProposals(scope && scope.length >= 9 ? scope.slice(0, 9) : null);
  const open = useParticipationAction(openVote);
  const close = useParticipationAction(closeVote);
  const minutes = useParticipationAction(saveMinutes);
  const decide = useParticipationAction(recordDecision);
  const [kinds, setKinds] = useState<Record<string, DecisionKind>>({});
  const [details, setDetails] = useState<Record<string, { alleyId?: string; categoryKey?: string }>>({});
  const [discussing, setDiscussing] = useState<Proposal | null>(null);
  const alleys = useAlleyOptions(scope && scope.length >= 9 ? scope.slice(0, 9) : null);
  const kindOf = (p: Proposal): DecisionKind =>
    kinds[p.id] ?? (p.vote?.outcome === 'adopted' ? 'plan_item' : 'none');
  const detail = (p: Proposal) => details[p.id] ?? { alleyId: p.alleyId ?? undefined };
  const setDetail = (p: Proposal, patch: { alleyId?: string; categoryKey?: string }) =>
    setDetails({ ...details, [p.id]: { ...detail(p), ...patch } });
  const [editing, setEditing] = useState<{ proposal: Proposal; text: string } | null>(null);
  const actionError = open.error ?? close.error ?? minutes.error ?? decide.error;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Failure error={proposals.error ?? actionError} />
      <Table
        rowKey="id"
        size="small"
        loading={proposals.isLoading}
        dataSource={proposals.data ?? []}
        columns={[
          { title: t('participation.proposals.proposal'), dataIndex: 'title' },
          {
            title: t('participation.state'),
            render: (_, p) => <Tag>{t(`participation.proposals.proposalState.${p.state}`)}</Tag>,
          },
          {
            title: t('participation.proposals.closesAt'),
            render: (_, p) => (p.vote ? formatBeijing(p.vote.closesAt, i18n.language) : ''),
          },
          {
            title: t('participation.proposals.tally'),
            render: (_, p) =>
              !p.vote
                ? ''
                : p.vote.tally
                  ? `${t('participation.proposals.tallyText', { ...p.vote.tally, eligible: p.vote.eligible, quorum: p.vote.quorum })} · ${p.vote.outcome ? t(`participation.proposals.outcome.${p.vote.outcome}`) : ''}`
                  : t('participation.proposals.secret'),
          },
          {
            title: '',
            render: (_, p) => (
              <Space wrap>
                {p.state === 'discussion' && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() =>
                      open.mutate({ id: p.id, closesAt: new Date(Date.now() + WEEK_MS).toISOString() })
                    }
                  >
                    {t('participation.proposals.openVote')}
                  </Button>
                )}
                {p.state === 'voting' && (
                  <Button size="small" type="primary" onClick={() => close.mutate(p.id)}>
                    {t('participation.proposals.closeVote')}
                  </Button>
                )}
                <Button size="small" onClick={() => setDiscussing(p)}>
                  {t('participation.proposals.discussion', { count: p.comments })}
                </Button>
                {p.state !== 'withdrawn' && (
                  <Button
                    size="small"
                    onClick={() => setEditing({ proposal: p, text: p.minutes?.text ?? '' })}
                  >
                    {t('participation.proposals.recordMinutes')}
                  </Button>
                )}
                {p.state === 'closed' && !p.decision && (
                  <>
                    <Select
                      size="small"
                      style={{ minWidth: 140 }}
                      aria-label={t('participation.proposals.decide')}
                      value={kindOf(p)}
                      onChange={(kind: DecisionKind) => setKinds({ ...kinds, [p.id]: kind })}
                      options={DECISION_KINDS.map((k) => ({
                        value: k,
                        label: t(`participation.proposals.decisionKind.${k}`),
                      }))}
                    />
                    {kindOf(p) === 'case' && (
                      <Select
                        size="small"
                        style={{ minWidth: 160 }}
                        showSearch
                        optionFilterProp="label"
                        aria-label={t('participation.proposals.decisionAlley')}
                        placeholder={t('participation.proposals.decisionAlley')}
                        value={detail(p).alleyId}
                        onChange={(alleyId: string) => setDetail(p, { alleyId })}
                        options={alleys.filter(
                          (a) => a.communityCode === null || a.communityCode === p.communityCode,
                        )}
                      />
                    )}
                    {(kindOf(p) === 'case' || kindOf(p) === 'campaign') && (
                      <CategoryPicker
                        aria-label={t('participation.proposals.decisionCategory')}
                        style={{ minWidth: 220 }}
                        allowClear
                        value={detail(p).categoryKey ?? null}
                        onChange={(categoryKey) => setDetail(p, { categoryKey })}
                      />
                    )}
                    <Button
                      size="small"
                      onClick={() => {
                        const kind = kindOf(p);
                        const { alleyId, categoryKey } = detail(p);
                        decide.mutate({
                          id: p.id,
                          kind,
                          ...(kind === 'case' ? { case: { alleyId, categoryKey } } : {}),
                          ...(kind === 'campaign' && categoryKey
                            ? { campaign: { categoryKeys: [categoryKey] } }
                            : {}),
                        });
                      }}
                    >
                      {t('participation.proposals.decide')}
                    </Button>
                  </>
                )}
                {p.decision && (
                  <Tag color="green">
                    {t('participation.proposals.decided', {
                      kind: t(`participation.proposals.decisionKind.${p.decision.kind}`),
                    })}
                  </Tag>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Discussion proposal={discussing} onClose={() => setDiscussing(null)} />
      <Modal
        open={editing !== null}
        title={editing ? t('participation.proposals.minutesTitle', { title: editing.proposal.title }) : ''}
        okText={t('participation.proposals.save')}
        onCancel={() => setEditing(null)}
        onOk={() => {
          if (!editing) return;
          minutes.mutate(
            { id: editing.proposal.id, text: editing.text },
            { onSuccess: () => setEditing(null) },
          );
        }}
      >
        <Input.TextArea
          rows={6}
          value={editing?.text ?? ''}
          onChange={(e) => editing && setEditing({ ...editing, text: e.target.value })}
        />
      </Modal>
    </Space>
  );
}

/**
 * A proposal's discussion for the community's staff: the comments by the kind of their author (never a
 * name), and a box to add one as staff (the server names the kind) while the proposal is open.
 */
function Discussion({ proposal, onClose }: { proposal: Proposal | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const comments = useComments(proposal?.id ?? null);
  const post = useParticipationAction(postComment);
  const [text, setText] = useState('');
  const open = proposal !== null && (proposal.state === 'discussion' || proposal.state === 'voting');
  return (
    <Drawer
      open={proposal !== null}
      width={520}
      title={proposal ? t('participation.proposals.discussionTitle', { title: proposal.title }) : ''}
      onClose={() => {
        post.reset();
        setText('');
        onClose();
      }}
    >
      {proposal && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{proposal.body}</Typography.Paragraph>
          <Failure error={comments.error ?? post.error} />
          <List
            loading={comments.isLoading}
            locale={{ emptyText: t('participation.proposals.noComments') }}
            dataSource={comments.data ?? []}
            renderItem={(c) => (
              <List.Item>
                <List.Item.Meta
                  title={
                    <Space>
                      <Tag>{t(`participation.proposals.authorKind.${c.authorKind}`)}</Tag>
                      <Typography.Text type="secondary">{formatBeijing(c.at, i18n.language)}</Typography.Text>
                    </Space>
                  }
                  description={<span style={{ whiteSpace: 'pre-wrap' }}>{c.body}</span>}
                />
              </List.Item>
            )}
          />
          {open && (
            <>
              <Input.TextArea
                rows={3}
                maxLength={2000}
                aria-label={t('participation.proposals.comment')}
                placeholder={t('participation.proposals.comment')}
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
              <Button
                type="primary"
                disabled={!text.trim()}
                loading={post.isPending}
                onClick={() => post.mutate({ id: proposal.id, body: text }, { onSuccess: () => setText('') })}
              >
                {t('participation.proposals.postComment')}
              </Button>
            </>
          )}
        </Space>
      )}
    </Drawer>
  );
}
