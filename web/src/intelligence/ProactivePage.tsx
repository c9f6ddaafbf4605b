import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Segmented,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/describeError';
import { useCan } from '../auth/currentUser';
import { describeActionError } from '../cases/ActionForm';
import { formatDateTime } from '../cases/CaseLabels';
import { CategoryLabel } from '../cases/categories';
import { useDecideTask, useNextWeek, useProposeTasks, useTaskStats, useTasks } from './intelligenceApi';
import type { ProactiveTask, SeriesOutlook, TaskState } from './intelligenceTypes';
import { periodRange } from './periods';

const STATES: readonly (TaskState | 'all')[] = ['proposed', 'accepted', 'dismissed', 'all'];

/** Proactive work (未诉先办): what next week's forecast flags, the tasks proposed, and how they fared. */
export function ProactivePage() {
  const { t, i18n } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const [state, setState] = useState<TaskState | 'all'>('proposed');
  const tasks = useTasks(state);
  const next = useNextWeek();
  const range = useMemo(() => periodRange('last3Months', new Date()), []);
  const stats = useTaskStats(range.from, range.to);
  const propose = useProposeTasks();
  const decide = useDecideTask();
  const isDesk = can('proactive_task.decide');

  const decideTask = (id: string, decision: 'accept' | 'dismiss') =>
    decide.mutate(
      { id, decision },
      {
        onSuccess: () => message.success(t(`intelligence.tasks.${decision}ed`)),
        onError: (e) => message.error(describeActionError(t, e)),
      },
    );

  const taskColumns: TableColumnsType<ProactiveTask> = [
    {
      title: t('intelligence.tasks.week'),
      dataIndex: 'weekStart',
      width: 150,
      render: (w: string) => formatDateTime(w, i18n.language).slice(0, 10),
    },
    { title: t('intelligence.tasks.where'), dataIndex: 'scopeName' },
    { title: t('intelligence.tasks.category'), dataIndex: 'categoryName' },
    {
      title: t('intelligence.tasks.kind'),
      dataIndex: 'kind',
      render: (k: ProactiveTask['kind']) => <Tag>{t(`intelligence.tasks.kinds.${k}`)}</Tag>,
    },
    {
      title: t('intelligence.tasks.forecast'),
      key: 'forecast',
      render: (_, r) =>
        t('intelligence.tasks.range', { forecast: r.forecast, low: r.low, high: r.high, normal: r.normal }),
    },
    {
      title: t('intelligence.tasks.outcome'),
      key: 'outcome',
      render: (_, r) =>
        r.actual === null
          ? '—'
          : t(r.came ? 'intelligence.tasks.came' : 'intelligence.tasks.didNotCome', { actual: r.actual }),
    },
    {
      title: t('intelligence.tasks.state'),
      key: 'state',
      render: (_, r) =>
        isDesk && r.state === 'proposed' ? (
          <Flex gap={8}>
            <Button size="small" type="primary" onClick={() => decideTask(r.id, 'accept')}>
              {t('intelligence.tasks.accept')}
            </Button>
            <Button size="small" onClick={() => decideTask(r.id, 'dismiss')}>
              {t('intelligence.tasks.dismiss')}
            </Button>
          </Flex>
        ) : (
          <Tag>{t(`intelligence.tasks.states.${r.state}`)}</Tag>
        ),
    },
  ];

  const seriesColumns: TableColumnsType<SeriesOutlook> = [
    { title: t('intelligence.forecast.place'), dataIndex: 'place' },
    {
      title: t('intelligence.tasks.category'),
      dataIndex: 'categoryKey',
      render: (key: string | null) => <CategoryLabel categoryKey={key} />,
    },
    { title: t('intelligence.forecast.normal'), dataIndex: 'normal' },
    { title: t('intelligence.forecast.lastWeek'), dataIndex: 'lastWeek' },
    {
      title: t('intelligence.tasks.forecast'),
      key: 'f',
      render: (_, s) => `${s.forecast} (${s.low}–${s.high})`,
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('intelligence.tasks.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('intelligence.tasks.hint')}
      </Typography.Paragraph>
      {stats.data && (
        <Flex gap={32} wrap>
          <Statistic title={t('intelligence.tasks.stats.proposed')} value={stats.data.proposed} />
          <Statistic title={t('intelligence.tasks.stats.accepted')} value={stats.data.accepted} />
          <Statistic title={t('intelligence.tasks.stats.evaluated')} value={stats.data.evaluated} />
          <Statistic title={t('intelligence.tasks.stats.came')} value={stats.data.came} />
        </Flex>
      )}
      <Card
        size="small"
        title={
          next.data
            ? t('intelligence.forecast.title', {
                week: formatDateTime(next.data.weekStart, i18n.language).slice(0, 10),
                model: next.data.model,
                mase: next.data.mase,
              })
            : t('intelligence.forecast.loading')
        }
        extra={
          isDesk && (
            <Button
              type="primary"
              loading={propose.isPending}
              onClick={() =>
                propose.mutate(undefined, {
                  onSuccess: (r) =>
                    message.success(t('intelligence.tasks.proposedCount', { count: r.proposed })),
                  onError: (e) => message.error(describeActionError(t, e)),
                })
              }
            >
              {t('intelligence.tasks.propose')}
            </Button>
          )
        }
      >
        {next.isError && <Alert type="error" showIcon title={describeError(t, next.error)} />}
        <Table<SeriesOutlook>
          rowKey={(s) => `${s.place}:${s.categoryKey}`}
          size="small"
          loading={next.isPending}
          columns={seriesColumns}
          dataSource={next.data?.series ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('intelligence.forecast.empty') }}
        />
      </Card>
      <Segmented<TaskState | 'all'>
        value={state}
        onChange={setState}
        options={STATES.map((s) => ({ value: s, label: t(`intelligence.tasks.filter.${s}`) }))}
      />
      {tasks.isError && <Alert type="error" showIcon title={describeError(t, tasks.error)} />}
      <Table<ProactiveTask>
        rowKey="id"
        size="middle"
        loading={tasks.isPending}
        columns={taskColumns}
        dataSource={tasks.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('intelligence.tasks.empty') }}
      />
    </Flex>
  );
}
