import { Alert, Card, Flex, List, Segmented, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { describeError } from '../api/describeError';
import { formatDateTime } from '../cases/CaseLabels';
import { useHotIssues } from './intelligenceApi';
import type { HotIssue } from './intelligenceTypes';
import { PERIOD_KEYS, type PeriodKey, periodRange } from './periods';

const HotIssueMap = lazy(() => import('./HotIssueMap'));

/** The cases of one issue, each opening its case page. */
function IssueCases({ issue }: { issue: HotIssue }) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      header={t('intelligence.hot.cases', { count: issue.caseIds.length })}
      dataSource={issue.caseIds.map((id, i) => ({ id, number: issue.caseNumbers[i] ?? id }))}
      renderItem={(c) => (
        <List.Item>
          <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.number}</Link>
        </List.Item>
      )}
    />
  );
}

/** Hot issues of a period (SPEC §7.2): on the map and as a list, hottest first. */
export function HotIssuesPage() {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<PeriodKey>('thisMonth');
  const range = useMemo(() => periodRange(period, new Date()), [period]);
  const issues = useHotIssues(range.from, range.to);
  const [expanded, setExpanded] = useState<number[]>([]);
  const list = issues.data?.issues ?? [];

  const columns: TableColumnsType<HotIssue> = [
    { title: t('intelligence.hot.rank'), dataIndex: 'rank', width: 64 },
    { title: t('intelligence.hot.heat'), dataIndex: 'heat', width: 90 },
    {
      title: t('intelligence.hot.issue'),
      key: 'issue',
      render: (_, i) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{i.place || t('intelligence.hot.noPlace')}</Typography.Text>
          <Typography.Text>{i.description}</Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('intelligence.hot.people'),
      key: 'people',
      width: 120,
      render: (_, i) => t('intelligence.hot.peopleCount', { people: i.people, cases: i.caseIds.length }),
    },
    {
      title: t('intelligence.hot.span'),
      key: 'span',
      width: 260,
      render: (_, i) => `${formatDateTime(i.from, i18n.language)} – ${formatDateTime(i.to, i18n.language)}`,
    },
    {
      title: t('intelligence.hot.support'),
      dataIndex: 'support',
      width: 90,
      render: (s: number) => (s > 0 ? <Tag color="orange">{s}</Tag> : '—'),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('intelligence.hot.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('intelligence.hot.hint')}
      </Typography.Paragraph>
      <Segmented<PeriodKey>
        value={period}
        onChange={setPeriod}
        options={PERIOD_KEYS.map((k) => ({ value: k, label: t(`intelligence.period.${k}`) }))}
      />
      {issues.isError && <Alert type="error" showIcon title={describeError(t, issues.error)} />}
      <Card size="small">
        <Suspense fallback={<div style={{ height: 420 }} />}>
          <HotIssueMap issues={list} onSelect={(rank) => setExpanded([rank])} />
        </Suspense>
      </Card>
      <Table<HotIssue>
        rowKey="rank"
        size="middle"
        loading={issues.isPending}
        columns={columns}
        dataSource={list}
        pagination={false}
        locale={{ emptyText: t('intelligence.hot.empty') }}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys as number[]),
          expandedRowRender: (issue) => <IssueCases issue={issue} />,
        }}
      />
    </Flex>
  );
}
