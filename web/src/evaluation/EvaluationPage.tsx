import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { ResponseOf } from '../api/contract';
import { describeError } from '../api/describeError';
import { useCan } from '../auth/currentUser';
import { currentPeriods } from './evaluationApi';
import { SchemeCard, type SchemeLevel } from './SchemeCard';

type Run = ResponseOf<'/api/evaluations/{month}/{level}', 'get'>[number];

const LEVELS = ['street', 'department', 'contractor', 'alley'] as const satisfies readonly SchemeLevel[];
const STATUS_COLOUR = { evaluated: 'default', reviewed: 'blue', frozen: 'green' } as const;

/** The monthly evaluation (月评): runs of a month, each evaluated, reviewed and frozen by the district. */
export function EvaluationPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const canWrite = can('evaluation.write');
  const [month, setMonth] = useState(currentPeriods().month);
  const [level, setLevel] = useState<SchemeLevel>('street');
  const [selected, setSelected] = useState<number | null>(null);
  const client = useQueryClient();
  const key = ['evaluations', month, level];
  const runs = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get<Run[]>(`/api/evaluations/${month}/${level}`, {}, signal),
    retry: false,
  });
  const act = useMutation({
    mutationFn: (path: string) => api.post<Run>(path),
    onSuccess: (run) => {
      setSelected(run.runNo);
      void client.invalidateQueries({ queryKey: key });
    },
    onError: (e) => void message.error(describeError(t, e)),
  });
  const list = runs.data ?? [];
  const shown = list.find((r) => r.runNo === selected) ?? list.at(-1) ?? null;
  return (
    <Card title={t('evaluation.runs.title')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input
          aria-label={t('evaluation.runs.month')}
          value={month}
          onChange={(e) => setMonth(e.target.value.trim())}
          style={{ width: 120 }}
        />
        <Segmented<SchemeLevel>
          value={level}
          onChange={setLevel}
          options={LEVELS.map((l) => ({ value: l, label: t(`evaluation.level.${l}`) }))}
        />
        {canWrite && (
          <Button
            type="primary"
            loading={act.isPending}
            onClick={() => act.mutate(`/api/evaluations/${month}/${level}`)}
          >
            {t('evaluation.runs.evaluate')}
          </Button>
        )}
      </Space>
      {runs.isError && <Typography.Text type="danger">{describeError(t, runs.error)}</Typography.Text>}
      <Table
        size="small"
        rowKey="runNo"
        pagination={false}
        dataSource={list}
        onRow={(r) => ({ onClick: () => setSelected(r.runNo) })}
        columns={[
          { title: t('evaluation.runs.run'), dataIndex: 'runNo' },
          {
            title: t('evaluation.runs.status'),
            render: (_, r) => <Tag color={STATUS_COLOUR[r.status]}>{t(`evaluation.runs.${r.status}`)}</Tag>,
          },
          { title: t('evaluation.runs.scheme'), dataIndex: 'schemeVersion' },
          {
            title: t('evaluation.runs.created'),
            render: (_, r) => r.createdAt.slice(0, 16).replace('T', ' '),
          },
          {
            title: '',
            render: (_, r) =>
              canWrite && r.status !== 'frozen' ? (
                <Button
                  size="small"
                  onClick={() =>
                    act.mutate(
                      `/api/evaluations/${month}/${level}/${r.runNo}/${r.status === 'evaluated' ? 'review' : 'freeze'}`,
                    )
                  }
                >
                  {t(r.status === 'evaluated' ? 'evaluation.runs.review' : 'evaluation.runs.freeze')}
                </Button>
              ) : null,
          },
        ]}
      />
      <div style={{ marginTop: 16 }}>
        <SchemeCard level={level} canWrite={canWrite} />
      </div>
      {shown && (
        <Table
          style={{ marginTop: 16 }}
          size="small"
          rowKey={(r) => r.unit.code}
          pagination={false}
          dataSource={shown.rows}
          columns={[
            {
              title: t('evaluation.rankings.rank'),
              dataIndex: 'rank',
              render: (v: number | null) => v ?? '—',
            },
            { title: t('evaluation.unit'), render: (_, r) => r.unit.name },
            {
              title: t('evaluation.rankings.score'),
              dataIndex: 'score',
              render: (v: number | null) => v ?? '—',
            },
            {
              title: t('evaluation.runs.change'),
              dataIndex: 'scoreChange',
              render: (v: number | null) => (v === null ? '—' : v > 0 ? `+${v}` : String(v)),
            },
            { title: t('evaluation.measure.due'), render: (_, r) => r.figures.due },
            { title: t('evaluation.measure.closed'), render: (_, r) => r.figures.closed },
          ]}
        />
      )}
    </Card>
  );
}
