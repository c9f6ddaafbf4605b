import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, InputNumber, Space, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { BodyOf, ResponseOf } from '../api/contract';
import { describeError } from '../api/describeError';

type SchemeVersion = ResponseOf<'/api/evaluation/scheme', 'get'>;
type SchemeBody = BodyOf<'/api/evaluation/scheme', 'put'>;
/** The unit types a scheme weighs (street, department, contractor, alley). */
export type SchemeLevel = keyof SchemeVersion['scheme']['unitTypes'];

const ITEMS = [
  'onTimeRate',
  'closureRate',
  'handledOnTimeRate',
  'reworkRate',
  'responseRate',
  'resolutionRate',
  'satisfactionRate',
  'inspectionScore',
] as const;

/** The district's evaluation scheme for one unit type: weights per item, saved as a new version. */
export function SchemeCard({ level, canWrite }: { level: SchemeLevel; canWrite: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: ['evaluation-scheme'],
    queryFn: ({ signal }) => api.get<SchemeVersion>('/api/evaluation/scheme', {}, signal),
    retry: false,
  });
  const [weights, setWeights] = useState<Record<string, number>>({});
  useEffect(() => {
    const items = q.data?.scheme.unitTypes[level] ?? [];
    setWeights(Object.fromEntries(ITEMS.map((i) => [i, items.find((x) => x.item === i)?.weight ?? 0])));
  }, [q.data, level]);
  const save = useMutation({
    mutationFn: () => {
      const current = q.data as SchemeVersion;
      const items = ITEMS.filter((i) => (weights[i] ?? 0) > 0).map((i) => ({
        item: i,
        weight: weights[i] ?? 0,
      }));
      return api.put<SchemeVersion>('/api/evaluation/scheme', {
        basedOnVersion: current.version,
        scheme: { ...current.scheme, unitTypes: { ...current.scheme.unitTypes, [level]: items } },
      } satisfies SchemeBody);
    },
    onSuccess: () => {
      void message.success(t('evaluation.scheme.saved'));
      void client.invalidateQueries({ queryKey: ['evaluation-scheme'] });
    },
    onError: (e) => void message.error(describeError(t, e)),
  });
  if (q.isError) return <Typography.Text type="danger">{describeError(t, q.error)}</Typography.Text>;
  return (
    <Card
      size="small"
      title={t('evaluation.scheme.title', { version: q.data?.version ?? 0 })}
      extra={
        canWrite && (
          <Button size="small" type="primary" loading={save.isPending} onClick={() => save.mutate()}>
            {t('evaluation.scheme.save')}
          </Button>
        )
      }
    >
      <Table
        size="small"
        rowKey="item"
        pagination={false}
        loading={q.isPending}
        dataSource={ITEMS.map((item) => ({ item }))}
        columns={[
          {
            title: t('evaluation.scheme.item'),
            render: (_, r) =>
              t(`evaluation.measure.${r.item}`, { defaultValue: t('evaluation.scheme.inspection') }),
          },
          {
            title: t('evaluation.scheme.weight'),
            render: (_, r) => (
              <Space>
                <InputNumber
                  aria-label={`${r.item} weight`}
                  min={0}
                  max={1000}
                  disabled={!canWrite}
                  value={weights[r.item] ?? 0}
                  onChange={(v) => setWeights((w) => ({ ...w, [r.item]: Number(v ?? 0) }))}
                />
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
