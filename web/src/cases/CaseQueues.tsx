import { useQueries } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Flex, Result, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../api/describeError';
import { useCan } from '../auth/currentUser';
import { useNow } from './CaseLabels';
import { CaseTable } from './CaseTable';
import { caseKeys, fetchCases, formatTotal, useCases } from './casesApi';
import { type QueueDefinition, type QueueKey, queuesFor } from './queues';
import { slaLevel } from './sla';

const QUEUE_ROWS = 10;
// Overdue is filtered on the client from the open cases; this many are scanned.
const OVERDUE_SCAN = 200;

function queueLink(queue: QueueDefinition): string {
  const params = new URLSearchParams({ state: queue.states.join(',') });
  if (queue.overdueOnly) params.set('overdue', '1');
  return `/cases?${params.toString()}`;
}

function queueQuery(queue: QueueDefinition) {
  return { states: queue.states, limit: queue.overdueOnly ? OVERDUE_SCAN : QUEUE_ROWS, offset: 0 };
}

function overdueOf<T extends Parameters<typeof slaLevel>[0]>(items: readonly T[], now: number): T[] {
  return items.filter((dto) => slaLevel(dto, now) === 'red');
}

function useQueue(queue: QueueDefinition) {
  const now = useNow();
  const cases = useCases(queueQuery(queue));
  if (!queue.overdueOnly || !cases.data) return { cases, items: cases.data?.items, total: cases.data?.total };
  const overdue = overdueOf(cases.data.items, now);
  return { cases, items: overdue.slice(0, QUEUE_ROWS), total: overdue.length };
}

/**
 * The tab a queue page opens on: the first queue that holds work, once every count is known (the
 * first queue while they load, or when all are empty). The same queries as the tabs', so one request each.
 */
export function firstNonEmptyQueue(
  queues: readonly QueueDefinition[],
  totals: readonly (number | undefined)[],
): QueueKey | undefined {
  if (totals.some((total) => total === undefined)) return undefined;
  return (queues.find((_, i) => (totals[i] ?? 0) > 0) ?? queues[0])?.key;
}

function useQueueTotals(queues: readonly QueueDefinition[]): (number | undefined)[] {
  const now = useNow();
  const results = useQueries({
    queries: queues.map((queue) => ({
      queryKey: caseKeys.list(queueQuery(queue)),
      queryFn: ({ signal }: { signal: AbortSignal }) => fetchCases(queueQuery(queue), signal),
      staleTime: 15_000,
    })),
  });
  return results.map((result, i) => {
    if (!result.data) return result.isError ? 0 : undefined;
    return queues[i]?.overdueOnly ? overdueOf(result.data.items, now).length : result.data.total;
  });
}

function QueueLabel({ queue }: { queue: QueueDefinition }) {
  const { t } = useTranslation();
  const { total } = useQueue(queue);
  return (
    <Flex align="center" gap={6}>
      {t(`cases.queue.${queue.key}`)}
      <Badge
        count={total ?? 0}
        showZero
        overflowCount={999}
        // Overdue counts are alarming on purpose; other counts stay neutral. Both pass 4.5:1.
        color={queue.overdueOnly && (total ?? 0) > 0 ? '#a8071a' : '#595959'}
      />
    </Flex>
  );
}

function QueuePanel({ queue }: { queue: QueueDefinition }) {
  const { t } = useTranslation();
  const { cases, items, total } = useQueue(queue);
  if (cases.isError) return <Alert type="error" title={describeError(t, cases.error)} />;
  const shown = items?.length ?? 0;
  const scannedAll = !queue.overdueOnly || (cases.data?.total ?? 0) <= OVERDUE_SCAN;
  return (
    <Flex vertical gap={8}>
      <CaseTable items={items ?? []} loading={cases.isPending} compact />
      <Flex justify="space-between" wrap gap={8}>
        {!scannedAll && cases.data ? (
          <Typography.Text type="secondary">
            {t('cases.queue.partial', { shown: OVERDUE_SCAN, total: cases.data.total })}
          </Typography.Text>
        ) : (
          <span />
        )}
        {(total ?? 0) > shown && (
          <Link to={queueLink(queue)}>
            {t('cases.queue.more', {
              total: !queue.overdueOnly && cases.data ? formatTotal(cases.data) : total,
            })}
          </Link>
        )}
      </Flex>
    </Flex>
  );
}

/** The role's work queues, each a tab with its count, most urgent work first. */
export function CaseQueues() {
  const { t } = useTranslation();
  const can = useCan();
  const queues = queuesFor(can);
  const totals = useQueueTotals(queues);
  const [chosen, setChosen] = useState<string | null>(null);
  const activeKey = chosen ?? firstNonEmptyQueue(queues, totals) ?? queues[0]?.key;

  if (queues.length === 0) {
    return (
      <Card title={t('cases.queue.title')}>
        <Result
          status="info"
          title={t('cases.queue.residentHint')}
          extra={
            <Button type="primary" href="/r/">
              {t('cases.queue.openResident')}
            </Button>
          }
        />
      </Card>
    );
  }

  return (
    <Card title={t('cases.queue.title')}>
      <Tabs
        activeKey={activeKey}
        onChange={setChosen}
        items={queues.map((queue) => ({
          key: queue.key,
          label: <QueueLabel queue={queue} />,
          children: <QueuePanel queue={queue} />,
        }))}
      />
    </Card>
  );
}
