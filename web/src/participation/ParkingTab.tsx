import { Button, Checkbox, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/authApi';
import { formatBeijing } from '../time/beijing';
import { Failure } from './Failure';
import {
  bookingAction,
  createSpace,
  type ParkingSpace,
  type ParkingWindow,
  updateSpace,
  useCommunities,
  useNoShows,
  useParkingBookings,
  useParkingSpaces,
  withdrawSpace,
} from './parkingApi';
import { useParticipationAction } from './participationApi';

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
type Day = (typeof DAYS)[number];

interface Draft {
  id: string | null;
  communityCode: string;
  name: string;
  unitName: string;
  note: string;
  windows: ParkingWindow[];
}

/**
 * Shared parking (错时停车) for the community's or street's staff: offer a unit's space with its weekly
 * windows, edit the windows, withdraw it; see the bookings (check someone in or out) and the no-shows
 * per person. The server decides every rule (windows, overlaps, scope, no-shows).
 */
export function ParkingTab() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const scope = session.data?.user.scopeCode ?? null;
  const street = scope && scope.length >= 9 ? scope.slice(0, 9) : null;
  const spaces = useParkingSpaces(street);
  const bookings = useParkingBookings();
  const noShows = useNoShows();
  const communities = useCommunities(street);
  const save = useParticipationAction((d: Draft) =>
    d.id
      ? updateSpace({ id: d.id, name: d.name, unitName: d.unitName, note: d.note, windows: d.windows })
      : createSpace({
          communityCode: d.communityCode,
          name: d.name,
          unitName: d.unitName,
          note: d.note,
          windows: d.windows,
        }),
  );
  const withdraw = useParticipationAction(withdrawSpace);
  const act = useParticipationAction(bookingAction);
  const [draft, setDraft] = useState<Draft | null>(null);
  const when = (iso: string) => formatBeijing(iso, i18n.language);
  const dayName = (d: number): string => t(`participation.parking.day.${d as Day}`);
  const windowText = (w: ParkingWindow) =>
    t(
      w.end === w.start
        ? 'participation.parking.windowAllDay'
        : w.end < w.start
          ? 'participation.parking.windowOvernight'
          : 'participation.parking.window',
      {
        days: w.days.map(dayName).join(' '),
        start: w.start,
        end: w.end,
      },
    );
  const setWindow = (i: number, patch: Partial<ParkingWindow>) =>
    draft && setDraft({ ...draft, windows: draft.windows.map((w, j) => (j === i ? { ...w, ...patch } : w)) });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={5}>{t('participation.parking.spaces')}</Typography.Title>
      <Failure error={spaces.error ?? withdraw.error} />
      <Button
        type="primary"
        onClick={() =>
          setDraft({
            id: null,
            communityCode: scope && scope.length === 12 ? scope : (communities.data?.[0]?.code ?? ''),
            name: '',
            unitName: '',
            note: '',
            windows: [{ days: [1, 2, 3, 4, 5], start: '18:00', end: '07:30' }],
          })
        }
      >
        {t('participation.parking.offer')}
      </Button>
      <Table
        rowKey="id"
        size="small"
        loading={spaces.isLoading}
        dataSource={spaces.data ?? []}
        pagination={false}
        columns={[
          { title: t('participation.parking.space'), dataIndex: 'name' },
          { title: t('participation.parking.unit'), dataIndex: 'unitName' },
          {
            title: t('participation.parking.windows'),
            render: (_, s: ParkingSpace) =>
              s.windows.map((w) => <div key={`${w.days.join()}${w.start}`}>{windowText(w)}</div>),
          },
          {
            title: t('participation.state'),
            render: (_, s: ParkingSpace) =>
              s.state === 'open' ? (
                <Tag color="green">{t('participation.parking.spaceState.open')}</Tag>
              ) : (
                <Tag>{t('participation.parking.spaceState.withdrawn')}</Tag>
              ),
          },
          {
            title: '',
            render: (_, s: ParkingSpace) =>
              s.state === 'open' && (
                <Space>
                  <Button
                    size="small"
                    onClick={() =>
                      setDraft({
                        id: s.id,
                        communityCode: s.communityCode,
                        name: s.name,
                        unitName: s.unitName,
                        note: s.note,
                        windows: s.windows,
                      })
                    }
                  >
                    {t('participation.parking.edit')}
                  </Button>
                  <Popconfirm
                    title={t('participation.parking.withdrawConfirm')}
                    onConfirm={() => withdraw.mutate(s.id)}
                  >
                    <Button size="small" danger>
                      {t('participation.parking.withdraw')}
                    </Button>
                  </Popconfirm>
                </Space>
              ),
          },
        ]}
      />

      <Typography.Title level={5}>{t('participation.parking.bookings')}</Typography.Title>
      <Failure error={bookings.error ?? act.error} />
      <Table
        rowKey="id"
        size="small"
        data-testid="parking-bookings"
        loading={bookings.isLoading}
        dataSource={bookings.data ?? []}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('participation.parking.space'), dataIndex: 'spaceName' },
          { title: t('participation.member'), dataIndex: 'displayName' },
          {
            title: t('participation.parking.time'),
            render: (_, b) => `${when(b.from)} – ${when(b.to)}`,
          },
          {
            title: t('participation.state'),
            render: (_, b) => (
              <Tag color={b.state === 'no_show' ? 'red' : b.state === 'checked_in' ? 'green' : undefined}>
                {t(`participation.parking.bookingState.${b.state}`)}
              </Tag>
            ),
          },
          {
            title: '',
            render: (_, b) => (
              <Space>
                {b.state === 'booked' && (
                  <>
                    <Button size="small" onClick={() => act.mutate({ id: b.id, action: 'check-in' })}>
                      {t('participation.parking.checkIn')}
                    </Button>
                    <Button size="small" onClick={() => act.mutate({ id: b.id, action: 'cancel' })}>
                      {t('participation.parking.cancel')}
                    </Button>
                  </>
                )}
                {b.state === 'checked_in' && (
                  <Button size="small" onClick={() => act.mutate({ id: b.id, action: 'check-out' })}>
                    {t('participation.parking.checkOut')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />

      <Typography.Title level={5}>{t('participation.parking.noShows')}</Typography.Title>
      <Failure error={noShows.error} />
      {noShows.data && (
        <Typography.Paragraph type="secondary">
          {t('participation.parking.policy', noShows.data.policy)}
        </Typography.Paragraph>
      )}
      <Table
        rowKey="userId"
        size="small"
        loading={noShows.isLoading}
        dataSource={noShows.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('participation.member'), dataIndex: 'displayName' },
          { title: t('participation.parking.noShowCount'), dataIndex: 'count' },
          { title: t('participation.parking.lastNoShow'), render: (_, r) => when(r.lastAt) },
          {
            title: '',
            render: (_, r) =>
              r.suspended ? <Tag color="red">{t('participation.parking.suspended')}</Tag> : null,
          },
        ]}
      />

      <Modal
        open={draft !== null}
        title={draft?.id ? t('participation.parking.edit') : t('participation.parking.offer')}
        okText={t('participation.parking.save')}
        confirmLoading={save.isPending}
        onCancel={() => setDraft(null)}
        onOk={() => draft && save.mutate(draft, { onSuccess: () => setDraft(null) })}
      >
        {draft && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Failure error={save.error} />
            {!draft.id && (
              <Select
                aria-label={t('participation.parking.community')}
                style={{ width: '100%' }}
                value={draft.communityCode || undefined}
                placeholder={t('participation.parking.community')}
                onChange={(communityCode: string) => setDraft({ ...draft, communityCode })}
                options={(communities.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
              />
            )}
            <Input
              aria-label={t('participation.parking.space')}
              placeholder={t('participation.parking.space')}
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            />
            <Input
              aria-label={t('participation.parking.unit')}
              placeholder={t('participation.parking.unit')}
              value={draft.unitName}
              onChange={(e) => setDraft({ ...draft, unitName: e.target.value })}
            />
            <Input
              aria-label={t('participation.parking.note')}
              placeholder={t('participation.parking.note')}
              value={draft.note}
              onChange={(e) => setDraft({ ...draft, note: e.target.value })}
            />
            <Typography.Text type="secondary">{t('participation.parking.windowsHint')}</Typography.Text>
            {draft.windows.map((w, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: windows have no identity of their own.
              <Space key={i} wrap>
                <Checkbox.Group
                  value={w.days}
                  onChange={(days) => setWindow(i, { days: (days as number[]).slice().sort() })}
                  options={DAYS.map((d) => ({ value: d, label: dayName(d) }))}
                />
                <Input
                  aria-label={t('participation.parking.start')}
                  style={{ width: 80 }}
                  value={w.start}
                  onChange={(e) => setWindow(i, { start: e.target.value })}
                />
                –
                <Input
                  aria-label={t('participation.parking.end')}
                  style={{ width: 80 }}
                  value={w.end}
                  onChange={(e) => setWindow(i, { end: e.target.value })}
                />
                <Button
                  size="small"
                  disabled={draft.windows.length === 1}
                  onClick={() => setDraft({ ...draft, windows: draft.windows.filter((_, j) => j !== i) })}
                >
                  {t('participation.parking.removeWindow')}
                </Button>
              </Space>
            ))}
            <Button
              size="small"
              onClick={() =>
                setDraft({
                  ...draft,
                  windows: [...draft.windows, { days: [6, 7], start: '08:00', end: '20:00' }],
                })
              }
            >
              {t('participation.parking.addWindow')}
            </Button>
          </Space>
        )}
      </Modal>
    </Space>
  );
}
