import { Card, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { describeError } from '../api/describeError';
import { casesLink, currentPeriods, percent, type RankingRow, useRanking } from './evaluationApi';

const LEVELS = ['street', 'department', 'contractor', 'alley'] as const;

/** Rankings per unit type and period (month, quarter, year), with the change against the period before. */
export function RankingsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const level = params.get('level') ?? 'street';
  const period = params.get('period') ?? currentPeriods().quarter;
  const [draft, setDraft] = useState(period);
  const q = useRanking(level, period);
  const set = (next: Record<string, string>) => setParams({ level, period, ...next });
  const move = (r: RankingRow) => {
    if (r.rank === null || r.previousRank === null) return null;
    const d = r.previousRank - r.rank;
    if (d === 0) return <Tag>—</Tag>;
    return d > 0 ? <Tag color="green">↑{d}</Tag> : <Tag color="red">↓{-d}</Tag>;
  };
  return (
    <Card title={t('evaluation.rankings.title')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented
          value={level}
          onChange={(v) => set({ level: String(v) })}
          options={LEVELS.map((l) => ({ value: l, label: t(`evaluation.level.${l}`) }))}
        />
        <Input.Search
          aria-label={t('evaluation.rankings.period')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onSearch={(v) => set({ period: v.trim() })}
          style={{ width: 200 }}
          enterButton={t('evaluation.rankings.show')}
        />
        <Typography.Text type="secondary">{t('evaluation.rankings.periodHint')}</Typography.Text>
      </Space>
      {q.isError && <Typography.Text type="danger">{describeError(t, q.error)}</Typography.Text>}
      {q.data?.frozen && <Tag color="blue">{t('evaluation.rankings.frozen')}</Tag>}
      <Table
        data-testid="ranking-table"
        size="small"
        loading={q.isPending}
        rowKey={(r) => r.unit.code}
        dataSource={q.data?.rows ?? []}
        pagination={false}
        columns={[
          { title: t('evaluation.rankings.rank'), dataIndex: 'rank', width: 70 },
          { title: t('evaluation.unit'), render: (_, r) => r.unit.name },
          {
            title: t('evaluation.rankings.score'),
            dataIndex: 'score',
            render: (v: number | null) => v ?? '—',
          },
          {
            title: t('evaluation.rankings.previous'),
            render: (_, r) => (
              <Space>
                {r.previousRank ?? '—'}
                {move(r)}
              </Space>
            ),
          },
          ...(['onTimeRate', 'responseRate', 'reworkRate', 'satisfactionRate'] as const).map((m) => ({
            title: t(`evaluation.measure.${m}`),
            render: (_: unknown, r: RankingRow) =>
              q.data ? (
                <Link to={casesLink(m, r.unit, q.data.from, q.data.to)}>{percent(r.figures[m])}</Link>
              ) : null,
          })),
          {
            title: t('evaluation.measure.overdue'),
            render: (_, r) =>
              q.data ? (
                <Link to={casesLink('overdue', r.unit, q.data.from, q.data.to)}>{r.figures.overdue}</Link>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
